"""``/api/v1/openapi.json``: the whole API as OpenAPI 3.1, generated from the marshmallow schemas of
every content type (apispec) and the plugins' own paths. A test checks that every API route is in it."""

from __future__ import annotations

from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Blueprint, current_app, jsonify

from core.content.registry import ContentType
from core.site import Site
from web.plugins import mount_point

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

PROBLEM = {"$ref": "#/components/schemas/Problem"}
LOKET = {"name": "loket", "in": "path", "required": True, "schema": {"type": "string"}, "description": "The loket's slug"}
PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "pageSize", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]
IF_MATCH_REQUIRED = {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"}, "description": 'The ETag (version) you read, e.g. "3"'}
IF_MATCH_OPTIONAL = {**IF_MATCH_REQUIRED, "required": False}
IDEMPOTENCY_KEY = {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "maxLength": 200}, "description": "A retried POST with the same key gets the first answer again"}
BEARER = [{"bearer": []}]


def _json(description: str, schema: dict | None = None) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema or {"type": "object"}}}}


def _problem(description: str) -> dict:
    return {"description": description, "content": {"application/problem+json": {"schema": PROBLEM}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _page_of(name: str) -> dict:
    return {
        "type": "object",
        "required": ["items", "page", "pageSize", "total"],
        "properties": {"items": {"type": "array", "items": _ref(name)}, "page": {"type": "integer"}, "pageSize": {"type": "integer"}, "total": {"type": "integer"}},
    }


ERRORS_READ = {"404": _problem("No such loket or item, or the plugin is off in this loket"), "422": _problem("A parameter is not valid")}
ERRORS_WRITE = {
    "401": _problem("No valid API token"),
    "403": _problem("The token has no writing role in this loket"),
    "404": _problem("No such loket or item, or the plugin is off in this loket"),
    "409": _problem("The change contradicts the item's state (e.g. publishing what is live and unchanged)"),
    "422": _problem("The input is not valid; invalidParams names each field"),
}


def build_spec(site: Site) -> dict[str, Any]:
    spec = APISpec(
        title="Loket API",
        version="1",
        openapi_version="3.1.0",
        plugins=[MarshmallowPlugin()],
        info={"description": "The headless API of a regionaal onderwijsloket: published content needs no login; writes need a Bearer token."},
    )
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer", "description": "An API token from `loket tokens create`"})
    spec.components.schema("Problem", _problem_schema())
    _core_paths(spec)
    for content_type in site.content_types:
        _content_type_paths(spec, content_type)
    _search_path(spec)
    spec.path(
        "/api/v1/audit/events",
        operations={
            "get": {
                "tags": ["audit"],
                "summary": "The log in the order of record, for auditor tokens, within their loket (personal data never shown)",
                "security": BEARER,
                "parameters": [
                    {"name": name, "in": "query", "schema": {"type": "string"}}
                    for name in ("loket", "aggregate", "type", "event", "actor", "since", "until", "after", "pageSize")
                ],
                "responses": {"200": _json("Events and the position to continue after"), **ERRORS_WRITE},
            }
        },
    )
    for plugin, paths in site.plugins.each("openapi_paths", spec=spec):
        prefix = mount_point("api_blueprint", plugin)
        for path, operations in paths.items():
            for operation in operations.values():
                operation.setdefault("tags", [plugin])
            spec.path(prefix + path, parameters=[LOKET], operations=operations)
    return spec.to_dict()


def _problem_schema() -> dict:
    return {
        "type": "object",
        "description": "RFC 9457 problem details",
        "required": ["type", "title", "status"],
        "properties": {
            "type": {"type": "string", "description": "urn:loket:problem:<kind>"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "invalidParams": {
                "type": "array",
                "items": {"type": "object", "properties": {"name": {"type": "string"}, "reason": {"type": "string"}}},
            },
        },
    }


def _core_paths(spec: APISpec) -> None:
    tags = ["lokets"]
    spec.path("/healthz", operations={"get": {"tags": ["health"], "summary": "The process is up", "responses": {"200": _json("OK")}}})
    spec.path("/api/v1/lokets", operations={"get": {"tags": tags, "summary": "List the open lokets", "parameters": PAGING, "responses": {"200": _json("A page of lokets"), **ERRORS_READ}}})
    spec.path(
        "/api/v1/lokets/{loket}",
        parameters=[LOKET],
        operations={"get": {"tags": tags, "summary": "One loket: regions, sectors, plugins and their history, urgency signals", "responses": {"200": _json("The loket"), **ERRORS_READ}}},
    )
    spec.path("/api/v1/plugins", operations={"get": {"tags": ["plugins"], "summary": "Installed plugins and where each is on", "parameters": PAGING, "responses": {"200": _json("A page of plugins"), **ERRORS_READ}}})
    spec.path("/api/v1/openapi.json", operations={"get": {"tags": ["reference"], "summary": "This document", "responses": {"200": _json("OpenAPI 3.1")}}})


def _content_type_paths(spec: APISpec, content_type: ContentType) -> None:
    name = content_type.name.capitalize()
    spec.components.schema(f"{name}Input", schema=content_type.schema)
    meta = {
        "id": {"type": "string", "format": "uuid"},
        "type": {"type": "string", "const": content_type.name},
        "loket": {"type": "string"},
        "slug": {"type": "string"},
        "updatedAt": {"type": "string", "format": "date-time"},
        "publishedAt": {"type": ["string", "null"], "format": "date-time"},
        **{f"{field}Html": {"type": "string", "description": f"{field} as sanitised HTML"} for field in content_type.markdown_fields},
    }
    spec.components.schema(name, {"allOf": [_ref(f"{name}Input"), {"type": "object", "properties": {**meta, "jsonLd": {"type": "object", "description": "schema.org JSON-LD"}}}]})
    spec.components.schema(
        f"{name}WorkingCopy",
        {
            "allOf": [
                _ref(f"{name}Input"),
                {
                    "type": "object",
                    "properties": {
                        **meta,
                        "status": {"type": "string", "enum": ["draft", "published", "unpublished", "withdrawn"]},
                        "version": {"type": "integer"},
                        "publicSlug": {"type": ["string", "null"]},
                        "publishAt": {"type": ["string", "null"], "format": "date-time"},
                        "unpublishAt": {"type": ["string", "null"], "format": "date-time"},
                        "approval": {"type": ["string", "null"], "enum": ["pending", "approved", "rejected", None]},
                        "approvalComment": {"type": ["string", "null"]},
                        "createdAt": {"type": "string", "format": "date-time"},
                    },
                },
            ]
        },
    )
    tags = [content_type.url_segment]
    base = f"/api/v1/lokets/{{loket}}/{content_type.url_segment}"
    item = f"{base}/{{itemId}}"
    item_id = {"name": "itemId", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    filters = [
        {"name": field, "in": "query", "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True, "description": f"Only items with this {field} (repeatable)"}
        for field in content_type.filters
    ]
    sort = {"name": "sort", "in": "query", "schema": {"type": "string", "enum": sorted({content_type.title_field, *content_type.sort_fields} | {f"-{f}" for f in {content_type.title_field, *content_type.sort_fields}})}}
    status = {"name": "status", "in": "query", "schema": {"type": "string"}, "description": "Editors: working copies with these statuses (comma-separated, or all); needs a token"}
    working = _json(f"The {content_type.name}'s working copy; ETag is its version", _ref(f"{name}WorkingCopy"))
    input_body = {"required": True, "content": {"application/json": {"schema": _ref(f"{name}Input")}}}
    spec.path(
        base,
        parameters=[LOKET],
        operations={
            "get": {
                "tags": tags,
                "summary": f"List published {content_type.label_plural.lower()} (or working copies, with status and a token)",
                "parameters": [*PAGING, sort, status, *filters],
                "responses": {"200": _json("A page", _page_of(name)), **ERRORS_READ, "401": _problem("status= without a valid token"), "403": _problem("status= without a role in this loket")},
            },
            "post": {
                "tags": tags,
                "summary": f"Draft a new {content_type.name}",
                "security": BEARER,
                "parameters": [IDEMPOTENCY_KEY],
                "requestBody": input_body,
                "responses": {"201": working, **ERRORS_WRITE},
            },
        },
    )
    spec.path(
        f"{base}/{{ref}}",
        parameters=[LOKET, {"name": "ref", "in": "path", "required": True, "schema": {"type": "string"}, "description": "A slug (published item) or an id (working copy; needs a token)"}],
        operations={
            "get": {
                "tags": tags,
                "summary": f"One published {content_type.name} by slug, or its working copy by id",
                "responses": {"200": _json(f"The {content_type.name}", {"oneOf": [_ref(name), _ref(f"{name}WorkingCopy")]}), "304": {"description": "Not modified (If-None-Match)"}, **ERRORS_READ, "401": _problem("An id without a valid token"), "403": _problem("An id without a role in this loket")},
            }
        },
    )
    change_errors = {**ERRORS_WRITE, "412": _problem("If-Match names a version that is no longer current"), "428": _problem("If-Match is missing")}
    spec.path(
        item,
        parameters=[LOKET, item_id],
        operations={
            "put": {"tags": tags, "summary": "Replace the working copy", "security": BEARER, "parameters": [IF_MATCH_REQUIRED], "requestBody": input_body, "responses": {"200": working, **change_errors}},
            "patch": {"tags": tags, "summary": "Change some fields of the working copy", "security": BEARER, "parameters": [IF_MATCH_REQUIRED], "requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object"}}}}, "responses": {"200": working, **change_errors}},
            "delete": {"tags": tags, "summary": "Withdraw (delete); history stays", "security": BEARER, "parameters": [IF_MATCH_REQUIRED, {"name": "reason", "in": "query", "schema": {"type": "string"}}], "responses": {"200": working, **change_errors}},
        },
    )
    action_errors = {**ERRORS_WRITE, "412": _problem("If-Match names a version that is no longer current")}
    for action, summary, body in (
        ("publish", "Publish the working copy", None),
        ("unpublish", "Take the item out of the public API", None),
        ("schedule", "Plan publication and/or unpublication", {"type": "object", "properties": {"publishAt": {"type": ["string", "null"], "format": "date-time"}, "unpublishAt": {"type": ["string", "null"], "format": "date-time"}}}),
        ("revert", "Make the working copy an earlier version again (a new version)", {"type": "object", "required": ["toVersion"], "properties": {"toVersion": {"type": "integer", "minimum": 1}}}),
        ("submit", "Ask a second editor or admin to approve (where the loket requires approval)", {"type": "object", "properties": {"note": {"type": "string"}}}),
        ("approve", "Approve (not by the person who submitted)", {"type": "object", "properties": {"comment": {"type": "string"}}}),
        ("reject", "Reject with a reason", {"type": "object", "required": ["comment"], "properties": {"comment": {"type": "string"}}}),
    ):
        operation: dict[str, Any] = {"tags": tags, "summary": summary, "security": BEARER, "parameters": [IF_MATCH_OPTIONAL, IDEMPOTENCY_KEY], "responses": {"200": working, **action_errors}}
        if body:
            operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        spec.path(f"{item}/{action}", parameters=[LOKET, item_id], operations={"post": operation})
    history = {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {"version": {"type": "integer"}, "event": {"type": "string"}, "at": {"type": "string", "format": "date-time"}, "actor": {"type": "string"}, "note": {"type": "string"}}}}}}
    spec.path(f"{item}/history", parameters=[LOKET, item_id], operations={"get": {"tags": tags, "summary": "Every version: what, when, who", "security": BEARER, "responses": {"200": _json("The history", history), **ERRORS_WRITE}}})


def _search_path(spec: APISpec) -> None:
    hit = {"type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"}, "slug": {"type": "string"}, "title": {"type": "string"}, "highlights": {"type": "string", "description": "HTML with <mark>"}, "score": {"type": "number"}}}
    result = {"type": "object", "properties": {"items": {"type": "array", "items": hit}, "page": {"type": "integer"}, "pageSize": {"type": "integer"}, "total": {"type": "integer"}, "facets": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": {"type": "integer"}}}}}
    spec.path(
        "/api/v1/lokets/{loket}/search",
        parameters=[LOKET],
        operations={
            "get": {
                "tags": ["search"],
                "summary": "Search published content of every type, with Dutch stemming, highlights and facets by type and sector",
                "parameters": [
                    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200}},
                    {"name": "type", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}, "style": "form", "explode": True},
                    {"name": "sector", "in": "query", "schema": {"type": "array", "items": {"type": "string", "enum": ["po", "vo", "mbo"]}}, "style": "form", "explode": True},
                    *PAGING,
                ],
                "responses": {"200": _json("A page of hits", result), **ERRORS_READ},
            }
        },
    )


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this installation's API."""
    return jsonify(current_app.extensions["loket.openapi"])
