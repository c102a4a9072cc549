"""A greeting written on a loket's notice board."""

from __future__ import annotations

from uuid import UUID, uuid4

from eventsourcing.domain import event

from core.domain import LoketAggregate


class Greeting(LoketAggregate):
    @staticmethod
    def create_id(**_: object) -> UUID:
        return uuid4()

    @event("GreetingWritten")
    def __init__(self, loket: str, text: str) -> None:
        self.loket = loket
        self.text = text
