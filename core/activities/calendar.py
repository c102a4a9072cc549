"""Activities as iCalendar (RFC 5545), for one activity or a loket's whole agenda."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from icalendar import Calendar, Event, vText


def calendar(items: list[dict[str, Any]], name: str) -> bytes:
    """A calendar of published activities (their public JSON); cancelled ones say so."""
    cal = Calendar()
    cal.add("prodid", "-//Loket//Activiteiten//NL")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for item in items:
        cal.add_component(_event(item))
    return cal.to_ical()


def _event(item: dict[str, Any]) -> Event:
    event = Event()
    event.add("uid", f"{item['id']}@loket")
    event.add("dtstamp", datetime.fromisoformat(item["updatedAt"]))
    event.add("dtstart", datetime.fromisoformat(item["startsAt"]))
    event.add("dtend", datetime.fromisoformat(item["endsAt"]))
    event.add("summary", item["title"])
    if item.get("summary"):
        event.add("description", item["summary"])
    location = item.get("location")
    if location:
        event.add("location", vText(", ".join(p for p in (location.get("name"), location.get("street"), location.get("postcode"), location.get("place")) if p)))
    elif item.get("onlineUrl"):
        event.add("location", vText(item["onlineUrl"]))
    if item.get("onlineUrl"):
        event.add("url", item["onlineUrl"])
    event.add("status", "CANCELLED" if item.get("cancelled") else "CONFIRMED")
    event.add("categories", [item["kind"]])
    return event
