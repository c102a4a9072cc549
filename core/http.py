"""The request side of the core, for the web app and for plugin blueprints alike: the site, who is
asking (``current_principal``, ``require_role``), and the envelope every command in the request uses.

Plugins import from here, never from ``web``: dependencies point web → plugins → core.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4

from flask import Flask, current_app, g, request, session

from core.envelope import Envelope, current_envelope, enter, leave
from core.errors import InvalidInputError, LoketError, NotAuthenticatedError, PermissionDeniedError
from core.identity import Principal
from core.site import Site

ANONYMOUS = Principal(actor="anonymous", name="anonymous")


def get_site() -> Site:
    """The ``Site`` this app serves."""
    return current_app.extensions["loket.site"]


def current_principal() -> Principal:
    """Who makes this request: a token holder (``Authorization: Bearer …``) or anonymous.

    :raise NotAuthenticatedError: a token is given but is not valid.
    """
    if "principal" not in g:
        header = request.headers.get("Authorization", "")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise NotAuthenticatedError("Use 'Authorization: Bearer <token>'.")
            g.principal = get_site().identity.principal_for_token(token.strip())
        elif session.get("user") and not request.path.startswith("/api/"):
            # The session cookie counts for the screens only: the API takes tokens, so a page
            # elsewhere cannot make a logged-in browser call it (no CSRF through the API).
            g.principal = get_site().identity.principal_of_session(session["user"], session.get("password_version"))
        else:
            g.principal = ANONYMOUS
    return g.principal


def require_role(loket: str, *roles: str) -> Principal:
    """The principal, when it holds one of ``roles`` in ``loket``.

    :raise NotAuthenticatedError: nobody is logged in. :raise PermissionDeniedError: wrong loket or role.
    """
    principal = current_principal()
    if principal is ANONYMOUS:
        raise NotAuthenticatedError("This needs an API token (Authorization: Bearer <token>).")
    if not principal.has_role(loket, *roles):
        raise PermissionDeniedError(f"This needs the role {' or '.join(roles)} in loket '{loket}'.")
    act_as(principal)
    return principal


def _open_envelope() -> None:
    correlation_id = request.headers.get("X-Request-Id", "")[:64] or uuid4().hex
    loket = (request.view_args or {}).get("loket")
    # Anonymous until require_role() names the principal: a write always asks for it first.
    g.envelope_tokens = [enter(Envelope(actor=ANONYMOUS.actor, loket=loket, correlation_id=correlation_id))]


def _close_envelope(_error: BaseException | None) -> None:
    for token in reversed(g.pop("envelope_tokens", [])):
        leave(token)


def act_as(principal: Principal) -> None:
    """Make ``principal`` the actor of the commands that follow in this request."""
    envelope = current_envelope()
    g.envelope_tokens.append(
        enter(Envelope(actor=principal.actor, loket=envelope.loket, correlation_id=envelope.correlation_id))
    )


def init_request_context(app: Flask) -> None:
    app.before_request(_open_envelope)
    app.teardown_request(_close_envelope)


def personal_response() -> None:
    """Mark this request's answer as holding personal data: it is never kept for replays
    (``Idempotency-Key``), so that an erasure leaves no copy behind."""
    g.personal_response = True


def record_personal_view(loket: str, persons: list[Any], what: str) -> None:
    """Record that the current actor is shown the personal data of ``persons`` (the access log)."""
    from core.audit.access import record_view

    record_view(get_site().app, loket, persons, what)


# The screens


def screen_principal(loket: str, *roles: str) -> Principal:
    """The logged-in user, who must hold one of ``roles`` in ``loket``.

    :raise NotAuthenticatedError: not logged in (the screen sends them to the login page).
    :raise PermissionDeniedError: no such role here: another loket's screens stay closed.
    """
    if not session.get("user"):
        raise NotAuthenticatedError("Log in first.")
    principal = current_principal()
    if not principal.has_role(loket, *roles):
        raise PermissionDeniedError(f"No role {' or '.join(roles)} in loket '{loket}'.")
    get_site().lokets.get(loket)
    g.loket = loket
    g.user_lokets = sorted(principal.roles)
    g.user_name = principal.name
    g.roles_here = principal.roles.get(loket, ())
    act_as(principal)
    return principal


# Request bodies


def json_body() -> dict[str, Any]:
    """The request's JSON object. :raise InvalidInputError: no JSON object was sent."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise InvalidInputError("The request body must be a JSON object.", {"": "send Content-Type: application/json with an object"})
    return data


# Optimistic concurrency: If-Match names the version a client read. Changes (PUT, PATCH, DELETE)
# require it — 428 when absent, 412 when stale — so nobody overwrites a change they have not seen.
# Actions (POST …/publish) accept it.


class PreconditionRequiredError(LoketError):
    """Raised when a change arrives without If-Match."""

    slug = "precondition-required"


def version_etag(version: int) -> str:
    return f'"{version}"'


def expected_version(required: bool) -> int | None:
    """The version named in ``If-Match``; None for ``*`` or (when not required) no header.

    :raise PreconditionRequiredError: required and absent. :raise InvalidInputError: not a version.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequiredError(
                'This change needs an If-Match header with the version you read (its ETag), e.g. If-Match: "3".'
            )
        return None
    if header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInputError("If-Match is not a version.", {"If-Match": 'give the ETag you read, e.g. "3"'})
    return int(value)


def if_match() -> int | None:
    """The version named in an optional ``If-Match``."""
    return expected_version(required=False)


# Lists after the API conventions: ?page=&pageSize= (max 100), {items, page, pageSize, total}, Link.

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20


def page_params() -> tuple[int, int]:
    """The requested page and page size. :raise InvalidInputError: not a positive number, or too big."""
    problems = {}
    values = {}
    for name, default, maximum in (("page", 1, None), ("pageSize", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)):
        raw = request.args.get(name, str(default))
        if not raw.isdigit() or int(raw) < 1:
            problems[name] = "must be a whole number of 1 or more"
        elif maximum and int(raw) > maximum:
            problems[name] = f"must be at most {maximum}"
        else:
            values[name] = int(raw)
    if problems:
        raise InvalidInputError("The paging parameters are not valid.", problems)
    return values["page"], values["pageSize"]


def paged(items: Sequence[Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """One page of ``items`` as the response body, and its ``Link`` header."""
    page, page_size = page_params()
    total = len(items)
    body = {"items": list(items[(page - 1) * page_size : page * page_size]), "page": page, "pageSize": page_size, "total": total}
    return body, {"Link": paging_links(page, page_size, total)}


def paging_links(page: int, page_size: int, total: int) -> str:
    """The ``Link`` header of one page: first, last, and prev/next where they exist."""
    last = max(1, -(-total // page_size))
    links = [("first", 1), ("last", last)]
    if page > 1:
        links.append(("prev", page - 1))
    if page < last:
        links.append(("next", page + 1))
    args = {k: v for k, v in request.args.items() if k not in ("page", "pageSize")}
    return ", ".join(
        f'<{request.base_url}?{urlencode({**args, "page": n, "pageSize": page_size})}>; rel="{rel}"' for rel, n in links
    )
