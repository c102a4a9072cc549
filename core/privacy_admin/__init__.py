"""Acting on people's rights: erasure and access (export), for a loket's admins and from the CLI."""

from __future__ import annotations

from core.hooks import hookimpl


@hookimpl
def api_blueprint():
    from core.privacy_admin.api import bp

    return bp


@hookimpl
def register_commands(cli):
    from core.privacy_admin.commands import add_commands

    add_commands(cli)


@hookimpl
def tick(site, now):
    return site.privacy.expire(now)


@hookimpl
def openapi_paths(spec):
    person = [{"name": "person", "in": "path", "required": True, "schema": {"type": "string"}, "description": "A person id or e-mail address"}]
    bearer = [{"bearer": []}]
    return {
        "/privacy/persons/{person}/export": {
            "get": {"tags": ["privacy"], "summary": "Everything held about a person (admins; right of access)", "security": bearer, "parameters": person,
                    "responses": {"200": {"description": "The person's data"}, "404": {"description": "Not known in this loket"}}}
        },
        "/privacy/persons/{person}/erase": {
            "post": {"tags": ["privacy"], "summary": "Erase a person's data everywhere (admins)", "security": bearer, "parameters": person,
                     "responses": {"200": {"description": "Erased"}, "404": {"description": "Not known in this loket"}}}
        },
    }
