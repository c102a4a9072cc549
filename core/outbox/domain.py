"""A message to send by e-mail, and what happened to it: at most once, never silently lost.

The message is saved in the same transaction as the event that caused it (a question asked, a
registration made), so no acknowledged event goes without its message. Sending records
``SendingStarted`` before the SMTP conversation and ``MessageSent`` after it: a crash in between
leaves a message that is never sent again, but shown as uncertain, so a person can look.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from core.domain import LoketAggregate
from core.errors import ConflictError
from core.privacy import Personal

QUEUED, SENDING, SENT, RETRYING, ABANDONED = "queued", "sending", "sent", "retrying", "abandoned"

#: Waits before the 2nd, 3rd, … attempt after a failure; after the last, the message is abandoned.
RETRY_MINUTES = (1, 5, 30, 120)


class OutboxMessage(LoketAggregate):
    """One e-mail to one person; recipient, subject and body are personal data of that person."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return uuid4()

    @event("MessageQueued")
    def __init__(self, loket: str, purpose: str, to: Personal, subject: Personal, body: Personal) -> None:
        self.loket = loket
        self.purpose = purpose
        self.to = to
        self.subject = subject
        self.body = body
        self.status = QUEUED
        self.attempts = 0
        self.retry_at: datetime | None = None

    def start_sending(self) -> None:
        if self.status not in (QUEUED, RETRYING):
            raise ConflictError(f"This message is {self.status}, not waiting to be sent.")
        self._start_sending(attempt=self.attempts + 1)

    @event("SendingStarted")
    def _start_sending(self, attempt: int) -> None:
        self.status = SENDING
        self.attempts = attempt

    @event("MessageSent")
    def mark_sent(self) -> None:
        self.status = SENT

    def fail(self, reason: str, now: datetime) -> None:
        from datetime import timedelta

        if self.attempts <= len(RETRY_MINUTES):
            self._fail(reason=reason, retry_at=now + timedelta(minutes=RETRY_MINUTES[self.attempts - 1]))
        else:
            self._fail(reason=reason, retry_at=None)
            self.abandon(f"gave up after {self.attempts} attempts: {reason}")

    @event("SendingFailed")
    def _fail(self, reason: str, retry_at: datetime | None) -> None:
        self.status = RETRYING
        self.retry_at = retry_at

    @event("MessageAbandoned")
    def abandon(self, reason: str) -> None:
        self.status = ABANDONED
