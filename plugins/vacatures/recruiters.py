"""Recruiters of the vacancy bank: users or tokens with the role ``recruiter``, narrowed to the school
boards ``core.boards`` assigns them in a loket."""

from __future__ import annotations

from core import boards
from core.http import get_site


def boards_of(loket: str, actor: str, site=None) -> list[str]:
    """The school boards whose vacancies ``actor`` manages in ``loket``; none when unset."""
    return boards.boards_of(site or get_site(), loket, actor)


def set_boards(site, loket: str, actor: str, board_numbers: list[str]) -> bool:
    return boards.set_boards(site, loket, actor, board_numbers)
