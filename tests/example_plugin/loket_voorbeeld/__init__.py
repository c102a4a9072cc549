"""Voorbeeld: greetings per loket, implementing every hook of Loket once."""

from __future__ import annotations

from typing import Any

from core.hooks import hookimpl


@hookimpl
def register_aggregates():
    from .domain import Greeting

    return [Greeting]


@hookimpl
def register_content_types():
    from core.content.registry import ContentType

    from .domain import Notice
    from .schemas import NoticeSchema

    return [
        ContentType(
            name="notice",
            plural="notices",
            aggregate=Notice,
            schema=NoticeSchema,
            label="Mededeling",
            label_plural="Mededelingen",
            search_fields=("title", "body"),
            filters=("tags",),
            plugin="voorbeeld",
            scoped_roles=("recruiter",),
        )
    ]


@hookimpl
def register_projections():
    from .projections import GreetingsProjection

    return [GreetingsProjection]


@hookimpl
def settings_schema():
    from .schemas import SettingsSchema

    return SettingsSchema


@hookimpl
def api_blueprint():
    from .api import bp

    return bp


@hookimpl
def editor_blueprint():
    from .editor import bp

    return bp


@hookimpl
def openapi_paths(spec):
    spec.components.schema("Greeting", {"type": "object", "properties": {"id": {"type": "string"}, "text": {"type": "string"}}})
    return {
        "/greetings": {
            "get": {"summary": "Greetings of a loket", "responses": {"200": {"description": "The greetings"}}},
            "post": {"summary": "Write a greeting", "responses": {"201": {"description": "Written"}}},
        }
    }


@hookimpl
def register_commands(cli):
    import click

    from core.cli import config_option, pass_state

    from .projections import greetings

    @cli.group()
    def voorbeeld():
        """The example plugin's commands."""

    @voorbeeld.command("count")
    @config_option
    @click.argument("loket")
    @pass_state
    def count(state, loket):
        """How many greetings LOKET has."""
        site = state.site()
        site.projections.catch_up()
        click.echo(f"{loket}: {len(greetings(site, loket))} greeting(s)")


@hookimpl
def menu_items(loket, principal):
    if principal.has_role(loket, "editor", "admin"):
        return [{"label": "Groeten", "href": f"/beheer/{loket}/voorbeeld/"}]
    return []


@hookimpl
def search_documents(domain_event):
    from .domain import Greeting

    if isinstance(domain_event, Greeting.GreetingWritten):
        return [{"id": str(domain_event.originator_id), "loket": domain_event.loket, "type": "greeting", "title": domain_event.text, "body": domain_event.text}]
    return []


@hookimpl
def json_ld(content_type, item: dict[str, Any]):
    if content_type == "greeting":
        return {"@context": "https://schema.org", "@type": "Comment", "text": item["text"]}
    return None


@hookimpl
def urgency_signals(loket):
    return [{"signal": "greetings-wanted", "value": 1, "label": "Groeten gevraagd"}]


@hookimpl
def content_scope(loket, principal, content_type):
    if content_type == "notice":
        return {"tags": [principal.name]}  # a recruiter manages the notices tagged with their name
    return None


@hookimpl
def seed_demo(site):
    from core.envelope import acting

    from .domain import Greeting
    from .projections import greetings

    site.projections.catch_up()
    made = 0
    for loket in site.lokets.all():
        if "voorbeeld" in loket.plugins and not greetings(site, loket.slug):
            with acting(actor="system", loket=loket.slug, correlation_id="demo-seed"):
                site.app.save(Greeting(loket=loket.slug, text=f"Welkom bij {loket.name}!"))
            made += 1
    return made


@hookimpl
def tick(site, now):
    lines = []
    for loket in site.lokets.all():
        count = len(site.projection("voorbeeld").view.greetings(loket.slug))
        if "voorbeeld" in loket.plugins and count:
            lines.append(f"voorbeeld: {loket.slug} has {count} greeting(s)")
    return lines
