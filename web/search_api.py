"""``/api/v1/lokets/<loket>/search``: published content of every type the loket shows, in one search."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from core.config import SECTORS
from core.errors import InvalidInputError
from core.http import get_site
from core.http import page_params, paging_links

bp = Blueprint("search_api", __name__, url_prefix="/api/v1/lokets/<loket>")

MAX_QUERY_LENGTH = 200


@bp.get("/search")
def search(loket: str):
    """Search with Dutch stemming (``leraren`` finds ``leraar``), highlights and facets by type and sector."""
    site = get_site()
    site.lokets.get(loket)
    text = request.args.get("q", "")
    if len(text) > MAX_QUERY_LENGTH:
        raise InvalidInputError("The query is too long.", {"q": f"at most {MAX_QUERY_LENGTH} characters"})
    shown = [t.name for t in site.content_types.for_loket(site.lokets.enabled_plugins(loket))]
    types = request.args.getlist("type") or shown
    problems = {}
    if any(t not in shown for t in types):
        problems["type"] = f"use one or more of {', '.join(shown)}"
    sectors = request.args.getlist("sector")
    if any(s not in SECTORS for s in sectors):
        problems["sector"] = f"use one or more of {', '.join(SECTORS)}"
    if problems:
        raise InvalidInputError("The search is not valid.", problems)
    page, page_size = page_params()
    result = site.search.search(loket, text, types, {"sector": sectors} if sectors else None, page, page_size)
    body = {
        "items": [
            {"id": h.id, "type": h.type, "slug": h.slug, "title": h.title, "highlights": h.highlights, "score": h.score}
            for h in result.hits
        ],
        "page": page,
        "pageSize": page_size,
        "total": result.total,
        "facets": result.facets,
    }
    return jsonify(body), 200, {"Link": paging_links(page, page_size, result.total)}
