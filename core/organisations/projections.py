"""The organisations read model: school boards, schools and their links to lokets, each row with
its public JSON already rendered (camelCase), so that a list is stored bytes plus paging."""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from core.organisations.domain import School, SchoolBoard
from core.projections import LoketProjection
from core.readmodel import ReadView

BOARD = "board"
SCHOOL = "school"

#: The columns of both kinds that lists filter and sort on, as one relation.
_ORGANISATIONS = (
    "SELECT id, 'board' AS kind, number AS code, name_key, sectors, place_key, public_json FROM organisation_boards "
    "UNION ALL "
    "SELECT id, 'school' AS kind, brin || branch AS code, name_key, ',' || sector || ',' AS sectors, place_key, public_json "
    "FROM organisation_schools"
)


class OrganisationsView(ReadView):
    """Rows of ``organisation_boards``, ``organisation_schools`` and ``organisation_links``."""

    tables = {
        "organisation_boards": [
            "CREATE TABLE IF NOT EXISTS organisation_boards ("
            "id TEXT PRIMARY KEY, number TEXT NOT NULL, name_key TEXT NOT NULL, sectors TEXT NOT NULL, "
            "place_key TEXT NOT NULL, version INTEGER NOT NULL, fields_json TEXT NOT NULL, public_json TEXT NOT NULL)",
            "CREATE UNIQUE INDEX IF NOT EXISTS organisation_boards_number ON organisation_boards (number)",
        ],
        "organisation_schools": [
            "CREATE TABLE IF NOT EXISTS organisation_schools ("
            "id TEXT PRIMARY KEY, brin TEXT NOT NULL, branch TEXT NOT NULL, name_key TEXT NOT NULL, "
            "sector TEXT NOT NULL, place_key TEXT NOT NULL, version INTEGER NOT NULL, "
            "fields_json TEXT NOT NULL, public_json TEXT NOT NULL)",
            "CREATE UNIQUE INDEX IF NOT EXISTS organisation_schools_code ON organisation_schools (brin, branch)",
        ],
        "organisation_links": [
            "CREATE TABLE IF NOT EXISTS organisation_links ("
            "organisation_id TEXT NOT NULL, loket TEXT NOT NULL, kind TEXT NOT NULL, "
            "PRIMARY KEY (loket, organisation_id))",
            "CREATE INDEX IF NOT EXISTS organisation_links_of ON organisation_links (organisation_id)",
        ],
    }

    # Writes: each with the event's tracking, in one transaction.

    def save_board(self, row: dict[str, Any], tracking: Tracking) -> None:
        self._save("organisation_boards", row, tracking)

    def save_school(self, row: dict[str, Any], tracking: Tracking) -> None:
        self._save("organisation_schools", row, tracking)

    def link(self, organisation_id: str, loket: str, kind: str, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("INSERT INTO organisation_links VALUES (?, ?, ?) ON CONFLICT DO NOTHING", (organisation_id, loket, kind))
            self._insert_tracking(c, tracking)

    def unlink(self, organisation_id: str, loket: str, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("DELETE FROM organisation_links WHERE organisation_id = ? AND loket = ?", (organisation_id, loket))
            self._insert_tracking(c, tracking)

    def _save(self, table: str, row: dict[str, Any], tracking: Tracking) -> None:
        columns = ", ".join(row)
        placeholders = ", ".join(f":{name}" for name in row)
        updates = ", ".join(f"{name} = excluded.{name}" for name in row if name != "id")
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) ON CONFLICT (id) DO UPDATE SET {updates}", row
            )
            self._insert_tracking(c, tracking)

    # Reads

    def fields_of(self, kind: str, organisation_id: str) -> dict[str, Any] | None:
        """The domain fields of one board or school (for applying a change), or None."""
        table = "organisation_boards" if kind == BOARD else "organisation_schools"
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT fields_json FROM {table} WHERE id = ?", (organisation_id,))
            row = c.fetchone()
            return json.loads(row["fields_json"]) if row else None

    def list_organisations(
        self,
        loket: str | None = None,
        *,
        kind: str | None = None,
        sector: str | None = None,
        place: str | None = None,
        q: str | None = None,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[list[str], int]:
        """One page of organisations (their public JSON text) linked to ``loket`` (every one when
        None), sorted by name, and the total. ``place`` matches the whole place name, ``q`` any
        part of the name, both without regard to case."""
        where: list[str] = []
        params: list[Any] = []
        if loket is not None:
            where.append("id IN (SELECT organisation_id FROM organisation_links WHERE loket = ?)")
            params.append(loket)
        if kind:
            where.append("kind = ?")
            params.append(kind)
        if sector:
            where.append("instr(sectors, ?) > 0")
            params.append(f",{sector},")
        if place:
            where.append("place_key = ?")
            params.append(fold(place))
        if q:
            where.append("instr(name_key, ?) > 0")
            params.append(fold(q))
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT COUNT(*) FROM ({_ORGANISATIONS}) AS o {clause}", params)
            total = c.fetchone()[0]
            c.execute(
                f"SELECT public_json FROM ({_ORGANISATIONS}) AS o {clause} ORDER BY name_key, kind, code LIMIT ? OFFSET ?",
                [*params, limit, offset],
            )
            return [row["public_json"] for row in c.fetchall()], total

    def find(self, loket: str, kind: str, code: str) -> str | None:
        """The public JSON of the board (by number) or school (by BRIN + vestiging) ``code``,
        when it is linked to ``loket``."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT public_json FROM ({_ORGANISATIONS}) AS o WHERE kind = ? AND code = ? "
                "AND id IN (SELECT organisation_id FROM organisation_links WHERE loket = ?)",
                (kind, code, loket),
            )
            row = c.fetchone()
            return row["public_json"] if row else None

    def lokets_of(self) -> dict[str, list[str]]:
        """Every organisation id with the lokets it is linked to (sorted)."""
        links: dict[str, list[str]] = {}
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT organisation_id, loket FROM organisation_links ORDER BY loket")
            for row in c.fetchall():
                links.setdefault(row["organisation_id"], []).append(row["loket"])
        return links


class OrganisationsProjection(LoketProjection[OrganisationsView]):
    """Keeps the boards, schools and links in step with their events."""

    name = "organisations"
    view_class = OrganisationsView
    topics = tuple(
        get_topic(cls)
        for cls in (
            SchoolBoard.SchoolBoardRegistered,
            SchoolBoard.SchoolBoardChanged,
            SchoolBoard.LinkedToLoket,
            SchoolBoard.UnlinkedFromLoket,
            School.SchoolRegistered,
            School.SchoolChanged,
            School.LinkedToLoket,
            School.UnlinkedFromLoket,
        )
    )

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def board_registered(self, domain_event: SchoolBoard.SchoolBoardRegistered, tracking: Tracking) -> None:
        fields = {name: getattr(domain_event, name) for name in ("number", *SchoolBoard.FIELDS)}
        self.view.save_board(_board_row(domain_event, fields), tracking)

    @process_event.register
    def board_changed(self, domain_event: SchoolBoard.SchoolBoardChanged, tracking: Tracking) -> None:
        fields = self.view.fields_of(BOARD, str(domain_event.originator_id))
        if fields is None:
            self.view.insert_tracking(tracking)
            return
        self.view.save_board(_board_row(domain_event, {**fields, **domain_event.changes}), tracking)

    @process_event.register
    def school_registered(self, domain_event: School.SchoolRegistered, tracking: Tracking) -> None:
        fields = {name: getattr(domain_event, name) for name in ("brin", "branch", *School.FIELDS)}
        self.view.save_school(_school_row(domain_event, fields), tracking)

    @process_event.register
    def school_changed(self, domain_event: School.SchoolChanged, tracking: Tracking) -> None:
        fields = self.view.fields_of(SCHOOL, str(domain_event.originator_id))
        if fields is None:
            self.view.insert_tracking(tracking)
            return
        self.view.save_school(_school_row(domain_event, {**fields, **domain_event.changes}), tracking)

    @process_event.register
    def board_linked(self, domain_event: SchoolBoard.LinkedToLoket, tracking: Tracking) -> None:
        self.view.link(str(domain_event.originator_id), domain_event.loket, BOARD, tracking)

    @process_event.register
    def school_linked(self, domain_event: School.LinkedToLoket, tracking: Tracking) -> None:
        self.view.link(str(domain_event.originator_id), domain_event.loket, SCHOOL, tracking)

    @process_event.register
    def board_unlinked(self, domain_event: SchoolBoard.UnlinkedFromLoket, tracking: Tracking) -> None:
        self.view.unlink(str(domain_event.originator_id), domain_event.loket, tracking)

    @process_event.register
    def school_unlinked(self, domain_event: School.UnlinkedFromLoket, tracking: Tracking) -> None:
        self.view.unlink(str(domain_event.originator_id), domain_event.loket, tracking)


def fold(text: str) -> str:
    """Text as it is compared: case folded, spaces collapsed."""
    return " ".join(text.split()).casefold()


def _address(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "street": fields["street"],
        "houseNumber": fields["house_number"],
        "postcode": fields["postcode"],
        "place": fields["place"],
        "municipality": fields["municipality"],
        "website": fields["website"],
    }


def _board_row(domain_event: Any, fields: dict[str, Any]) -> dict[str, Any]:
    public = {
        "kind": BOARD,
        "id": str(domain_event.originator_id),
        "code": fields["number"],
        "number": fields["number"],
        "name": fields["name"],
        "sectors": list(fields["sectors"]),
        **_address(fields),
    }
    return {
        "id": str(domain_event.originator_id),
        "number": fields["number"],
        "name_key": fold(fields["name"]),
        "sectors": "," + ",".join(fields["sectors"]) + ",",
        "place_key": fold(fields["place"]),
        "version": domain_event.originator_version,
        "fields_json": json.dumps(fields, sort_keys=True, ensure_ascii=False),
        "public_json": json.dumps(public, ensure_ascii=False),
    }


def _school_row(domain_event: Any, fields: dict[str, Any]) -> dict[str, Any]:
    public = {
        "kind": SCHOOL,
        "id": str(domain_event.originator_id),
        "code": fields["brin"] + fields["branch"],
        "brin": fields["brin"],
        "branch": fields["branch"],
        "name": fields["name"],
        "boardNumber": fields["board_number"],
        "sector": fields["sector"],
        "denomination": fields["denomination"],
        **_address(fields),
    }
    return {
        "id": str(domain_event.originator_id),
        "brin": fields["brin"],
        "branch": fields["branch"],
        "name_key": fold(fields["name"]),
        "sector": fields["sector"],
        "place_key": fold(fields["place"]),
        "version": domain_event.originator_version,
        "fields_json": json.dumps(fields, sort_keys=True, ensure_ascii=False),
        "public_json": json.dumps(public, ensure_ascii=False),
    }
