"""Greetings per loket: the plugin's read model, fed from the log."""

from __future__ import annotations

from collections import Counter
from functools import singledispatchmethod
from typing import Any

from eventsourcing.utils import get_topic

from .domain import Greeting


class GreetingCounts:
    """Counts greetings per loket, one event at a time, in log order."""

    topics = (get_topic(Greeting.GreetingWritten),)

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    @singledispatchmethod
    def process_event(self, domain_event: Any) -> None:
        pass

    @process_event.register
    def greeting_written(self, domain_event: Greeting.GreetingWritten) -> None:
        self.counts[domain_event.loket] += 1


def greetings(app: Any, loket: str) -> list[dict[str, Any]]:
    """The greetings of ``loket``, oldest first."""
    return [
        {"id": str(e.originator_id), "text": e.text, "at": e.timestamp.isoformat()}
        for e in app.domain_events(Greeting.GreetingWritten)
        if e.loket == loket
    ]
