"""schema.org ``JobPosting`` for a published vacancy, following Google for Jobs: every required
property (title, description, datePosted, hiringOrganization, jobLocation) and the recommended ones
a vacancy has (validThrough, employmentType, baseSalary, identifier, directApply,
occupationalCategory as an ISCO-08 code).

Only what the vacancy itself says goes in: Google refuses markup that is not visible on the page,
so an unknown property is left out rather than guessed (no ``OTHER`` employment type, no region
slug posing as an address region)."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any
from urllib.parse import quote
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
#: Invalpool work is called in by the day.
EMPLOYMENT_OF_KIND = {"substitution": "TEMPORARY", "pool": "PER_DIEM"}


def job_posting(item: dict[str, Any], url: str | None = None) -> dict[str, Any]:
    """The JSON-LD of one vacancy, from its public JSON (camelCase fields); ``url`` is its page."""
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": item["title"],
        "description": item.get("descriptionHtml") or item.get("summary") or item["title"],
        "datePosted": date_posted(item),
        "hiringOrganization": _organisation(item),
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": item.get("place") or None,
                "postalCode": item.get("postcode") or None,
                "addressCountry": "NL",
            },
        },
        "employmentType": employment_type(item),
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


def page_url(public_url: str, slug: str) -> str | None:
    """The vacancy's page on the loket's own site from the ``public_url`` setting (``{slug}`` is
    replaced; without it the slug is appended as the last path segment), or None when unset."""
    if not public_url:
        return None
    if "{slug}" in public_url:
        return public_url.replace("{slug}", quote(slug, safe=""))
    return f"{public_url.rstrip('/')}/{quote(slug, safe='')}"


def date_posted(item: dict[str, Any]) -> str | None:
    """When the vacancy was first posted, as an ISO 8601 moment.

    Google wants the original posting date; a republished vacancy (edited, extended) keeps it, so
    the first publication counts when the public JSON has it (``firstPublishedAt``)."""
    moment = item.get("firstPublishedAt") or item.get("publishedAt")
    return datetime.fromisoformat(moment).isoformat(timespec="seconds") if moment else None


def occupational_category(function: str, sectors: list[str]) -> str | None:
    """The ISCO-08 unit group of a function; for teachers, of the vacancy's first sector named."""
    if function in TEACHING:
        return next((TEACHER_ISCO[s] for s in sectors if s in TEACHER_ISCO), None)
    return ISCO.get(function)


def employment_type(item: dict[str, Any]) -> list[str]:
    """Google's employment types the vacancy's kind and hours tell; empty when they tell nothing."""
    types = [EMPLOYMENT_OF_KIND[item["kind"]]] if item.get("kind") in EMPLOYMENT_OF_KIND else []
    hours_min, hours_max = item.get("hoursMin"), item.get("hoursMax")
    if hours_max:
        types.append("FULL_TIME" if hours_max >= FULL_TIME_HOURS else "PART_TIME")
        if hours_min and hours_min < FULL_TIME_HOURS <= hours_max:
            types.append("PART_TIME")  # 24–40 hours: either
    return types


def end_of_day(day: str) -> datetime:
    """The last moment of a last day, in Dutch time."""
    return datetime.combine(date.fromisoformat(day), time(23, 59, 59), tzinfo=AMSTERDAM)


def _organisation(item: dict[str, Any]) -> dict[str, Any]:
    board = {"@type": "Organization", "name": item.get("schoolBoardName")}
    if item.get("schoolName"):
        # The school hires, on behalf of its board (the legal employer).
        return {"@type": "EducationalOrganization", "name": item["schoolName"], "parentOrganization": board}
    return board


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
