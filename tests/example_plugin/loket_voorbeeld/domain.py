"""A greeting written on a loket's notice board, and notices: a content type of the plugin."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from core.content.domain import ContentItem
from core.domain import LoketAggregate


class Greeting(LoketAggregate):
    @staticmethod
    def create_id(**_: object) -> UUID:
        return uuid4()

    @event("GreetingWritten")
    def __init__(self, loket: str, text: str) -> None:
        self.loket = loket
        self.text = text


class Notice(ContentItem):
    """A short notice: gets the whole generic content API through ``register_content_types``."""

    @event("Drafted")
    def __init__(self, loket: str, slug: str, fields: dict[str, Any]) -> None:
        self._start(loket, slug, fields)
