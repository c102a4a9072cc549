"""The request side of the core, for the web app and for plugin blueprints alike: the site, who is
asking (``current_principal``, ``require_role``), and the envelope every command in the request uses.

Plugins import from here, never from ``web``: dependencies point web → plugins → core.
"""

from __future__ import annotations

from uuid import uuid4

from flask import Flask, current_app, g, request

from core.envelope import Envelope, current_envelope, enter, leave
from core.errors import NotAuthenticatedError, PermissionDeniedError
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
    _act_as(principal)
    return principal


def _open_envelope() -> None:
    correlation_id = request.headers.get("X-Request-Id", "")[:64] or uuid4().hex
    loket = (request.view_args or {}).get("loket")
    # Anonymous until require_role() names the principal: a write always asks for it first.
    g.envelope_tokens = [enter(Envelope(actor=ANONYMOUS.actor, loket=loket, correlation_id=correlation_id))]


def _close_envelope(_error: BaseException | None) -> None:
    for token in reversed(g.pop("envelope_tokens", [])):
        leave(token)


def _act_as(principal: Principal) -> None:
    """Make ``principal`` the actor of the commands that follow in this request."""
    envelope = current_envelope()
    g.envelope_tokens.append(
        enter(Envelope(actor=principal.actor, loket=envelope.loket, correlation_id=envelope.correlation_id))
    )


def init_request_context(app: Flask) -> None:
    app.before_request(_open_envelope)
    app.teardown_request(_close_envelope)
