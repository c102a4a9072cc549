"""Activities (meeloopdagen, open days, information evenings) and their rosters.

The activity is content (draft → published, like a page). Who comes is kept apart, on the
activity's ``Roster``, so that registrations never collide with an editor's changes; the roster
alone decides whether a place is free, so a full activity refuses clearly and never overbooks.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from core.content.domain import ContentItem
from core.domain import LoketAggregate, deterministic_id
from core.errors import ConflictError, NotFoundError
from core.privacy import Personal

CONFIRMED, WAITLISTED, CANCELLED = "confirmed", "waitlisted", "cancelled"


class Activity(ContentItem):
    """A meeloopdag, open day or information evening: online, on site or both."""

    @event("Drafted")
    def __init__(self, loket: str, slug: str, fields: dict[str, Any]) -> None:
        self._start(loket, slug, fields)


class Roster(LoketAggregate):
    """Who registered for one activity, in order: confirmed places and the waiting list."""

    @staticmethod
    def create_id(activity_id: UUID) -> UUID:
        return deterministic_id("roster", str(activity_id))

    @event("RosterOpened")
    def __init__(self, loket: str, activity_id: UUID) -> None:
        self.loket = loket
        self.activity_id = activity_id
        self.registrations: dict[str, dict[str, Any]] = {}  # registration id (hex) → person, status, secret hash

    @property
    def confirmed(self) -> int:
        return sum(1 for r in self.registrations.values() if r["status"] == CONFIRMED)

    @property
    def waiting(self) -> list[str]:
        return [rid for rid, r in self.registrations.items() if r["status"] == WAITLISTED]

    def register(
        self, registration_id: UUID, person_id: UUID, name: Personal, email: Personal, capacity: int | None, waiting_list: bool, cancel_secret_sha256: str
    ) -> str:
        """A confirmed place while there is one; else a place on the waiting list, if it has one."""
        if any(r["person_id"] == str(person_id) and r["status"] != CANCELLED for r in self.registrations.values()):
            raise AlreadyRegisteredError("This e-mail address is already registered for this activity.")
        if capacity is None or self.confirmed < capacity:
            status = CONFIRMED
        elif waiting_list:
            status = WAITLISTED
        else:
            raise ActivityFullError("This activity is full and has no waiting list.")
        self._register(
            activity_id=self.activity_id,
            registration_id=registration_id.hex,
            person_id=person_id,
            name=name,
            email=email,
            status=status,
            cancel_secret_sha256=cancel_secret_sha256,
        )
        return status

    @event("Registered")
    def _register(
        self, activity_id: UUID, registration_id: str, person_id: UUID, name: Personal, email: Personal, status: str, cancel_secret_sha256: str
    ) -> None:
        self.registrations[registration_id] = {
            "person_id": str(person_id), "status": status, "cancel_secret_sha256": cancel_secret_sha256, "name": name, "email": email
        }

    def cancel(self, registration_id: str, capacity: int | None) -> str | None:
        """Cancel; when that frees a confirmed place, the first on the waiting list gets it.
        Returns the id of the registration promoted, if any."""
        registration = self.registrations.get(registration_id)
        if registration is None:
            raise NotFoundError("There is no such registration.")
        if registration["status"] == CANCELLED:
            raise ConflictError("This registration was already cancelled.")
        self._cancel(registration_id=registration_id)
        if self.waiting and (capacity is None or self.confirmed < capacity):
            promoted = self.waiting[0]
            self._promote(registration_id=promoted)
            return promoted
        return None

    @event("RegistrationCancelled")
    def _cancel(self, registration_id: str) -> None:
        self.registrations[registration_id]["status"] = CANCELLED

    @event("PromotedFromWaitingList")
    def _promote(self, registration_id: str) -> None:
        self.registrations[registration_id]["status"] = CONFIRMED


class ActivityFullError(ConflictError):
    """Raised when registering for a full activity without a waiting list."""

    slug = "activity-full"


class AlreadyRegisteredError(ConflictError):
    """Raised when the same person registers twice for one activity."""


class RegistrationClosedError(ConflictError):
    """Raised when registering for an activity that is cancelled, over, or not published."""

    slug = "registration-closed"
