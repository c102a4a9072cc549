"""Calendars of the pool: a substitute's own schedule as an ICS feed on their secret link, and a
school's overview of its open, offered and filled day-parts (JSON, and ICS).

A day-part's times are the constants below, not settings: the settings' schema (schemas.py) has
no field for them yet. One VEVENT per booked day-part, its UID stable per request and day-part.
A cancelled day-part leaves the feed: calendar apps that subscribe to a feed replace its events by
what the feed holds now, so the lesson disappears from the substitute's calendar at the next
refresh (an event with STATUS:CANCELLED would stay behind as clutter).
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from uuid import UUID

from flask import Blueprint, Response, request
from icalendar import Calendar, Event

from core.errors import InvalidInputError, NotFoundError
from core.http import get_site, personal_response, record_personal_view

from .domain import AFTERNOON, CANCELLED, COMPLETED, FILLED, MORNING, split_day_part
from .service import AMSTERDAM, SubstitutePool

bp = Blueprint("calendar", __name__)

#: When a day-part is, in Europe/Amsterdam (the school day of most po schools).
TIMES = {MORNING: (time(8, 30), time(12, 0)), AFTERNOON: (time(12, 45), time(15, 15))}
PART_NAMES = {MORNING: "ochtend", AFTERNOON: "middag"}
#: A substitute's feed keeps the past this many days (then it leaves the feed, not the log).
FEED_DAYS_BACK = 90
#: A school's overview: four weeks from ``from`` unless ``to`` says otherwise; at most a year.
OVERVIEW_DAYS, MAX_OVERVIEW_DAYS = 28, 366


# A substitute's schedule


@bp.get("/me/schedule.ics")
def schedule_feed(loket: str):
    """The substitute's booked day-parts as iCalendar (``?token=<member token>``: their own link)."""
    site = get_site()
    pool = SubstitutePool(site)
    member = pool.member_by_token(loket, request.args.get("token", ""))
    since = today() - timedelta(days=FEED_DAYS_BACK)
    events = [
        {
            "uid": uid(loket, row["request_id"], row["part"]),
            "part": row["part"],
            "stamp": row["stamp"],
            "summary": " ".join(filter(None, ("Invallen:", row["school_name"], row["group"]))),
            "location": row["school_name"],
            "description": _description(row),
            "status": "CONFIRMED",
        }
        for row in bookings(site, loket, str(member.id), since)
    ]
    return _ics(events, f"Invallen — {site.lokets.get(loket).name}")


def bookings(site: Any, loket: str, member_id: str, since: date) -> list[dict[str, Any]]:
    """A member's booked day-parts from ``since``, in order, with the school, group, subjects and
    notes of the request."""
    pool = SubstitutePool(site)
    site.projections.catch_up()
    schools = pool.pool(loket).schools
    rows = pool.view.query(
        "SELECT b.part, b.request_id, r.school, r.details_json, r.opened_at, p.filled_at FROM pool_bookings AS b "
        "JOIN pool_requests AS r ON r.id = b.request_id LEFT JOIN pool_parts AS p ON p.request_id = b.request_id AND p.part = b.part "
        "WHERE b.member_id = ? AND r.loket = ? AND substr(b.part, 1, 10) >= ? ORDER BY b.part, b.request_id",
        (member_id, loket, since.isoformat()),
    )
    found = []
    for row in rows:
        details = json.loads(row["details_json"])
        found.append({
            "part": row["part"],
            "request_id": row["request_id"],
            "school": row["school"],
            "school_name": schools.get(row["school"], {}).get("name", row["school"]),
            "group": details.get("group", ""),
            "subjects": details.get("subjects", []),
            "notes": details.get("notes", ""),
            "stamp": row["filled_at"] or row["opened_at"],
        })
    return found


def _description(row: dict[str, Any]) -> str:
    _, part = split_day_part(row["part"])
    lines = [f"Dagdeel: {PART_NAMES[part]}"]
    if row["group"]:
        lines.append(f"Groep: {row['group']}")
    if row["subjects"]:
        lines.append(f"Vakken: {', '.join(row['subjects'])}")
    if row["notes"]:
        lines.append(row["notes"])
    return "\n".join(lines)


# A school's overview


@bp.get("/schools/<brin>/overview")
def school_overview(loket: str, brin: str):
    """The school's day-parts from ``?from=`` (today) to ``?to=`` (four weeks on): open, offered,
    filled (with the substitute's name), completed and unfilled. Coordinators and the school's
    recruiters."""
    school, first, last, rows, names = _overview(loket, brin)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return {
        "school": school,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "counts": counts,
        "items": [
            {
                "part": row["part"],
                "date": row["part"][:10],
                "dayPart": row["part"][11:],
                "request": row["request_id"],
                "group": row["grp"],
                "status": row["status"],
                "memberId": row["member_id"],
                "memberName": names.get(row["member_id"]) if row["member_id"] else None,
                "reason": row["reason"],
            }
            for row in rows
        ],
    }


@bp.get("/schools/<brin>/overview.ics")
def school_overview_feed(loket: str, brin: str):
    """The same overview as iCalendar: filled day-parts name the substitute, open ones are tentative."""
    school, _, _, rows, names = _overview(loket, brin)
    events = []
    for row in rows:
        filled = row["status"] in (FILLED, COMPLETED)
        group = f" ({row['grp']})" if row["grp"] else ""
        summary = f"Invaller: {names.get(row['member_id'], '')}{group}" if filled else (
            f"Niet vervuld{group}" if row["status"] == "unfilled" else f"Invaller gezocht{group}"
        )
        events.append({
            "uid": uid(loket, row["request_id"], row["part"], "school"),
            "part": row["part"],
            "stamp": row["filled_at"] or row["opened_at"],
            "summary": summary,
            "location": school["name"],
            "description": f"Dagdeel: {PART_NAMES[row['part'][11:]]}\nStatus: {row['status']}",
            "status": "CONFIRMED" if filled else "TENTATIVE",
        })
    return _ics(events, f"Invallers — {school['name']}")


def _overview(loket: str, brin: str) -> tuple[dict[str, Any], date, date, list[dict[str, Any]], dict[str, str]]:
    from .api import access  # here: the API module nests this blueprint

    personal_response()
    who = access(loket)
    site = get_site()
    pool = SubstitutePool(site)
    school = pool.pool(loket).schools.get(brin)
    if school is None:
        raise NotFoundError(f"The school {brin} does not take part in the pool of loket '{loket}'.")
    who.check(school["board"])
    first = date_arg("from", today())
    last = date_arg("to", first + timedelta(days=OVERVIEW_DAYS - 1))
    if last < first or (last - first).days >= MAX_OVERVIEW_DAYS:
        raise InvalidInputError("The period is not valid.", {"to": f"from 'from' on, at most {MAX_OVERVIEW_DAYS} days"})
    site.projections.catch_up()
    rows = pool.view.query(
        "SELECT p.request_id, p.part, p.status, p.member_id, p.reason, p.grp, p.filled_at, p.opened_at FROM pool_parts AS p "
        "WHERE p.loket = ? AND p.school = ? AND substr(p.part, 1, 10) BETWEEN ? AND ? AND p.status != ? ORDER BY p.part, p.request_id",
        (loket, brin, first.isoformat(), last.isoformat(), CANCELLED),
    )
    members = {m: pool.member(loket, UUID(m)) for m in sorted({r["member_id"] for r in rows if r["member_id"]})}
    record_personal_view(loket, [m.name.person_id for m in members.values()], f"substitutes of school {brin}")
    names = {m: member.name.shown() for m, member in members.items()}
    return {"brin": brin, "name": school["name"], "board": school["board"]}, first, last, rows, names


# iCalendar


def uid(loket: str, request_id: str, part: str, view: str = "") -> str:
    """Stable per request and day-part (and per calendar: a school's differs from the substitute's)."""
    return f"{request_id}-{part.replace(':', '-')}{'-' + view if view else ''}@{loket}.vervangingspool.loket"


def times(part: str) -> tuple[datetime, datetime]:
    """When a day-part ("2027-03-01:morning") starts and ends, in Europe/Amsterdam."""
    day, name = split_day_part(part)
    start, end = TIMES[name]
    return datetime.combine(day, start, tzinfo=AMSTERDAM), datetime.combine(day, end, tzinfo=AMSTERDAM)


def _ics(events: list[dict[str, Any]], name: str) -> Response:
    cal = Calendar()
    cal.add("prodid", "-//Loket//Vervangingspool//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Amsterdam")
    for item in events:
        start, end = times(item["part"])
        event = Event()
        event.add("uid", item["uid"])
        event.add("dtstamp", datetime.fromisoformat(item["stamp"]).astimezone(timezone.utc))
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", item["summary"])
        event.add("location", item["location"])
        event.add("description", item["description"])
        event.add("status", item["status"])
        cal.add_component(event)
    if events:
        days = [split_day_part(item["part"])[0] for item in events]
        cal.add_missing_timezones(first_date=min(days) - timedelta(days=366), last_date=max(days) + timedelta(days=366))
    headers = {"Cache-Control": "private, no-store", "Referrer-Policy": "no-referrer", "Content-Disposition": 'inline; filename="rooster.ics"'}
    return Response(cal.to_ical(), mimetype="text/calendar", headers=headers)


def today() -> date:
    return datetime.now(timezone.utc).astimezone(AMSTERDAM).date()


def date_arg(name: str, default: date) -> date:
    raw = request.args.get(name)
    if not raw:
        return default
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInputError("The date is not valid.", {name: "give a date as YYYY-MM-DD"}) from None
