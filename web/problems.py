"""One error shape for the whole API: RFC 9457 ``application/problem+json``, mapped in one place.

Views never catch domain errors; they raise, and this module answers. Under ``/api/`` even Flask's
own 404 and 405 and an unexpected crash come out as problems, never as an HTML page or a trace.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, Response, current_app, json, request
from werkzeug.exceptions import HTTPException

from core.config import ConfigError
from core.errors import (
    ConflictError,
    GoneError,
    InvalidInputError,
    LoketError,
    NotAuthenticatedError,
    NotFoundError,
    PermissionDeniedError,
    StaleVersionError,
    StoreUnavailableError,
)
from core.spam import TooManyRequestsError
from core.http import PreconditionRequiredError, version_etag

PROBLEM_TYPE = "urn:loket:problem:{}"

STATUS: dict[type, int] = {
    NotFoundError: 404,
    GoneError: 410,
    StaleVersionError: 412,
    ConflictError: 409,
    InvalidInputError: 422,
    ConfigError: 422,
    NotAuthenticatedError: 401,
    PermissionDeniedError: 403,
    PreconditionRequiredError: 428,
    StoreUnavailableError: 503,
    TooManyRequestsError: 429,
}

log = logging.getLogger(__name__)


def problem(
    status: int,
    slug: str,
    title: str,
    detail: str | None = None,
    invalid_params: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem+json response."""
    body: dict[str, Any] = {"type": PROBLEM_TYPE.format(slug), "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if invalid_params:
        body["invalidParams"] = [{"name": name, "reason": reason} for name, reason in invalid_params.items()]
    response = Response(json.dumps(body), status=status, mimetype="application/problem+json")
    response.headers.update(headers or {})
    return response


def _status_of(error: LoketError) -> int:
    for error_class in type(error).__mro__:
        if error_class in STATUS:
            return STATUS[error_class]
    return 400


def _loket_error(error: LoketError) -> Response:
    html_error = current_app.extensions.get("loket.html_error")
    if html_error and not request.path.startswith("/api/"):
        page = html_error(error)
        if page is not None:
            return page
    status = _status_of(error)
    params = getattr(error, "problems", None)
    if isinstance(error, ConfigError):
        params = {p.key: p.reason for p in error.problems}
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    if isinstance(error, TooManyRequestsError):
        headers["Retry-After"] = str(error.retry_after)
    if isinstance(error, StaleVersionError) and error.current_version is not None:
        headers["ETag"] = version_etag(error.current_version)
    return problem(status, error.slug, str(error.args[0]).splitlines()[0], str(error), params, headers)


def _http_error(error: HTTPException) -> Response | HTTPException:
    if not request.path.startswith("/api/"):
        return error
    slug = (error.name or "error").lower().replace(" ", "-")
    response = problem(error.code or 500, slug, error.name, error.description)
    if error.code == 405 and error.valid_methods:
        response.headers["Allow"] = ", ".join(error.valid_methods)
    return response


def _unexpected_error(error: Exception) -> Response | Exception:
    if isinstance(error, HTTPException):
        return _http_error(error)
    log.exception("unexpected error on %s %s", request.method, request.path)
    if not request.path.startswith("/api/"):
        return error
    return problem(500, "internal-error", "Internal Server Error", "Something went wrong on our side; it has been logged.")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(LoketError, _loket_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
