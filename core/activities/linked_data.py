"""schema.org ``Event`` JSON-LD for an activity."""

from __future__ import annotations

from typing import Any

MODES = {
    "online": "https://schema.org/OnlineEventAttendanceMode",
    "on_site": "https://schema.org/OfflineEventAttendanceMode",
    "mixed": "https://schema.org/MixedEventAttendanceMode",
}


def event_json_ld(item: dict[str, Any]) -> dict[str, Any]:
    places: list[dict[str, Any]] = []
    location = item.get("location")
    if location and item["attendance"] in ("on_site", "mixed"):
        places.append(
            {
                "@type": "Place",
                "name": location["name"],
                "address": {"@type": "PostalAddress", "streetAddress": location.get("street") or None, "postalCode": location.get("postcode") or None, "addressLocality": location["place"], "addressCountry": "NL"},
            }
        )
    if item.get("onlineUrl") and item["attendance"] in ("online", "mixed"):
        places.append({"@type": "VirtualLocation", "url": item["onlineUrl"]})
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": item["title"],
        "description": item.get("summary") or None,
        "startDate": item["startsAt"],
        "endDate": item["endsAt"],
        "eventAttendanceMode": MODES[item["attendance"]],
        "eventStatus": "https://schema.org/EventCancelled" if item.get("cancelled") else "https://schema.org/EventScheduled",
        "location": places[0] if len(places) == 1 else places,
        "inLanguage": "nl",
    }
    if item.get("organiser"):
        data["organizer"] = {"@type": "Organization", "name": item["organiser"]}
    if item.get("capacity"):
        data["maximumAttendeeCapacity"] = item["capacity"]
    return data
