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


PROBLEM = {"description": "A problem", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def openapi_paths(spec) -> dict:
    """The OpenAPI operation of the figures (relative to the plugin's mount)."""
    return {
        "/figures": {
            "get": {
                "tags": ["vacatures"],
                "summary": "Open vacancies, median days to fill, expired unfilled; per month",
                "parameters": [{"name": "by", "in": "query", "schema": {"type": "string", "enum": list(DIMENSIONS)}}],
                "responses": {
                    "200": {"description": "The figures", "content": {"application/json": {"schema": {"type": "object"}}}},
                    "422": PROBLEM,
                },
            }
        }
    }
