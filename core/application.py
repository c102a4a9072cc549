"""The one eventsourcing Application of a Loket installation.

It holds every aggregate type, core's and the plugins', so the library's notification log is the one
global order of everything that happened: projections, audit and followers all read it.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Iterator, Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError, Application
from eventsourcing.persistence import IntegrityError, JSONTranscoder, PersistenceError, Recording
from eventsourcing.utils import get_topic

from core.errors import NotFoundError, StaleVersionError, StoreUnavailableError
from core.privacy import KeyStore, PersonalAsCiphertext
from core.store import StoreSettings

A = TypeVar("A")


class LoketApplication(Application[UUID]):
    """Commands save aggregates here; the store is chosen by ``[store] url``."""

    # Also the prefix of the library's settings and of the PostgreSQL tables (loket_events).
    name = "Loket"

    def __init__(self, store: StoreSettings, keys: KeyStore) -> None:
        self.store = store
        self.keys = keys
        self._cache: dict[UUID, tuple[Any, int]] = {}  # the aggregate, and the log position it was checked at
        self._cache_lock = threading.Lock()
        try:
            if store.sqlite_path is not None:
                store.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
            super().__init__(env=store.env)
        except (PersistenceError, OSError) as error:
            reason = (getattr(error, "strerror", None) or str(error)).strip().splitlines()[0] or type(error).__name__
            raise StoreUnavailableError(f"Cannot open the event store {store.safe_url}: {reason}") from error

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(PersonalAsCiphertext(self.keys))

    def save(self, *objs: Any, **kwargs: Any) -> list[Recording]:
        """Save aggregates atomically; a write over a version someone else wrote is refused."""
        try:
            return super().save(*objs, **kwargs)
        except IntegrityError as error:
            raise StaleVersionError(
                "This item was changed by someone else since it was read; reload it and try again."
            ) from error

    def get(self, aggregate_id: UUID, kind: type[A], expected_version: int | None = None) -> A:
        """The current state of one aggregate of ``kind``.

        :raise NotFoundError: no such aggregate, or one of another kind.
        :raise StaleVersionError: ``expected_version`` is given and is no longer current.
        """
        try:
            aggregate = self.repository.get(aggregate_id)
        except AggregateNotFoundError:
            raise NotFoundError(f"{kind.__name__} {aggregate_id} does not exist.") from None
        if not isinstance(aggregate, kind):
            raise NotFoundError(f"{kind.__name__} {aggregate_id} does not exist.")
        if expected_version is not None and aggregate.version != expected_version:
            raise StaleVersionError(
                f"{kind.__name__} {aggregate_id} is at version {aggregate.version}, "
                f"not {expected_version}: it was changed since it was read.",
                current_version=aggregate.version,
            )
        return aggregate

    def get_cached(self, aggregate_id: UUID, kind: type[A]) -> A:
        """Like ``get`` for aggregates read on every request (lokets, tokens): kept in memory and
        brought up to date from the store when the log has moved since (one cheap query when it
        has not), handed out as copies. Only for aggregates without personal data: an erasure must
        not leave copies in memory."""
        position = self.position()
        with self._cache_lock:
            cached, seen_at = self._cache.get(aggregate_id, (None, -1))
            if cached is None:
                cached = self.get(aggregate_id, kind)
            elif seen_at != position:
                for domain_event in self.events.get(aggregate_id, gt=cached.version):
                    domain_event.mutate(cached)
            self._cache[aggregate_id] = (cached, position)
            return copy.deepcopy(cached)

    def aggregate_ids(self, created_event_class: type, page_size: int = 500) -> Iterator[UUID]:
        """The ids of every aggregate created with ``created_event_class``, oldest first."""
        for notification in self._notifications([get_topic(created_event_class)], page_size):
            yield notification.originator_id

    def domain_events(self, *event_classes: type, page_size: int = 500) -> Iterator[Any]:
        """Every event of ``event_classes`` (all events when none are given), in the global order."""
        for notification in self._notifications([get_topic(cls) for cls in event_classes], page_size):
            yield self.mapper.to_domain_event(notification)

    def _notifications(self, topics: list[str], page_size: int) -> Iterator[Any]:
        start = 0
        while True:
            page: Sequence[Any] = self.recorder.select_notifications(
                start=start, limit=page_size, topics=topics, inclusive_of_start=False
            )
            yield from page
            if len(page) < page_size:
                return
            start = page[-1].id

    def position(self) -> int:
        """The notification id of the newest event (0 for an empty store)."""
        return self.recorder.max_notification_id() or 0
