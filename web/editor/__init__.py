"""The editor screens under ``/beheer``: server-rendered, in Dutch, usable without JavaScript.

One blueprint; its views live in ``auth`` (login, logout), ``dashboard`` and ``content`` (the generic
screens of every content type in the registry)."""

from __future__ import annotations

from flask import Blueprint, Flask, redirect, render_template, request, url_for

from core.errors import LoketError, NotAuthenticatedError, NotFoundError, PermissionDeniedError
from web.editor.csrf import check_csrf, csrf_token
from core.messages import t

bp = Blueprint("beheer", __name__, url_prefix="/beheer", template_folder="templates")


def init_editor(app: Flask, public_url: str, session_secret: bytes) -> None:
    from web.editor import auth, content, dashboard, helpdesk, password, people  # noqa: F401 - the views register on bp

    app.secret_key = session_secret
    app.config.update(
        SESSION_COOKIE_NAME="loket_sessie",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=public_url.startswith("https://"),
        PERMANENT_SESSION_LIFETIME=8 * 3600,
    )
    app.register_blueprint(bp)
    from web.editor.audit import bp as audit_bp

    app.register_blueprint(audit_bp)
    app.before_request(check_csrf)
    app.jinja_env.globals.update(t=t, csrf_token=csrf_token)
    app.extensions["loket.html_error"] = html_error
    app.register_error_handler(400, _bad_request)


def _bad_request(error):
    if request.path.startswith("/beheer"):
        message = t("csrf.failed") if getattr(error, "description", "") == "csrf" else str(error.description)
        return render_template("editor/error.html", message=message), 400
    from web.problems import problem

    if request.path.startswith("/api/"):
        return problem(400, "bad-request", "Bad Request", error.description)
    return error


def html_error(error: Exception):
    """A screen's answer to an error: to the login page when the session is over, else a page."""
    if isinstance(error, NotAuthenticatedError):
        return redirect(url_for("beheer.login", next=request.path, expired=1))
    if isinstance(error, PermissionDeniedError):
        return render_template("editor/error.html", message=t("error.403")), 403
    if isinstance(error, NotFoundError):
        return render_template("editor/error.html", message=t("error.404")), 404
    if isinstance(error, LoketError):
        return render_template("editor/error.html", message=str(error)), 400
    return None
