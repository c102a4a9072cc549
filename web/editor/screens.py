"""What every screen needs: the logged-in user with a role in the loket, and the page frame."""

from __future__ import annotations

from flask import g, session

from core.errors import NotAuthenticatedError, PermissionDeniedError
from core.http import act_as, current_principal, get_site
from core.identity import Principal


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
    site = get_site()
    g.menu_types = site.content_types.for_loket(site.lokets.enabled_plugins(loket))
    act_as(principal)
    return principal
