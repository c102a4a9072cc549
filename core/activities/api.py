"""Registration for activities (public), the agenda as iCalendar, and the list of who comes (editors)."""

from __future__ import annotations

import json
from uuid import UUID

from flask import Blueprint, Response, request

from core.errors import NotFoundError
from core.http import get_site, personal_response, record_personal_view, json_body, require_role
from core.spam import is_robot

bp = Blueprint("activities", __name__)


@bp.post("/activities/<uuid:activity_id>/registrations")
def register(loket: str, activity_id: UUID):
    """Register for an activity (public: name, e-mail, consent). The answer says whether a place
    was confirmed or a place on the waiting list given; the confirmation comes by e-mail."""
    site = get_site()
    site.lokets.get(loket)
    data = json_body()
    site.rate_limiter.check(f"registrations:{request.remote_addr}")
    if is_robot(data):
        return {"status": "confirmed"}, 201
    answer = site.registrations.register(loket, activity_id, data)
    return answer, 201


@bp.post("/registrations/cancel")
def cancel(loket: str):
    """Cancel a registration with the token from the confirmation e-mail."""
    get_site().lokets.get(loket)
    return get_site().registrations.cancel(json_body())


@bp.get("/activities/<uuid:activity_id>/availability")
def availability(loket: str, activity_id: UUID):
    """Places and how many are taken (public, numbers only)."""
    site = get_site()
    item = _public_activity(loket, activity_id)
    counts = site.projection("registrations").view.counts(str(activity_id))
    capacity = item.get("capacity")
    return {
        "capacity": capacity,
        "confirmed": counts["confirmed"],
        "waitingList": counts["waitlisted"],
        "placesLeft": None if capacity is None else max(0, capacity - counts["confirmed"]),
        "full": capacity is not None and counts["confirmed"] >= capacity,
    }


@bp.get("/activities/<uuid:activity_id>/registrations")
def registrations(loket: str, activity_id: UUID):
    """Who registered, in order, with name and e-mail (editors of this loket only)."""
    personal_response()
    require_role(loket, "editor", "admin")
    site = get_site()
    site.projections.catch_up()
    _any_activity(loket, activity_id)
    rows = site.projection("registrations").view.of_activity(str(activity_id))
    record_personal_view(loket, [r["person_id"] for r in rows], "registrations of an activity")
    items = [
        {"id": r["id"], "name": r["name"], "email": r["email"], "status": r["status"], "registeredAt": r["registered_at"], "updatedAt": r["updated_at"]}
        for r in rows
    ]
    return {"items": items, "total": len(items)}


@bp.get("/activities.ics")
def loket_calendar(loket: str):
    """The loket's published activities as one iCalendar file."""
    from core.activities.calendar import calendar

    site = get_site()
    name = site.lokets.get(loket).name
    items, _ = site.content_view.list_items(loket, "activity", public=True, limit=1000, order_by="publishedAt")
    return _ics(calendar([json.loads(i) for i in items], f"Activiteiten — {name}"), f"{loket}.ics")


@bp.get("/activities/<slug>.ics")
def activity_calendar(loket: str, slug: str):
    """One published activity as an iCalendar file."""
    from core.activities.calendar import calendar

    site = get_site()
    site.lokets.get(loket)
    found = site.content_view.find_public(loket, "activity", slug)
    if found is None:
        raise NotFoundError(f"There is no published activity '{slug}' in loket '{loket}'.")
    item = json.loads(found)
    return _ics(calendar([item], item["title"]), f"{slug}.ics")


def _ics(body: bytes, filename: str) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _public_activity(loket: str, activity_id: UUID) -> dict:
    site = get_site()
    site.lokets.get(loket)
    row = site.content_view.get_row(str(activity_id))
    if row is None or row["loket"] != loket or row["type"] != "activity" or row["public_json"] is None:
        raise NotFoundError(f"There is no published activity {activity_id} in loket '{loket}'.")
    return json.loads(row["public_json"])


def _any_activity(loket: str, activity_id: UUID) -> None:
    row = get_site().content_view.get_row(str(activity_id))
    if row is None or row["loket"] != loket or row["type"] != "activity":
        raise NotFoundError(f"There is no activity {activity_id} in loket '{loket}'.")


