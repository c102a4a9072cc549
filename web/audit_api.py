"""``/api/v1/audit/events``: the log for auditor tokens, in the order of record, within the token's
loket; personal data is never shown."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, request

from core.audit.log import LogFilter, moment, read_log, type_names
from core.errors import InvalidInputError, PermissionDeniedError
from core.http import current_principal, get_site, require_role

bp = Blueprint("audit_api", __name__, url_prefix="/api/v1/audit")


@bp.get("/events")
def events():
    """Events after ``?after=`` (a log position), filtered by ``loket``, ``aggregate``, ``type``,
    ``event``, ``actor``, ``since``, ``until``; ``pageSize`` at most 500."""
    principal = current_principal()
    lokets = [loket for loket, roles in principal.roles.items() if "auditor" in roles]
    loket = request.args.get("loket") or (next(iter(principal.roles)) if len(principal.roles) == 1 else "")
    if not loket:
        raise InvalidInputError("Name the loket.", {"loket": "the loket whose log to read"})
    require_role(loket, "auditor")
    if loket not in lokets:
        raise PermissionDeniedError(f"This needs the role auditor in loket '{loket}'.")
    args = request.args
    try:
        aggregate = UUID(args["aggregate"]) if args.get("aggregate") else None
    except ValueError:
        raise InvalidInputError("Not an aggregate id.", {"aggregate": "give an aggregate id"}) from None
    after, size = args.get("after", "0"), args.get("pageSize", "100")
    if not after.isdigit() or not size.isdigit() or not 1 <= int(size) <= 500:
        raise InvalidInputError("Not a valid page.", {"after": "a log position (0 or more)", "pageSize": "1 to 500"})
    where = LogFilter(loket, aggregate, args.get("type"), args.get("event"), args.get("actor"), moment(args.get("since"), "since"), moment(args.get("until"), "until"))
    site = get_site()
    items = read_log(site.app, where, int(after), int(size), type_names(site))
    body = {"items": items, "next": items[-1]["position"] if len(items) == int(size) else None}
    return body
