"""The pool's figures, from the read model's day-parts (``pool_parts``): requested, filled and
unfilled day-parts (by reason), fill rate and time to fill — in total or per board, school, sector
or month; the hours worked, as CSV for payroll and invoicing; and the urgency signals.

What counts (each row of ``pool_parts`` is one day-part of one request; its date decides the period
and the month):

- **requested**: every day-part the school did not cancel (cancelled by the school — the whole
  request or a substitute's assignment — counts apart, as ``cancelled``; one a substitute gave back
  is open again and counts as requested).
- **filled**: filled or completed (a substitute has it), whatever the date.
- **unfilled**: only the closed fact: day-parts the tick marked ``unfilled`` after their day, by its
  reason (``no-candidate``, ``no-answer``, ``declined``). A day-part still open after its day is not
  counted as unfilled yet but as ``awaitingClose``: the next tick (every 30 seconds under
  ``loket serve``) makes it unfilled, with the reason only the request knows.
- **open**: open or offered, from today on ("today" in Amsterdam).
- **fill rate**: filled / (filled + unfilled) over the day-parts whose day has passed (``closed``;
  a filled day-part before the tick made it completed counts as filled); None when there are none.
- **time to fill**: hours from the request's opening to the acceptance (``opened_at`` → ``filled_at``,
  the times the events were recorded) over the filled day-parts: the median, and the 90th
  percentile by nearest rank (the smallest time at least 90 % of the day-parts were filled within).

So ``requested == filled + unfilled + open + awaitingClose``.
"""

from __future__ import annotations

import csv
import io
import math
import statistics
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta, timezone
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from core.errors import InvalidInputError

from .domain import CANCELLED, COMPLETED, FILLED, OFFERED, OPEN, PARTS, UNFILLED, PoolMember

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DIMENSIONS = ("board", "school", "sector", "month")
REASONS = ("no-candidate", "no-answer", "declined")
#: How far back the urgency signals look (unfilled day-parts, fill rate), and their monthly series.
WINDOW_DAYS = 90
SERIES_MONTHS = 12
#: The hours export: ``;`` between fields and a decimal comma, UTF-8 with a byte order mark, so that
#: Excel with Dutch settings opens it in columns with the right characters; CRLF line ends (RFC 4180).
DELIMITER = ";"
BOM = "\ufeff"
HOURS_BY = ("substitute", "board")
DEFAULT_HOURS = {"morning": 4.0, "afternoon": 2.5}


# The figures


def report(site: Any, loket: str, by: str | None = None, date_from: date | str | None = None, date_to: date | str | None = None,
           now: datetime | None = None) -> dict[str, Any]:
    """The figures of ``loket``'s day-parts dated ``date_from`` … ``date_to`` (inclusive, either
    open-ended when None): in total, and per ``by`` (board, school, sector or month) when given.

    :raise InvalidInputError: an unknown ``by``, a date that is not one, or ``date_from`` after ``date_to``.
    """
    if by is not None and by not in DIMENSIONS:
        raise InvalidInputError("The breakdown is not valid.", {"by": f"use one of {', '.join(DIMENSIONS)}"})
    start, end = period(date_from, date_to)
    today = _today(now)
    site.projections.catch_up()
    rows = _rows(site, loket, start, end)
    body: dict[str, Any] = {
        "loket": loket,
        "by": by,
        "from": start.isoformat() if start else None,
        "to": end.isoformat() if end else None,
        "today": today.isoformat(),
        "total": figures(rows, today),
        "groups": [],
    }
    if by:
        names = _names(site, loket, by)
        for key, group in _grouped(rows, _KEYS[by]).items():
            entry = {"key": key, **({"name": names.get(key, "")} if by in ("board", "school") else {}), **figures(group, today)}
            body["groups"].append(entry)
    return body


def figures(rows: Iterable[dict[str, Any]], today: date) -> dict[str, Any]:
    """The figures of a set of ``pool_parts`` rows, ``today`` deciding which days have passed."""
    requested = filled = closed_filled = unfilled = open_ = awaiting = cancelled = 0
    reasons = dict.fromkeys(REASONS, 0)
    hours: list[float] = []
    for row in rows:
        status, past = row["status"], row["part"][:10] < today.isoformat()
        if status == CANCELLED:
            cancelled += 1
            continue
        requested += 1
        if status in (FILLED, COMPLETED):
            filled += 1
            if status == COMPLETED or past:
                closed_filled += 1
            if row["opened_at"] and row["filled_at"]:
                hours.append(_hours_between(row["opened_at"], row["filled_at"]))
        elif status == UNFILLED:
            unfilled += 1
            reason = row["reason"] or "unknown"
            reasons[reason] = reasons.get(reason, 0) + 1
        elif status in (OPEN, OFFERED):
            if past:
                awaiting += 1
            else:
                open_ += 1
    closed = closed_filled + unfilled
    return {
        "requested": requested,
        "filled": filled,
        "unfilled": unfilled,
        "unfilledByReason": reasons,
        "open": open_,
        "awaitingClose": awaiting,
        "cancelled": cancelled,
        "closed": closed,
        "fillRate": round(closed_filled / closed, 4) if closed else None,
        "timeToFill": time_to_fill(hours),
    }


def time_to_fill(hours: list[float]) -> dict[str, Any]:
    """``{"count", "medianHours", "p90Hours"}`` of the hours to fill (None when there are none)."""
    if not hours:
        return {"count": 0, "medianHours": None, "p90Hours": None}
    return {"count": len(hours), "medianHours": round(statistics.median(hours), 2), "p90Hours": round(percentile(hours, 90), 2)}


def percentile(values: list[float], p: float) -> float:
    """The ``p``-th percentile by nearest rank: the smallest value with at least ``p`` % of the
    values at or below it (of 1, 2, 3, 10, 30: p90 is 30, p50 is 3)."""
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)), 1) - 1]


def period(date_from: date | str | None, date_to: date | str | None) -> tuple[date | None, date | None]:
    """The dates of a period (ISO text or dates; None leaves that end open).

    :raise InvalidInputError: not a date, or the start after the end.
    """
    start, end = _date(date_from, "from"), _date(date_to, "to")
    if start and end and start > end:
        raise InvalidInputError("The period is not valid.", {"to": "on or after from"})
    return start, end


# The hours, for payroll and invoicing


def hours_per_part(site: Any, loket: str) -> dict[str, float]:
    """Hours per day-part from the loket's settings; a day-part it leaves out keeps the default."""
    from .schemas import SettingsSchema

    settings = SettingsSchema().load(site.lokets.get(loket).settings.get("vervangingspool", {}))
    return {**DEFAULT_HOURS, **settings["hours_per_part"]}


def worked(site: Any, loket: str, date_from: date | str | None, date_to: date | str | None) -> list[dict[str, Any]]:
    """The day-parts worked in the period: **completed** only. A filled day-part becomes completed
    at the first tick after its day, so what was worked is in once the tick ran; one cancelled
    before its day never is. Each: ``member_id, board, school, date, part, hours``."""
    start, end = period(date_from, date_to)
    site.projections.catch_up()
    hours = hours_per_part(site, loket)
    rows = [r for r in _rows(site, loket, start, end) if r["status"] == COMPLETED and r["member_id"]]
    return [
        {"member_id": r["member_id"], "board": r["board"], "school": r["school"], "date": r["part"][:10], "part": r["part"][11:],
         "hours": hours.get(r["part"][11:], 0.0)}
        for r in rows
    ]


def hours_csv(site: Any, loket: str, by: str, date_from: date | str | None, date_to: date | str | None) -> tuple[str, list[UUID]]:
    """The hours worked in the period as CSV text (with its byte order mark), and the persons whose
    names it shows (for the access log).

    ``by="substitute"``: ``member_id;name;board;school;date;day_part;hours``, a row per day-part and
    after each substitute's rows a total (``day_part`` "total"). ``by="board"``:
    ``board;board_name;school;school_name;day_parts;hours``, a row per school and a total per board
    (``school`` "total"). Hours have a decimal comma; text that a spreadsheet would take for a
    formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe.

    :raise InvalidInputError: an unknown ``by``, or a period that is not one.
    """
    if by not in HOURS_BY:
        raise InvalidInputError("The export is not valid.", {"by": f"use one of {', '.join(HOURS_BY)}"})
    rows = worked(site, loket, date_from, date_to)
    from .service import SubstitutePool

    pool = SubstitutePool(site).pool(loket)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    persons: list[UUID] = []
    if by == "substitute":
        writer.writerow(["member_id", "name", "board", "school", "date", "day_part", "hours"])
        members = {m: site.app.get(UUID(m), PoolMember) for m in sorted({r["member_id"] for r in rows})}
        persons = [member.person_id for member in members.values()]
        names = {m: member.name.shown() for m, member in members.items()}
        for member_id in sorted(members, key=lambda m: (names[m].casefold(), m)):
            mine = sorted((r for r in rows if r["member_id"] == member_id), key=lambda r: (r["date"], PARTS.index(r["part"]), r["school"]))
            for r in mine:
                writer.writerow(_safe([member_id, names[member_id], r["board"], r["school"], r["date"], r["part"], _decimal(r["hours"])]))
            writer.writerow(_safe([member_id, names[member_id], "", "", "", "total", _decimal(sum(r["hours"] for r in mine))]))
    else:
        writer.writerow(["board", "board_name", "school", "school_name", "day_parts", "hours"])
        for board in sorted({r["board"] for r in rows}):
            board_name = pool.boards.get(board, {}).get("name", "")
            ours = [r for r in rows if r["board"] == board]
            for school in sorted({r["school"] for r in ours}):
                at_school = [r for r in ours if r["school"] == school]
                school_name = pool.schools.get(school, {}).get("name", "")
                writer.writerow(_safe([board, board_name, school, school_name, str(len(at_school)), _decimal(sum(r["hours"] for r in at_school))]))
            writer.writerow(_safe([board, board_name, "total", "", str(len(ours)), _decimal(sum(r["hours"] for r in ours))]))
    return BOM + out.getvalue(), persons


def _decimal(hours: float) -> str:
    return f"{hours:.2f}".replace(".", ",")


def _safe(cells: list[str]) -> list[str]:
    """Cells a spreadsheet would run as a formula get a leading apostrophe (CSV injection)."""
    return [f"'{cell}" if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell for cell in cells]


# Urgency


def urgency_signals(site: Any, loket: str, now: datetime | None = None) -> list[dict[str, Any]]:
    """Open day-parts (from today on), unfilled day-parts and the fill rate (in %) over the day-parts
    of the last ``WINDOW_DAYS`` days — each broken down by board and sector, with a monthly series
    (per month of the day-parts, from ``SERIES_MONTHS`` months back: open ones where any are open,
    unfilled and the fill rate where any day-part was closed)."""
    today = _today(now)
    since = today - timedelta(days=WINDOW_DAYS)
    first_month = _months_back(today, SERIES_MONTHS - 1)
    site.projections.catch_up()
    rows = _rows(site, loket, min(since, first_month), None)
    window = [r for r in rows if r["part"][:10] >= since.isoformat()]
    total = figures(window, today)
    per = {d: {k: figures(g, today) for k, g in _grouped(window, _KEYS[d]).items()} for d in ("board", "sector")}
    months = {k: figures(g, today) for k, g in _grouped([r for r in rows if r["part"][:10] >= first_month.isoformat()], _KEYS["month"]).items()}

    def rate(f: dict[str, Any]) -> float | None:
        return None if f["fillRate"] is None else round(f["fillRate"] * 100, 1)

    return [
        {
            "signal": "open-substitution-day-parts",
            "value": total["open"],
            "label": "Openstaande dagdelen in de vervangingspool (vanaf vandaag)",
            "breakdown": {d: {k: f["open"] for k, f in groups.items()} for d, groups in per.items()},
            "series": {m: f["open"] for m, f in months.items() if f["open"]},
        },
        {
            "signal": "unfilled-substitution-day-parts",
            "value": total["unfilled"],
            "label": f"Niet ingevulde dagdelen in de vervangingspool (laatste {WINDOW_DAYS} dagen)",
            "breakdown": {d: {k: f["unfilled"] for k, f in groups.items()} for d, groups in per.items()},
            "series": {m: f["unfilled"] for m, f in months.items() if f["closed"]},
        },
        {
            "signal": "substitution-fill-rate",
            "value": rate(total),
            "label": f"Invulpercentage vervangingen (%, laatste {WINDOW_DAYS} dagen)",
            "breakdown": {d: {k: rate(f) for k, f in groups.items()} for d, groups in per.items()},
            "series": {m: rate(f) for m, f in months.items() if f["closed"]},
        },
    ]


# Helpers

_KEYS: dict[str, Callable[[dict[str, Any]], str]] = {
    "board": lambda r: r["board"],
    "school": lambda r: r["school"],
    "sector": lambda r: r["sector"] or "onbekend",
    "month": lambda r: r["part"][:7],
}


def _rows(site: Any, loket: str, start: date | None, end: date | None) -> list[dict[str, Any]]:
    """The loket's ``pool_parts`` rows with their date in ``start`` … ``end`` (inclusive)."""
    where, params = ["loket = ?"], [loket]
    if start:
        where.append("substr(part, 1, 10) >= ?")
        params.append(start.isoformat())
    if end:
        where.append("substr(part, 1, 10) <= ?")
        params.append(end.isoformat())
    return site.projection("vervangingspool").view.query(
        "SELECT request_id, part, board, school, sector, status, member_id, reason, opened_at, filled_at FROM pool_parts "
        f"WHERE {' AND '.join(where)} ORDER BY part, request_id",
        params,
    )


def _grouped(rows: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], str]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return dict(sorted(groups.items()))


def _names(site: Any, loket: str, by: str) -> dict[str, str]:
    if by not in ("board", "school"):
        return {}
    from .service import SubstitutePool

    pool = SubstitutePool(site).pool(loket)
    return {key: value.get("name", "") for key, value in (pool.boards if by == "board" else pool.schools).items()}


def _hours_between(start: str, end: str) -> float:
    return (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() / 3600


def _today(now: datetime | None) -> date:
    return (now or datetime.now(timezone.utc)).astimezone(AMSTERDAM).date()


def _months_back(today: date, months: int) -> date:
    """The first day of the month ``months`` before ``today``'s."""
    index = today.year * 12 + today.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def _date(value: date | str | None, name: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value) if len(value) == 10 else _bad_date(name)
    except ValueError:
        return _bad_date(name)


def _bad_date(name: str) -> date:
    raise InvalidInputError("The period is not valid.", {name: "give a date as YYYY-MM-DD"})
