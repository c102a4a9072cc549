"""The core's content: pages, routes and FAQ, registered through the same hooks as any plugin's."""

from __future__ import annotations

from typing import Any

from core.hooks import hookimpl


@hookimpl
def register_content_types():
    from core.content.domain import FaqEntry, Page, Route
    from core.content.registry import ContentType
    from core.content.schemas import FaqEntrySchema, PageSchema, RouteSchema

    return [
        ContentType(
            name="page",
            plural="pages",
            aggregate=Page,
            schema=PageSchema,
            label="Pagina",
            label_plural="Pagina's",
            list_fields=("title", "summary"),
            filters=("sectors", "tags", "professions", "audiences"),
            form_order=("title", "summary", "body", "sectors", "professions", "audiences", "tags", "slug"),
        ),
        ContentType(
            name="route",
            plural="routes",
            aggregate=Route,
            schema=RouteSchema,
            label="Route",
            label_plural="Routes",
            list_fields=("title", "kind", "duration"),
            filters=("sectors", "tags", "kind", "professions"),
        ),
        ContentType(
            name="faq",
            plural="faq",
            aggregate=FaqEntry,
            schema=FaqEntrySchema,
            label="Veelgestelde vraag",
            label_plural="Veelgestelde vragen",
            title_field="question",
            list_fields=("question", "topic"),
            filters=("sectors", "tags", "topic"),
            search_fields=("question", "answer", "topic"),
            markdown_fields=("answer",),
            sort_fields=("question", "topic", "updatedAt", "publishedAt"),
        ),
    ]


@hookimpl
def register_projections():
    from core.content.projections import ContentProjection

    return [ContentProjection]


@hookimpl
def json_ld(content_type: str, item: dict[str, Any]):
    from core.content.linked_data import linked_data

    return linked_data(content_type, item)


@hookimpl
def tick(site, now):
    site.projections.catch_up()
    return site.content.carry_out_schedule(site.content_view.due(now), now)
