"""Greetings per loket: the plugin's read model, fed from the log by the core's runner."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from core.projections import LoketProjection
from core.readmodel import ReadView, replacing

from .domain import Greeting


class GreetingsView(ReadView):
    tables = {
        "voorbeeld_greetings": [
            "CREATE TABLE IF NOT EXISTS voorbeeld_greetings (id TEXT PRIMARY KEY, loket TEXT, text TEXT, at TEXT)"
        ]
    }

    def add(self, greeting_id: str, loket: str, text: str, at: str, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "INSERT INTO voorbeeld_greetings VALUES (?, ?, ?, ?) " + replacing("id", "loket", "text", "at"), (greeting_id, loket, text, at)
            )
            self._insert_tracking(c, tracking)

    def greetings(self, loket: str) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT id, text, at FROM voorbeeld_greetings WHERE loket = ? ORDER BY at, id", (loket,))
            return [dict(row) for row in c.fetchall()]


class GreetingsProjection(LoketProjection[GreetingsView]):
    name = "voorbeeld"
    view_class = GreetingsView
    topics = (get_topic(Greeting.GreetingWritten),)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def greeting_written(self, domain_event: Greeting.GreetingWritten, tracking: Tracking) -> None:
        self.view.add(str(domain_event.originator_id), domain_event.loket, domain_event.text, domain_event.timestamp.isoformat(), tracking)


def greetings(site: Any, loket: str) -> list[dict[str, Any]]:
    """The greetings of ``loket``, oldest first, from the read model."""
    return site.projection("voorbeeld").view.greetings(loket)
