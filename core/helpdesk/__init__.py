"""The helpdesk: questions from people who consider working in education, answered, referred and
closed by the loket's editors; the asker's data is personal data under their own key."""

from __future__ import annotations

from core.hooks import hookimpl


@hookimpl
def register_aggregates():
    from core.helpdesk.domain import Question

    return [Question]


@hookimpl
def register_projections():
    from core.helpdesk.projections import QuestionsProjection

    return [QuestionsProjection]


@hookimpl
def api_blueprint():
    from core.helpdesk.api import bp

    return bp


@hookimpl
def openapi_paths(spec):
    from core.helpdesk.schemas import AnswerSchema, AssignSchema, CloseSchema, FaqFromQuestionSchema, QuestionInSchema, ReferSchema

    for name, schema in (
        ("QuestionInput", QuestionInSchema),
        ("AssignInput", AssignSchema),
        ("AnswerInput", AnswerSchema),
        ("ReferInput", ReferSchema),
        ("CloseInput", CloseSchema),
        ("FaqFromQuestionInput", FaqFromQuestionSchema),
    ):
        spec.components.schema(name, schema=schema)
    bearer = [{"bearer": []}]
    item = [{"name": "questionId", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}]
    if_match = {"name": "If-Match", "in": "header", "required": False, "schema": {"type": "string"}}

    def body(name: str) -> dict:
        return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}}

    def action(summary: str, schema: str, status: str = "200") -> dict:
        return {
            "post": {
                "tags": ["helpdesk"], "summary": summary, "security": bearer, "parameters": [*item, if_match], "requestBody": body(schema),
                "responses": {status: {"description": "The question as it now is"}, "404": {"description": "Not in this loket"}, "409": {"description": "Closed or referred"}, "412": {"description": "Stale If-Match"}, "422": {"description": "Not valid"}},
            }
        }

    return {
        "/questions": {
            "post": {
                "tags": ["helpdesk"],
                "summary": "Ask a question (public). Leave 'website' empty; at most 10 questions per hour per address",
                "requestBody": body("QuestionInput"),
                "responses": {"201": {"description": "Received (no personal data is returned)"}, "422": {"description": "Not valid (consent must be true)"}, "429": {"description": "Too many submissions; see Retry-After"}},
            },
            "get": {
                "tags": ["helpdesk"], "summary": "The inbox (editors): ?status=new,assigned", "security": bearer,
                "parameters": [{"name": "status", "in": "query", "schema": {"type": "string"}}, {"name": "page", "in": "query", "schema": {"type": "integer"}}, {"name": "pageSize", "in": "query", "schema": {"type": "integer"}}],
                "responses": {"200": {"description": "A page of questions"}, "401": {"description": "No token"}, "403": {"description": "No role here"}},
            },
        },
        "/questions/{questionId}": {"get": {"tags": ["helpdesk"], "summary": "One question with its history (editors)", "security": bearer, "parameters": item, "responses": {"200": {"description": "The question"}, "404": {"description": "Not in this loket"}}}},
        "/questions/{questionId}/assign": action("Assign to an editor", "AssignInput"),
        "/questions/{questionId}/answer": action("Answer (sent by e-mail)", "AnswerInput"),
        "/questions/{questionId}/refer": action("Refer to another loket or to the Onderwijsloket", "ReferInput"),
        "/questions/{questionId}/close": action("Close", "CloseInput"),
        "/questions/{questionId}/faq": action("Make a FAQ draft of an answered question", "FaqFromQuestionInput", "201"),
    }
