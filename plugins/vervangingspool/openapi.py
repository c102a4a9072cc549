"""The pool's routes for ``/api/v1/openapi.json``, relative to ``/api/v1/lokets/{loket}/vervangingspool``:
input schemas from marshmallow, answers described by hand."""

from __future__ import annotations

from typing import Any

from .calendar import MAX_OVERVIEW_DAYS, OVERVIEW_DAYS, TIMES
from .domain import PARTS
from .schemas import (
    AnswerSchema, ApprovalInSchema, AssignmentCancelInSchema, BoardInSchema, CancelInSchema, MemberInSchema, OwnCancelInSchema,
    ProfileSchema, RequestInSchema, SchoolSchema, StatusInSchema,
)

TAGS = ["vervangingspool"]
PROBLEM = {"$ref": "#/components/schemas/Problem"}
BEARER = [{"bearer": []}]
STRING, INTEGER, BOOLEAN = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
UUID_TEXT = {"type": "string", "format": "uuid"}
PART_STATUS = {"type": "string", "enum": ["open", "offered", "filled", "completed", "unfilled", "cancelled"]}
DAY_PART = {"type": "string", "description": "YYYY-MM-DD:morning or YYYY-MM-DD:afternoon", "pattern": f"^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}:({'|'.join(PARTS)})$"}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/problem+json": {"schema": PROBLEM}}}


def _json(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema or {"type": "object"}}}}


def _body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


def _path(name: str, schema: dict[str, Any] = STRING, description: str = "") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": schema, **({"description": description} if description else {})}


def _query(name: str, schema: dict[str, Any] = STRING, description: str = "", required: bool = False) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": required, "schema": schema, **({"description": description} if description else {})}


PAGING = [_query("page", {"type": "integer", "minimum": 1, "default": 1}), _query("pageSize", {"type": "integer", "minimum": 1, "maximum": 100, "default": 20})]
MEMBER_ID = _path("memberId", UUID_TEXT)
REQUEST_ID = _path("requestId", UUID_TEXT)
BRIN_PATH = _path("brin", description="The school's BRIN number, e.g. 12AB00")
TOKEN = _query("token", required=True, description="The secret from the link: a member's own token, or an offer's")
COORDINATOR = {
    "401": _problem("No valid API token"),
    "403": _problem("No role editor or admin in this loket"),
    "404": _problem("No such loket, item of this loket, or the plugin is off in this loket"),
    "422": _problem("The input is not valid; invalidParams names each field"),
}
SCHOOLS = {**COORDINATOR, "403": _problem("No role editor, admin or recruiter here, or (a recruiter) not a school of your boards")}
CONFLICT = {"409": _problem("The change contradicts the state (e.g. nothing left to cancel)")}
SECRET = {
    "404": _problem("No such loket or request here, or the plugin is off in this loket"),
    "422": _problem("The link (token) is not valid"),
}
ANSWER_CONFLICTS = {
    "409": _problem("urn:loket:problem:already-filled (someone else has already accepted this), "
                    "urn:loket:problem:offer-closed (expired, declined or withdrawn), or double-booked"),
}
ICS = {"description": "iCalendar (RFC 5545)", "content": {"text/calendar": {"schema": {"type": "string"}}}}


def _schemas(spec: Any) -> None:
    for name, schema in (
        ("PoolProfile", ProfileSchema), ("PoolMemberInput", MemberInSchema), ("PoolSchool", SchoolSchema),
        ("PoolRequestInput", RequestInSchema), ("PoolAnswer", AnswerSchema), ("PoolBoardInput", BoardInSchema),
        ("PoolStatusInput", StatusInSchema), ("PoolApprovalInput", ApprovalInSchema), ("PoolCancelInput", CancelInSchema),
        ("PoolAssignmentCancelInput", AssignmentCancelInSchema), ("PoolOwnCancelInput", OwnCancelInSchema),
    ):
        if name not in spec.components.schemas:
            spec.components.schema(name, schema=schema)
    warning = {
        "type": "object",
        "properties": {
            "kind": {"type": "string", "enum": ["contract-end", "agreed-end", "vog-expiry"]},
            "date": {"type": "string", "format": "date"},
            "daysLeft": {"type": "integer", "description": "negative when past"},
            "text": STRING,
        },
    }
    outputs = {
        "PoolBoard": {"type": "object", "properties": {"board": STRING, "name": STRING, "active": BOOLEAN}},
        "PoolMember": {
            "type": "object",
            "description": (
                "A substitute. Lists carry no contact details and no home; one member (GET /members/{memberId}, PATCH) has "
                "email, phone and home. warnings: contract end, agreed end, and the day a new VOG is needed, "
                "within the loket's warn_days_before or past."
            ),
            "properties": {
                "id": UUID_TEXT, "name": STRING, "email": STRING, "phone": STRING,
                "status": {"type": "string", "enum": ["active", "paused", "left"]},
                "profile": _ref("PoolProfile"),
                "approvals": {"type": "object", "additionalProperties": BOOLEAN, "description": "board → approved"},
                "exceptions": {"type": "object", "additionalProperties": BOOLEAN, "description": "day-part → available"},
                "warnings": {"type": "array", "items": warning},
                "version": INTEGER,
            },
        },
        "PoolRequest": {
            "type": "object",
            "properties": {
                "id": UUID_TEXT, "school": STRING, "schoolName": STRING, "board": STRING, "sector": STRING, "group": STRING,
                "subjects": {"type": "array", "items": STRING}, "degree": {"type": ["integer", "null"]}, "needs": {"type": "array", "items": STRING},
                "qualifiedOnly": BOOLEAN, "notes": STRING, "dispatch": {"type": ["string", "null"]},
                "status": {**PART_STATUS, "description": "the first of open, offered, filled, unfilled, completed any day-part has; else cancelled"},
                "parts": {"type": "array", "items": {"type": "object", "properties": {
                    "part": DAY_PART, "status": PART_STATUS, "memberId": {"type": ["string", "null"]}, "reason": {"type": ["string", "null"]}}}},
                "offers": {"type": "array", "items": {"type": "object", "properties": {
                    "id": STRING, "memberId": UUID_TEXT, "parts": {"type": "array", "items": DAY_PART},
                    "status": {"type": "string", "enum": ["open", "accepted", "declined", "expired", "superseded", "withdrawn"]},
                    "expiresAt": {"type": "string", "format": "date-time"}, "round": INTEGER}}},
                "counts": {"type": "object", "additionalProperties": INTEGER, "description": "in lists: day-parts per status"},
                "openedAt": {"type": "string", "format": "date-time"},
                "cancelledReason": {"type": ["string", "null"]},
                "version": INTEGER,
            },
        },
        "PoolOffer": {
            "type": "object",
            "description": "An offer as its link shows it: nothing about anyone else",
            "properties": {
                "request": UUID_TEXT, "school": {"type": "object", "properties": {"brin": STRING, "name": STRING}},
                "sector": STRING, "group": STRING, "subjects": {"type": "array", "items": STRING}, "needs": {"type": "array", "items": STRING},
                "notes": STRING, "parts": {"type": "array", "items": {"type": "object", "properties": {"part": DAY_PART, "available": BOOLEAN}}},
                "expiresAt": {"type": "string", "format": "date-time"},
                "status": {"type": "string", "enum": ["open", "accepted", "declined", "expired", "filled", "withdrawn"]},
            },
        },
        "PoolAnswerResult": {"type": "object", "properties": {"status": {"type": "string", "enum": ["accepted", "declined", "cancelled"]}, "parts": {"type": "array", "items": DAY_PART}}},
    }
    for name, schema in outputs.items():
        if name not in spec.components.schemas:
            spec.components.schema(name, schema)


def paths(spec: Any) -> dict[str, Any]:
    """The paths of the pool's API (and of its reports, nested in it)."""
    _schemas(spec)
    member = _json("The substitute; ETag is the version", _ref("PoolMember"))
    one_request = _json("The request; ETag is its version", _ref("PoolRequest"))
    answer = _json("What happened", _ref("PoolAnswerResult"))
    times = ", ".join(f"{part} {start:%H:%M}–{end:%H:%M}" for part, (start, end) in TIMES.items())
    op = _operation
    return {
        "/boards": {"get": op("The school boards of the pool", {"200": _json("Boards", {"type": "object", "properties": {"items": {"type": "array", "items": _ref("PoolBoard")}}}), **SCHOOLS})},
        "/boards/{board}": {
            "put": op("Let a board take part, or rename it", {"200": _json("The board", _ref("PoolBoard")), **COORDINATOR}, [_path("board", description="DUO bevoegd-gezag number")], _ref("PoolBoardInput")),
            "delete": op("The board leaves the pool", {"200": _json("The board", _ref("PoolBoard")), **COORDINATOR}, [_path("board")]),
        },
        "/schools": {"get": op("The pool's schools (a recruiter: their boards')", {"200": _json("Schools", {"type": "object", "properties": {"items": {"type": "array", "items": _ref("PoolSchool")}}}), **SCHOOLS})},
        "/schools/{brin}": {"put": op("Add or change a school; preferred and excluded are members of this pool", {"200": _json("The school", _ref("PoolSchool")), **COORDINATOR}, [BRIN_PATH], _ref("PoolSchool"))},
        "/schools/{brin}/overview": {"get": op(
            f"The school's open, offered, filled, completed and unfilled day-parts, with the substitutes' names ({OVERVIEW_DAYS} days from ?from=, at most {MAX_OVERVIEW_DAYS})",
            {"200": _json("The overview"), **SCHOOLS}, [BRIN_PATH, _query("from", {"type": "string", "format": "date"}), _query("to", {"type": "string", "format": "date"})],
        )},
        "/schools/{brin}/overview.ics": {"get": op(
            f"The overview as iCalendar (Europe/Amsterdam; {times})", {"200": ICS, **SCHOOLS},
            [BRIN_PATH, _query("from", {"type": "string", "format": "date"}), _query("to", {"type": "string", "format": "date"})],
        )},
        "/members": {
            "get": op("The substitutes: name, status, profile (no home), approvals, warnings; no contact details", {"200": _json("A page", {"type": "object", "properties": {"items": {"type": "array", "items": _ref("PoolMember")}, "page": INTEGER, "pageSize": INTEGER, "total": INTEGER}}), **COORDINATOR}, [_query("status", {"type": "string", "enum": ["active", "paused", "left"]}), *PAGING]),
            "post": op("Add a substitute; the answer holds their own link's token, shown this once", {"201": _json("Id, token, their page and ICS feed", {"type": "object", "properties": {"id": UUID_TEXT, "token": STRING, "link": STRING, "calendar": STRING}}), **COORDINATOR}, [], _ref("PoolMemberInput")),
        },
        "/members/{memberId}": {
            "get": op("One substitute with contact details", {"200": member, **COORDINATOR}, [MEMBER_ID]),
            "patch": op(
                "Change some fields of the profile (the body holds profile fields)",
                {"200": member, **COORDINATOR, "412": _problem("If-Match names a version that is no longer current"), "428": _problem("If-Match is missing")},
                [MEMBER_ID, {"name": "If-Match", "in": "header", "required": True, "schema": STRING, "description": 'The ETag (version) you read, e.g. "3"'}],
                _ref("PoolProfile"),
            ),
        },
        "/members/{memberId}/status": {"post": op("Pause, resume or end a membership", {"200": member, **COORDINATOR, **CONFLICT}, [MEMBER_ID], _ref("PoolStatusInput"))},
        "/members/{memberId}/approval": {"post": op("A board approves (or refuses) the substitute", {"200": member, **COORDINATOR}, [MEMBER_ID], _ref("PoolApprovalInput"))},
        "/members/{memberId}/exceptions": {"put": op("Set availability exceptions: day-part → available (the keys given)", {"200": member, **COORDINATOR}, [MEMBER_ID], {"type": "object", "additionalProperties": BOOLEAN})},
        "/requests": {
            "get": op(
                "Requests, newest first (a recruiter: their boards'); status= keeps requests with a day-part in that status",
                {"200": _json("A page", {"type": "object", "properties": {"items": {"type": "array", "items": _ref("PoolRequest")}, "page": INTEGER, "pageSize": INTEGER, "total": INTEGER}}), **SCHOOLS},
                [_query("school"), _query("status", PART_STATUS), *PAGING],
            ),
            "post": op("A school asks for a substitute (never a medical reason in notes); offers go out at once", {"201": one_request, **SCHOOLS}, [], _ref("PoolRequestInput")),
        },
        "/requests/{requestId}": {"get": op("One request: each day-part's state and substitute, the offers", {"200": one_request, **SCHOOLS}, [REQUEST_ID])},
        "/requests/{requestId}/candidates": {"get": op("Who could take it, best first, with the reasons (coordinators)", {"200": _json("Candidates", {"type": "object", "properties": {"items": {"type": "array", "items": {"type": "object", "properties": {
            "memberId": UUID_TEXT, "name": STRING, "score": {"type": "number"}, "parts": {"type": "array", "items": DAY_PART}, "distanceKm": {"type": ["number", "null"]},
            "reasons": {"type": "array", "items": {"type": "object", "properties": {"factor": STRING, "points": {"type": "number"}, "text": STRING}}}}}}}}), **COORDINATOR}, [REQUEST_ID])},
        "/requests/{requestId}/cancel": {"post": op("Cancel the whole request; booked substitutes are released", {"200": one_request, **SCHOOLS, **CONFLICT}, [REQUEST_ID], _ref("PoolCancelInput"))},
        "/requests/{requestId}/assignments/cancel": {"post": op(
            "Give filled day-parts back: by the school (not needed) or the substitute (offered again)", {"200": one_request, **SCHOOLS, **CONFLICT}, [REQUEST_ID], _ref("PoolAssignmentCancelInput"),
        )},
        "/requests/{requestId}/dispatch": {"post": op(
            "Offer the open day-parts now (an offer waiting for its answer is not withdrawn)",
            {"200": _json("The request; offered: the substitutes just asked", {"allOf": [_ref("PoolRequest"), {"type": "object", "properties": {"offered": {"type": "array", "items": UUID_TEXT}}}]}), **COORDINATOR}, [REQUEST_ID],
        )},
        "/aanbod": {"get": _secret("The offer behind a link: school, group, day-parts, until when", {"200": _json("The offer", _ref("PoolOffer")), **SECRET}, [TOKEN])},
        "/aanbod/accept": {"post": _secret("Accept the offer with its link's token", {"200": answer, **SECRET, **ANSWER_CONFLICTS}, [], _ref("PoolAnswer"))},
        "/aanbod/decline": {"post": _secret("Decline the offer (with a reason); the next substitute is asked", {"200": answer, **SECRET, **ANSWER_CONFLICTS}, [], _ref("PoolAnswer"))},
        "/me": {"get": _secret(
            "A substitute's own page (their member token): booked day-parts from ?from= (today) with school and group, and open offers",
            {"200": _json("Schedule and offers", {"type": "object", "properties": {"id": UUID_TEXT, "name": STRING, "status": STRING, "schedule": {"type": "array", "items": {"type": "object"}}, "offers": {"type": "array", "items": {"type": "object"}}, "calendar": STRING}}), **SECRET},
            [TOKEN, _query("from", {"type": "string", "format": "date"})],
        )},
        "/me/schedule.ics": {"get": _secret(
            f"The substitute's booked day-parts as an iCalendar feed (Europe/Amsterdam; {times}); cancelled ones leave the feed",
            {"200": ICS, **SECRET}, [TOKEN],
        )},
        "/me/offers/{requestId}/accept": {"post": _secret("Accept your offer for a request (body: your member token)", {"200": answer, **SECRET, **ANSWER_CONFLICTS, "404": _problem("No offer for you in this request")}, [REQUEST_ID], _ref("PoolAnswer"))},
        "/me/offers/{requestId}/decline": {"post": _secret("Decline your offer for a request (body: your member token, reason)", {"200": answer, **SECRET, **ANSWER_CONFLICTS, "404": _problem("No offer for you in this request")}, [REQUEST_ID], _ref("PoolAnswer"))},
        "/me/assignments/{requestId}/cancel": {"post": _secret("Give back day-parts you took (they are offered again)", {"200": answer, **SECRET, **CONFLICT}, [REQUEST_ID], _ref("PoolOwnCancelInput"))},
        **_report_paths(),
    }


def _operation(summary: str, responses: dict[str, Any], parameters: list[dict[str, Any]] | None = None, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """An operation for a token (coordinators, or recruiters where the answers say so)."""
    operation: dict[str, Any] = {"tags": TAGS, "summary": summary, "security": BEARER, "responses": responses}
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = _body(body)
    return operation


def _secret(summary: str, responses: dict[str, Any], parameters: list[dict[str, Any]] | None = None, body: dict[str, Any] | None = None) -> dict[str, Any]:
    """An operation of a substitute: no token, the secret from their link instead."""
    operation = _operation(summary, responses, parameters, body)
    operation["security"] = []
    return operation


def _report_paths() -> dict[str, Any]:
    """The reports (reports_api.py), nested in this plugin's blueprint: this plugin has one
    ``openapi_paths`` hook, so they are described here."""
    period = [_query("from", {"type": "string", "format": "date"}), _query("to", {"type": "string", "format": "date"})]
    errors = {**COORDINATOR, "403": _problem("No role editor, admin or auditor in this loket")}
    return {
        "/reports": {"get": _operation(
            "Requested, filled, unfilled (by reason) and open day-parts, fill rate and time to fill; in total and by board, school, sector or month",
            {"200": _json("The figures"), **errors}, [_query("by", {"type": "string", "enum": ["board", "school", "sector", "month"]}), *period],
        )},
        "/reports/hours.csv": {"get": _operation(
            "Hours of completed day-parts as CSV (; and decimal comma): by substitute (payroll) or board (invoicing)",
            {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}}, **errors},
            [_query("by", {"type": "string", "enum": ["substitute", "board"]}), *[{**p, "required": True} for p in period]],
        )},
    }
