"""Activities: meeloopdagen, open days and information evenings, with registration, a waiting list,
iCalendar and schema.org Event — the content type joins the registry like any other."""

from __future__ import annotations

from core.hooks import hookimpl


@hookimpl
def register_content_types():
    from core.activities.domain import Activity
    from core.activities.schemas import ActivitySchema
    from core.content.registry import ContentType

    return [
        ContentType(
            name="activity",
            plural="activities",
            aggregate=Activity,
            schema=ActivitySchema,
            label="Activiteit",
            label_plural="Activiteiten",
            list_fields=("title", "kind", "startsAt"),
            filters=("sectors", "tags", "kind", "attendance"),
            sort_fields=("title", "updatedAt", "publishedAt"),
        )
    ]


@hookimpl
def register_aggregates():
    from core.activities.domain import Roster

    return [Roster]


@hookimpl
def register_projections():
    from core.activities.projections import RegistrationsProjection

    return [RegistrationsProjection]


@hookimpl
def api_blueprint():
    from core.activities.api import bp

    return bp


@hookimpl
def json_ld(content_type, item):
    if content_type == "activity":
        from core.activities.linked_data import event_json_ld

        return event_json_ld(item)
    return None


@hookimpl
def openapi_paths(spec):
    from core.activities.schemas import CancelSchema, RegistrationInSchema

    spec.components.schema("RegistrationInput", schema=RegistrationInSchema)
    spec.components.schema("CancelInput", schema=CancelSchema)
    activity = [{"name": "activityId", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}]
    tags = ["activities"]
    return {
        "/activities/{activityId}/registrations": {
            "post": {
                "tags": tags,
                "summary": "Register (public). Leave 'website' empty; at most 10 per hour per address",
                "parameters": activity,
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RegistrationInput"}}}},
                "responses": {
                    "201": {"description": "confirmed, or waitlisted with waitingListPosition (no personal data returned)"},
                    "404": {"description": "No such published activity"},
                    "409": {"description": "Full without a waiting list, already registered, cancelled or over"},
                    "422": {"description": "Not valid (consent must be true)"},
                    "429": {"description": "Too many submissions; see Retry-After"},
                },
            },
            "get": {"tags": tags, "summary": "Who registered (editors)", "security": [{"bearer": []}], "parameters": activity, "responses": {"200": {"description": "The registrations"}}},
        },
        "/activities/{activityId}/availability": {"get": {"tags": tags, "summary": "Places and how many are taken", "parameters": activity, "responses": {"200": {"description": "Counts only"}}}},
        "/registrations/cancel": {
            "post": {
                "tags": tags,
                "summary": "Cancel with the token from the confirmation e-mail",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CancelInput"}}}},
                "responses": {"200": {"description": "Cancelled"}, "409": {"description": "Already cancelled"}, "422": {"description": "Not a valid token"}},
            }
        },
        "/activities.ics": {"get": {"tags": tags, "summary": "The loket's activities as iCalendar", "responses": {"200": {"description": "text/calendar", "content": {"text/calendar": {}}}}}},
        "/activities/{slug}.ics": {
            "get": {
                "tags": tags, "summary": "One activity as iCalendar",
                "parameters": [{"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "text/calendar", "content": {"text/calendar": {}}}, "404": {"description": "No such published activity"}},
            }
        },
    }
