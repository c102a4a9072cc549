"""``/api/v1/lokets/<loket>/outbox``: what was sent and what failed, for the loket's admins."""

from __future__ import annotations

from flask import Blueprint, request

from core.errors import InvalidInputError
from core.http import get_site, require_role
from core.outbox.domain import ABANDONED, QUEUED, RETRYING, SENDING, SENT

bp = Blueprint("outbox", __name__)
STATUSES = (QUEUED, SENDING, SENT, RETRYING, ABANDONED)


@bp.get("/outbox")
def list_messages(loket: str):
    """Every message of the loket with its state and last error; never recipients or contents."""
    require_role(loket, "admin")
    site = get_site()
    site.lokets.get(loket)
    site.projections.catch_up()
    statuses = tuple(s for s in request.args.get("status", "").split(",") if s)
    if any(s not in STATUSES for s in statuses):
        raise InvalidInputError("The status filter is not valid.", {"status": f"use one or more of {', '.join(STATUSES)}"})
    messages = site.outbox.view.messages(loket, statuses)
    return {"items": [{_camel(k): v for k, v in m.items()} for m in messages], "total": len(messages)}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
