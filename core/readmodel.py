"""The read database: every read model and each one's tracked position. With a SQLite store it
is one SQLite file beside the event store (``read.sqlite`` in the data folder); with a PostgreSQL
store it is tables in the store's schema (``core/readmodel_postgres.py``), shared by every node.

Read models are caches of the log: dropping them and replaying rebuilds them exactly. A view
records its data and its tracking (the library's tracking recorder, on the same database) in one
transaction, so an event is applied exactly once even across a crash.

Views write their SQL once, in the dialect both databases understand (upserts with ``ON CONFLICT``,
``lower()`` for case-blind order) with SQLite's ``?``/``:name`` parameters; the PostgreSQL
database translates parameters and the few functions that differ.
"""

from __future__ import annotations

import threading
from abc import abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any, ClassVar

from eventsourcing.persistence import Tracking, TrackingRecorder
from eventsourcing.sqlite import SQLiteConnection, SQLiteConnectionPool, SQLiteCursor, SQLiteDatastore, SQLiteTrackingRecorder


class Batches:
    """Transactions with batches: inside ``batch()`` every view's transaction on this thread is
    the batch's one, committed at its end. The runner wraps each page of the log in a batch, so a
    replay commits once per page instead of once per event per view; as each view's tracking is
    written in the same transaction as its data, a crash mid-page loses the page and it is simply
    projected again."""

    _local: threading.local
    tracking: TrackingRecorder
    tracking_table: str

    @property
    def _batch_cursor(self) -> Any:
        """The cursor of this thread's batch, or None outside one."""
        return getattr(self._local, "cursor", None)

    @abstractmethod
    def _transaction(self, commit: bool) -> AbstractContextManager[Any]:
        """A transaction of its own on a connection of the pool."""

    @contextmanager
    def transaction(self, *, commit: bool = False) -> Iterator[Any]:
        if self._batch_cursor is not None:
            yield self._batch_cursor
            return
        with self._transaction(commit) as c:
            yield c

    @contextmanager
    def batch(self) -> Iterator[None]:
        if self._batch_cursor is not None:
            yield  # already in one: it commits
            return
        self._local.after_commit = []
        self._local.deferred = {}
        try:
            with self._transaction(True) as c:
                self._local.cursor = c
                try:
                    yield
                    for name, notification_id in self._local.deferred.items():
                        self.tracking._insert_tracking(c, Tracking(name, notification_id))  # type: ignore[attr-defined]
                finally:
                    self._local.cursor = None
            for work in self._local.after_commit:
                work()
        finally:
            self._local.after_commit = []
            self._local.deferred = {}

    def defer_tracking(self, tracking: Tracking) -> bool:
        """In a batch, keep only each view's last position and write it once, at the end, in the
        same transaction as the data: a page of events costs one tracking write per view, not one
        per event. False outside a batch: write it now."""
        if self._batch_cursor is None:
            return False
        deferred = self._local.deferred
        deferred[tracking.application_name] = max(tracking.notification_id, deferred.get(tracking.application_name, 0))
        return True

    def deferred_position(self, name: str) -> int:
        """A position written in this thread's batch and not yet committed (0: none)."""
        return self._local.deferred.get(name, 0) if self._batch_cursor is not None else 0

    def positions(self) -> dict[str, int]:
        """The position of every view in this database, by tracking name (one query)."""
        with self.transaction(commit=False) as c:
            c.execute(f"SELECT application_name, notification_id FROM {self.tracking_table}")
            return {row[0]: row[1] or 0 for row in c.fetchall()}

    def after_commit(self, work: Callable[[], None]) -> None:
        """Do ``work`` once what was written is committed: now, or at the end of the batch."""
        if self._batch_cursor is not None:
            self._local.after_commit.append(work)
        else:
            work()


class ReadConnectionPool(SQLiteConnectionPool):
    """Connections that do not wait for the disk on every commit (``synchronous=NORMAL`` in WAL
    mode): a crash of the process loses nothing, a power cut at worst the last commits — and a read
    model's data and tracking are in the same commit, so those events are simply projected again.
    The event store keeps the library's full durability."""

    def _create_connection(self) -> SQLiteConnection:
        connection = super()._create_connection()
        connection.cursor().execute("PRAGMA synchronous=NORMAL;")
        return connection


class ReadDatabase(Batches, SQLiteDatastore):
    """The read database of a SQLite store: one file."""

    #: The library's tracking table (``SQLiteTrackingRecorder``).
    tracking_table = "tracking"

    def __init__(self, path: Path) -> None:
        super().__init__(db_name=str(path), lock_timeout=30)
        self.pool = ReadConnectionPool(db_name=str(path), lock_timeout=30)
        self._local = threading.local()
        self.tracking: TrackingRecorder = SQLiteTrackingRecorder(self)
        self.tracking.create_table()

    def _transaction(self, commit: bool) -> AbstractContextManager[SQLiteCursor]:
        return SQLiteDatastore.transaction(self, commit=commit)

    def schema_lock(self) -> AbstractContextManager[Any]:
        return nullcontext()  # a SQLite transaction holds the file's write lock

    def erasing(self, c: Any, table: str) -> None:
        """Before personal columns of ``table`` are overwritten: leave nothing of the old values in
        the file. SQLite zeroes freed space (``secure_delete``), and the write-ahead log is folded
        back and emptied once the overwrite is committed."""
        c.execute("PRAGMA secure_delete = ON")
        self.after_commit(self._fold_back_wal)

    def _fold_back_wal(self) -> None:
        with self.transaction(commit=False) as c:
            c.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def open_read_database(path: Path) -> ReadDatabase:
    path.parent.mkdir(parents=True, exist_ok=True)
    return ReadDatabase(path)


def replacing(key: str, *columns: str) -> str:
    """The clause that makes an INSERT replace the columns of the row with the same ``key`` (one
    column, or several separated by commas): SQLite's INSERT OR REPLACE, in SQL both databases know."""
    return f"ON CONFLICT ({key}) DO UPDATE SET " + ", ".join(f"{column} = excluded.{column}" for column in columns)


class ReadView:
    """Base of the read models in the read database (SQLite or PostgreSQL).

    ``tables`` maps each table to its CREATE statement (and indexes); ``tracking_name`` is the key
    of this view's position in the database's tracking table.
    """

    tables: ClassVar[dict[str, list[str]]] = {}
    #: Raise it when the tables change: a view of another version is dropped and rebuilt from the log.
    schema_version: ClassVar[int] = 1

    def __init__(self, datastore: Any, tracking_name: str) -> None:
        self.datastore = datastore
        self.tracking_name = tracking_name
        self.tracking: TrackingRecorder = datastore.tracking
        with datastore.schema_lock():
            self.create_table()
            self._rebuild_if_outdated()

    @property
    def create_table_statements(self) -> list[str]:
        return [statement for statements in self.tables.values() for statement in statements]

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as c:
            for statement in self.create_table_statements:
                c.execute(statement)

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
            c.execute("INSERT INTO view_schema VALUES (?, ?) " + replacing("name", "version"), (self.tracking_name, self.schema_version))

    def _insert_tracking(self, c: Any, tracking: Tracking) -> None:
        if not self.datastore.defer_tracking(tracking):
            self.tracking._insert_tracking(c, tracking)  # type: ignore[attr-defined]

    def insert_tracking(self, tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            self._insert_tracking(c, tracking)

    def max_tracking_id(self, name: str) -> int | None:
        with self.datastore.transaction(commit=False) as c:
            stored = self.tracking._max_tracking_id(name, c)  # type: ignore[attr-defined]
        return max(stored or 0, self.datastore.deferred_position(name)) or None

    def position(self) -> int:
        return self.max_tracking_id(self.tracking_name) or 0

    def record_position(self, notification_id: int) -> None:
        """Move the position forward past events this view does not subscribe to."""
        if notification_id > self.position():
            self.insert_tracking(Tracking(self.tracking_name, notification_id))

    def upsert(self, table: str, row: dict[str, Any], tracking: Tracking, key: str = "id") -> None:
        """Insert ``row`` into ``table``, or replace the columns it names, with the tracking."""
        statement = (
            f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(':' + column for column in row)}) "
            + replacing(key, *(column for column in row if column != key))
        )
        with self.datastore.transaction(commit=True) as c:
            c.execute(statement, row)
            self._insert_tracking(c, tracking)

    def flush(self) -> None:
        """Make work kept in memory durable; these views write with each event (in the runner's batch)."""

    def drop(self) -> None:
        """Forget everything this view holds, and its position (for a rebuild)."""
        with self.datastore.transaction(commit=True) as c:
            for table in self.tables:
                c.execute(f"DROP TABLE IF EXISTS {table}")
            c.execute(f"DELETE FROM {self.datastore.tracking_table} WHERE application_name = ?", (self.tracking_name,))
            for statement in self.create_table_statements:
                c.execute(statement)

    def dump(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, in a fixed order: for comparing a rebuild with the live view."""
        rows = {}
        with self.datastore.transaction(commit=False) as c:
            for table in self.tables:
                c.execute(f"SELECT * FROM {table}")
                rows[table] = sorted((tuple(row) for row in c.fetchall()), key=repr)
        return rows


def scrub(view: ReadView, table: str, columns: tuple[str, ...], where: str, params: tuple[Any, ...], tracking: Tracking) -> None:
    """Overwrite personal columns of the matching rows, with the tracking, so that nothing of the
    old values stays in the database (see the database's ``erasing``)."""
    from core.privacy import ERASED

    assignments = ", ".join(f"{column} = CASE WHEN {column} IS NULL THEN NULL ELSE ? END" for column in columns)
    with view.datastore.transaction(commit=True) as c:
        view.datastore.erasing(c, table)
        c.execute(f"UPDATE {table} SET {assignments} WHERE {where}", (*([ERASED] * len(columns)), *params))
        view._insert_tracking(c, tracking)
