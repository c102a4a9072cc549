"""School boards and schools: the organisations a loket works with, known by DUO's numbers.

A school board (schoolbestuur, *bevoegd gezag*) is known by DUO's bevoegd-gezag number; a school
(a *vestiging*) by its BRIN number and vestigingsnummer, ``"12AB"`` + ``"00"``. Both are linked to
the lokets that work with them. They hold no personal data: they are organisations.

Organisations belong to no single loket, so the envelope's loket is that of the surrounding
``acting(...)`` block (the loket an import or a link was made for).
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import UUID

from eventsourcing.domain import event

from core.domain import LoketAggregate, deterministic_id


class Organisation(LoketAggregate):
    """What boards and schools share: their fields, changes to them, and links to lokets.

    Subclasses define the events (``_change``, ``_link``, ``_unlink``), so that each kind's
    events have their own names and topics.
    """

    #: The fields an import compares and a ``...Changed`` event may carry.
    FIELDS: ClassVar[tuple[str, ...]] = ()

    @property
    def key(self) -> str:
        """The number DUO knows this organisation by."""
        raise NotImplementedError

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    def change(self, fields: dict[str, Any]) -> dict[str, Any]:
        """Record the fields in ``fields`` that differ from the current ones; return those."""
        changes = {name: value for name, value in fields.items() if name in self.FIELDS and getattr(self, name) != value}
        if changes:
            self._change(changes=changes)
        return changes

    def link(self, loket: str) -> bool:
        """Link this organisation to ``loket``; False when it already was."""
        if loket in self.lokets:
            return False
        self._link(loket=loket)
        return True

    def unlink(self, loket: str) -> bool:
        """Take the link to ``loket`` away; False when there was none."""
        if loket not in self.lokets:
            return False
        self._unlink(loket=loket)
        return True

    def _apply_changes(self, changes: dict[str, Any]) -> None:
        for name, value in changes.items():
            setattr(self, name, list(value) if isinstance(value, list) else value)

    def _change(self, changes: dict[str, Any]) -> None:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def _link(self, loket: str) -> None:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def _unlink(self, loket: str) -> None:  # pragma: no cover - defined by subclasses
        raise NotImplementedError


class SchoolBoard(Organisation):
    """A school board (schoolbestuur), known by DUO's bevoegd-gezag number."""

    FIELDS = ("name", "street", "house_number", "postcode", "place", "municipality", "website", "sectors")

    @staticmethod
    def create_id(number: str) -> UUID:
        return deterministic_id("school-board", number)

    @event("SchoolBoardRegistered")
    def __init__(
        self,
        number: str,
        name: str,
        street: str,
        house_number: str,
        postcode: str,
        place: str,
        municipality: str,
        website: str,
        sectors: list[str],
    ) -> None:
        self.number = number
        self.name = name
        self.street = street
        self.house_number = house_number
        self.postcode = postcode
        self.place = place
        self.municipality = municipality
        self.website = website
        self.sectors = list(sectors)
        self.lokets = []

    @property
    def key(self) -> str:
        return self.number

    @event("SchoolBoardChanged")
    def _change(self, changes: dict[str, Any]) -> None:
        self._apply_changes(changes)

    @event("LinkedToLoket")
    def _link(self, loket: str) -> None:
        self.lokets.append(loket)

    @event("UnlinkedFromLoket")
    def _unlink(self, loket: str) -> None:
        self.lokets.remove(loket)


class School(Organisation):
    """A school (a vestiging), known by its BRIN number and vestigingsnummer ("00": main)."""

    FIELDS = (
        "name",
        "board_number",
        "sector",
        "denomination",
        "street",
        "house_number",
        "postcode",
        "place",
        "municipality",
        "website",
    )

    @staticmethod
    def create_id(brin: str, branch: str) -> UUID:
        return deterministic_id("school", brin + branch)

    @event("SchoolRegistered")
    def __init__(
        self,
        brin: str,
        branch: str,
        name: str,
        board_number: str,
        sector: str,
        denomination: str,
        street: str,
        house_number: str,
        postcode: str,
        place: str,
        municipality: str,
        website: str,
    ) -> None:
        self.brin = brin
        self.branch = branch
        self.name = name
        self.board_number = board_number
        self.sector = sector
        self.denomination = denomination
        self.street = street
        self.house_number = house_number
        self.postcode = postcode
        self.place = place
        self.municipality = municipality
        self.website = website
        self.lokets = []

    @property
    def key(self) -> str:
        return self.brin + self.branch

    @event("SchoolChanged")
    def _change(self, changes: dict[str, Any]) -> None:
        self._apply_changes(changes)

    @event("LinkedToLoket")
    def _link(self, loket: str) -> None:
        self.lokets.append(loket)

    @event("UnlinkedFromLoket")
    def _unlink(self, loket: str) -> None:
        self.lokets.remove(loket)
