"""Who is editing an item: an advisory lock that expires, can be taken over, and is recorded.

The lock is its own aggregate, so opening an item never changes the item's version: what keeps
data safe is the optimistic check on saving (If-Match); the lock tells people about each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from core.domain import LoketAggregate, deterministic_id
from core.errors import NotFoundError, StaleVersionError

LOCK_MINUTES = 15


class EditLock(LoketAggregate):
    @staticmethod
    def create_id(item_id: UUID) -> UUID:
        return deterministic_id("edit-lock", str(item_id))

    @event("EditingStarted")
    def __init__(self, loket: str, item_id: UUID, by: str, until: datetime) -> None:
        self.loket = loket
        self.item_id = item_id
        self.holder = by
        self.until = until

    @event("EditingTakenOver")
    def take_over(self, by: str, previous: str, until: datetime) -> None:
        self.holder = by
        self.until = until

    @event("EditingRenewed")
    def renew(self, by: str, until: datetime) -> None:
        self.holder = by
        self.until = until


@dataclass(frozen=True)
class LockState:
    holder: str
    until: datetime
    mine: bool


class Locks:
    def __init__(self, app: Any) -> None:
        self.app = app

    def open(self, loket: str, item_id: UUID, user: str, now: datetime) -> LockState:
        """Take (or keep) the lock when it is free, expired or ours; otherwise say who has it."""
        lock = self._find(item_id)
        until = now + timedelta(minutes=LOCK_MINUTES)
        if lock is None:
            lock = EditLock(loket=loket, item_id=item_id, by=user, until=until)
        elif lock.holder != user and lock.until > now:
            return LockState(lock.holder, lock.until, mine=False)
        elif lock.holder == user and lock.until - now > timedelta(minutes=LOCK_MINUTES / 2):
            return LockState(user, lock.until, mine=True)  # fresh enough: nothing to record
        elif lock.holder == user:
            lock.renew(by=user, until=until)
        else:
            lock.take_over(by=user, previous=lock.holder, until=until)  # the other's lock expired
        self._save(lock)
        return LockState(user, until, mine=True)

    def take_over(self, item_id: UUID, user: str, now: datetime) -> LockState:
        """Take the lock from someone else (recorded with who had it)."""
        lock = self._find(item_id)
        if lock is None:
            raise NotFoundError("Nobody is editing this item.")
        until = now + timedelta(minutes=LOCK_MINUTES)
        if lock.holder != user:
            lock.take_over(by=user, previous=lock.holder, until=until)
            self._save(lock)
        return LockState(user, until, mine=True)

    def _find(self, item_id: UUID) -> EditLock | None:
        try:
            return self.app.get(EditLock.create_id(item_id), EditLock)
        except NotFoundError:
            return None

    def _save(self, lock: EditLock) -> None:
        try:
            self.app.save(lock)
        except StaleVersionError:
            pass  # two people opened it at once; the next opening sees who won
