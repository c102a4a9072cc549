"""Content as the API serves it, rendered once when an event is projected (reads serve stored bytes):
camelCase fields from the type's schema, Markdown also as sanitised HTML, dates with offset, JSON-LD."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import lru_cache
from typing import Any
from uuid import UUID

from marshmallow import Schema

from core.content.registry import ContentType
from core.markdown import render_markdown

JsonLd = Callable[[str, dict[str, Any]], dict[str, Any] | None]


@lru_cache(maxsize=None)
def _dumper(schema: type[Schema]) -> Schema:
    # A schema instance deep-copies its fields: made once per type, not once per event.
    return schema()


def render_fields(content_type: ContentType, fields: dict[str, Any]) -> dict[str, Any]:
    """The item's fields as the API shows them: camelCase, Markdown fields also as ``<name>Html``."""
    data = _dumper(content_type.schema).dump(fields)
    data.pop("slug", None)
    for name in content_type.markdown_fields:
        data[f"{name}Html"] = render_markdown(fields.get(name) or "")
    return data


def render_item(
    content_type: ContentType,
    item_id: UUID | str,
    loket: str,
    slug: str,
    fields: dict[str, Any],
    published_at: datetime | None,
    updated_at: datetime,
    json_ld: JsonLd,
    first_published_at: datetime | None = None,
) -> dict[str, Any]:
    """The public JSON of one published item (``publishedAt``: the last publication;
    ``firstPublishedAt``: the first, e.g. a job posting's date)."""
    item: dict[str, Any] = {
        "id": str(item_id),
        "type": content_type.name,
        "loket": loket,
        "slug": slug,
        **render_fields(content_type, fields),
        "publishedAt": published_at.isoformat() if published_at else None,
        "firstPublishedAt": (first_published_at or published_at).isoformat() if (first_published_at or published_at) else None,
        "updatedAt": updated_at.isoformat(),
    }
    linked_data = json_ld(content_type.name, item)
    if linked_data:
        item["jsonLd"] = linked_data
    return item
