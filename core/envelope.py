"""The envelope every event carries: who did it, for which loket, in answer to what — and, stamped
by the base aggregate, which kind of aggregate it belongs to (``aggregate``: its topic).

Commands run inside ``acting(...)``; the base aggregate stamps the current envelope on each event it
triggers. The library adds timestamp and version; the notification id gives the order of record.

    with acting(actor="user:3f2a…", loket="voordeklas", correlation_id=request_id):
        vacancies.publish_vacancy(vacancy_id)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import asdict, dataclass, field, replace
from typing import Any
from uuid import uuid4

from core.errors import MissingEnvelopeError


@dataclass(frozen=True)
class Envelope:
    """Who (``actor``: ``user:<id>``, ``token:<id>``, ``config``, ``system``), where (``loket``),
    which request (``correlation_id``) and, when one event causes another, which event
    (``causation_id``: ``<originator id>/<version>``)."""

    actor: str
    loket: str | None = None
    correlation_id: str = field(default_factory=lambda: uuid4().hex)
    causation_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_current: ContextVar[Envelope | None] = ContextVar("loket_envelope", default=None)


@contextmanager
def acting(
    actor: str,
    loket: str | None = None,
    correlation_id: str | None = None,
    causation_id: str | None = None,
) -> Iterator[Envelope]:
    """Run the commands in the ``with`` block on behalf of ``actor``."""
    envelope = Envelope(actor=actor, loket=loket, causation_id=causation_id)
    if correlation_id:
        envelope = replace(envelope, correlation_id=correlation_id)
    token = _current.set(envelope)
    try:
        yield envelope
    finally:
        _current.reset(token)


@contextmanager
def caused_by(event: Any) -> Iterator[Envelope]:
    """Run the block as a consequence of ``event``: same actor and correlation, causation set."""
    outer = current_envelope()
    causation = f"{event.originator_id}/{event.originator_version}"
    token = _current.set(replace(outer, causation_id=causation))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def current_envelope() -> Envelope:
    """The envelope of the commands now running; refuses to invent an actor."""
    envelope = _current.get()
    if envelope is None:
        raise MissingEnvelopeError(
            "An event was triggered outside 'acting(...)': every event needs an actor."
        )
    return envelope


def enter(envelope: Envelope) -> Token[Envelope | None]:
    """Make ``envelope`` current until ``leave(token)``: for frameworks whose request starts and
    ends in separate callbacks (Flask's before/teardown request)."""
    return _current.set(envelope)


def leave(token: Token[Envelope | None]) -> None:
    _current.reset(token)
