"""``loket worker``: runs the projections (and the tick) for web nodes that do not.

Several workers may run against one installation; one leads, the others stand by:

- on PostgreSQL the leader holds a session-level advisory lock (``pg_try_advisory_lock``, its key
  from the schema name) on a connection of its own. When the leader dies, SIGKILL included,
  PostgreSQL ends its session and drops the lock; a stand-by, which tries once a second, takes
  over. The same connection LISTENs on the schema's channel (``core.store.notify_channel``), which
  a trigger on the events table notifies at every append; ``poll_seconds`` bounds the wait, so a
  missed notification only delays.
- on SQLite an exclusive file lock in the data folder plays the same role (the kernel drops it
  with the process), and the leader notices appends by watching the log's last position.

The leader catches the read models up after each notification and ticks every ``tick_seconds``.
Web nodes in follower mode (``Site.follow_projections()``) wait for the positions it commits.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from datetime import datetime, timezone
from typing import IO, Any, Protocol

from core.search import WhooshIndex
from core.site import Site
from core.store import notify_channel

log = logging.getLogger(__name__)

#: How often a stand-by tries to take the lead.
STANDBY_SECONDS = 1.0
#: The longest a wait goes without looking at the stop flag: stopping stays prompt.
SLICE_SECONDS = 0.25
#: How often the SQLite leader looks at the log's last position for appends.
SQLITE_WATCH_SECONDS = 0.1


class LeadershipLost(Exception):
    """The lock (or the connection holding it) is gone: another worker may be leading now."""


class Stopping(Exception):
    """Raised inside a catch-up to leave it between two pages when the worker is told to stop."""


class Lease(Protocol):
    def acquire(self) -> bool: ...
    def wait(self, seconds: float, stop: threading.Event) -> bool: ...
    def close(self) -> None: ...


def lock_key(schema: str) -> int:
    """The advisory lock's key for the workers of ``schema``: a signed 64-bit number."""
    digest = hashlib.sha256(f"loket-worker:{schema}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresLease:
    """Leadership through an advisory lock, and appends through LISTEN, on one connection."""

    def __init__(self, env: dict[str, str], schema: str) -> None:
        import psycopg
        from psycopg.sql import SQL, Identifier

        self.key = lock_key(schema)
        self.channel = notify_channel(schema)
        self._listen = SQL("LISTEN {0}").format(Identifier(self.channel))
        self._errors = (psycopg.OperationalError, psycopg.InterfaceError)
        try:
            self.conn = psycopg.connect(
                host=env["POSTGRES_HOST"],
                port=env.get("POSTGRES_PORT", "5432"),
                dbname=env["POSTGRES_DBNAME"],
                user=env["POSTGRES_USER"],
                password=env.get("POSTGRES_PASSWORD") or None,
                connect_timeout=10,
                autocommit=True,
                application_name="loket worker",
                # Our side notices a dead server; the SETs below make the server notice a dead
                # host (a killed process closes its socket, so that case is immediate anyway).
                keepalives=1,
                keepalives_idle=5,
                keepalives_interval=2,
                keepalives_count=3,
            )
            for setting, value in (("tcp_keepalives_idle", 5), ("tcp_keepalives_interval", 2), ("tcp_keepalives_count", 3)):
                self.conn.execute(SQL("SET {0} = {1}").format(Identifier(setting), value))
        except self._errors as error:
            raise LeadershipLost(f"cannot reach PostgreSQL: {error}") from error

    def acquire(self) -> bool:
        """Take the lock if it is free; once held, LISTEN (before the first catch-up, so that no
        append between the two goes unannounced)."""
        try:
            held = self.conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()[0]
            if held:
                self.conn.execute(self._listen)
            return bool(held)
        except self._errors as error:
            raise LeadershipLost(f"lost the connection to PostgreSQL: {error}") from error

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        """Wait until an append is announced (True), ``seconds`` pass or ``stop`` is set (False)."""
        deadline = time.monotonic() + seconds
        try:
            while not stop.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                notified = False
                for _ in self.conn.notifies(timeout=min(SLICE_SECONDS, remaining), stop_after=1):
                    notified = True
                if notified:
                    return True
            return False
        except self._errors as error:
            raise LeadershipLost(f"lost the connection holding the lock: {error}") from error

    def close(self) -> None:
        # Closing the session releases the lock; PostgreSQL does the same for a killed process.
        try:
            self.conn.close()
        except Exception:  # already broken: nothing left to release
            pass


class FileLease:
    """Leadership through an exclusive lock on ``worker.lock`` in the data folder (SQLite store):
    one host, like SQLite itself. Appends are seen by watching the log's last position."""

    def __init__(self, site: Site) -> None:
        self.site = site
        path = site.config.data_dir / "worker.lock"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.file: IO[str] = open(path, "a+")
        self._seen = 0

    def acquire(self) -> bool:
        try:
            fcntl.flock(self.file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        self._seen = self.site.app.position()
        return True

    def wait(self, seconds: float, stop: threading.Event) -> bool:
        deadline = time.monotonic() + seconds
        while not stop.is_set() and time.monotonic() < deadline:
            position = self.site.app.position()
            if position != self._seen:
                self._seen = position
                return True
            stop.wait(min(SQLITE_WATCH_SECONDS, max(0.0, deadline - time.monotonic())))
        return False

    def close(self) -> None:
        self.file.close()  # releases the lock


class Worker:
    """Stands by until it holds the lead, then keeps the read models current and ticks, until
    ``stop()``. ``say`` receives one line per thing worth knowing (the CLI prints them)."""

    def __init__(
        self,
        site: Site,
        tick_seconds: float = 30,
        poll_seconds: float = 5,
        say: Callable[[str], Any] | None = None,
    ) -> None:
        self.site = site
        self.tick_seconds = tick_seconds
        self.poll_seconds = poll_seconds
        self.say = say or (lambda line: log.info("%s", line))
        self._stop = threading.Event()
        #: Set while this worker leads; ``standing_by`` once it has found another one leading.
        self.leading = threading.Event()
        self.standing_by = threading.Event()
        #: Set while the leader has nothing to do but wait for news (after its first catch-up and tick).
        self.idle = threading.Event()

    def stop(self) -> None:
        """Ask the worker to stop: it leaves a catch-up between two pages and a wait at once."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self) -> None:
        """Stand by, lead, and stand by again if the lead is lost, until stopped."""
        pid = os.getpid()
        while not self.stopping:
            try:
                lease = self._lease()
            except LeadershipLost as error:
                self.say(f"{error}; trying again")
                self._stop.wait(STANDBY_SECONDS)
                continue
            try:
                if self._stand_by(lease):
                    self.say(f"leading (pid {pid})")
                    self.leading.set()
                    self._lead(lease)
            except LeadershipLost as error:
                self.say(f"{error}; standing by again")
            finally:
                self.leading.clear()
                lease.close()
        self.say("stopped")

    def _lease(self) -> Lease:
        store = self.site.config.store
        if store.is_postgres:
            return PostgresLease(store.env, self.site.app.recorder.datastore.schema)
        return FileLease(self.site)

    def _stand_by(self, lease: Lease) -> bool:
        """Try for the lead once a second; True once held, False when stopped first."""
        announced = False
        while not self.stopping:
            if lease.acquire():
                return True
            if not announced:
                self.say("standing by: another worker leads")
                self.standing_by.set()
                announced = True
            self._stop.wait(STANDBY_SECONDS)
        return False

    def _lead(self, lease: Lease) -> None:
        self._catch_up()
        next_tick = time.monotonic()
        while not self.stopping:
            if time.monotonic() >= next_tick:
                self._tick()
                next_tick = time.monotonic() + self.tick_seconds
            self.idle.set()
            try:
                lease.wait(min(self.poll_seconds, max(0.0, next_tick - time.monotonic())), self._stop)
            finally:
                self.idle.clear()
            if not self.stopping:
                self._catch_up()

    def _catch_up(self) -> None:
        site = self.site

        def progress(_position: int) -> None:
            if self.stopping:
                raise Stopping

        try:
            processed = site.projections.catch_up(progress=progress)
            # Whoosh keeps a position-only change in memory for a while (a commit costs tens of
            # milliseconds); web nodes wait on the committed position, so commit it now.
            for projection in site.projections.projections:
                if isinstance(projection.view, WhooshIndex):
                    projection.view.flush(force=True)
        except Stopping:
            return
        except Exception as error:  # a failing projection: retried at the next round
            log.exception("catch-up failed")
            self.say(f"catch-up failed: {type(error).__name__}: {error}")
            return
        if processed:
            self.say(f"caught up to log position {site.projections.position()} ({processed} event(s) projected)")

    def _tick(self) -> None:
        try:
            for line in self.site.tick(datetime.now(timezone.utc)):
                self.say(f"tick: {line}")
        except Exception as error:  # the next tick tries again
            log.exception("tick failed")
            self.say(f"tick failed: {type(error).__name__}: {error}")
