"""schema.org ``JobPosting`` for a published vacancy, following Google for Jobs: every required
property (title, description, datePosted, hiringOrganization, jobLocation) and the recommended ones
a vacancy has (validThrough, employmentType, baseSalary, identifier, directApply,
occupationalCategory as an ISCO-08 code)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

#: ISCO-08 unit groups; a teacher's group depends on the sector.
TEACHER_ISCO = {"po": "2341", "vo": "2330", "mbo": "2320"}
ISCO = {
    "schoolleider": "1345",  # education managers
    "onderwijsassistent": "5312",  # teachers' aides
    "lerarenondersteuner": "5312",
    "pedagogisch-medewerker": "5311",  # child care workers
    "intern-begeleider": "2352",  # special needs teachers
    "conciërge": "5153",  # building caretakers
    "administratief-medewerker": "4110",  # general office clerks
}
TEACHING = ("leraar", "vakleerkracht", "instructeur", "gastdocent")
FULL_TIME_HOURS = 36


def job_posting(item: dict[str, Any], url: str | None = None) -> dict[str, Any]:
    """The JSON-LD of one vacancy, from its public JSON (camelCase fields)."""
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": item["title"],
        "description": item.get("descriptionHtml") or item.get("summary") or item["title"],
        "datePosted": (item.get("publishedAt") or "")[:10] or None,
        "hiringOrganization": _organisation(item),
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": item.get("place") or None,
                "postalCode": item.get("postcode") or None,
                "addressRegion": item.get("region") or None,
                "addressCountry": "NL",
            },
        },
        "employmentType": _employment_type(item),
        "identifier": {
            "@type": "PropertyValue",
            "name": item.get("schoolBoardName"),
            "value": item.get("externalId") or item["id"],
        },
        "directApply": False,  # applying happens at the school's own link or address
        "occupationalCategory": occupational_category(item.get("function", ""), item.get("sectors") or []),
        "inLanguage": "nl",
    }
    if item.get("validThrough"):
        posting["validThrough"] = end_of_day(item["validThrough"]).isoformat()
    salary = _salary(item)
    if salary:
        posting["baseSalary"] = salary
    if item.get("hoursMax"):
        posting["workHours"] = _hours(item)
    if item.get("startDate"):
        posting["jobStartDate"] = item["startDate"]
    if url:
        posting["url"] = url
    return _without_empty(posting)


def occupational_category(function: str, sectors: list[str]) -> str | None:
    if function in TEACHING:
        return next((TEACHER_ISCO[s] for s in ("vo", "mbo", "po") if s in sectors), None)
    return ISCO.get(function)


def end_of_day(day: str) -> datetime:
    """The last moment of a last day, in Dutch time."""
    return datetime.combine(date.fromisoformat(day), time(23, 59, 59), tzinfo=AMSTERDAM)


def _organisation(item: dict[str, Any]) -> dict[str, Any]:
    board = {"@type": "Organization", "name": item.get("schoolBoardName")}
    if item.get("schoolName"):
        # The school hires, on behalf of its board (the legal employer).
        return {"@type": "EducationalOrganization", "name": item["schoolName"], "parentOrganization": board}
    return board


def _employment_type(item: dict[str, Any]) -> list[str]:
    kind = item.get("kind")
    if kind == "substitution":
        types = ["TEMPORARY"]
    elif kind == "pool":
        types = ["PER_DIEM"]
    else:
        types = []
    hours_max = item.get("hoursMax")
    if hours_max:
        types.append("FULL_TIME" if hours_max >= FULL_TIME_HOURS else "PART_TIME")
        if item.get("hoursMin") and item["hoursMin"] < FULL_TIME_HOURS <= hours_max:
            types.append("PART_TIME")
    return types or ["OTHER"]


def _salary(item: dict[str, Any]) -> dict[str, Any] | None:
    low, high = item.get("salaryMin"), item.get("salaryMax")
    if not low and not high:
        return None
    value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": "MONTH"}
    if low:
        value["minValue"] = low
    if high:
        value["maxValue"] = high
    return {"@type": "MonetaryAmount", "currency": "EUR", "value": value}


def _hours(item: dict[str, Any]) -> str:
    low, high = item.get("hoursMin"), item["hoursMax"]
    if low and low != high:
        return f"{low:g}–{high:g} uur per week"
    return f"{high:g} uur per week"


def _without_empty(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v not in (None, "", [], {})}
    return value
