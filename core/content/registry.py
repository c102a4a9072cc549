"""The content-type registry: every type — the core's pages, routes and FAQ, and each plugin's —
joins through the ``register_content_types`` hook, so that the API, search, editor UI and audit
treat every type the same way."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from marshmallow import Schema

from core.content.domain import ContentItem
from core.errors import NotFoundError


@dataclass(frozen=True)
class ContentType:
    """Everything the generic machinery needs to know about one type of content."""

    name: str  # registry key, search document type, JSON-LD content type: "page"
    plural: str  # its URL segment: /api/v1/lokets/<loket>/pages
    aggregate: type[ContentItem]
    schema: type[Schema]  # the fields editors write (validates writes, renders reads, documents OpenAPI)
    label: str  # Dutch, for the editor UI: "Pagina"
    label_plural: str  # "Pagina's"
    title_field: str = "title"
    list_fields: tuple[str, ...] = ("title",)  # shown in lists, beside slug, status and dates
    filters: tuple[str, ...] = ("sectors", "tags")  # fields a list can be filtered on (?sector=po)
    search_fields: tuple[str, ...] = ("title", "summary", "body")  # text that search finds
    markdown_fields: tuple[str, ...] = ("body",)  # also served as <name>Html, sanitised
    sort_fields: tuple[str, ...] = ("title", "updatedAt", "publishedAt")
    form_order: tuple[str, ...] = ()  # the editor form's first fields, in this order (API names)
    plugin: str | None = None  # the plugin that owns the type; None for the core's
    #: Roles besides editor and admin that may write items of this type; the owning plugin's
    #: ``content_scope`` hook narrows them to some items (a recruiter to their boards' vacancies).
    scoped_roles: tuple[str, ...] = ()
    #: The plugin's own public list, in place of the generic one (a view taking ``loket``): for
    #: filters, facets and search the generic list does not have. Working-copy lists stay generic.
    public_list: Callable[[str], Any] | None = None
    #: Field values a new item gets when it does not give them, from the plugin's settings in the
    #: loket (``{"valid_through": today + default_valid_days}``).
    defaults: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    @property
    def writer_roles(self) -> tuple[str, ...]:
        return ("editor", "admin", *self.scoped_roles)

    @property
    def url_segment(self) -> str:
        """The part after /api/v1/lokets/<loket>/: ``pages``, or ``vacatures/vacancies``."""
        return f"{self.plugin}/{self.plural}" if self.plugin else self.plural


class ContentTypes:
    """The registered content types, by name."""

    def __init__(self, types: list[ContentType]) -> None:
        self._types: dict[str, ContentType] = {}
        for content_type in types:
            if content_type.name in self._types:
                raise ValueError(f"Two content types are named '{content_type.name}'.")
            self._types[content_type.name] = content_type

    def __iter__(self) -> Iterator[ContentType]:
        return iter(self._types.values())

    def get(self, name: str) -> ContentType:
        try:
            return self._types[name]
        except KeyError:
            raise NotFoundError(f"There is no content type '{name}'.") from None

    def of_aggregate(self, aggregate_class: type) -> ContentType | None:
        for content_type in self._types.values():
            if issubclass(aggregate_class, content_type.aggregate):
                return content_type
        return None

    def for_loket(self, enabled_plugins: list[str]) -> list[ContentType]:
        """The types a loket shows: the core's, and those of the plugins it has switched on."""
        return [t for t in self._types.values() if t.plugin is None or t.plugin in enabled_plugins]
