"""``/api/v1/openapi.json``: the API described as OpenAPI 3.1, the plugins' paths included."""

from __future__ import annotations

from apispec import APISpec
from flask import Blueprint, current_app, jsonify

from core.plugins import Plugins
from web.plugins import MOUNTS

bp = Blueprint("openapi", __name__, url_prefix="/api/v1")

PROBLEM = {"$ref": "#/components/schemas/Problem"}
LOKET_PARAMETER = {"name": "loket", "in": "path", "required": True, "schema": {"type": "string"}}


def _json(description: str, schema: dict | None = None) -> dict:
    content = {"application/json": {"schema": schema or {"type": "object"}}}
    return {"description": description, "content": content}


def _problem(description: str) -> dict:
    return {"description": description, "content": {"application/problem+json": {"schema": PROBLEM}}}


def build_spec(plugins: Plugins) -> dict:
    spec = APISpec(title="Loket API", version="1", openapi_version="3.1.0")
    spec.components.schema(
        "Problem",
        {
            "type": "object",
            "required": ["type", "title", "status"],
            "properties": {
                "type": {"type": "string"},
                "title": {"type": "string"},
                "status": {"type": "integer"},
                "detail": {"type": "string"},
                "invalidParams": {
                    "type": "array",
                    "items": {"type": "object", "properties": {"name": {"type": "string"}, "reason": {"type": "string"}}},
                },
            },
        },
    )
    paging = [
        {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "pageSize", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
    ]
    spec.path("/api/v1/lokets", operations={"get": {"summary": "List lokets", "parameters": paging, "responses": {"200": _json("A page of lokets"), "422": _problem("Bad paging")}}})
    spec.path(
        "/api/v1/lokets/{loket}",
        parameters=[LOKET_PARAMETER],
        operations={"get": {"summary": "One loket with its plugin history", "responses": {"200": _json("The loket"), "404": _problem("No such loket")}}},
    )
    spec.path("/api/v1/plugins", operations={"get": {"summary": "Installed plugins", "parameters": paging, "responses": {"200": _json("A page of plugins")}}})
    for plugin, paths in plugins.each("openapi_paths", spec=spec):
        prefix = MOUNTS["api_blueprint"].format(plugin=plugin).replace("<loket>", "{loket}")
        for path, operations in paths.items():
            spec.path(prefix + path, parameters=[LOKET_PARAMETER], operations=operations)
    return spec.to_dict()


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this installation's API."""
    return jsonify(current_app.extensions["loket.openapi"])
