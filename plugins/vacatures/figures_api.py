"""``GET …/vacatures/figures?by=sector``: the shortage figures of the vacancy bank (public: counts only)."""

from __future__ import annotations

from flask import Blueprint, request

from core.errors import InvalidInputError
from core.http import get_site

from .figures import DIMENSIONS, figures

bp = Blueprint("figures", __name__)


@bp.get("/figures")
def show_figures(loket: str):
    """Open vacancies, median days to fill, expired unfilled: in total or ``?by=`` sector, function,
    subject or region; with posted, filled and expired per month."""
    by = request.args.get("by") or None
    if by is not None and by not in DIMENSIONS:
        raise InvalidInputError("The breakdown is not valid.", {"by": f"use one of {', '.join(DIMENSIONS)}"})
    site = get_site()
    site.projections.catch_up()
    return {"loket": loket, "by": by, **figures(site, loket, by)}
