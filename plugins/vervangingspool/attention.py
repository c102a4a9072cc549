"""What needs a coordinator's attention about a substitute: a contract, a VOG or an agreed end of
the membership that ends within the loket's ``warn_days_before`` days — or has ended."""

from __future__ import annotations

from datetime import date
from typing import Any

#: Warning kind → the profile field holding its date.
DATES = {"contract-end": "contract_end", "vog-expiry": "vog_date", "agreed-end": "agreed_end"}


def warnings(profile: dict[str, Any], on: date, days: int) -> list[dict[str, Any]]:
    """The warnings of one profile, soonest first: kind, date, days left (negative: passed)."""
    found = []
    for kind, field in DATES.items():
        when = profile.get(field)
        if when:
            left = (date.fromisoformat(when) - on).days
            if left <= days:
                found.append({"kind": kind, "date": when, "daysLeft": left})
    return sorted(found, key=lambda w: w["date"])
