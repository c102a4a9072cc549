"""The public organisations API of a loket, mounted by the core at ``/api/v1/lokets/<loket>``:
the school boards and schools linked to the loket, from the read model's stored JSON."""

from __future__ import annotations

from flask import Blueprint, Response, request

from core.errors import InvalidInputError, NotFoundError
from core.http import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    get_site,
    page_params,
    paging_links,
)
from core.organisations.duo import BOARD_NUMBER, SCHOOL, SECTORS, normalise_brin_code
from core.organisations.projections import BOARD, OrganisationsView

bp = Blueprint("organisations", __name__)

KINDS = (BOARD, SCHOOL)


@bp.get("/organisations")
def list_organisations(loket: str) -> Response:
    """The boards and schools linked to this loket, by name; filtered by kind, sector, place and
    (part of) the name, and paged."""
    get_site().lokets.get(loket)
    page, page_size = page_params()
    filters = _filters()
    items, total = _view().list_organisations(loket, **filters, limit=page_size, offset=(page - 1) * page_size)
    body = f'{{"items": [{", ".join(items)}], "page": {page}, "pageSize": {page_size}, "total": {total}}}'
    response = Response(body, mimetype="application/json")
    response.headers["Link"] = paging_links(page, page_size, total)
    return response


@bp.get("/organisations/<code>")
def show_organisation(loket: str, code: str) -> Response:
    """One school (BRIN + vestigingsnummer, e.g. ``12AB00``) or board (bevoegd-gezag number)
    linked to this loket."""
    get_site().lokets.get(loket)
    school = normalise_brin_code(code)
    found = None
    if school is not None:
        found = _view().find(loket, SCHOOL, "".join(school))
    elif BOARD_NUMBER.match(code):
        found = _view().find(loket, BOARD, code)
    if found is None:
        raise NotFoundError(f"There is no school or school board '{code}' in loket '{loket}'.")
    return Response(found, mimetype="application/json")


def _view() -> OrganisationsView:
    return get_site().projection("organisations").view


def _filters() -> dict[str, str | None]:
    """``kind``, ``sector``, ``place`` and ``q`` from the query. :raise InvalidInputError:"""
    problems = {}
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        problems["kind"] = f"must be one of {', '.join(KINDS)}"
    sector = request.args.get("sector") or None
    if sector is not None and sector not in SECTORS:
        problems["sector"] = f"must be one of {', '.join(SECTORS)}"
    texts = {}
    for name in ("place", "q"):
        texts[name] = request.args.get(name, "").strip() or None
        if texts[name] is not None and len(texts[name]) > 200:
            problems[name] = "must be at most 200 characters"
    if problems:
        raise InvalidInputError("The filters are not valid.", problems)
    return {"kind": kind, "sector": sector, **texts}


def openapi_paths(spec) -> dict:
    """The OpenAPI operations of this blueprint (paths relative to ``/api/v1/lokets/{loket}``)."""
    address = {
        "street": {"type": "string"},
        "houseNumber": {"type": "string", "description": "Number and addition, as DUO writes them (HUISNUMMER-TOEVOEGING)"},
        "postcode": {"type": "string", "description": "e.g. 3511 AB; empty when DUO has none"},
        "place": {"type": "string", "description": "As DUO writes it (upper case)"},
        "municipality": {"type": "string"},
        "website": {"type": "string", "description": "As DUO gives it, often without https://"},
    }
    common = {"id": {"type": "string", "format": "uuid"}, "name": {"type": "string"}}
    spec.components.schema(
        "SchoolBoard",
        {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "const": BOARD},
                **common,
                "code": {"type": "string", "description": "The bevoegd-gezag number"},
                "number": {"type": "string", "description": "DUO's bevoegd-gezag number, 5 digits"},
                "sectors": {"type": "array", "items": {"type": "string", "enum": list(SECTORS)}},
                **address,
            },
        },
    )
    spec.components.schema(
        "School",
        {
            "type": "object",
            "properties": {
                "kind": {"type": "string", "const": SCHOOL},
                **common,
                "code": {"type": "string", "description": "BRIN + vestigingsnummer, e.g. 12AB00"},
                "brin": {"type": "string", "description": "2 digits and 2 letters"},
                "branch": {"type": "string", "description": "The vestigingsnummer, 2 digits"},
                "boardNumber": {"type": "string"},
                "sector": {"type": "string", "enum": list(SECTORS)},
                "denomination": {"type": "string"},
                **address,
            },
        },
    )
    organisation = {"oneOf": [{"$ref": "#/components/schemas/SchoolBoard"}, {"$ref": "#/components/schemas/School"}]}
    problem = {"content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    page = {
        "type": "object",
        "required": ["items", "page", "pageSize", "total"],
        "properties": {
            "items": {"type": "array", "items": organisation},
            "page": {"type": "integer"},
            "pageSize": {"type": "integer"},
            "total": {"type": "integer"},
        },
    }
    tags = ["organisations"]
    return {
        "/organisations": {
            "get": {
                "tags": tags,
                "summary": "The school boards and schools linked to this loket, by name",
                "parameters": [
                    {"name": "kind", "in": "query", "schema": {"type": "string", "enum": list(KINDS)}},
                    {"name": "sector", "in": "query", "schema": {"type": "string", "enum": list(SECTORS)}},
                    {"name": "place", "in": "query", "schema": {"type": "string", "maxLength": 200}, "description": "The whole place name, any case"},
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200}, "description": "Part of the name, any case"},
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
                    {"name": "pageSize", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE}},
                ],
                "responses": {
                    "200": {"description": "A page of organisations", "content": {"application/json": {"schema": page}}},
                    "404": {"description": "No such loket", **problem},
                    "422": {"description": "A parameter is not valid", **problem},
                },
            }
        },
        "/organisations/{code}": {
            "get": {
                "tags": tags,
                "summary": "One school (BRIN + vestigingsnummer) or school board (bevoegd-gezag number) linked to this loket",
                "parameters": [
                    {"name": "code", "in": "path", "required": True, "schema": {"type": "string"}, "description": "e.g. 12AB00 (a school) or 41234 (a board)"}
                ],
                "responses": {
                    "200": {"description": "The organisation", "content": {"application/json": {"schema": organisation}}},
                    "404": {"description": "No such loket, or no such organisation linked to it", **problem},
                },
            }
        },
    }
