"""A vacancy's own steps through the API, beside the generic ones at …/vacatures/vacancies/<id>:
``/fill``, ``/extend`` and ``/duplicate`` (editors, admins, and recruiters for their boards)."""

from __future__ import annotations

from uuid import UUID

from flask import Blueprint, Response, request

from core.errors import InvalidInputError
from core.validation import DateText
from core.http import expected_version, get_site, json_body, require_role, version_etag

from . import lifecycle

bp = Blueprint("lifecycle_api", __name__)


def _scope(loket: str):
    site = get_site()
    content_type = site.content.type_in(lifecycle.TYPE, loket)
    return site.content_scope(loket, require_role(loket, *content_type.writer_roles), content_type)


def _written(loket: str, saved, status: int = 200) -> Response:
    site = get_site()
    site.projections.catch_up()
    row = site.content_view.get_row(str(saved.id))
    response = Response(row["working_json"], status=status, mimetype="application/json")
    response.headers["ETag"] = version_etag(row["version"])
    response.headers["X-Loket-Position"] = str(saved.position)
    return response


@bp.post("/vacancies/<uuid:item_id>/fill")
def fill(loket: str, item_id: UUID):
    """Mark filled: the vacancy leaves the lists; its page answers 410 Gone. ``{"reason": "…"}``"""
    scope = _scope(loket)
    reason = json_body().get("reason", "") if request.data else ""
    if not isinstance(reason, str) or len(reason) > 500:
        raise InvalidInputError("The request is not valid.", {"reason": "text of at most 500 characters"})
    return _written(loket, lifecycle.fill(get_site(), loket, item_id, reason, expected_version(required=False), scope))


@bp.post("/vacancies/<uuid:item_id>/extend")
def extend(loket: str, item_id: UUID):
    """A new last day, ``{"validThrough": "2027-02-28"}``; a live or expired vacancy is published with it."""
    scope = _scope(loket)
    body = json_body()
    try:
        valid_through = DateText().deserialize(body.get("validThrough"))
    except Exception:
        raise InvalidInputError("The extension is not valid.", {"validThrough": "give a date as YYYY-MM-DD"}) from None
    return _written(loket, lifecycle.extend(get_site(), loket, item_id, valid_through, expected_version(required=False), scope))


@bp.post("/vacancies/<uuid:item_id>/duplicate")
def duplicate(loket: str, item_id: UUID):
    """A new draft with this vacancy's fields (no external id, the default last day)."""
    scope = _scope(loket)
    saved = lifecycle.duplicate(get_site(), loket, item_id, scope)
    response = _written(loket, saved, status=201)
    response.headers["Location"] = f"{request.url_root}api/v1/lokets/{loket}/vacatures/vacancies/{saved.id}"
    return response


PROBLEM = {"description": "A problem", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def openapi_paths(spec) -> dict:
    """The OpenAPI operations of fill, extend and duplicate (relative to the plugin's mount)."""
    item = [{"name": "itemId", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}]
    if_match = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"}, "description": "The version read"}
    written = {"description": "The vacancy's working copy after the step", "content": {"application/json": {"schema": {"type": "object"}}}}
    problems = {code: PROBLEM for code in ("401", "403", "404", "409", "412", "422")}

    def operation(summary: str, body: dict | None, ok: str = "200") -> dict:
        op = {"tags": ["vacatures"], "summary": summary, "parameters": [*item, if_match], "security": [{"bearer": []}],
              "responses": {ok: written, **problems}}
        if body:
            op["requestBody"] = {"required": False, "content": {"application/json": {"schema": {"type": "object", "properties": body}}}}
        return op

    return {
        "/vacancies/{itemId}/fill": {"post": operation("Mark filled: it leaves the lists, its page answers 410", {"reason": {"type": "string", "maxLength": 500}})},
        "/vacancies/{itemId}/extend": {"post": operation("A new last day; a live or expired vacancy is published with it", {"validThrough": {"type": "string", "format": "date"}})},
        "/vacancies/{itemId}/duplicate": {"post": operation("A new draft with this vacancy's fields", None, ok="201")},
    }
