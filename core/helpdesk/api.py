"""The helpdesk API: the public question form, and the inbox and actions of the loket's editors."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from flask import Blueprint, Response, jsonify, request

from core.errors import InvalidInputError, NotFoundError
from core.helpdesk.domain import ANSWERED, ASSIGNED, CLOSED, NEW, REFERRED
from core.http import get_site, personal_response, record_personal_view, if_match, json_body, page_params, require_role
from core.spam import is_robot

bp = Blueprint("helpdesk", __name__)

EDITORS = ("editor", "admin")
STATUSES = (NEW, ASSIGNED, ANSWERED, REFERRED, CLOSED)


@bp.post("/questions")
def ask(loket: str):
    """Ask the loket a question (public; name, e-mail, question, sector, consent). The answer says
    only that the question was received: no personal data comes back."""
    site = get_site()
    site.lokets.get(loket)
    data = json_body()
    site.rate_limiter.check(f"questions:{request.remote_addr}")
    if is_robot(data):
        return {"id": str(uuid4()), "status": "received"}, 201
    question_id = site.helpdesk.ask(loket, data)
    return {"id": str(question_id), "status": "received"}, 201


@bp.get("/questions")
def inbox(loket: str):
    """The loket's questions, newest first, with the askers' data (editors only)."""
    personal_response()
    require_role(loket, *EDITORS)
    site = get_site()
    site.projections.catch_up()
    statuses = tuple(s for s in request.args.get("status", "").split(",") if s)
    if any(s not in STATUSES for s in statuses):
        raise InvalidInputError("The status filter is not valid.", {"status": f"use one or more of {', '.join(STATUSES)}"})
    page, page_size = page_params()
    rows, total = site.questions_view.inbox(loket, statuses, page_size, (page - 1) * page_size)
    record_personal_view(loket, [row["person_id"] for row in rows], "helpdesk inbox")
    return {"items": [_question(row) for row in rows], "page": page, "pageSize": page_size, "total": total}


@bp.get("/questions/<uuid:question_id>")
def show(loket: str, question_id: UUID):
    """One question with its history (editors only); ETag is its version."""
    personal_response()
    require_role(loket, *EDITORS)
    return _current(loket, question_id)


@bp.post("/questions/<uuid:question_id>/assign")
def assign(loket: str, question_id: UUID):
    """Give the question to an editor: ``{"assignee": "jan"}``."""
    personal_response()
    require_role(loket, *EDITORS)
    get_site().helpdesk.assign(loket, question_id, json_body(), if_match())
    return _current(loket, question_id)


@bp.post("/questions/<uuid:question_id>/answer")
def answer(loket: str, question_id: UUID):
    """Answer: ``{"answer": "…", "close": false}``; the answer goes to the asker by e-mail."""
    personal_response()
    principal = require_role(loket, *EDITORS)
    get_site().helpdesk.answer(loket, question_id, json_body(), principal.name, if_match())
    return _current(loket, question_id)


@bp.post("/questions/<uuid:question_id>/refer")
def refer(loket: str, question_id: UUID):
    """Refer to another loket (``{"to": "vota"}``: the question moves there) or to the national
    Onderwijsloket (``{"to": "onderwijsloket"}``); the asker is told by e-mail."""
    personal_response()
    require_role(loket, *EDITORS)
    site = get_site()
    site.helpdesk.refer(loket, question_id, json_body(), if_match())
    site.projections.catch_up()
    row = site.questions_view.get(str(question_id))
    record_personal_view(row["loket"], [row["person_id"]], "helpdesk question")
    return jsonify(_question(row))


@bp.post("/questions/<uuid:question_id>/close")
def close(loket: str, question_id: UUID):
    """Close the question: ``{"reason": "…"}``."""
    personal_response()
    require_role(loket, *EDITORS)
    get_site().helpdesk.close(loket, question_id, json_body(), if_match())
    return _current(loket, question_id)


@bp.post("/questions/<uuid:question_id>/faq")
def make_faq(loket: str, question_id: UUID):
    """Make a FAQ draft of an answered question: ``{"topic": "Salaris"}``. Rewrite it without
    anything that points to the asker before publishing."""
    personal_response()
    require_role(loket, *EDITORS)
    faq_id = get_site().helpdesk.make_faq(loket, question_id, json_body())
    return {"faqId": str(faq_id)}, 201, {"Location": f"/api/v1/lokets/{loket}/faq/{faq_id}"}


def _current(loket: str, question_id: UUID) -> Response:
    site = get_site()
    site.projections.catch_up()
    row = site.questions_view.get(str(question_id))
    if row is None or row["loket"] != loket:
        raise NotFoundError(f"There is no question {question_id} in loket '{loket}'.")
    record_personal_view(loket, [row["person_id"]], "helpdesk question")
    response = jsonify(_question(row))
    response.headers["ETag"] = f'"{row["version"]}"'
    return response


def _question(row: dict[str, Any]) -> dict[str, Any]:
    import json

    return {
        "id": row["id"],
        "loket": row["loket"],
        "status": row["status"],
        "version": row["version"],
        "name": row["name"],
        "email": row["email"],
        "question": row["text"],
        "answer": row["answer"],
        "sector": row["sector"],
        "assignee": row["assignee"],
        "askedAt": row["asked_at"],
        "updatedAt": row["updated_at"],
        "history": json.loads(row["history"]),
    }
