"""Who comes to each activity: for its editors (with names and e-mail addresses, scrubbed when the
person's data is erased or expires) and, in numbers only, for the public (places left)."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from core.activities.domain import CANCELLED, CONFIRMED, WAITLISTED, Roster
from core.privacy import Person
from core.projections import LoketProjection
from core.readmodel import ReadView, replacing, scrub


class RegistrationsView(ReadView):
    tables = {
        "registrations": [
            "CREATE TABLE IF NOT EXISTS registrations (id TEXT PRIMARY KEY, loket TEXT NOT NULL, activity_id TEXT NOT NULL, "
            "person_id TEXT NOT NULL, name TEXT, email TEXT, status TEXT NOT NULL, seq INTEGER NOT NULL, "
            "registered_at TEXT NOT NULL, updated_at TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS registrations_activity ON registrations (activity_id, status, seq)",
            "CREATE INDEX IF NOT EXISTS registrations_person ON registrations (person_id)",
        ]
    }

    def add(self, row: dict[str, Any], tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT INTO registrations ({', '.join(row)}) VALUES ({', '.join(':' + k for k in row)}) "
                + replacing("id", *(k for k in row if k != "id")),
                row,
            )
            self._insert_tracking(c, tracking)

    def set_status(self, registration_id: str, status: str, at: str, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("UPDATE registrations SET status = ?, updated_at = ? WHERE id = ?", (status, at, registration_id))
            self._insert_tracking(c, tracking)

    def of_activity(self, activity_id: str) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT * FROM registrations WHERE activity_id = ? ORDER BY seq", (activity_id,))
            return [dict(row) for row in c.fetchall()]

    def counts(self, activity_id: str) -> dict[str, int]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT status, COUNT(*) AS n FROM registrations WHERE activity_id = ? GROUP BY status", (activity_id,))
            found = {row["status"]: row["n"] for row in c.fetchall()}
        return {CONFIRMED: found.get(CONFIRMED, 0), WAITLISTED: found.get(WAITLISTED, 0)}

    def scrub_person(self, person_id: str, tracking: Tracking) -> None:
        scrub(self, "registrations", ("name", "email"), "person_id = ?", (person_id,), tracking)


class RegistrationsProjection(LoketProjection[RegistrationsView]):
    name = "registrations"
    view_class = RegistrationsView
    topics = tuple(
        get_topic(cls)
        for cls in (Roster.Registered, Roster.RegistrationCancelled, Roster.PromotedFromWaitingList, Person.PersonalDataErased, Person.PersonalDataExpired)
    )

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def registered(self, domain_event: Roster.Registered, tracking: Tracking) -> None:
        at = domain_event.timestamp.isoformat()
        self.view.add(
            {
                "id": domain_event.registration_id,
                "loket": domain_event.envelope["loket"],
                "activity_id": str(domain_event.activity_id),
                "person_id": str(domain_event.person_id),
                "name": domain_event.name.shown(),
                "email": domain_event.email.shown(),
                "status": domain_event.status,
                "seq": domain_event.originator_version,
                "registered_at": at,
                "updated_at": at,
            },
            tracking,
        )

    @process_event.register
    def cancelled(self, domain_event: Roster.RegistrationCancelled, tracking: Tracking) -> None:
        self.view.set_status(domain_event.registration_id, CANCELLED, domain_event.timestamp.isoformat(), tracking)

    @process_event.register
    def promoted(self, domain_event: Roster.PromotedFromWaitingList, tracking: Tracking) -> None:
        self.view.set_status(domain_event.registration_id, CONFIRMED, domain_event.timestamp.isoformat(), tracking)

    @process_event.register
    def erased(self, domain_event: Person.PersonalDataErased, tracking: Tracking) -> None:
        self.view.scrub_person(str(domain_event.originator_id), tracking)

    @process_event.register
    def expired(self, domain_event: Person.PersonalDataExpired, tracking: Tracking) -> None:
        if domain_event.kind == "registration":
            self.view.scrub_person(str(domain_event.originator_id), tracking)
        else:
            self.view.insert_tracking(tracking)
