"""Vacancies and what surrounds them: expiry warnings and job alerts.

A vacancy is a content item: drafted, revised, (approved,) published, and closed as ``filled`` or
``expired`` — or withdrawn. Its id follows from the external id when a school board's system sends
it, so two imports of the same row collide in the store instead of making two vacancies.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from core.content.domain import CLOSED, PUBLISHED, ContentItem
from core.domain import LoketAggregate, deterministic_id
from core.errors import ConflictError, InvalidInputError
from core.privacy import Personal

FILLED, EXPIRED = "filled", "expired"


def vacancy_id(loket: str, school_board: str, external_id: str) -> UUID:
    return deterministic_id("vacancy", f"{loket}/{school_board}/{external_id}")


class Vacancy(ContentItem):
    """A job at a school or school board, public until its last day (``valid_through``)."""

    @staticmethod
    def create_id(loket: str, fields: dict[str, Any], **_: Any) -> UUID:
        if fields.get("external_id"):
            return vacancy_id(loket, fields["school_board"], fields["external_id"])
        return uuid4()

    @event("Drafted")
    def __init__(self, loket: str, slug: str, fields: dict[str, Any]) -> None:
        self._start(loket, slug, fields)

    def publish(self, approval_required: bool = False, today: date | None = None) -> None:
        valid_through = self.fields.get("valid_through")
        if valid_through and valid_through < (today or date.today()).isoformat():
            raise InvalidInputError("The vacancy's last day has passed.", {"validThrough": "extend it before publishing"})
        super().publish(approval_required)

    def fill(self, reason: str = "") -> None:
        """Someone was hired: the vacancy leaves the lists and its page answers 410 Gone."""
        if self.status not in (PUBLISHED, "unpublished", "draft"):
            raise ConflictError(f"This vacancy cannot be marked filled: it is {self.outcome or self.status}.")
        self.close(FILLED, reason)

    def expire(self) -> None:
        """Its last day has passed (``loket tick``)."""
        if self.status != PUBLISHED:
            raise ConflictError("Only a published vacancy expires.")
        self.close(EXPIRED, f"last day {self.fields.get('valid_through')}")

    def extend(self, valid_through: str, today: date | None = None) -> None:
        """A new last day; a published or expired vacancy is (re)published with it at once,
        without a new approval: only the date changed."""
        if valid_through < (today or date.today()).isoformat():
            raise InvalidInputError("The new last day has passed.", {"validThrough": "give a date from today on"})
        if valid_through == self.fields.get("valid_through") and self.status == PUBLISHED:
            return
        was_live = self.status == PUBLISHED and not self.has_unpublished_changes
        reopen = was_live or (self.status == CLOSED and self.outcome == EXPIRED)
        self.revise({**self.fields, "valid_through": valid_through}, self.slug, note=f"verlengd tot {valid_through}")
        if reopen:
            self._publish(fields=dict(self.fields), slug=self.slug)


class ExpiryWarning(LoketAggregate):
    """The warning to a vacancy's contact that its last day is near: one per vacancy and last day,
    so a second tick (or a second node) cannot send it twice."""

    @staticmethod
    def create_id(vacancy_id: UUID, valid_through: str) -> UUID:
        return deterministic_id("vacancy-expiry-warning", f"{vacancy_id}/{valid_through}")

    @event("ExpiryWarningQueued")
    def __init__(self, loket: str, vacancy_id: UUID, valid_through: str, message_id: UUID) -> None:
        self.loket = loket


class JobAlert(LoketAggregate):
    """A person's subscription to new vacancies matching a filter (double opt-in)."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return uuid4()

    @event("AlertRequested")
    def __init__(self, loket: str, email: Personal, filter: dict[str, Any], frequency: str, secret_sha256: str) -> None:
        self.loket = loket
        self.email = email
        self.filter = filter
        self.frequency = frequency
        self.secret_sha256 = secret_sha256
        self.status = "requested"
        self.sent: list[str] = []  # vacancy ids already sent: each at most once
        self.last_sent_at: datetime | None = None

    def confirm(self) -> None:
        if self.status == "unsubscribed":
            raise ConflictError("This alert was cancelled; subscribe again.")
        if self.status == "requested":
            self._confirm()

    @event("AlertConfirmed")
    def _confirm(self) -> None:
        self.status = "active"

    def unsubscribe(self) -> None:
        if self.status != "unsubscribed":
            self._unsubscribe()

    @event("AlertUnsubscribed")
    def _unsubscribe(self) -> None:
        self.status = "unsubscribed"

    def record_sent(self, vacancy_ids: list[str], at: datetime, message_id: UUID) -> None:
        new = [v for v in vacancy_ids if v not in self.sent]
        if new:
            self._sent(vacancy_ids=new, at=at, message_id=message_id)

    @event("AlertSent")
    def _sent(self, vacancy_ids: list[str], at: datetime, message_id: UUID) -> None:
        self.sent.extend(vacancy_ids)
        self.last_sent_at = at
