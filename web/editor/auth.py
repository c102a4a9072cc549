"""Logging in and out of the screens: a session cookie (HttpOnly, SameSite=Lax, Secure behind
HTTPS), argon2 passwords, and a pause after five failed attempts per name and address."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for

from core.errors import NotAuthenticatedError
from core.http import get_site
from web.editor import bp
from core.messages import t

FAILURES_ALLOWED = 5
PAUSE_SECONDS = 300


@bp.get("/inloggen")
def login():
    """The login form."""
    message = t("login.expired") if request.args.get("expired") else None
    return render_template("editor/login.html", message=message, next=request.args.get("next", ""))


@bp.post("/inloggen")
def do_login():
    """Check the name and password; a pause after too many failures."""
    site = get_site()
    username = request.form.get("gebruikersnaam", "").strip().lower()
    key = f"login:{username}:{request.remote_addr}"
    wait = site.login_failures.blocked_for(key)
    if wait:
        return render_template("editor/login.html", error=t("login.throttled", seconds=wait), username=username), 429
    try:
        principal = site.identity.authenticate(username, request.form.get("wachtwoord", ""))
    except NotAuthenticatedError:
        site.login_failures.hit(key)
        return render_template("editor/login.html", error=t("login.failed"), username=username), 401
    user = site.identity.get_user(username)
    session.clear()
    session.permanent = True
    session.update(user=user.username, password_version=user.password_version)
    target = request.form.get("next", "")
    if not target.startswith("/beheer/") or urlsplit(target).netloc:
        lokets = sorted(principal.roles)
        target = url_for("beheer.dashboard", loket=lokets[0]) if lokets else url_for("beheer.no_lokets")
    return redirect(target)


@bp.post("/uitloggen")
def logout():
    """End the session."""
    session.clear()
    flash(t("logout.done"))
    return redirect(url_for("beheer.login"))


@bp.get("/")
def home():
    """The first loket of the user, or the login page."""
    if not session.get("user"):
        return redirect(url_for("beheer.login"))
    from core.http import current_principal

    lokets = sorted(current_principal().roles)
    return redirect(url_for("beheer.dashboard", loket=lokets[0]) if lokets else url_for("beheer.no_lokets"))


@bp.get("/geen-loket")
def no_lokets():
    """For a user without any role yet."""
    return render_template("editor/error.html", message=t("login.no_lokets"))
