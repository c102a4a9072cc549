"""Where the events live: ``[store] url`` mapped onto the eventsourcing library's settings, and the
recorders that make the events table append-only in the database itself.

``sqlite:///loket-data/events.sqlite`` (relative to the configuration file's folder),
``sqlite:////var/lib/loket/events.sqlite`` (absolute), or
``postgresql://user:password@host:5432/database?schema=loket``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder
from psycopg.sql import SQL, Identifier, Literal

DEFAULT_STORE_URL = "sqlite:///loket-data/events.sqlite"

#: The message both databases give when something tries to change a stored event.
APPEND_ONLY_MESSAGE = "stored events are append-only"


@dataclass(frozen=True)
class StoreSettings:
    """A parsed store URL: the library's environment keys, and where SQLite keeps its file."""

    url: str
    env: dict[str, str]
    sqlite_path: Path | None = None

    @property
    def safe_url(self) -> str:
        """The URL with any password masked, for messages and logs."""
        parts = urlsplit(self.url)
        if parts.password is None:
            return self.url
        return parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")).geturl()

    @property
    def is_postgres(self) -> bool:
        return self.sqlite_path is None

    @property
    def data_dir(self) -> Path | None:
        """The folder that holds the SQLite file (read models go beside it)."""
        return self.sqlite_path.parent if self.sqlite_path else None


def parse_store_url(url: str, base_dir: Path) -> StoreSettings:
    """Map ``url`` onto the library's settings; raise ``ValueError`` naming what is wrong."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        if parts.netloc:
            raise ValueError("a sqlite URL has no host: write sqlite:///relative/path or sqlite:////abs/path")
        raw_path = unquote(parts.path)[1:]  # sqlite:///x → "x"; sqlite:////x → "/x"
        if not raw_path:
            raise ValueError("a sqlite URL needs a file path, e.g. sqlite:///loket-data/events.sqlite")
        path = Path(raw_path)
        if not path.is_absolute():
            path = base_dir / path
        return StoreSettings(
            url=url,
            sqlite_path=path,
            env={
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(path),
                "SQLITE_LOCK_TIMEOUT": "30",
                "APPLICATION_RECORDER_TOPIC": "core.store:AppendOnlySQLiteRecorder",
            },
        )
    if parts.scheme in ("postgresql", "postgres"):
        database = unquote(parts.path.lstrip("/"))
        if not parts.hostname:
            raise ValueError("a postgresql URL needs a host, e.g. postgresql://loket@127.0.0.1:5432/loket")
        if not database:
            raise ValueError("a postgresql URL needs a database name after the host, e.g. …:5432/loket")
        try:
            port = parts.port or 5432
        except ValueError:
            raise ValueError(f"the port in {url!r} is not a number") from None
        query = parse_qs(parts.query)
        unknown = set(query) - {"schema"}
        if unknown:
            raise ValueError(f"unknown URL parameter(s) {', '.join(sorted(unknown))}; only 'schema' is understood")
        env = {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": database,
            "POSTGRES_HOST": parts.hostname,
            "POSTGRES_PORT": str(port),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            "POSTGRES_CONNECT_TIMEOUT": "10",
            "POSTGRES_LOCK_TIMEOUT": "10",
            "APPLICATION_RECORDER_TOPIC": "core.store:AppendOnlyPostgresRecorder",
        }
        if "schema" in query:
            env["POSTGRES_SCHEMA"] = query["schema"][0]
        return StoreSettings(url=url, env=env)
    raise ValueError(
        f"unsupported store URL scheme {parts.scheme or '(none)'!r}: use sqlite:///path or postgresql://user@host/db"
    )


def datastore_settings(store: StoreSettings) -> dict[str, Any]:
    """The arguments of the library's ``PostgresDatastore`` for a PostgreSQL store, for the
    datastores Loket opens beside the application's (read models, search)."""
    env = store.env
    return {
        "dbname": env["POSTGRES_DBNAME"],
        "host": env["POSTGRES_HOST"],
        "port": env["POSTGRES_PORT"],
        "user": env["POSTGRES_USER"],
        "password": env["POSTGRES_PASSWORD"],
        "connect_timeout": float(env.get("POSTGRES_CONNECT_TIMEOUT", "10")),
        "lock_timeout": int(env.get("POSTGRES_LOCK_TIMEOUT", "10")),
        "schema": env.get("POSTGRES_SCHEMA", ""),
    }


def notify_channel(schema: str) -> str:
    """The LISTEN/NOTIFY channel on which every append to the events table in ``schema`` is
    announced (``loket worker`` listens). One per schema: several installations may share a
    database. PostgreSQL cuts names at 63 bytes, so a long schema name is hashed instead."""
    channel = f"loket_events_{schema}"
    if len(channel.encode()) > 63:
        channel = f"loket_events_{hashlib.sha256(schema.encode()).hexdigest()[:32]}"
    return channel


class AppendOnlySQLiteRecorder(SQLiteApplicationRecorder):
    """The library's SQLite recorder, with triggers that abort any UPDATE or DELETE of an event."""

    def construct_create_table_statements(self) -> list[str]:
        table = self.events_table_name
        return super().construct_create_table_statements() + [
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE}'); END",
        ]


class AppendOnlyPostgresRecorder(PostgresApplicationRecorder):
    """The library's PostgreSQL recorder, with triggers that refuse UPDATE, DELETE and TRUNCATE.

    Triggers rather than privileges: they bind the table's owner too, which is the role the
    application connects as in a one-role installation. A superuser can still drop them; the
    hash chain of the audit log is what shows such tampering.
    """

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(SQL("SELECT pg_advisory_xact_lock(hashtext('loket-create-schema'))"))
            curs.execute(SQL("CREATE SCHEMA IF NOT EXISTS {0}").format(Identifier(self.datastore.schema)))
        super().create_table()

    def _create_table(self, curs) -> None:  # type: ignore[no-untyped-def]
        # Two processes starting at once would otherwise race on CREATE OR REPLACE.
        curs.execute(SQL("SELECT pg_advisory_xact_lock(hashtext('loket-create-tables'))"))
        super()._create_table(curs)
        schema = Identifier(self.datastore.schema)
        table = Identifier(self.events_table_name)
        function = Identifier(f"{self.events_table_name}_refuse_change")
        curs.execute(
            SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN "
                "RAISE EXCEPTION '{message}' USING ERRCODE = 'insufficient_privilege'; "
                "END $$"
            ).format(schema=schema, function=function, message=SQL(APPEND_ONLY_MESSAGE))
        )
        for trigger, when in (("no_update_delete", "UPDATE OR DELETE"), ("no_truncate", "TRUNCATE")):
            level = "ROW" if when != "TRUNCATE" else "STATEMENT"
            curs.execute(
                SQL(
                    "CREATE OR REPLACE TRIGGER {trigger} BEFORE {when} ON {schema}.{table} "
                    "FOR EACH {level} EXECUTE FUNCTION {schema}.{function}()"
                ).format(
                    trigger=Identifier(f"{self.events_table_name}_{trigger}"),
                    when=SQL(when),
                    schema=schema,
                    table=table,
                    level=SQL(level),
                    function=function,
                )
            )
        self._create_notify_trigger(curs)

    def _create_notify_trigger(self, curs) -> None:  # type: ignore[no-untyped-def]
        # The library NOTIFYs a channel named after the table only, the same in every schema; this
        # one names the schema, and being a trigger it also fires for rows inserted by any other
        # means (an import). Once per statement: the listener only needs to know "something new".
        schema = Identifier(self.datastore.schema)
        function = Identifier(f"{self.events_table_name}_announce")
        curs.execute(
            SQL(
                "CREATE OR REPLACE FUNCTION {schema}.{function}() RETURNS trigger "
                "LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_notify({channel}, ''); RETURN NULL; END $$"
            ).format(schema=schema, function=function, channel=Literal(notify_channel(self.datastore.schema)))
        )
        curs.execute(
            SQL(
                "CREATE OR REPLACE TRIGGER {trigger} AFTER INSERT ON {schema}.{table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION {schema}.{function}()"
            ).format(
                trigger=Identifier(f"{self.events_table_name}_announce"),
                schema=schema,
                table=Identifier(self.events_table_name),
                function=function,
            )
        )
