"""The outbox: e-mail to people, sent at most once, with retries and a visible list of failures."""

from __future__ import annotations

from core.hooks import hookimpl


@hookimpl
def register_aggregates():
    from core.outbox.domain import OutboxMessage

    return [OutboxMessage]


@hookimpl
def register_projections():
    from core.outbox.projections import OutboxProjection

    return [OutboxProjection]


@hookimpl
def tick(site, now):
    site.projections.catch_up()
    return site.outbox.send_due(now)


@hookimpl
def api_blueprint():
    from core.outbox.api import bp

    return bp


@hookimpl
def register_commands(cli):
    from core.outbox.commands import add_commands

    add_commands(cli)


@hookimpl
def openapi_paths(spec):
    return {
        "/outbox": {
            "get": {
                "tags": ["outbox"],
                "summary": "Messages of this loket and their state (admins); ?status=retrying,abandoned for the failures",
                "security": [{"bearer": []}],
                "parameters": [{"name": "status", "in": "query", "schema": {"type": "string"}}],
                "responses": {"200": {"description": "The messages (no recipients or contents)"}},
            }
        }
    }
