"""Recruiters: users or tokens with the role ``recruiter`` who manage the vacancies of one or more
school boards in a loket (set with ``loket vacatures recruiters set``)."""

from __future__ import annotations

from core.errors import NotFoundError
from core.http import get_site

from .domain import RecruiterBoards


def boards_of(loket: str, actor: str, site=None) -> list[str]:
    """The school boards (DUO numbers) whose vacancies ``actor`` manages in ``loket``; none when unset."""
    site = site or get_site()
    try:
        return list(site.app.get(RecruiterBoards.create_id(loket, actor), RecruiterBoards).boards)
    except NotFoundError:
        return []


def set_boards(site, loket: str, actor: str, boards: list[str]) -> bool:
    """Give ``actor`` exactly ``boards`` in ``loket``; False when nothing changed."""
    try:
        scope = site.app.get(RecruiterBoards.create_id(loket, actor), RecruiterBoards)
        scope.set_boards(boards)
    except NotFoundError:
        scope = RecruiterBoards(loket=loket, actor=actor, boards=sorted(boards))
    if not scope.pending_events:
        return False
    site.app.save(scope)
    return True
