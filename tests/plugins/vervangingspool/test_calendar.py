"""Calendars: a substitute's ICS feed on their secret link (read by a real parser and as raw text),
and a school's overview of its open and filled day-parts."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import icalendar

from plugins.vervangingspool.calendar import TIMES, times, uid
from tests.plugins.vervangingspool.conftest import MONDAY, SCHOOL_1, SCHOOL_2, SCHOOL_3, parts
from tests.plugins.vervangingspool.conftest import offers_to
from tests.plugins.vervangingspool.test_api import ALPHA, ask, join

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def feed(client, token):
    answer = client.get(f"{ALPHA}/me/schedule.ics", query_string={"token": token})
    assert answer.status_code == 200, answer.data
    assert answer.mimetype == "text/calendar"
    return answer


def booked(site, client, editor, name="Anna", **details):
    """A substitute who accepted a request for the morning and afternoon of MONDAY at De Regenboog."""
    member_id, token = join(client, editor, name)
    request_id = ask(client, editor, **details).json["id"]
    assert client.post(f"{ALPHA}/aanbod/accept", json={"token": offers_to(site, name)[-1]}).status_code == 200
    return member_id, token, request_id


def test_the_feed_has_one_event_per_booked_day_part(site, client, pool, editor):
    _, token, request_id = booked(site, client, editor, group="groep 5", subjects=["rekenen"], notes="Map ligt op het bureau.")

    # Parsed by icalendar: two events, at the day-parts' times in Europe/Amsterdam.
    calendar = icalendar.Calendar.from_ical(feed(client, token).data)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("DTSTART"))
    assert len(events) == 2
    for event, part in zip(events, ("morning", "afternoon")):
        start, end = TIMES[part]
        assert event.decoded("DTSTART") == datetime.combine(MONDAY, start, tzinfo=AMSTERDAM)
        assert event.decoded("DTEND") == datetime.combine(MONDAY, end, tzinfo=AMSTERDAM)
        assert str(event.decoded("DTSTART").tzinfo) == "Europe/Amsterdam"
        assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
        assert str(event["SUMMARY"]) == "Invallen: De Regenboog groep 5"
        assert str(event["LOCATION"]) == "De Regenboog"
        assert "rekenen" in str(event["DESCRIPTION"]) and "Map ligt op het bureau." in str(event["DESCRIPTION"])
        assert str(event["UID"]) == uid("alpha", request_id, f"{MONDAY.isoformat()}:{part}")
        assert event.decoded("DTSTAMP").tzinfo is not None
    assert events[0].decoded("DTSTART").time().isoformat(timespec="minutes") == "08:30"
    assert events[1].decoded("DTEND").time().isoformat(timespec="minutes") == "15:15"
    [zone] = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Amsterdam"

    # The UIDs are stable: the same on every fetch.
    again = icalendar.Calendar.from_ical(feed(client, token).data)
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(str(e["UID"]) for e in events)
    assert len({str(e["UID"]) for e in events}) == 2

    # A second look at the raw text: CRLF line ends, folded at 75 octets, the local time with its TZID.
    raw = feed(client, token).data
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert raw.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    assert f"DTSTART;TZID=Europe/Amsterdam:{MONDAY:%Y%m%d}T083000\r\n".encode() in raw
    assert f"DTEND;TZID=Europe/Amsterdam:{MONDAY:%Y%m%d}T151500\r\n".encode() in raw
    assert raw.count(b"BEGIN:VEVENT\r\n") == 2


def test_cancelled_day_parts_leave_the_feed(site, client, pool, editor):
    _, token, request_id = booked(site, client, editor)

    # The school no longer needs the afternoon: only the morning stays.
    client.post(f"{ALPHA}/requests/{request_id}/assignments/cancel", json={"parts": parts("afternoon"), "by": "school", "reason": "les vervalt"}, headers=editor)
    [event] = icalendar.Calendar.from_ical(feed(client, token).data).walk("VEVENT")
    assert str(event["UID"]) == uid("alpha", request_id, parts("morning")[0])

    # The whole request is cancelled: an empty calendar, still a valid one.
    client.post(f"{ALPHA}/requests/{request_id}/cancel", json={"reason": "school dicht"}, headers=editor)
    empty = icalendar.Calendar.from_ical(feed(client, token).data)
    assert empty.walk("VEVENT") == [] and str(empty["X-WR-CALNAME"]).startswith("Invallen")


def test_the_feed_needs_the_members_own_link(site, client, pool, editor):
    _, token, _ = booked(site, client, editor)
    assert client.get(f"{ALPHA}/me/schedule.ics").status_code == 422
    assert client.get(f"{ALPHA}/me/schedule.ics", query_string={"token": token[:-2] + "xx"}).status_code == 422
    # An offer's link is not a member's link.
    assert client.get(f"{ALPHA}/me/schedule.ics", query_string={"token": offers_to(site, "Anna")[0]}).status_code == 422
    private = feed(client, token)
    assert "no-store" in private.headers["Cache-Control"] and private.headers["Referrer-Policy"] == "no-referrer"


def test_day_part_times_follow_summer_and_winter_time():
    winter, summer = times("2027-01-11:morning"), times("2027-06-14:afternoon")
    assert winter[0].astimezone(timezone.utc).hour == 7 and winter[0].minute == 30  # 08:30 CET
    assert summer[0].astimezone(timezone.utc).time().isoformat(timespec="minutes") == "10:45"  # 12:45 CEST
    assert summer[1] - summer[0] == timedelta(hours=2, minutes=30)


def test_a_schools_overview_shows_open_and_filled_day_parts(site, client, pool, editor, recruiter):
    # De Regenboog: filled by Anna; De Klimop: asked for a gym teacher nobody is.
    anna, _, filled = booked(site, client, editor)
    open_one = ask(client, editor, school=SCHOOL_2, day_parts=parts("morning", day=MONDAY + timedelta(days=1)), needs=["gymbevoegdheid"]).json["id"]

    overview = client.get(f"{ALPHA}/schools/{SCHOOL_1}/overview", headers=editor)
    assert overview.status_code == 200
    assert overview.json["school"] == {"brin": SCHOOL_1, "name": "De Regenboog", "board": "41234"}
    assert overview.json["counts"] == {"filled": 2}
    assert [(i["part"], i["status"], i["memberId"], i["memberName"], i["request"]) for i in overview.json["items"]] == [
        (p, "filled", anna, "Anna", filled) for p in sorted(parts("morning", "afternoon"))
    ]
    other = client.get(f"{ALPHA}/schools/{SCHOOL_2}/overview", headers=recruiter).json
    assert [(i["status"], i["memberName"], i["request"]) for i in other["items"]] == [("open", None, open_one)]

    # The period: from today four weeks on by default; from/to narrow it; nonsense is refused.
    assert overview.json["from"] == datetime.now(timezone.utc).astimezone(AMSTERDAM).date().isoformat()
    after = (MONDAY + timedelta(days=1)).isoformat()
    assert client.get(f"{ALPHA}/schools/{SCHOOL_1}/overview", query_string={"from": after}, headers=editor).json["items"] == []
    assert client.get(f"{ALPHA}/schools/{SCHOOL_1}/overview", query_string={"from": after, "to": MONDAY.isoformat()}, headers=editor).status_code == 422
    assert client.get(f"{ALPHA}/schools/{SCHOOL_1}/overview", query_string={"to": "morgen"}, headers=editor).status_code == 422
    assert client.get(f"{ALPHA}/schools/99ZZ00/overview", headers=editor).status_code == 404
    assert client.get(f"{ALPHA}/schools/{SCHOOL_3}/overview", headers=recruiter).status_code == 403

    # A cancelled day-part is not in the overview.
    client.post(f"{ALPHA}/requests/{filled}/assignments/cancel", json={"parts": parts("afternoon"), "by": "school", "reason": "les vervalt"}, headers=editor)
    assert [i["part"] for i in client.get(f"{ALPHA}/schools/{SCHOOL_1}/overview", headers=editor).json["items"]] == parts("morning")


def test_a_schools_overview_as_icalendar(site, client, pool, editor):
    _, token, _ = booked(site, client, editor, group="groep 3")
    ask(client, editor, day_parts=parts("morning", day=MONDAY + timedelta(days=2)), group="groep 8", needs=["gymbevoegdheid"])
    answer = client.get(f"{ALPHA}/schools/{SCHOOL_1}/overview.ics", headers=editor)
    assert answer.status_code == 200 and answer.mimetype == "text/calendar"
    events = icalendar.Calendar.from_ical(answer.data).walk("VEVENT")
    summaries = sorted((e.decoded("DTSTART").date(), str(e["SUMMARY"]), str(e["STATUS"])) for e in events)
    assert summaries == [
        (MONDAY, "Invaller: Anna (groep 3)", "CONFIRMED"),
        (MONDAY, "Invaller: Anna (groep 3)", "CONFIRMED"),
        (MONDAY + timedelta(days=2), "Invaller gezocht (groep 8)", "TENTATIVE"),
    ]
    # The school's UIDs are its own: a calendar app holding both feeds keeps both events.
    school_uids = {str(e["UID"]) for e in events}
    member_uids = {str(e["UID"]) for e in icalendar.Calendar.from_ical(feed(client, token).data).walk("VEVENT")}
    assert len(school_uids) == 3 and len(member_uids) == 2 and not school_uids & member_uids
