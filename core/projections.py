"""The projection runner: feeds every read model from the one log, each from its own tracked
position, in one pass that reads and decodes each event once.

The library's ``Projection`` classes do the work; this runner replaces its subscription, which the
SQLite recorder does not offer (9.5), by a catch-up loop over ``select_notifications`` that works the
same on SQLite and PostgreSQL. ``loket serve`` runs it after each write (read-your-writes) and on a
timer (writes from other processes); ``loket projections`` shows and rebuilds.

Only one process feeds a data folder at a time (a file lock): a second one skips, or waits for it.

A web node whose projections run elsewhere (``loket worker``; ``loket serve --no-projections`` or
``--workers N``) has a *follower* runner: its ``catch_up()`` processes nothing, it waits (bounded)
until the read models reach the log position of the moment it was called. So every caller that
catches up after a write reads that write on any node, without knowing who projects.
"""

from __future__ import annotations

import fcntl
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection

from core.application import LoketApplication

if TYPE_CHECKING:
    from core.site import Site

TView = TypeVar("TView")

BATCH = 500
#: How long a follower waits for the worker before it answers with what the read models hold.
FOLLOW_TIMEOUT_SECONDS = 5.0
#: How often a waiting follower looks at the positions (a few cheap queries each time).
FOLLOW_POLL_SECONDS = 0.025

log = logging.getLogger(__name__)


class LoketProjection(Projection[TView]):
    """A projection of the one log into a view.

    ``name`` is the key of its tracked position; ``topics`` the events it wants (empty: all).
    ``build(site)`` makes it with its view: by default ``view_class`` in the read database.
    """

    view_class: ClassVar[type[Any]]

    def __init__(self, view: TView, site: Site) -> None:
        super().__init__(view)
        self.site = site

    @classmethod
    def build(cls, site: Site) -> LoketProjection[Any]:
        return cls(cls.view_class(site.read_database, cls.name), site)

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ProjectionStatus:
    name: str
    position: int
    log_position: int

    @property
    def lag(self) -> int:
        return self.log_position - self.position


class ProjectionRunner:
    """Catches the projections up with the log, one event at a time, in log order."""

    def __init__(
        self,
        app: LoketApplication,
        projections: list[Projection[Any]],
        lock_path: Path,
        follower: bool = False,
        read_database: Any = None,
    ) -> None:
        self.app = app
        self.projections = projections
        self.lock_path = lock_path
        #: Where most views are: one transaction of it around each page of the log (``batch()``),
        #: and all their positions read at once (``positions()``).
        self.read_database = read_database
        #: Another process (``loket worker``) projects: catch_up() waits for it instead of working.
        self.follower = follower
        self.follow_timeout = FOLLOW_TIMEOUT_SECONDS
        self._thread_lock = threading.Lock()
        self._caught_up_to: int | None = None
        #: A snapshot's read models stay at the moment they were built for: catch-ups stop here.
        self.frozen_at: int | None = None

    def catch_up(self, wait: bool = True, progress: Progress | None = None, until: int | None = None) -> int:
        """Process every event not yet seen by each projection; return how many were processed.

        With ``wait=False`` another catch-up in progress (in this process or another) makes this one
        return 0 at once: it will see the same events. ``until`` stops at that log position (an
        auditor's replay "as of" a moment).

        A follower processes nothing: see ``follow()``.
        """
        if self.follower and until is None:
            return self.follow() if wait else 0
        return self._process(wait, progress, until)

    def follow(self) -> int:
        """Wait, at most ``follow_timeout`` seconds, until every read model has reached the log
        position of now (another process projects); return 0. Never raises: on time-out, or when
        a position cannot be read, it logs and the caller answers from the read models as they are."""
        try:
            target = min(p for p in (self.app.position(), self.frozen_at) if p is not None)
            behind = list(self.projections)
            deadline = time.monotonic() + self.follow_timeout
            while True:
                # Positions only grow: a read model once at the target is not asked again.
                positions = self._positions()
                behind = [p for p in behind if positions[id(p)] < target]
                if not behind:
                    self._caught_up_to = max(self._caught_up_to or 0, target)
                    return 0
                if time.monotonic() >= deadline:
                    log.warning(
                        "read models still behind log position %d after %.1f s (%s): is a 'loket worker' running?",
                        target, self.follow_timeout, ", ".join(p.name for p in behind),
                    )
                    return 0
                time.sleep(FOLLOW_POLL_SECONDS)
        except Exception:
            log.exception("could not wait for the read models; answering from them as they are")
            return 0

    def _process(self, wait: bool, progress: Progress | None, until: int | None) -> int:
        with self._exclusive(wait) as acquired:
            if not acquired:
                return 0
            limits = [p for p in (until, self.frozen_at) if p is not None]
            log_position = min([self.app.position(), *limits])
            if self._caught_up_to is not None and self._caught_up_to >= log_position:
                return 0  # positions only grow: every view is there already
            processed = self._catch_up(log_position, progress)
            self._caught_up_to = log_position
            return processed

    def _catch_up(self, log_position: int, progress: Progress | None) -> int:
        """One pass over the log from the position of the projection furthest behind: each event is
        read and decoded once, and handed to every projection that wants it and has not seen it."""
        positions = self._positions()
        wanted = {id(p): frozenset(p.topics) for p in self.projections}
        position = min(positions.values(), default=log_position)
        processed = 0
        while position < log_position:
            page = self.app.recorder.select_notifications(start=position, limit=BATCH, stop=log_position, inclusive_of_start=False)
            page_positions = dict(positions)
            with self._batch():
                for notification in page:
                    domain_event = None
                    for projection in self.projections:
                        key = id(projection)
                        if page_positions[key] >= notification.id or (wanted[key] and notification.topic not in wanted[key]):
                            continue
                        if domain_event is None:
                            domain_event = self.app.mapper.to_domain_event(notification)
                        projection.process_event(domain_event, Tracking(projection.view.tracking_name, notification.id))
                        page_positions[key] = notification.id
                        processed += 1
            positions = page_positions  # committed
            if page:
                position = page[-1].id
            if progress:
                progress(position)
            if len(page) < BATCH:
                break
        with self._batch():
            for projection in self.projections:
                projection.view.flush()
                # A filtered projection has seen everything up to the log position, even what it skipped.
                if positions[id(projection)] < log_position:
                    projection.view.record_position(log_position)
        return processed

    def _batch(self) -> AbstractContextManager[Any]:
        return self.read_database.batch() if self.read_database is not None else nullcontext()

    def _positions(self) -> dict[int, int]:
        """Each projection's position, by ``id()``: those in the read database in one query."""
        shared = self.read_database.positions() if self.read_database is not None else {}
        return {
            id(p): shared.get(p.view.tracking_name, 0) if getattr(p.view, "datastore", None) is self.read_database else p.view.position()
            for p in self.projections
        }

    def position(self) -> int:
        """The log position every read model reflects (the lowest of their positions); known
        without asking the views once this runner has caught up (reads report it on every answer)."""
        if self._caught_up_to is not None:
            return self._caught_up_to
        return min(self._positions().values(), default=self.app.position())

    def status(self) -> list[ProjectionStatus]:
        log_position = self.app.position()
        return [ProjectionStatus(p.name, p.view.position(), log_position) for p in self.projections]

    def rebuild(self, progress: Progress | None = None) -> int:
        """Drop every read model and replay the whole log into them."""
        with self._exclusive(wait=True):
            self._caught_up_to = None
            for projection in self.projections:
                projection.view.drop()
        return self._process(True, progress, None)

    @contextmanager
    def _exclusive(self, wait: bool) -> Iterator[bool]:
        if not self._thread_lock.acquire(blocking=wait):
            yield False
            return
        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.lock_path, "a+") as lock_file:
                try:
                    fcntl.flock(lock_file, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    yield False
                    return
                try:
                    yield True
                finally:
                    fcntl.flock(lock_file, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()


class ProjectionTimer:
    """Runs ``work`` every ``interval`` seconds on a daemon thread until stopped: the server's
    catch-up with writes from other processes, and its tick."""

    def __init__(self, interval: float, work: Callable[[], Any]) -> None:
        self.interval = interval
        self.work = work
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="loket-timer", daemon=True)
        self.errors: list[BaseException] = []

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        import logging

        while not self._stop.wait(self.interval):
            try:
                self.work()
            except Exception as error:  # keep serving; the next round retries
                self.errors.append(error)
                logging.getLogger(__name__).exception("timer work failed")
