"""The access log: every time someone looks at people's personal data, who did, when, whose and
why — recorded as events, so auditors can list it without seeing the data itself."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event
from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from core.domain import LoketAggregate
from core.projections import LoketProjection
from core.readmodel import ReadView


class DataAccess(LoketAggregate):
    """One look at personal data: by whom (the envelope's actor), of whom, what."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return uuid4()

    @event("PersonalDataViewed")
    def __init__(self, loket: str, persons: list[str], what: str) -> None:
        self.loket = loket
        self.persons = persons
        self.what = what


def record_view(app: Any, loket: str, persons: list[UUID | str], what: str) -> None:
    """Record that the current actor saw the personal data of ``persons`` (inside ``acting``)."""
    unique = sorted({str(p) for p in persons})
    if unique:
        app.save(DataAccess(loket=loket, persons=unique, what=what))


class AccessView(ReadView):
    tables = {
        "access_log": [
            "CREATE TABLE IF NOT EXISTS access_log (id TEXT NOT NULL, person_id TEXT NOT NULL, loket TEXT NOT NULL, "
            "viewer TEXT NOT NULL, what TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (id, person_id))",
            "CREATE INDEX IF NOT EXISTS access_log_loket ON access_log (loket, at)",
            "CREATE INDEX IF NOT EXISTS access_log_person ON access_log (person_id, at)",
        ]
    }

    def add(self, rows: list[tuple[str, ...]], tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.executemany("INSERT INTO access_log VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING", rows)
            self._insert_tracking(c, tracking)

    def entries(self, loket: str | None = None, person: str | None = None, limit: int = 200) -> list[dict[str, Any]]:
        where, params = ["1 = 1"], []
        if loket:
            where.append("loket = ?")
            params.append(loket)
        if person:
            where.append("person_id = ?")
            params.append(person)
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM access_log WHERE {' AND '.join(where)} ORDER BY at DESC, id LIMIT ?", [*params, limit])
            return [dict(row) for row in c.fetchall()]


class AccessProjection(LoketProjection[AccessView]):
    name = "access-log"
    view_class = AccessView
    topics = (get_topic(DataAccess.PersonalDataViewed),)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def viewed(self, domain_event: DataAccess.PersonalDataViewed, tracking: Tracking) -> None:
        at = domain_event.timestamp.isoformat()
        rows = [
            (str(domain_event.originator_id), person, domain_event.loket, domain_event.envelope["actor"], domain_event.what, at)
            for person in domain_event.persons
        ]
        self.view.add(rows, tracking)
