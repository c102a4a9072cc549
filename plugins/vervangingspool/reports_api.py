"""The pool's reports for its coordinators (editors, admins, auditors of the loket), nested in the
plugin's API blueprint (``/api/v1/lokets/<loket>/vervangingspool``):

- ``GET …/reports?by=board|school|sector|month&from=YYYY-MM-DD&to=YYYY-MM-DD``: the figures (JSON).
- ``GET …/reports/hours.csv?from=…&to=…&by=substitute|board``: the hours worked, for payroll
  (per substitute, with their names) or invoicing (per board and school).
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from core.errors import InvalidInputError
from core.http import get_site, personal_response, record_personal_view, require_role

from .reports import HOURS_BY, hours_csv, period, report

bp = Blueprint("reports", __name__)

COORDINATORS = ("editor", "admin", "auditor")


@bp.get("/reports")
def show_report(loket: str):
    """Requested, filled and unfilled day-parts (by reason), open ones, fill rate and time to fill:
    in total and ``?by=`` board, school, sector or month, for day-parts dated ``?from=`` … ``?to=``."""
    require_role(loket, *COORDINATORS)
    return report(get_site(), loket, request.args.get("by") or None, request.args.get("from"), request.args.get("to"))


@bp.get("/reports/hours.csv")
def hours(loket: str):
    """The completed day-parts of ``?from=`` … ``?to=`` (both required) with their hours, as CSV
    (``;``, decimal comma, UTF-8 with BOM): ``?by=substitute`` (default) or ``?by=board``."""
    require_role(loket, *COORDINATORS)
    by = request.args.get("by") or "substitute"
    if by not in HOURS_BY:
        raise InvalidInputError("The export is not valid.", {"by": f"use one of {', '.join(HOURS_BY)}"})
    missing = {name: "give a date as YYYY-MM-DD" for name in ("from", "to") if not request.args.get(name)}
    if missing:
        raise InvalidInputError("The export needs a period.", missing)
    start, end = period(request.args["from"], request.args["to"])
    site = get_site()
    text, persons = hours_csv(site, loket, by, start, end)
    if persons:
        personal_response()
        record_personal_view(loket, persons, f"pool hours {start}..{end}")
    response = Response(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = f'attachment; filename="uren-{loket}-{by}-{start}-{end}.csv"'
    response.headers["Cache-Control"] = "no-store"
    return response

