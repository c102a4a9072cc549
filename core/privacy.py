"""Personal data under a key per person, held outside the event store (crypto-shredding).

A personal value (a name, an e-mail address, a question's text) is recorded in an event as
``Personal(subject, value)``. The transcoding below encrypts it with AES-GCM under the key of its
subject — ``<person id>/<kind>``, one key per person and kind of data, so each kind can have its
own retention — and the event store only ever holds ciphertext. Erasing a person deletes their keys
and records ``PersonalDataErased``: the log stays intact and replayable, every decoded value becomes
``Personal(subject, None)``, and the projections scrub the copies they made. Retention works the same
way per kind (``PersonalDataExpired``), carried out by ``loket tick``.

The key store is a SQLite file of its own (``[privacy] keys``, default ``loket-keys/keys.sqlite``
beside the configuration): keep it out of the backups of the event store, so that an erased person's
data cannot come back from a backup. Deleted keys are overwritten (``secure_delete``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from eventsourcing.domain import event
from eventsourcing.persistence import Transcoding

from core.domain import LoketAggregate
from core.errors import NotFoundError
from core.store import StoreSettings

#: Kinds of personal data and how long each is kept after its last use, in days.
DEFAULT_RETENTION_DAYS = {"question": 365, "registration": 180, "account": 3650}

ERASED = "[verwijderd]"


@dataclass(frozen=True)
class Personal:
    """A personal value of one person: ``value`` is None once the key is gone (erased or expired)."""

    subject: str  # "<person id>/<kind>"
    value: str | None

    @property
    def person_id(self) -> UUID:
        return UUID(self.subject.split("/", 1)[0])

    @property
    def kind(self) -> str:
        return self.subject.split("/", 1)[1]

    @property
    def erased(self) -> bool:
        return self.value is None

    def shown(self) -> str:
        """The value, or the Dutch marker for erased data."""
        return ERASED if self.value is None else self.value


def subject_of(person_id: UUID, kind: str) -> str:
    return f"{person_id}/{kind}"


TABLES = (
    "CREATE TABLE IF NOT EXISTS keys (subject TEXT PRIMARY KEY, person_id TEXT NOT NULL, kind TEXT NOT NULL, "
    "key BLOB NOT NULL, keep_until TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS keys_person ON keys (person_id)",
    "CREATE INDEX IF NOT EXISTS keys_keep_until ON keys (keep_until)",
    "CREATE TABLE IF NOT EXISTS persons (lookup TEXT PRIMARY KEY, person_id TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB NOT NULL)",
)


class KeyStore:
    """Per-subject AES keys and the e-mail → person index: in a SQLite file of their own, or (for an
    installation of several hosts) in a PostgreSQL schema of their own, never the events' one."""

    def __init__(self, path: Path, store: StoreSettings | None = None) -> None:
        self.path = path
        self.store = store
        if store is None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        conn = self._connection()
        if store is not None:  # processes starting at once would race on CREATE … IF NOT EXISTS
            conn.execute("SELECT pg_advisory_lock(hashtext('loket-key-tables'))")
        try:
            for statement in TABLES:
                conn.execute(statement)
        finally:
            if store is not None:
                conn.execute("SELECT pg_advisory_unlock(hashtext('loket-key-tables'))")
        conn.execute("INSERT OR IGNORE INTO meta VALUES ('lookup_secret', ?)", (os.urandom(32),))
        self._lookup_secret = bytes(conn.execute("SELECT value FROM meta WHERE name = 'lookup_secret'").fetchone()[0])

    def secret(self, name: str) -> bytes:
        """A random secret of this installation (e.g. for signing session cookies), made once."""
        conn = self._connection()
        conn.execute("INSERT OR IGNORE INTO meta VALUES (?, ?)", (f"secret:{name}", os.urandom(32)))
        return bytes(conn.execute("SELECT value FROM meta WHERE name = ?", (f"secret:{name}",)).fetchone()[0])

    def _connection(self) -> Any:
        if not hasattr(self._local, "conn"):
            if self.store is not None:
                from core.readmodel_postgres import Connection

                self._local.conn = Connection(self.store)
            else:
                conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA secure_delete=ON")
                self._local.conn = conn
        return self._local.conn

    def _shred(self) -> None:
        """After a deletion: nothing of the deleted keys left readable. SQLite has zeroed them
        (``secure_delete``); its write-ahead log is folded back and emptied. PostgreSQL keeps
        deleted rows in the table's file: the two small tables are rewritten into new files."""
        conn = self._connection()
        if self.store is not None:
            conn.rewrite("keys", "persons")
        else:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def key(self, subject: str) -> bytes | None:
        row = self._connection().execute("SELECT key FROM keys WHERE subject = ?", (subject,)).fetchone()
        return bytes(row[0]) if row else None

    def ensure_key(self, subject: str, keep_until: datetime) -> bytes:
        """The subject's key, made when missing; its retention is extended to ``keep_until``."""
        person_id, kind = subject.split("/", 1)
        until = _utc_text(keep_until)
        conn = self._connection()
        conn.execute(
            "INSERT INTO keys VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject) DO UPDATE SET keep_until = "
            "CASE WHEN excluded.keep_until > keys.keep_until THEN excluded.keep_until ELSE keys.keep_until END",
            (subject, person_id, kind, AESGCM.generate_key(bit_length=256), until),
        )
        return bytes(conn.execute("SELECT key FROM keys WHERE subject = ?", (subject,)).fetchone()[0])

    def person_for_email(self, email: str) -> UUID:
        """The person known by ``email`` (found by a keyed hash, never stored in clear), or a new one."""
        lookup = self._lookup(email)
        conn = self._connection()
        conn.execute("INSERT OR IGNORE INTO persons VALUES (?, ?)", (lookup, str(uuid4())))
        return UUID(conn.execute("SELECT person_id FROM persons WHERE lookup = ?", (lookup,)).fetchone()[0])

    def find_person(self, email: str) -> UUID | None:
        row = self._connection().execute("SELECT person_id FROM persons WHERE lookup = ?", (self._lookup(email),)).fetchone()
        return UUID(row[0]) if row else None

    def subjects_of(self, person_id: UUID) -> list[str]:
        rows = self._connection().execute("SELECT subject FROM keys WHERE person_id = ? ORDER BY subject", (str(person_id),))
        return [row[0] for row in rows]

    def delete_person(self, person_id: UUID) -> None:
        """Delete every key of the person and their e-mail lookup: their data is unreadable from now on."""
        conn = self._connection()
        conn.execute("DELETE FROM keys WHERE person_id = ?", (str(person_id),))
        conn.execute("DELETE FROM persons WHERE person_id = ?", (str(person_id),))
        self._shred()

    def expired(self, now: datetime) -> list[str]:
        rows = self._connection().execute("SELECT subject FROM keys WHERE keep_until <= ? ORDER BY subject", (_utc_text(now),))
        return [row[0] for row in rows]

    def delete_subject(self, subject: str) -> None:
        conn = self._connection()
        conn.execute("DELETE FROM keys WHERE subject = ?", (subject,))
        self._shred()

    def _lookup(self, email: str) -> str:
        return hmac.new(self._lookup_secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            del self._local.conn


class PersonalAsCiphertext(Transcoding):
    """How a ``Personal`` value is stored: the subject in clear, the value encrypted under its key."""

    type = Personal
    name = "personal"

    def __init__(self, keys: KeyStore, default_days: int = 365) -> None:
        self.keys = keys
        self.default_days = default_days

    def encode(self, obj: Personal) -> dict[str, str]:
        if obj.value is None:
            return {"s": obj.subject, "c": ""}
        key = self.keys.key(obj.subject) or self.keys.ensure_key(
            obj.subject, datetime.now(timezone.utc) + timedelta(days=self.default_days)
        )
        nonce = os.urandom(12)
        ciphertext = AESGCM(key).encrypt(nonce, obj.value.encode(), obj.subject.encode())
        return {"s": obj.subject, "c": base64.b64encode(nonce + ciphertext).decode()}

    def decode(self, data: dict[str, str]) -> Personal:
        key = self.keys.key(data["s"])
        if key is None or not data["c"]:
            return Personal(data["s"], None)
        raw = base64.b64decode(data["c"])
        try:
            return Personal(data["s"], AESGCM(key).decrypt(raw[:12], raw[12:], data["s"].encode()).decode())
        except InvalidTag:  # a key that is not this value's: treat as unreadable, never crash a replay
            return Personal(data["s"], None)


class Person(LoketAggregate):
    """Someone whose personal data Loket holds. Carries no personal data itself: only what
    happened to their data (erased, expired), so projections can scrub their copies."""

    @staticmethod
    def create_id(person_id: UUID) -> UUID:
        return person_id

    @event("PersonRegistered")
    def __init__(self, person_id: UUID) -> None:
        self.erased = False
        self.expired_kinds: list[str] = []

    def erase(self, reason: str) -> None:
        if not self.erased:
            self._erase(reason=reason)

    @event("PersonalDataErased")
    def _erase(self, reason: str) -> None:
        self.erased = True

    @event("PersonalDataExpired")
    def expire(self, kind: str) -> None:
        self.expired_kinds.append(kind)


class Privacy:
    """Protecting, exporting, erasing and expiring personal data."""

    def __init__(self, app: Any, keys: KeyStore, retention_days: dict[str, int], index: Any) -> None:
        self.app = app
        self.keys = keys
        self.retention_days = retention_days
        self.index = index  # core.privacy_index.PersonalDataView: where each person's data is

    def person(self, email: str) -> tuple[UUID, Person | None]:
        """The person known by ``email``, and their aggregate when it must be saved (first contact)."""
        person_id = self.keys.person_for_email(email)
        try:
            self.app.get(person_id, Person)
            return person_id, None
        except NotFoundError:
            return person_id, Person(person_id=person_id)

    def protect(self, person_id: UUID, kind: str, value: str, keep_from: datetime | None = None) -> Personal:
        """``value`` as personal data of ``kind``, kept ``retention_days[kind]`` after ``keep_from``."""
        start = keep_from or datetime.now(timezone.utc)
        self.keys.ensure_key(subject_of(person_id, kind), start + timedelta(days=self.retention_days.get(kind, 365)))
        return Personal(subject_of(person_id, kind), value)

    def resolve(self, who: str) -> UUID:
        """A person id, or the person known by an e-mail address. :raise NotFoundError:"""
        try:
            return UUID(who)
        except ValueError:
            person_id = self.keys.find_person(who)
            if person_id is None:
                raise NotFoundError(f"No person is known by '{who}'.") from None
            return person_id

    def erase(self, person_id: UUID, reason: str = "") -> int:
        """Record the erasure, then delete the keys (a crash in between is mended by erasing again).
        Returns the position of the event."""
        person = self.app.get(person_id, Person)
        person.erase(reason)
        position = self.app.save(person)[-1].notification.id if person.pending_events else self.app.position()
        self.keys.delete_person(person_id)
        return position

    def expire(self, now: datetime) -> list[str]:
        """Delete the keys whose retention has passed, recording ``PersonalDataExpired`` for each."""
        done = []
        for subject in self.keys.expired(now):
            person_id, kind = UUID(subject.split("/", 1)[0]), subject.split("/", 1)[1]
            try:
                person = self.app.get(person_id, Person)
            except NotFoundError:
                self.keys.delete_subject(subject)
                continue
            person.expire(kind)
            self.app.save(person)
            self.keys.delete_subject(subject)
            done.append(f"expired {kind} data of person {person_id}")
        return done

    def export(self, person_id: UUID) -> dict[str, Any]:
        """Everything Loket holds about the person, decrypted (right of access)."""
        self.app.get(person_id, Person)
        records = []
        events = [e for aggregate_id in self.index.aggregates_of(person_id) for e in self.app.events.get(aggregate_id)]
        for domain_event in sorted(events, key=lambda e: e.timestamp):
            for name, value in sorted(vars(domain_event).items()):
                if isinstance(value, Personal) and value.person_id == person_id:
                    records.append(
                        {
                            "what": domain_event.envelope.get("aggregate", "").rsplit(".", 1)[-1].rsplit(":", 1)[-1],
                            "event": type(domain_event).__name__,
                            "at": domain_event.timestamp.isoformat(),
                            "loket": domain_event.envelope.get("loket"),
                            "field": name,
                            "kind": value.kind,
                            "value": value.value,
                        }
                    )
        return {"person": str(person_id), "records": records}


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
