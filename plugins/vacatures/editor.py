"""The vacancy bank's own editor screens, mounted by the core at ``/beheer/<loket>/vacatures`` (404
``plugin-disabled`` where the plugin is off): mark a vacancy filled, extend it, duplicate it — the
buttons sit on its generic edit screen (``templates/vacatures/editor_vacancy_actions.html``) — and
withdraw many open vacancies at once.

Editors and admins act on every vacancy of the loket, recruiters on their boards' only: every step
goes through the content service with the person's scope, as the generic screens and the API do.
In Dutch, without JavaScript.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any
from uuid import UUID

from flask import Blueprint, flash, redirect, render_template, request, url_for

from core.content.domain import PUBLISHED
from core.content.service import Scope
from core.errors import ConflictError, InvalidInputError, NotFoundError, PermissionDeniedError, StaleVersionError
from core.http import get_site, screen_principal
from core.messages import t

from . import lifecycle
from .domain import Vacancy

bp = Blueprint("vacatures_editor", __name__, template_folder="templates")

MAX_REASON = 500
BULK_PAGE_SIZE = 100


def _scope(loket: str) -> Scope:
    """What the logged-in writer may touch of the loket's vacancies (None: all of them).

    :raise PermissionDeniedError: not an editor, admin or recruiter here.
    """
    site = get_site()
    content_type = site.content_types.get(lifecycle.TYPE)
    principal = screen_principal(loket, *content_type.writer_roles)
    return site.content_scope(loket, principal, content_type)


# One vacancy's steps


@bp.route("/<uuid:item_id>/vervuld", methods=["GET", "POST"])
def fill(loket: str, item_id: UUID):
    """Mark a vacancy filled, optionally saying why: it leaves the lists and its page answers 410 Gone."""
    scope = _scope(loket)
    vacancy = _vacancy(loket, item_id, scope)
    if request.method == "GET":
        return _step_page("fill", vacancy)
    reason = request.form.get("reden", "").strip()
    if len(reason) > MAX_REASON:
        return _step_page("fill", vacancy, {"reden": t("vacatures.error.reason")}, {"reden": reason})
    try:
        lifecycle.fill(get_site(), loket, item_id, reason, _version(), scope)
    except StaleVersionError:
        flash(t("vacatures.stale"), "error")
    except ConflictError:
        flash(t("vacatures.fill_refused"), "error")
    else:
        flash(t("vacatures.filled"))
    return redirect(_edit_url(loket, item_id))


@bp.route("/<uuid:item_id>/verlengen", methods=["GET", "POST"])
def extend(loket: str, item_id: UUID):
    """Give a vacancy a new last day; a live or expired one is (again) published with it."""
    scope = _scope(loket)
    vacancy = _vacancy(loket, item_id, scope)
    if request.method == "GET":
        return _step_page("extend", vacancy)
    raw = request.form.get("validThrough", "").strip()
    try:
        valid_through = date.fromisoformat(raw).isoformat()
    except ValueError:
        return _step_page("extend", vacancy, {"validThrough": t("vacatures.error.date")}, {"validThrough": raw})
    try:
        lifecycle.extend(get_site(), loket, item_id, valid_through, _version(), scope)
    except InvalidInputError:  # the day has passed
        return _step_page("extend", vacancy, {"validThrough": t("vacatures.error.date_past")}, {"validThrough": raw})
    except StaleVersionError:
        flash(t("vacatures.stale"), "error")
    except ConflictError:
        flash(t("vacatures.extend_refused"), "error")
    else:
        flash(t("vacatures.extended", date=date.fromisoformat(valid_through).strftime("%d-%m-%Y")))
    return redirect(_edit_url(loket, item_id))


@bp.post("/<uuid:item_id>/dupliceren")
def duplicate(loket: str, item_id: UUID):
    """A new draft with this vacancy's fields (no external id, the default last day), opened to edit."""
    scope = _scope(loket)
    saved = lifecycle.duplicate(get_site(), loket, item_id, scope)
    flash(t("vacatures.duplicated"))
    return redirect(_edit_url(loket, saved.id))


# Withdrawing many


@bp.get("/intrekken")
def bulk(loket: str):
    """The loket's open vacancies (those the person may manage), to choose which to withdraw."""
    return _bulk_page(loket, _scope(loket))


@bp.post("/intrekken")
def bulk_withdraw(loket: str):
    """Withdraw each chosen vacancy at the version shown; one changed meanwhile is left and reported."""
    scope = _scope(loket)
    chosen = request.form.getlist("vacature")
    reason = request.form.get("reden", "").strip()
    errors = {}
    if not chosen:
        errors["kies-vacatures"] = t("vacatures.error.choose")
    if len(reason) > MAX_REASON:
        errors["reden"] = t("vacatures.error.reason")
    if errors:
        return _bulk_page(loket, scope, errors, chosen, reason)
    site = get_site()
    withdrawn = 0
    for raw_id in dict.fromkeys(chosen):  # each once, in the order shown
        title = _title(loket, raw_id)
        try:
            item_id = UUID(raw_id)
            site.content.withdraw(lifecycle.TYPE, loket, item_id, _version(f"versie-{raw_id}"), reason=reason, scope=scope)
        except StaleVersionError:
            flash(t("vacatures.bulk.stale", title=title), "error")
        except (ValueError, NotFoundError, PermissionDeniedError, ConflictError):
            flash(t("vacatures.bulk.refused", title=title), "error")
        else:
            withdrawn += 1
    flash(t("vacatures.bulk.done", count=withdrawn))
    return redirect(url_for(".bulk", loket=loket))


# Helpers


def _vacancy(loket: str, item_id: UUID, scope: Scope) -> Vacancy:
    """The vacancy, when it is in ``loket`` and within ``scope``.

    :raise NotFoundError: no such vacancy here. :raise PermissionDeniedError: not one of yours.
    """
    return get_site().content.item(lifecycle.TYPE, loket, item_id, scope)


def _step_page(step: str, vacancy: Vacancy, errors: dict[str, str] | None = None, values: dict[str, str] | None = None):
    """The page of one step (filled, extend) on its own: opened directly, or shown again with
    what was wrong."""
    title = vacancy.fields.get("title") or vacancy.slug
    if step == "fill":
        name, heading, value = "reden", t("vacatures.fill.title", title=title), ""
    else:
        name, heading, value = "validThrough", t("vacatures.extend.title", title=title), vacancy.fields.get("valid_through") or ""
    page = render_template(
        "vacatures/editor_step.html",
        step=step,
        heading=heading,
        name=name,
        value=(values or {}).get(name, value),
        edit_url=_edit_url(vacancy.loket, vacancy.id),
        version=request.form.get("version") or vacancy.version,  # the version read first: a stale step stays refused
        errors=errors or {},
        labels={"reden": t("vacatures.fill.reason"), "validThrough": t("vacatures.extend.date")},
    )
    return page, 422 if errors else 200


def _bulk_page(loket: str, scope: Scope, errors: dict[str, str] | None = None, chosen: list[str] | None = None, reason: str = ""):
    site = get_site()
    site.projections.catch_up()
    page = max(1, int(request.args["pagina"])) if request.args.get("pagina", "").isdigit() else 1
    search = request.args.get("q", "").strip()
    filters = {name: list(admitted) for name, admitted in (scope or {}).items()}
    rows, total = [], 0
    if all(filters.values()):  # an empty admitted list: nothing to show
        items, total = site.content_view.list_items(
            loket,
            lifecycle.TYPE,
            public=False,
            statuses=(PUBLISHED,),
            filters=filters or None,
            search=search,
            order_by="title",
            limit=BULK_PAGE_SIZE,
            offset=(page - 1) * BULK_PAGE_SIZE,
        )
        rows = [json.loads(item) for item in items]
    labels = {"kies-vacatures": t("vacatures.bulk.open"), "reden": t("vacatures.bulk.reason")}
    body = render_template(
        "vacatures/editor_bulk.html",
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // BULK_PAGE_SIZE)),
        search=search,
        errors=errors or {},
        labels=labels,
        chosen=set(chosen or []),
        reason=reason,
    )
    return body, 422 if errors else 200


def _title(loket: str, raw_id: str) -> str:
    row = get_site().content_view.get_row(raw_id)
    return row["title"] if row and row["loket"] == loket and row["type"] == lifecycle.TYPE else raw_id


def _version(name: str = "version") -> int | None:
    raw = request.form.get(name, "")
    return int(raw) if raw.isdigit() else None


def _edit_url(loket: str, item_id: UUID) -> str:
    return url_for("beheer.content_edit", loket=loket, type_name=lifecycle.TYPE, item_id=item_id)


def menu(loket: str, principal: Any) -> list[dict[str, str]]:
    """The editor menu's entry for withdrawing many vacancies, for those who may write vacancies."""
    if not principal.has_role(loket, *get_site().content_types.get(lifecycle.TYPE).writer_roles):
        return []
    return [{"label": t("vacatures.bulk.title"), "href": f"/beheer/{loket}/vacatures/intrekken"}]
