"""Who can take a request: the pool's members ranked by qualification, availability, the school's
preferred list, continuity and distance — each with the reasons for its place. Excluded substitutes
(by the school, or who excluded the school), members not approved by the school's board, members
who are not active, lack a required extra, are out of reach or free on none of the day-parts never
appear."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from .domain import ACTIVE, WEEKDAYS, split_day_part

# Points per factor: qualification counts most, then the school's own order, then the rest.
QUALIFIED, PARTLY_QUALIFIED = 40, 10
PREFERRED_FIRST, PREFERRED_STEP = 30, 3
CONTINUITY = 20
AVAILABILITY = 20  # times the share of the open day-parts the member can take
NEAR_KM, NEAR = 5, 10  # full points within NEAR_KM, less the further away


@dataclass
class Candidate:
    member_id: str
    score: float
    parts: list[str]  # the open day-parts this member can take
    distance_km: float | None
    reasons: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "memberId": self.member_id,
            "score": round(self.score, 1),
            "parts": self.parts,
            "distanceKm": None if self.distance_km is None else round(self.distance_km, 1),
            "reasons": self.reasons,
        }


def rank(members: list[dict[str, Any]], bookings: dict[str, set[str]], taught: set[str], request: dict[str, Any],
         school: dict[str, Any], open_parts: list[str], tried: set[str] = frozenset()) -> list[Candidate]:
    """Members (rows of ``pool_members``) ranked for ``request`` (board, school, details) at ``school``.

    ``bookings``: member → booked day-parts; ``taught``: members who worked this school and group
    before; ``tried``: members who already had an offer for this request (left out).
    """
    candidates = []
    for row in members:
        candidate = _consider(row, bookings.get(row["id"], set()), row["id"] in taught, request, school, open_parts)
        if candidate is not None and row["id"] not in tried:
            candidates.append(candidate)
    return sorted(candidates, key=lambda c: (-c.score, c.distance_km if c.distance_km is not None else 1e9, c.member_id))


def _consider(row: dict[str, Any], booked: set[str], taught_before: bool, request: dict[str, Any], school: dict[str, Any],
              open_parts: list[str]) -> Candidate | None:
    profile = json.loads(row["profile_json"])
    approvals = json.loads(row["approvals_json"])
    exceptions = json.loads(row["exceptions_json"])
    details = request["details"]
    if row["status"] != ACTIVE or approvals.get(request["board"]) is not True:
        return None
    if row["id"] in school.get("excluded", []) or request["school"] in profile.get("excluded_schools", []):
        return None
    if details["sector"] not in profile.get("sectors", []):
        return None
    if any(need not in profile.get("extras", []) for need in details.get("needs", [])):
        return None
    reasons: list[dict[str, Any]] = []
    qualified = _qualified(profile, details)
    if not qualified and details.get("qualified_only"):
        return None
    points = QUALIFIED if qualified else PARTLY_QUALIFIED
    reasons.append({"factor": "qualification", "points": points, "text": _qualification_text(profile, details, qualified)})
    parts = [p for p in open_parts if p not in booked and _available(profile, exceptions, p)]
    if not parts:
        return None
    share = len(parts) / len(open_parts)
    reasons.append({"factor": "availability", "points": round(AVAILABILITY * share, 1), "text": f"beschikbaar op {len(parts)} van {len(open_parts)} dagdelen"})
    score = points + AVAILABILITY * share
    if row["id"] in school.get("preferred", []):
        place = school["preferred"].index(row["id"])
        bonus = max(PREFERRED_FIRST - PREFERRED_STEP * place, PREFERRED_STEP)
        reasons.append({"factor": "preferred", "points": bonus, "text": f"nummer {place + 1} op de voorkeurslijst van de school"})
        score += bonus
    elif request["school"] in profile.get("preferred_schools", []):
        reasons.append({"factor": "preferred", "points": PREFERRED_STEP, "text": "werkt graag op deze school"})
        score += PREFERRED_STEP
    if taught_before:
        reasons.append({"factor": "continuity", "points": CONTINUITY, "text": "heeft deze groep eerder lesgegeven"})
        score += CONTINUITY
    distance = _distance(profile.get("home"), school.get("location"))
    if distance is not None:
        if profile.get("max_distance_km") and distance > profile["max_distance_km"]:
            return None
        near = NEAR if distance <= NEAR_KM else max(0.0, NEAR * (1 - (distance - NEAR_KM) / 45))
        reasons.append({"factor": "distance", "points": round(near, 1), "text": f"{distance:.0f} km van huis"})
        score += near
    return Candidate(row["id"], score, parts, distance, reasons)


def _qualified(profile: dict[str, Any], details: dict[str, Any]) -> bool:
    sector = details["sector"]
    if sector == "po":
        return bool(profile.get("po_qualified"))
    if sector == "mbo":
        return bool(profile.get("mbo_pdg"))
    needed = details.get("degree") or 2
    degrees = profile.get("vo_degrees", {})
    return all(degrees.get(subject, 9) <= needed for subject in details.get("subjects", [])) if details.get("subjects") else bool(degrees)


def _qualification_text(profile: dict[str, Any], details: dict[str, Any], qualified: bool) -> str:
    if qualified:
        return {"po": "bevoegd po", "mbo": "pdg (bevoegd mbo)"}.get(details["sector"], "bevoegd voor " + (", ".join(details.get("subjects", [])) or "vo"))
    return "niet (volledig) bevoegd voor deze vraag"


def _available(profile: dict[str, Any], exceptions: dict[str, bool], key: str) -> bool:
    if key in exceptions:
        return exceptions[key]
    day, part = split_day_part(key)
    if day.weekday() >= len(WEEKDAYS):
        return False
    return part in (profile.get("availability") or {}).get(WEEKDAYS[day.weekday()], [])


def _distance(a: list[float] | None, b: list[float] | None) -> float | None:
    """Kilometres as the crow flies (haversine)."""
    if not a or not b:
        return None
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(h))
