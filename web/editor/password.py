"""Forgot password: a signed link that expires in an hour and works once, sent through the outbox
to the address the user has (personal data, under their key)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from core.envelope import acting
from core.errors import InvalidInputError, NotFoundError
from core.http import get_site
from core.outbox.service import queue_message
from web.editor import bp
from core.messages import t

LINK_SECONDS = 3600


def _signer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_site().keys.secret("password-reset"), salt="loket-wachtwoord")


@bp.get("/wachtwoord-vergeten")
def forgot():
    """Ask for a user name."""
    return render_template("editor/password_forgot.html")


@bp.post("/wachtwoord-vergeten")
def send_reset_link():
    """Send a link when the account exists and has an address; say the same thing either way."""
    site = get_site()
    site.rate_limiter.check(f"reset:{request.remote_addr}")
    username = request.form.get("gebruikersnaam", "").strip().lower()
    try:
        user = site.identity.get_user(username)
    except NotFoundError:
        user = None
    if user is not None and user.email is not None and not user.email.erased:
        token = _signer().dumps({"u": user.username, "v": user.password_version})
        link = f"{site.config.public_url}{url_for('beheer.reset', token=token)}"
        loket = sorted(user.roles)[0] if user.roles else "-"
        with acting(actor="system", correlation_id="password-reset"):
            site.app.save(
                queue_message(
                    loket, "password-reset", user.email, t("password.mail.subject"), t("password.mail.body", name=user.username, link=link)
                )
            )
    flash(t("password.sent"))
    return redirect(url_for("beheer.login"))


@bp.get("/wachtwoord-herstellen/<token>")
def reset(token: str):
    """The form for a new password, when the link is valid."""
    if _user_of(token) is None:
        return render_template("editor/error.html", message=t("password.invalid_link")), 400
    return render_template("editor/password_reset.html", token=token)


@bp.post("/wachtwoord-herstellen/<token>")
def do_reset(token: str):
    """Set the new password; the link and every open session of the user stop working."""
    username = _user_of(token)
    if username is None:
        return render_template("editor/error.html", message=t("password.invalid_link")), 400
    password, again = request.form.get("wachtwoord", ""), request.form.get("herhaling", "")
    if password != again:
        return render_template("editor/password_reset.html", token=token, error=t("password.mismatch")), 422
    try:
        with acting(actor=f"user:{get_site().identity.get_user(username).id}"):
            get_site().identity.set_password(username, password)
    except InvalidInputError:
        return render_template("editor/password_reset.html", token=token, error=t("password.too_short")), 422
    flash(t("password.changed"))
    return redirect(url_for("beheer.login"))


def _user_of(token: str) -> str | None:
    try:
        data = _signer().loads(token, max_age=LINK_SECONDS)
    except (SignatureExpired, BadSignature):
        return None
    try:
        user = get_site().identity.get_user(data.get("u", ""))
    except NotFoundError:
        return None
    # A used link no longer matches: setting a password moves the version on.
    return user.username if user.password_version == data.get("v") else None
