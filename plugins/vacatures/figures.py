"""Figures on the shortage from the vacancy board: open vacancies, median days to fill, vacancies
that expired unfilled — per sector, function, subject and region, and per month."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta, timezone
from typing import Any

DIMENSIONS = ("sector", "function", "subject", "region")
#: How far back "expired unfilled" and "days to fill" look.
WINDOW_DAYS = 365
MONTHS = 12


def _dimension(name: str) -> tuple[str, str]:
    """(join, expression) giving a row's value(s) for a dimension."""
    if name in ("sector", "subject"):
        return f"JOIN vacatures_values AS d ON d.item_id = b.id AND d.name = '{name}'", "d.value"
    return "", f"b.{name}"


def figures(site: Any, loket: str, by: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    """The three figures for ``loket``, each broken down by ``by`` when given, and per month."""
    view = site.projection("vacatures").view
    now = now or datetime.now(timezone.utc)
    since = (now - timedelta(days=WINDOW_DAYS)).isoformat()
    join, key = _dimension(by) if by else ("", "'all'")
    open_rows = view.query(
        f"SELECT {key} AS k, COUNT(*) AS n FROM vacatures_board AS b {join} WHERE b.loket = ? AND b.status = 'published' GROUP BY k",
        (loket,),
    )
    filled_rows = view.query(
        f"SELECT {key} AS k, julianday(b.closed_at) - julianday(b.first_published_at) AS days FROM vacatures_board AS b {join} "
        "WHERE b.loket = ? AND b.status = 'closed' AND b.outcome = 'filled' AND b.closed_at >= ? AND b.first_published_at IS NOT NULL",
        (loket, since),
    )
    expired_rows = view.query(
        f"SELECT {key} AS k, COUNT(*) AS n FROM vacatures_board AS b {join} "
        "WHERE b.loket = ? AND b.status = 'closed' AND b.outcome = 'expired' AND b.closed_at >= ? GROUP BY k",
        (loket, since),
    )
    days: dict[str, list[float]] = {}
    for row in filled_rows:
        days.setdefault(row["k"] or "onbekend", []).append(row["days"])
    open_counts, expired = _by(open_rows), _by(expired_rows)
    medians = {k: round(statistics.median(v), 1) for k, v in sorted(days.items())}
    if by:
        return {"open": open_counts, "medianDaysToFill": medians, "expiredUnfilled": expired, "months": _months(view, loket, now)}
    return {
        "open": open_counts.get("all", 0),
        "medianDaysToFill": medians.get("all"),
        "expiredUnfilled": expired.get("all", 0),
        "months": _months(view, loket, now),
    }


def _by(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {(row["k"] or "onbekend"): row["n"] for row in sorted(rows, key=lambda r: str(r["k"]))}


def _months(view: Any, loket: str, now: datetime) -> list[dict[str, Any]]:
    """Per month of the last twelve: vacancies posted, filled and expired unfilled."""
    first = (now.replace(day=1) - timedelta(days=31 * (MONTHS - 1))).strftime("%Y-%m")
    rows = view.query(
        "SELECT substr(first_published_at, 1, 7) AS month, 'posted' AS what, COUNT(*) AS n FROM vacatures_board "
        "WHERE loket = ? AND first_published_at IS NOT NULL AND substr(first_published_at, 1, 7) >= ? GROUP BY month "
        "UNION ALL SELECT substr(closed_at, 1, 7), outcome, COUNT(*) FROM vacatures_board "
        "WHERE loket = ? AND status = 'closed' AND substr(closed_at, 1, 7) >= ? GROUP BY substr(closed_at, 1, 7), outcome",
        (loket, first, loket, first),
    )
    months: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = months.setdefault(row["month"], {"month": row["month"], "posted": 0, "filled": 0, "expired": 0})
        entry[row["what"]] = row["n"]
    return [months[m] for m in sorted(months)]


def urgency_signals(site: Any, loket: str) -> list[dict[str, Any]]:
    """The figures as urgency signals of ``GET /api/v1/lokets/<loket>``, with breakdowns."""
    site.projections.catch_up()
    total = figures(site, loket)
    breakdowns = {dimension: figures(site, loket, dimension) for dimension in DIMENSIONS}
    return [
        {
            "signal": "open-vacancies",
            "value": total["open"],
            "label": "Openstaande vacatures",
            "breakdown": {d: f["open"] for d, f in breakdowns.items()},
            "series": {m["month"]: m["posted"] for m in total["months"]},
        },
        {
            "signal": "median-days-to-fill",
            "value": total["medianDaysToFill"],
            "label": "Mediaan aantal dagen tot vervulling (laatste 12 maanden)",
            "breakdown": {d: f["medianDaysToFill"] for d, f in breakdowns.items()},
            "series": {m["month"]: m["filled"] for m in total["months"]},
        },
        {
            "signal": "vacancies-expired-unfilled",
            "value": total["expiredUnfilled"],
            "label": "Vacatures verlopen zonder vervulling (laatste 12 maanden)",
            "breakdown": {d: f["expiredUnfilled"] for d, f in breakdowns.items()},
            "series": {m["month"]: m["expired"] for m in total["months"]},
        },
    ]
