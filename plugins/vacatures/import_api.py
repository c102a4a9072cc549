"""``POST …/vacatures/import``: a school board's system sends its vacancies as JSON or CSV and gets
a report of what was created, changed, left as it was, withdrawn and rejected (see feed_import)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from werkzeug.exceptions import UnsupportedMediaType

from core.errors import InvalidInputError
from core.http import get_site, require_role

from .feed_import import TRUE_WORDS, TYPE, Feed, import_feed, parse_feed

bp = Blueprint("import_api", __name__)

ROLES = ("editor", "admin", "recruiter")
FORMATS = {"application/json": "json", "text/csv": "csv"}


@bp.post("/import")
def import_vacancies(loket: str):
    """Import a feed: each row is created, revised or left alone by its externalId; with full=true
    the board's vacancies missing from it are withdrawn. Rejected rows do not stop the others."""
    site = get_site()
    principal = require_role(loket, *ROLES)
    content_type = site.content.type_in(TYPE, loket)
    scope = site.content_scope(loket, principal, content_type)
    feed = _feed_of_request()
    full = feed.full if feed.full is not None else _flag(request.args.get("full", ""))
    school_board = feed.school_board or request.args.get("schoolBoard") or None
    report = import_feed(site, loket, feed.rows, full=full, school_board=school_board, scope=scope)
    return report.as_dict(), 200, {"X-Loket-Position": str(report.position)}


def _feed_of_request() -> Feed:
    fmt = FORMATS.get(request.mimetype)
    if fmt is None:
        raise UnsupportedMediaType("Send the feed as application/json or as text/csv (with a header row).")
    return parse_feed(request.get_data(cache=False), fmt)


def _flag(text: str) -> bool:
    if text == "":
        return False
    value = TRUE_WORDS.get(text.strip().lower())
    if value is None:
        raise InvalidInputError("The feed is not valid.", {"full": "give true or false"})
    return value


def openapi_paths(spec: Any) -> dict[str, Any]:
    """The import route for ``/api/v1/openapi.json`` (relative to ``/api/v1/lokets/{loket}/vacatures``)."""
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}

    def error(description: str) -> dict[str, Any]:
        return {"description": description, "content": problem}

    row_ref = {"$ref": "#/components/schemas/VacancyInput"}  # registered for the generic vacancy routes
    entry = {
        "type": "object",
        "properties": {
            "row": {"type": ["integer", "null"], "description": "1 for the feed's first vacancy; null for a withdrawal"},
            "line": {"type": "integer", "description": "CSV: the record's first line in the file"},
            "externalId": {"type": ["string", "null"]},
            "schoolBoard": {"type": ["string", "null"]},
            "id": {"type": "string", "format": "uuid"},
            "slug": {"type": "string"},
            "fields": {"type": "array", "items": {"type": "string"}, "description": "changed: the fields that changed"},
            "note": {"type": "string", "description": "e.g. waiting for approval by an editor"},
            "reasons": {"type": "object", "additionalProperties": {"type": "string"}, "description": "rejected: field → reason"},
        },
    }
    outcomes = ("accepted", "changed", "unchanged", "withdrawn", "rejected")
    report = {
        "type": "object",
        "properties": {
            "full": {"type": "boolean"},
            "schoolBoard": {"type": ["string", "null"]},
            "counts": {"type": "object", "properties": {name: {"type": "integer"} for name in outcomes}},
            **{name: {"type": "array", "items": entry} for name in outcomes},
            "position": {"type": "integer", "description": "The log position after the import"},
        },
    }
    spec.components.schema("VacancyImportReport", report)
    return {
        "/import": {
            "post": {
                "summary": "Import a feed of vacancies (JSON or CSV), idempotent by externalId; a report per row",
                "description": (
                    "Each row is a vacancy as the API takes it, with `externalId` and `schoolBoard`. A new externalId is "
                    "created and published; a known one is revised with only what changed (and published again when it was "
                    "live or expired); an unchanged one records nothing. With `full=true` (and `schoolBoard`) the board's "
                    "vacancies missing from the feed are withdrawn. Invalid rows are rejected with their reasons; the others "
                    "go on. CSV: a header row with the field names, lists separated by `;`, booleans ja/nee/true/false/1/0, "
                    "an empty cell is a field not given. Recruiters import only their boards' vacancies."
                ),
                "security": [{"bearer": []}],
                "parameters": [
                    {"name": "full", "in": "query", "schema": {"type": "boolean"}, "description": "CSV: a full feed (JSON: in the body)"},
                    {"name": "schoolBoard", "in": "query", "schema": {"type": "string", "pattern": "^[0-9]{5}$"}, "description": "CSV: the feed's school board (JSON: in the body)"},
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "oneOf": [
                                    {"type": "array", "items": row_ref},
                                    {
                                        "type": "object",
                                        "required": ["vacancies"],
                                        "properties": {
                                            "vacancies": {"type": "array", "items": row_ref},
                                            "full": {"type": "boolean", "default": False},
                                            "schoolBoard": {"type": "string", "pattern": "^[0-9]{5}$"},
                                        },
                                    },
                                ]
                            }
                        },
                        "text/csv": {"schema": {"type": "string", "description": "A header row with the API's field names (externalId, schoolBoard, title, …)"}},
                    },
                },
                "responses": {
                    "200": {"description": "The report (rejected rows included)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/VacancyImportReport"}}}},
                    "401": error("No valid API token"),
                    "403": error("No editor, admin or recruiter role in this loket; or a full feed of a board outside a recruiter's boards"),
                    "404": error("No such loket, or the plugin is off in this loket"),
                    "415": error("Neither application/json nor text/csv"),
                    "422": error("The feed cannot be read (invalidParams: body names the line or row), or full=true without schoolBoard"),
                },
            }
        }
    }
