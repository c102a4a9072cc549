"""Organisations: importing DUO's files of schools and school boards, and linking them to lokets.

An import is idempotent: each row is matched to its aggregate by BRIN + vestigingsnummer (schools)
or bevoegd-gezag number (boards). A new row is registered (and linked, when a loket is given), a
changed row records one ``…Changed`` event with only the fields that changed, and a row as it was
records nothing — importing the same file twice leaves the log as it was.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.application import LoketApplication
from core.errors import InvalidInputError, NotFoundError
from core.lokets import Lokets
from core.organisations import duo
from core.organisations.domain import Organisation, School, SchoolBoard

#: Aggregates saved together; a bad row never reaches a save (rows are validated first), so a
#: batch holds only good rows.
BATCH = 100

KINDS = {duo.SCHOOL: School, duo.BOARD: SchoolBoard}


@dataclass
class ImportReport:
    """What an import did: how many organisations were added, changed, left as they were, newly
    linked to the loket, and each refused row as ``(line, reason)``."""

    kind: str
    added: int = 0
    changed: int = 0
    unchanged: int = 0
    linked: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    position: int = 0  # the log position after the import, to wait for the read models


class Organisations:
    """Commands on the ``SchoolBoard`` and ``School`` aggregates of one application."""

    def __init__(self, app: LoketApplication) -> None:
        self.app = app
        self.lokets = Lokets(app)

    def import_file(self, path: str | Path, *, loket: str | None = None, sector: str | None = None) -> ImportReport:
        """Read DUO's file at ``path`` and import it (see ``import_rows``).

        :raise DuoFileError: the file cannot be read or is not a DUO file of schools or boards.
        :raise NotFoundError: no loket ``loket``.
        """
        if loket is not None:
            self.lokets.get(loket)
        parsed = duo.read_file(path, sector)
        return self._import(parsed, loket)

    def import_rows(
        self,
        rows: Iterable[Mapping[str, Any] | tuple[int, Mapping[str, Any]]],
        *,
        loket: str | None = None,
        sector: str | None = None,
    ) -> ImportReport:
        """Import DUO records (``{column: value}``, or ``(line, {column: value})``) into school or
        board aggregates; link each to ``loket`` when given. Rows that fail validation are
        reported in ``rejected`` and the others are kept.

        :raise DuoFileError: the columns are not DUO's for schools or boards.
        :raise NotFoundError: no loket ``loket``.
        """
        if loket is not None:
            self.lokets.get(loket)
        return self._import(duo.parse(rows, sector), loket)

    def link(self, kind: str, key: str, loket: str) -> bool:
        """Link the board or school known by ``key`` to ``loket``; False when it already was.

        :raise NotFoundError: no such loket or organisation.
        """
        self.lokets.get(loket)
        organisation = self.get(kind, key)
        changed = organisation.link(loket)
        if changed:
            self.app.save(organisation)
        return changed

    def unlink(self, kind: str, key: str, loket: str) -> bool:
        """Take the link between the board or school ``key`` and ``loket`` away; False when there
        was none. The loket need not be open any more.

        :raise NotFoundError: no such organisation.
        """
        organisation = self.get(kind, key)
        changed = organisation.unlink(loket)
        if changed:
            self.app.save(organisation)
        return changed

    def get(self, kind: str, key: str) -> Organisation:
        """The board (``kind="board"``, key its number) or school (``"school"``, key BRIN +
        vestigingsnummer, e.g. ``12AB00``).

        :raise InvalidInputError: an unknown kind. :raise NotFoundError: no such organisation.
        """
        if kind == duo.BOARD:
            return self._get(SchoolBoard, SchoolBoard.create_id(key.strip()), f"There is no school board {key}.")
        if kind == duo.SCHOOL:
            code = duo.normalise_brin_code(key)
            if code is None:
                raise NotFoundError(f"There is no school {key}: give BRIN and vestigingsnummer, e.g. 12AB00.")
            return self._get(School, School.create_id(*code), f"There is no school {''.join(code)}.")
        raise InvalidInputError("Unknown kind of organisation.", {"kind": f"'{kind}' is not one of board, school"})

    # Helpers

    def _import(self, parsed: duo.Parsed, loket: str | None) -> ImportReport:
        report = ImportReport(kind=parsed.kind, rejected=list(parsed.rejected))
        pending: list[Organisation] = []
        for row in parsed.rows:
            organisation = self._find(row)
            if organisation is None:
                organisation = KINDS[row.kind](**row.fields)
                report.added += 1
            else:
                fields = {name: value for name, value in row.fields.items() if name in organisation.FIELDS}
                if isinstance(organisation, SchoolBoard):  # one board, a file per sector: sectors add up
                    fields["sectors"] = sorted(set(organisation.sectors) | set(fields["sectors"]), key=duo.SECTORS.index)
                if organisation.change(fields):
                    report.changed += 1
                else:
                    report.unchanged += 1
            if loket is not None and organisation.link(loket):
                report.linked += 1
            if organisation.pending_events:
                pending.append(organisation)
            if len(pending) >= BATCH:
                self._save(pending, report)
        self._save(pending, report)
        report.position = report.position or self.app.position()
        return report

    def _find(self, row: duo.Row) -> Organisation | None:
        kind = KINDS[row.kind]
        organisation_id = School.create_id(row.fields["brin"], row.fields["branch"]) if kind is School else SchoolBoard.create_id(row.key)
        try:
            return self.app.get(organisation_id, kind)
        except NotFoundError:
            return None

    def _save(self, pending: list[Organisation], report: ImportReport) -> None:
        if pending:
            recordings = self.app.save(*pending)
            report.position = recordings[-1].notification.id
            pending.clear()

    def _get(self, kind: type, organisation_id: Any, message: str) -> Any:
        try:
            return self.app.get(organisation_id, kind)
        except NotFoundError:
            raise NotFoundError(message) from None
