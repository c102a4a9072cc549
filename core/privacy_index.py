"""Where each person's data is: a read model of (person, aggregate, kind) for every event that
carries a ``Personal`` value, so that an export finds everything without scanning the log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.persistence import Tracking

from core.privacy import Personal
from core.projections import LoketProjection
from core.readmodel import ReadView


class PersonalDataView(ReadView):
    tables = {
        "personal_data": [
            "CREATE TABLE IF NOT EXISTS personal_data (person_id TEXT NOT NULL, aggregate_id TEXT NOT NULL, "
            "kind TEXT NOT NULL, loket TEXT NOT NULL, PRIMARY KEY (person_id, aggregate_id, kind, loket))"
        ]
    }

    def add(self, rows: list[tuple[str, str, str, str]], tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.executemany("INSERT INTO personal_data VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING", rows)
            self._insert_tracking(c, tracking)

    def aggregates_of(self, person_id: UUID) -> list[UUID]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT DISTINCT aggregate_id FROM personal_data WHERE person_id = ? ORDER BY aggregate_id", (str(person_id),))
            return [UUID(row["aggregate_id"]) for row in c.fetchall()]

    def lokets_of(self, person_id: UUID) -> set[str]:
        """The lokets where the person's data was recorded (a referred question counts for both)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT DISTINCT loket FROM personal_data WHERE person_id = ?", (str(person_id),))
            return {row["loket"] for row in c.fetchall()}


class PersonalDataIndex(LoketProjection[PersonalDataView]):
    name = "personal-data"
    view_class = PersonalDataView
    topics = ()  # any event may carry personal data

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        loket = domain_event.envelope.get("loket") or ""
        rows = {
            (str(value.person_id), str(domain_event.originator_id), value.kind, loket)
            for value in vars(domain_event).values()
            if isinstance(value, Personal)
        }
        if getattr(domain_event, "to", None) and type(domain_event).__name__ == "QuestionReferred":
            # A referred question's asker becomes known to the receiving loket too.
            rows |= {(person, aggregate, kind, domain_event.to) for person, aggregate, kind, _ in self._rows_of(domain_event)}
        if rows:
            self.view.add(sorted(rows), tracking)
        else:
            self.view.insert_tracking(tracking)

    def _rows_of(self, domain_event: Any) -> list[tuple[str, str, str, str]]:
        with self.view.datastore.transaction(commit=False) as c:
            c.execute("SELECT person_id, aggregate_id, kind, loket FROM personal_data WHERE aggregate_id = ?", (str(domain_event.originator_id),))
            return [tuple(row) for row in c.fetchall()]
