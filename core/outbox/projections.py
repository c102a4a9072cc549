"""The outbox: every message with its state, for the sender (what is due) and for people (what failed).
Recipient, subject and body are not copied here: the sender decrypts them from the log when sending."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import singledispatchmethod
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from core.outbox.domain import ABANDONED, QUEUED, RETRYING, SENDING, SENT, OutboxMessage
from core.projections import LoketProjection
from core.readmodel import ReadView


class OutboxView(ReadView):
    tables = {
        "outbox": [
            "CREATE TABLE IF NOT EXISTS outbox (id TEXT PRIMARY KEY, loket TEXT NOT NULL, purpose TEXT NOT NULL, "
            "status TEXT NOT NULL, attempts INTEGER NOT NULL, queued_at TEXT NOT NULL, updated_at TEXT NOT NULL, "
            "retry_at TEXT, last_error TEXT)",
            "CREATE INDEX IF NOT EXISTS outbox_due ON outbox (status, retry_at)",
        ]
    }

    def put(self, row: dict[str, Any], tracking: Tracking) -> None:
        self.upsert("outbox", row, tracking)

    def update(self, message_id: str, changes: dict[str, Any], tracking: Tracking) -> None:
        assignments = ", ".join(f"{k} = :{k}" for k in changes)
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"UPDATE outbox SET {assignments} WHERE id = :id", {**changes, "id": message_id})
            self._insert_tracking(c, tracking)

    def due(self, now: datetime) -> list[str]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT id FROM outbox WHERE status = ? OR (status = ? AND retry_at <= ?) ORDER BY queued_at, id",
                (QUEUED, RETRYING, _utc(now)),
            )
            return [row["id"] for row in c.fetchall()]

    def stuck_sending(self, before: datetime) -> list[str]:
        """Messages whose sending started before ``before`` and never finished: a crash in between."""
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT id FROM outbox WHERE status = ? AND updated_at <= ? ORDER BY id", (SENDING, _utc(before)))
            return [row["id"] for row in c.fetchall()]

    def messages(self, loket: str | None = None, statuses: tuple[str, ...] = ()) -> list[dict[str, Any]]:
        where, params = ["1 = 1"], []
        if loket:
            where.append("loket = ?")
            params.append(loket)
        if statuses:
            where.append(f"status IN ({', '.join('?' * len(statuses))})")
            params += list(statuses)
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT * FROM outbox WHERE {' AND '.join(where)} ORDER BY queued_at, id", params)
            return [dict(row) for row in c.fetchall()]

    def status_of(self, message_id: str) -> str | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT status FROM outbox WHERE id = ?", (message_id,))
            row = c.fetchone()
            return row["status"] if row else None


class OutboxProjection(LoketProjection[OutboxView]):
    name = "outbox"
    view_class = OutboxView
    topics = tuple(
        get_topic(cls)
        for cls in (
            OutboxMessage.MessageQueued,
            OutboxMessage.SendingStarted,
            OutboxMessage.MessageSent,
            OutboxMessage.SendingFailed,
            OutboxMessage.MessageAbandoned,
        )
    )

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def queued(self, domain_event: OutboxMessage.MessageQueued, tracking: Tracking) -> None:
        at = _utc(domain_event.timestamp)
        self.view.put(
            {"id": str(domain_event.originator_id), "loket": domain_event.loket, "purpose": domain_event.purpose, "status": QUEUED,
             "attempts": 0, "queued_at": at, "updated_at": at, "retry_at": None, "last_error": None},
            tracking,
        )

    @process_event.register
    def started(self, domain_event: OutboxMessage.SendingStarted, tracking: Tracking) -> None:
        self._update(domain_event, tracking, status=SENDING, attempts=domain_event.attempt)

    @process_event.register
    def sent(self, domain_event: OutboxMessage.MessageSent, tracking: Tracking) -> None:
        self._update(domain_event, tracking, status=SENT, retry_at=None, last_error=None)

    @process_event.register
    def failed(self, domain_event: OutboxMessage.SendingFailed, tracking: Tracking) -> None:
        self._update(domain_event, tracking, status=RETRYING, retry_at=_utc(domain_event.retry_at) if domain_event.retry_at else None, last_error=domain_event.reason)

    @process_event.register
    def abandoned(self, domain_event: OutboxMessage.MessageAbandoned, tracking: Tracking) -> None:
        self._update(domain_event, tracking, status=ABANDONED, retry_at=None, last_error=domain_event.reason)

    def _update(self, domain_event: Any, tracking: Tracking, **changes: Any) -> None:
        self.view.update(str(domain_event.originator_id), {"updated_at": _utc(domain_event.timestamp), **changes}, tracking)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
