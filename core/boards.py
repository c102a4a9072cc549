"""The school boards a recruiter acts for in a loket: a school's own people (role ``recruiter``) see
and change only their boards' vacancies, substitution requests, … — each plugin narrows by these.

Kept per loket and actor (``user:<id>`` or ``token:<id>``) as events, so who could do what, when,
stays in the log.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from core.domain import LoketAggregate, deterministic_id
from core.errors import InvalidInputError, NotFoundError
from core.hooks import hookimpl


class ActorBoards(LoketAggregate):
    @staticmethod
    def create_id(loket: str, actor: str) -> UUID:
        return deterministic_id("actor-boards", f"{loket}/{actor}")

    @event("BoardsAssigned")
    def __init__(self, loket: str, actor: str, boards: list[str]) -> None:
        self.loket = loket
        self.actor = actor
        self.boards = list(boards)

    def assign(self, boards: list[str]) -> None:
        if sorted(boards) != sorted(self.boards):
            self._changed(boards=sorted(boards))

    @event("BoardsChanged")
    def _changed(self, boards: list[str]) -> None:
        self.boards = list(boards)


def boards_of(site: Any, loket: str, actor: str) -> list[str]:
    """The school boards (DUO numbers) ``actor`` acts for in ``loket``; none when never set."""
    try:
        return list(site.app.get(ActorBoards.create_id(loket, actor), ActorBoards).boards)
    except NotFoundError:
        return []


def set_boards(site: Any, loket: str, actor: str, boards: list[str]) -> bool:
    """Let ``actor`` act for exactly ``boards`` in ``loket``; False when nothing changed."""
    bad = [b for b in boards if not (b.isdigit() and len(b) == 5)]
    if bad:
        raise InvalidInputError("Not a school board number.", {"boards": f"five-digit DUO numbers; not {', '.join(bad)}"})
    try:
        assigned = site.app.get(ActorBoards.create_id(loket, actor), ActorBoards)
        assigned.assign(boards)
    except NotFoundError:
        assigned = ActorBoards(loket=loket, actor=actor, boards=sorted(boards))
    if not assigned.pending_events:
        return False
    site.app.save(assigned)
    return True


@hookimpl
def register_aggregates():
    return [ActorBoards]
