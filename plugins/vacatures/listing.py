"""Finding vacancies: the public list (filters, facets with counts, full-text search, sorting,
paging), and the same matching for Atom feeds and job alerts.

Filtering, counting and paging happen in SQL on the vacancy board; full text goes to the search
backend (whoosh with Dutch stemming), which returns the matching ids best first.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from flask import Response, request
from marshmallow import fields
from werkzeug.datastructures import MultiDict

from core.http import get_site, page_params, paging_links
from core.errors import InvalidInputError
from core.validation import load

from .projections import COLUMN_FILTERS, VALUE_FILTERS
from .schemas import FilterSchema

SORTS = ("newest", "closing", "relevance")
#: Full-text search looks at the best this many matches (a query matching more is too broad to page through).
MAX_TEXT_MATCHES = 5000
FACETS = {"function": "function", "kind": "kind", "region": "region", "schoolBoard": "school_board"}
#: Answers kept per board state (the same first page is asked for by many visitors).
CACHE_SIZE = 256
_cache: OrderedDict[tuple[Any, ...], Found] = OrderedDict()
_cache_lock = threading.Lock()


#: Made once: a schema's fields are copied when it is made, a third of a list request's time.
FILTER_SCHEMA = FilterSchema()


def filter_from_args(args: MultiDict) -> dict[str, Any]:
    """A filter (``FilterSchema``, loaded) from query parameters: ``?sector=po&sector=vo&hoursMin=20``."""
    schema = FILTER_SCHEMA
    raw: dict[str, Any] = {}
    for name, field in schema.fields.items():
        key = field.data_key or name
        if key not in args:
            continue
        raw[key] = args.getlist(key) if isinstance(field, fields.List) else args.get(key)
    return load(schema, raw, "The filter is not valid.")


def filter_as_args(filter: dict[str, Any]) -> dict[str, Any]:
    """A loaded filter back as query parameters (camelCase, empty ones left out)."""
    return {k: v for k, v in FILTER_SCHEMA.dump(filter).items() if v not in (None, "", [])}


@dataclass(frozen=True)
class Found:
    rows: list[dict[str, Any]]  # vacatures_board rows
    total: int
    facets: dict[str, dict[str, int]]


def find(
    site: Any,
    loket: str,
    filter: dict[str, Any],
    sort: str = "newest",
    limit: int = 20,
    offset: int = 0,
    published_since: str | None = None,
    with_facets: bool = True,
) -> Found:
    """Open vacancies of ``loket`` matching ``filter``: one page, the total and the facet counts."""
    view = site.projection("vacatures").view
    # The board changes only when events are projected: its position names its state exactly.
    key = (id(view), view.position(), loket, json.dumps(filter, sort_keys=True, default=str), sort, limit, offset, published_since, with_facets)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    found = _find(site, view, loket, filter, sort, limit, offset, published_since, with_facets)
    with _cache_lock:
        _cache[key] = found
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return found


def _find(
    site: Any, view: Any, loket: str, filter: dict[str, Any], sort: str, limit: int, offset: int, published_since: str | None, with_facets: bool
) -> Found:
    where = ["b.loket = ?", "b.status = 'published'"]
    params: list[Any] = [loket]
    source = "vacatures_board AS b"
    join_params: list[Any] = []
    text = (filter.get("q") or "").strip()
    if text:
        ranked = site.search.ranked_ids(loket, text, ["vacancy"], MAX_TEXT_MATCHES)
        # The matches first (CROSS JOIN keeps that order): each is then one primary-key lookup,
        # instead of the match list being read again for every vacancy of the loket.
        source = "json_each(?) AS hit CROSS JOIN vacatures_board AS b ON b.id = hit.value"
        join_params = [json.dumps(ranked)]
    for query_name, column in COLUMN_FILTERS.items():
        values = filter.get(_field(query_name))
        if values:
            where.append(f"b.{column} IN ({', '.join('?' * len(values))})")
            params += values
    for query_name, value_name in VALUE_FILTERS.items():
        values = filter.get(query_name)
        if values:
            where.append(
                f"b.id IN (SELECT item_id FROM vacatures_values WHERE name = ? AND value IN ({', '.join('?' * len(values))}))"
            )
            params += [value_name, *values]
    if filter.get("hours_min") is not None:  # the vacancy's hours reach the wanted minimum
        where.append("COALESCE(b.hours_max, b.hours_min) >= ?")
        params.append(filter["hours_min"])
    if filter.get("hours_max") is not None:  # and start at most at the wanted maximum
        where.append("COALESCE(b.hours_min, b.hours_max) <= ?")
        params.append(filter["hours_max"])
    if filter.get("zij_instroom") is not None:
        where.append("b.zij_instroom = ?")
        params.append(1 if filter["zij_instroom"] else 0)
    if published_since:
        where.append("b.first_published_at > ?")
        params.append(published_since)
    clause = " AND ".join(where)
    order = {
        "newest": "b.published_at DESC",
        "closing": "b.valid_through IS NULL, b.valid_through ASC, b.published_at DESC",
        "relevance": "hit.key ASC" if text else "b.published_at DESC",
    }[sort]
    base = f"FROM {source} WHERE {clause}"
    all_params = [*join_params, *params]
    rows = view.query(f"SELECT b.* {base} ORDER BY {order}, b.id LIMIT ? OFFSET ?", [*all_params, limit, offset])
    total = view.query(f"SELECT COUNT(*) AS n {base}", all_params)[0]["n"]
    facets = _facets(view, base, all_params) if with_facets else {}
    return Found(rows, total, facets)


def _facets(view: Any, base: str, params: list[Any]) -> dict[str, dict[str, int]]:
    """Counts per value of each facet within the matches, in one query."""
    parts = [f"SELECT '{name}' AS facet, m.{column} AS value, COUNT(*) AS n FROM m WHERE m.{column} IS NOT NULL GROUP BY m.{column}" for name, column in FACETS.items()]
    parts.append("SELECT 'zijInstroom', 'true', COUNT(*) FROM m WHERE m.zij_instroom = 1")
    parts.append("SELECT v.name, v.value, COUNT(*) FROM m JOIN vacatures_values AS v ON v.item_id = m.id GROUP BY v.name, v.value")
    sql = f"WITH m AS (SELECT b.id, b.function, b.kind, b.region, b.school_board, b.zij_instroom {base}) " + " UNION ALL ".join(parts)
    facets: dict[str, dict[str, int]] = {name: {} for name in ("sector", "function", "subject", "kind", "region", "schoolBoard", "zijInstroom")}
    for row in view.query(sql, params):
        facets.setdefault(row["facet"], {})[row["value"]] = row["n"]
    return {name: dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))) for name, counts in facets.items()}


def _field(query_name: str) -> str:
    return {"schoolBoard": "school_board"}.get(query_name, query_name)


def public_list(loket: str) -> Response:
    """``GET /api/v1/lokets/<loket>/vacatures/vacancies``: open vacancies, filtered, counted, paged.

    Filters (repeat a name for "or"): ``sector``, ``function``, ``subject``, ``kind``, ``region``,
    ``schoolBoard``; ``hoursMin``/``hoursMax``; ``zijInstroom=true``; ``q`` for full text.
    ``sort``: ``newest`` (default), ``closing`` (last day first), ``relevance`` (default with ``q``).
    """
    site = get_site()
    filter = filter_from_args(request.args)
    sort = request.args.get("sort") or ("relevance" if filter.get("q") else "newest")
    if sort not in SORTS:
        raise InvalidInputError("The sort order is not valid.", {"sort": f"use one of {', '.join(SORTS)}"})
    page, page_size = page_params()
    found = find(site, loket, filter, sort, limit=page_size, offset=(page - 1) * page_size)
    items = ", ".join(row["public_json"] for row in found.rows)
    body = (
        f'{{"items": [{items}], "page": {page}, "pageSize": {page_size}, "total": {found.total}, '
        f'"sort": "{sort}", "facets": {json.dumps(found.facets, ensure_ascii=False)}}}'
    )
    response = Response(body, mimetype="application/json")
    response.headers["Link"] = paging_links(page, page_size, found.total)
    return response
