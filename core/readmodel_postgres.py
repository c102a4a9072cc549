"""The read database of a PostgreSQL store: the read models' tables in the store's schema, shared
by every web node and worker, with their tracking in the library's ``PostgresTrackingRecorder``.

Views write SQLite's dialect (see ``core/readmodel.py``); a cursor here translates it: ``?`` and
``:name`` parameters, SQLite's type names in CREATE statements, ``INSERT OR IGNORE``, the three
functions that differ (``instr``, ``julianday``, ``json_each``) and SQLite's join-order hint. Rows
answer by name and by index, as ``sqlite3.Row`` does. ``Connection`` is the same translation on one
plain connection, for the key store kept in PostgreSQL.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

import psycopg
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.adapt import Loader
from psycopg.sql import SQL, Identifier

from core.readmodel import Batches
from core.store import StoreSettings, datastore_settings

#: Each process keeps this many connections open, and opens more while requests read at once.
POOL_SIZE = 2
POOL_OVERFLOW = 10
#: Taken while tables are created: several processes start at once and race on IF NOT EXISTS.
CREATE_LOCK = "SELECT pg_advisory_lock(hashtext('loket-read-tables'))"
CREATE_UNLOCK = "SELECT pg_advisory_unlock(hashtext('loket-read-tables'))"


class Row:
    """A row by column name (``row["title"]``) and by index (``row[0]``); ``dict(row)`` and
    ``tuple(row)`` work as on ``sqlite3.Row``."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = values
        self._index = index

    def __getitem__(self, key: int | str) -> Any:
        return self._values[self._index[key]] if isinstance(key, str) else self._values[key]

    def keys(self) -> list[str]:
        return list(self._index)

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values))!r})"


class NumberLoader(Loader):
    """``numeric`` results (``SUM`` of integers, ``EXTRACT``) as SQLite gives them: an int when whole,
    else a float, never a ``Decimal``."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        return int(text) if text.lstrip("-").isdigit() else float(text)


def row_factory(cursor: Any) -> Any:
    index = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


class Cursor:
    """A psycopg cursor that takes the views' SQLite dialect; the library's own statements (psycopg
    ``SQL`` objects) pass unchanged."""

    def __init__(self, cursor: Any) -> None:
        self._cursor = cursor

    def execute(self, query: Any, params: Any = None, **kwargs: Any) -> Cursor:
        if isinstance(query, str):
            query = to_postgres(query)
            if not query:
                return self  # a PRAGMA: nothing to do here
            kwargs.setdefault("prepare", False)
        self._cursor.execute(query, params, **kwargs)
        return self

    def executemany(self, query: str, params_seq: Any) -> Cursor:
        self._cursor.executemany(to_postgres(query), params_seq)
        return self

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)


_STRING = re.compile(r"('(?:[^']|'')*')")
_NAMED = re.compile(r"(?<![:\w]):(\w+)")
_TYPES = [  # type names in capitals, as the views write them (a column may be called "text")
    (re.compile(r"\bINTEGER PRIMARY KEY AUTOINCREMENT\b"), "BIGSERIAL PRIMARY KEY"),
    (re.compile(r"\bINTEGER\b"), "BIGINT"),
    (re.compile(r"\bREAL\b"), "DOUBLE PRECISION"),
    # Text sorts and compares by bytes, as in SQLite, not by the server's locale.
    (re.compile(r"\bTEXT\b"), 'TEXT COLLATE "C"'),
    (re.compile(r"\bBLOB\b"), "BYTEA"),
    (re.compile(r"\s+WITHOUT ROWID\b"), ""),
]
_FUNCTIONS = [
    (re.compile(r"\binstr\(", re.IGNORECASE), "strpos("),
    (re.compile(r"\bjulianday\(([^()]*)\)", re.IGNORECASE), r"(EXTRACT(EPOCH FROM (\1)::timestamptz) / 86400.0)"),
    (re.compile(r"\bjson_each\(([^()]*)\) AS (\w+)", re.IGNORECASE), r"jsonb_array_elements_text((\1)::jsonb) WITH ORDINALITY AS \2(value, key)"),
    # SQLite's way to fix the join order; PostgreSQL's planner takes no such hint.
    (re.compile(r"\bCROSS JOIN (\w+ AS \w+) ON\b", re.IGNORECASE), r"JOIN \1 ON"),
]


@lru_cache(maxsize=1024)
def to_postgres(sql: str) -> str:
    """``sql`` in SQLite's dialect, for psycopg (empty for a PRAGMA)."""
    if sql.lstrip().upper().startswith("PRAGMA"):
        return ""
    if sql.lstrip().upper().startswith("INSERT OR IGNORE INTO"):
        sql = "INSERT INTO" + sql.lstrip()[len("INSERT OR IGNORE INTO"):] + " ON CONFLICT DO NOTHING"
    parts = _STRING.split(sql)
    for i, part in enumerate(parts):
        part = part.replace("%", "%%")
        if i % 2 == 0:  # outside string literals
            part = _NAMED.sub(r"%(\1)s", part.replace("?", "%s"))
            if sql.lstrip().upper().startswith("CREATE"):
                for pattern, replacement in _TYPES:
                    part = pattern.sub(replacement, part)
            for pattern, replacement in _FUNCTIONS:
                part = pattern.sub(replacement, part)
        parts[i] = part
    return "".join(parts)


class Connection:
    """One psycopg connection (autocommit) in the store's schema that takes SQLite's dialect, as
    ``sqlite3.Connection.execute`` does: for stores that keep one connection per thread."""

    def __init__(self, store: StoreSettings) -> None:
        settings = datastore_settings(store)
        self.schema = settings["schema"] or "public"
        self._conn = psycopg.connect(
            **{name: settings[name] for name in ("dbname", "host", "port", "user", "password")},
            connect_timeout=int(settings["connect_timeout"]),
            autocommit=True,
        )
        self._conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {0}").format(Identifier(self.schema)))
        self._conn.execute(SQL("SET search_path TO {0}").format(Identifier(self.schema)))

    def execute(self, sql: str, params: Any = ()) -> Any:
        statement = to_postgres(sql)
        return self._conn.execute(statement, params or None, prepare=False) if statement else self._conn.cursor()

    def rewrite(self, *tables: str) -> None:
        """Rewrite ``tables`` into new files (``VACUUM FULL``): the old files, with every deleted
        row in them, are removed. For small tables (the keys)."""
        for table in tables:
            self._conn.execute(SQL("VACUUM FULL {0}").format(Identifier(table)))

    def close(self) -> None:
        self._conn.close()


class PostgresReadDatabase(Batches, PostgresDatastore):
    """The read models' tables in the store's schema."""

    #: The library's tracking table for the read models (the search table keeps its own).
    tracking_table = "read_tracking"

    def __init__(self, store: StoreSettings) -> None:
        super().__init__(**datastore_settings(store), pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW)
        self._local = threading.local()
        with self.get_connection() as conn:
            conn.execute(SQL("CREATE SCHEMA IF NOT EXISTS {0}").format(Identifier(self.schema)))
        self.tracking = PostgresTrackingRecorder(self, tracking_table_name=self.tracking_table)
        with self.schema_lock():
            self.tracking.create_table()

    def after_connect_func(self) -> Any:
        configure = super().after_connect_func()
        # Unqualified table names in the views' SQL are the schema's.
        search_path = SQL("SET search_path TO {0}").format(Identifier(self.schema))

        def after_connect(conn: Any) -> None:
            configure(conn)
            conn.execute(search_path)
            conn.adapters.register_loader("numeric", NumberLoader)

        return after_connect

    @contextmanager
    def _transaction(self, commit: bool) -> Iterator[Cursor]:
        with self.get_connection() as conn, conn.transaction(force_rollback=not commit):
            yield Cursor(conn.cursor(row_factory=row_factory))

    @contextmanager
    def schema_lock(self) -> Iterator[None]:
        with self.get_connection() as conn:
            conn.execute(CREATE_LOCK)
            try:
                yield
            finally:
                conn.execute(CREATE_UNLOCK)

    def erasing(self, c: Any, table: str) -> None:
        """Before personal columns of ``table`` are overwritten: PostgreSQL keeps the old row
        versions until a vacuum, so the table is vacuumed once the overwrite is committed."""
        self.after_commit(lambda: self._vacuum(table))

    def _vacuum(self, table: str) -> None:
        with self.get_connection() as conn:
            conn.execute(SQL("VACUUM {0}").format(Identifier(table)))
