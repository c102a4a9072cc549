"""The read database: one SQLite file beside the event store (``read.sqlite`` in the data folder),
holding every read model and each one's tracked position.

Read models are caches of the log: dropping them and replaying rebuilds them exactly. A view is the
library's ``SQLiteTrackingRecorder`` with tables of its own; it records its data and its tracking in
one transaction, so an event is applied exactly once even across a crash.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking
from eventsourcing.sqlite import (
    SQLiteConnection,
    SQLiteConnectionPool,
    SQLiteCursor,
    SQLiteDatastore,
    SQLiteTrackingRecorder,
)


class ReadConnectionPool(SQLiteConnectionPool):
    """Connections that do not wait for the disk on every commit (``synchronous=NORMAL`` in WAL
    mode): a crash of the process loses nothing, a power cut at worst the last commits — and a read
    model's data and tracking are in the same commit, so those events are simply projected again.
    The event store keeps the library's full durability."""

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        connection.cursor().execute("PRAGMA synchronous=NORMAL;")
        return connection


class ReadDatabase(SQLiteDatastore):
    """The read database, with batches: inside ``batch()`` every view's transaction on this thread
    is the batch's one, committed at its end. The runner wraps each page of the log in a batch, so
    a replay commits once per page instead of once per event per view; as each view's tracking is
    written in the same transaction as its data, a crash mid-page loses the page and it is simply
    projected again."""

    def __init__(self, path: Path) -> None:
        super().__init__(db_name=str(path), lock_timeout=30)
        self.pool = ReadConnectionPool(db_name=str(path), lock_timeout=30)
        self._local = threading.local()

    @contextmanager
    def transaction(self, *, commit: bool) -> Iterator[SQLiteCursor]:
        cursor = getattr(self._local, "cursor", None)
        if cursor is not None:
            yield cursor
            return
        with super().transaction(commit=commit) as c:
            yield c

    @contextmanager
    def batch(self) -> Iterator[None]:
        if getattr(self._local, "cursor", None) is not None:
            yield  # already in one: it commits
            return
        self._local.after_commit = []
        try:
            with super().transaction(commit=True) as c:
                self._local.cursor = c
                try:
                    yield
                finally:
                    self._local.cursor = None
            for work in self._local.after_commit:
                work()
        finally:
            self._local.after_commit = []

    def after_commit(self, work: Callable[[], None]) -> None:
        """Do ``work`` once what was written is committed: now, or at the end of the batch."""
        if getattr(self._local, "cursor", None) is not None:
            self._local.after_commit.append(work)
        else:
            work()


def open_read_database(path: Path) -> ReadDatabase:
    path.parent.mkdir(parents=True, exist_ok=True)
    return ReadDatabase(path)


class SQLiteView(SQLiteTrackingRecorder):
    """Base of the read models in the read database.

    ``tables`` maps each table to its CREATE statement (and indexes); ``tracking_name`` is the key
    of this view's position in the shared ``tracking`` table.
    """

    tables: ClassVar[dict[str, list[str]]] = {}
    #: Raise it when the tables change: a view of another version is dropped and rebuilt from the log.
    schema_version: ClassVar[int] = 1

    datastore: ReadDatabase

    def __init__(self, datastore: ReadDatabase, tracking_name: str) -> None:
        self.tracking_name = tracking_name
        super().__init__(datastore)
        self.create_table()
        self._rebuild_if_outdated()

    def _rebuild_if_outdated(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("CREATE TABLE IF NOT EXISTS view_schema (name TEXT PRIMARY KEY, version INTEGER NOT NULL)")
            c.execute("SELECT version FROM view_schema WHERE name = ?", (self.tracking_name,))
            row = c.fetchone()
        if row is not None and row["version"] == self.schema_version:
            return
        if row is not None or self.position():
            self.drop()  # the runner replays the log into the new tables
        with self.datastore.transaction(commit=True) as c:
            c.execute("INSERT OR REPLACE INTO view_schema VALUES (?, ?)", (self.tracking_name, self.schema_version))

    def construct_create_table_statements(self) -> list[str]:
        statements = super().construct_create_table_statements()
        for table_statements in self.tables.values():
            statements.extend(table_statements)
        return statements

    def position(self) -> int:
        return self.max_tracking_id(self.tracking_name) or 0

    def record_position(self, notification_id: int) -> None:
        """Move the position forward past events this view does not subscribe to."""
        if notification_id > self.position():
            self.insert_tracking(Tracking(self.tracking_name, notification_id))

    def upsert(self, table: str, row: dict[str, Any], tracking: Tracking, key: str = "id") -> None:
        """Insert ``row`` into ``table``, or replace the columns it names, with the tracking."""
        updates = ", ".join(f"{column} = excluded.{column}" for column in row if column != key)
        statement = (
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(':' + column for column in row)}) "
            f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
        )
        with self.datastore.transaction(commit=True) as c:
            c.execute(statement, row)
            self._insert_tracking(c, tracking)

    def flush(self) -> None:
        """Make batched work durable; SQLite views commit per event, so nothing to do."""

    def drop(self) -> None:
        """Forget everything this view holds, and its position (for a rebuild)."""
        with self.datastore.transaction(commit=True) as c:
            for table in self.tables:
                c.execute(f"DROP TABLE IF EXISTS {table}")
            c.execute("DELETE FROM tracking WHERE application_name = ?", (self.tracking_name,))
            for statement in self.create_table_statements:
                c.execute(statement)

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, in a fixed order: for comparing a rebuild with the live view."""
        rows = {}
        with self.datastore.transaction(commit=False) as c:
            for table in self.tables:
                c.execute(f"SELECT * FROM {table} ORDER BY 1, 2")
                rows[table] = [tuple(row) for row in c.fetchall()]
        return rows


def scrub(view: SQLiteView, table: str, columns: tuple[str, ...], where: str, params: tuple[Any, ...], tracking: Tracking) -> None:
    """Overwrite personal columns of the matching rows, with the tracking, so that nothing of the
    old values stays in the file: SQLite zeroes freed space (``secure_delete``) and the write-ahead
    log is folded back and emptied."""
    from core.privacy import ERASED

    assignments = ", ".join(f"{column} = CASE WHEN {column} IS NULL THEN NULL ELSE ? END" for column in columns)
    with view.datastore.transaction(commit=True) as c:
        c.execute("PRAGMA secure_delete = ON")
        c.execute(f"UPDATE {table} SET {assignments} WHERE {where}", (*([ERASED] * len(columns)), *params))
        view._insert_tracking(c, tracking)
    view.datastore.after_commit(lambda: _fold_back_wal(view.datastore))


def _fold_back_wal(datastore: ReadDatabase) -> None:
    with datastore.transaction(commit=False) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
