"""People and API tokens of one loket, for its admins only: who has which role here (add someone,
invite a new user, grant and revoke roles), and the loket's API tokens (create, revoke).

A new user's initial password and a new token are shown once, on the answer to the form that made
them: never put in the session (its cookie is signed, not encrypted), never shown again, never cached.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any
from uuid import UUID

from flask import flash, make_response, redirect, render_template, request, url_for

from core.errors import ConflictError, InvalidInputError, NotFoundError
from core.http import get_site
from core.identity import ROLES
from web.editor import bp
from web.editor.forms import AMSTERDAM
from core.http import screen_principal
from core.messages import t

ADMINS = ("admin",)

# The results told after a redirect (flash messages) are the catalogue's ``people.*`` and ``tokens.*`` texts.


# People


@bp.get("/<loket>/mensen/")
def people(loket: str):
    """The users with a role in this loket, and the forms to add someone and change roles."""
    screen_principal(loket, *ADMINS)
    return _people_page(loket)


@bp.post("/<loket>/mensen/toevoegen")
def people_add(loket: str):
    """Give an existing user a role here, or invite a new user with a random initial password that
    is shown once, on this answer."""
    screen_principal(loket, *ADMINS)
    identity = get_site().identity
    username = request.form.get("gebruikersnaam", "").strip().lower()
    role = request.form.get("rol", "")
    values = {"gebruikersnaam": username, "rol": role}
    if role not in ROLES:
        return _people_page(loket, errors={"nieuw-rol": "role"}, values=values, status=422)
    try:
        identity.get_user(username)
    except NotFoundError:
        password = secrets.token_urlsafe(12)
        try:
            identity.add_user(username, password)
        except InvalidInputError as error:
            return _people_page(loket, errors={"nieuw-naam": error.problems.get("username", str(error))}, values=values, status=422)
        except ConflictError:  # added by someone else in the meantime: it exists now
            password = None
        identity.grant(username, loket, role)
        if password:
            return _people_page(loket, new_user={"username": username, "password": password, "role": role})
        flash(t("people.granted", user=username, role=role))
        return redirect(url_for("beheer.people", loket=loket))
    changed = identity.grant(username, loket, role)
    flash(t("people.granted", user=username, role=role) if changed else t("people.had_role", user=username, role=role))
    return redirect(url_for("beheer.people", loket=loket))


@bp.post("/<loket>/mensen/rol-geven")
def people_grant(loket: str):
    """Give a user (who has a role here already) another role here."""
    screen_principal(loket, *ADMINS)
    username, role = request.form.get("gebruikersnaam", "").strip().lower(), request.form.get("rol", "")
    if role not in ROLES:
        flash(t("form.choose_role"), "error")
    else:
        try:
            changed = get_site().identity.grant(username, loket, role)
        except NotFoundError:
            flash(t("people.no_user", user=username), "error")
        else:
            flash(t("people.granted", user=username, role=role) if changed else t("people.had_role", user=username, role=role))
    return redirect(url_for("beheer.people", loket=loket))


@bp.post("/<loket>/mensen/rol-intrekken")
def people_revoke(loket: str):
    """Take a role here away from a user; an admin cannot take away their own admin role (so that
    a loket is never left without anyone who can manage it by accident)."""
    principal = screen_principal(loket, *ADMINS)
    username, role = request.form.get("gebruikersnaam", "").strip().lower(), request.form.get("rol", "")
    if role not in ROLES:
        flash(t("form.choose_role"), "error")
    elif username == principal.name and role == "admin":
        flash(t("people.own_admin"), "error")
    else:
        try:
            changed = get_site().identity.revoke(username, loket, role)
        except NotFoundError:
            flash(t("people.no_user", user=username), "error")
        else:
            flash(t("people.revoked", user=username, role=role) if changed else t("people.had_not", user=username, role=role))
    return redirect(url_for("beheer.people", loket=loket))


# API tokens


@bp.get("/<loket>/tokens/")
def tokens(loket: str):
    """The loket's API tokens (label, role, active or revoked; never a secret)."""
    screen_principal(loket, *ADMINS)
    return _tokens_page(loket)


@bp.post("/<loket>/tokens/nieuw")
def token_create(loket: str):
    """Create a token; its text is shown once, on this answer."""
    screen_principal(loket, *ADMINS)
    label, role = request.form.get("label", "").strip(), request.form.get("rol", "")
    values = {"label": label, "rol": role}
    errors = {}
    if not label:
        errors["token-label"] = "label"
    elif len(label) > 100:
        errors["token-label"] = "length"
    if role not in ROLES:
        errors["token-rol"] = "role"
    if errors:
        return _tokens_page(loket, errors=errors, values=values, status=422)
    token_id, secret = get_site().identity.create_token(label, loket, role)
    return _tokens_page(loket, new_token={"id": str(token_id), "label": label, "role": role, "secret": secret})


@bp.post("/<loket>/tokens/<uuid:token_id>/intrekken")
def token_revoke(loket: str, token_id: UUID):
    """Revoke one of this loket's tokens (another loket's tokens are not found here)."""
    screen_principal(loket, *ADMINS)
    identity = get_site().identity
    token = next((candidate for candidate in identity.tokens(loket) if candidate.id == token_id), None)
    if token is None:
        raise NotFoundError(f"No token {token_id} in loket '{loket}'.")
    changed = identity.revoke_token(token_id)
    flash(t("tokens.revoked", label=token.label) if changed else t("tokens.was_revoked", label=token.label))
    return redirect(url_for("beheer.tokens", loket=loket))


# Helpers


def _people_page(loket: str, errors: dict[str, str] | None = None, values: dict[str, str] | None = None, new_user: dict[str, str] | None = None, status: int = 200):
    rows = [
        {"username": user.username, "roles": [r for r in ROLES if r in user.roles[loket]]}
        for user in get_site().identity.users()
        if user.roles.get(loket)
    ]
    return _no_store(
        render_template("editor/people.html", rows=rows, roles=ROLES, errors=errors or {}, values=values or {}, new_user=new_user),
        status,
    )


def _tokens_page(loket: str, errors: dict[str, str] | None = None, values: dict[str, str] | None = None, new_token: dict[str, str] | None = None, status: int = 200):
    rows = [
        {"id": str(token.id), "label": token.label, "role": token.role, "revoked": token.revoked, "created": _when(getattr(token, "created_on", None))}
        for token in get_site().identity.tokens(loket)
    ]
    rows.sort(key=lambda r: (r["revoked"], r["label"].lower()))
    return _no_store(
        render_template("editor/tokens.html", rows=rows, roles=ROLES, errors=errors or {}, values=values or {}, new_token=new_token),
        status,
    )


def _when(moment: datetime | None) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if moment else ""


def _no_store(body: Any, status: int) -> Any:
    response = make_response(body, status)
    response.headers["Cache-Control"] = "no-store"
    return response
