"""Search: one small backend interface, so that no plugin knows the engine, and the embedded engine,
whoosh, kept up to date as one more projection of the log.

Documents are the published state only: a content item is added when it is published, replaced when
it is published again, and removed when it is unpublished or withdrawn. Plugins add documents of their
own through the ``search_documents`` hook. Upserts are keyed by id, so replaying is safe. Writes are
batched (one commit per catch-up, or per ``COMMIT_EVERY`` documents) and the tracked position is
committed with them; one searcher stays open and is refreshed after each commit.
"""

from __future__ import annotations

import shutil
import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import singledispatchmethod
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import resolve_topic
from whoosh import index, sorting
from whoosh.analysis import CharsetFilter, Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import And, Every, Or, Term
from whoosh.support.charset import accent_map

from core.content.domain import ContentItem
from core.markdown import markdown_text
from core.projections import LoketProjection

if TYPE_CHECKING:
    from core.site import Site

#: Each whoosh commit writes a segment that later commits merge: at 500 a rebuild of 10,000 documents
#: ran at 0.6 × the bare writer, at 5,000 as fast (bench/replay.py). The batch is held in memory.
COMMIT_EVERY = 5000
#: A position-only change (events that change no document) is committed at most this often: a
#: whoosh commit costs tens of milliseconds and leaves a segment behind.
POSITION_COMMIT_SECONDS = 30.0
#: Filters (a loket's types and facet values) whose documents are kept per searcher.
FILTERS_KEPT = 64
TRACKING_PREFIX = "__tracking__:"


@dataclass(frozen=True)
class SearchHit:
    id: str
    type: str
    slug: str
    title: str
    highlights: str  # HTML: matched words in <mark>, the rest escaped
    score: float


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class SearchBackend(ABC):
    """What the API asks of a search engine: whoosh (``WhooshIndex``) or PostgreSQL full-text
    search (``core.search_postgres``), chosen by ``[search] engine``."""

    @abstractmethod
    def search(
        self,
        loket: str,
        text: str,
        types: list[str],
        filters: dict[str, list[str]] | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> SearchResult:
        """Published documents of ``loket`` and ``types`` matching ``text`` (all when empty), best
        first, with facet counts by ``type`` and ``sector``."""

    @abstractmethod
    def ranked_ids(self, loket: str, text: str, types: list[str], limit: int) -> list[str]:
        """The ids of at most ``limit`` published documents matching ``text``, best first: for a
        plugin that filters, counts and pages in its own read model and needs only the matching."""


class UndoubleFilter(Filter):
    """Dutch plurals double a consonant the stemmer keeps (lessen → less, klassen → klass)."""

    def __call__(self, tokens: Any) -> Any:
        for token in tokens:
            text = token.text
            if len(text) > 3 and text[-1] == text[-2] and text[-1] not in "aeiou":
                token.text = text[:-1]
            yield token


def dutch_analyzer() -> Any:
    """Words, lowercased, accents folded (conciërge = concierge), Dutch stop words, Snowball stems."""
    return (
        RegexTokenizer()
        | LowercaseFilter()
        | CharsetFilter(accent_map)
        | StopFilter(lang="nl")
        | StemFilter(lang="nl", cachesize=50000)
        | UndoubleFilter()
    )


def search_schema() -> Schema:
    return Schema(
        id=ID(stored=True, unique=True),
        loket=ID(stored=True),
        type=ID(stored=True, sortable=True),
        slug=STORED(),
        title=TEXT(analyzer=dutch_analyzer(), stored=True, field_boost=2.0),
        body=TEXT(analyzer=dutch_analyzer(), stored=True),
        sector=KEYWORD(stored=True, commas=True, sortable=True),
        tag=KEYWORD(stored=True, commas=True, lowercase=True),
        position=NUMERIC(stored=True, bits=64),
    )


class WhooshIndex(SearchBackend):
    """The whoosh index in a folder: the search projection's view and the search backend in one."""

    def __init__(self, path: Path, tracking_name: str = "search") -> None:
        self.path = path
        self.tracking_name = tracking_name
        path.mkdir(parents=True, exist_ok=True)
        self.index = index.open_dir(str(path)) if index.exists_in(str(path)) else index.create_in(str(path), search_schema())
        # The batch, by document id (None: delete). Whoosh's writer neither updates nor deletes
        # documents added in the same uncommitted batch, so each id's last change wins here.
        self._batch: dict[str, dict[str, Any] | None] = {}
        self._positions: dict[str, int] = {}
        self._committed_at = time.monotonic()
        self._searcher = self.index.searcher()
        self._searcher_lock = threading.Lock()
        # The documents each filter lets through (a loket, its types, facet values), per searcher:
        # whoosh would otherwise find them again for every query (~200 ms at 50,000 documents).
        self._filters: OrderedDict[tuple[Any, ...], set[int]] = OrderedDict()
        self._filters_of: Any = None

    # The view side (used by the search projection only)

    def upsert(self, document: dict[str, Any]) -> None:
        self._batch[document["id"]] = document

    def delete(self, document_id: str) -> None:
        self._batch[document_id] = None

    def insert_tracking(self, tracking: Tracking) -> None:
        self._positions[tracking.application_name] = tracking.notification_id
        if len(self._batch) >= COMMIT_EVERY:
            self.flush()

    def max_tracking_id(self, name: str) -> int | None:
        if name in self._positions:
            return self._positions[name]
        with self._searcher_lock:
            # Another process (loket worker) may have committed: a follower waits on this position.
            if not self._searcher.up_to_date():
                self._searcher = self._refreshed(self._searcher)
            stored = self._searcher.document(id=TRACKING_PREFIX + name)
        return stored["position"] if stored else None

    def position(self) -> int:
        return self.max_tracking_id(self.tracking_name) or 0

    def record_position(self, notification_id: int) -> None:
        if notification_id > self.position():
            self._positions[self.tracking_name] = notification_id
            self.flush()

    def flush(self, force: bool = False) -> None:
        """Commit the batch and the positions together, then refresh the open searcher.

        Positions alone wait (in memory) for the next batch, or ``POSITION_COMMIT_SECONDS``: after
        a crash the events since are replayed, which changes nothing (upserts by id).
        """
        if not self._batch and not self._positions:
            return
        if not self._batch and not force and time.monotonic() - self._committed_at < POSITION_COMMIT_SECONDS:
            return
        writer = self.index.writer(timeout=30)
        try:
            for document_id, document in self._batch.items():
                if document is None:
                    writer.delete_by_term("id", document_id)
                else:
                    writer.update_document(**document)
            for name, position in self._positions.items():
                writer.update_document(id=TRACKING_PREFIX + name, position=position)
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        self._batch = {}
        self._positions = {}
        self._committed_at = time.monotonic()
        with self._searcher_lock:
            self._searcher = self._refreshed(self._searcher)

    def drop(self) -> None:
        """Empty the index (for a rebuild)."""
        self._batch = {}
        self._positions = {}
        with self._searcher_lock:
            self._searcher.close()
            shutil.rmtree(self.path)
            self.path.mkdir(parents=True)
            self.index = index.create_in(str(self.path), search_schema())
            self._searcher = self.index.searcher()

    def _refreshed(self, searcher: Any) -> Any:
        # Reopened, not refresh()ed: in whoosh3 3.54 a refreshed searcher still sees documents
        # deleted by a delete-only commit, and refresh() fails on a searcher of an empty index.
        # (Both shown by tests/core/test_search.py; reopening costs about 3 ms per commit.)
        searcher.close()
        return self.index.searcher()

    def dump(self) -> list[dict[str, Any]]:
        """Every stored document (not the positions), sorted by id: for comparing a rebuild with
        the live index."""
        with self._searcher_lock:
            documents = [dict(doc) for doc in self._searcher.all_stored_fields()]
        return sorted((d for d in documents if not d["id"].startswith(TRACKING_PREFIX)), key=lambda d: d["id"])

    def close(self) -> None:
        self.flush(force=True)
        with self._searcher_lock:
            self._searcher.close()

    # The backend side

    def search(
        self,
        loket: str,
        text: str,
        types: list[str],
        filters: dict[str, list[str]] | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> SearchResult:
        if not types:
            return SearchResult([], 0, {"type": {}, "sector": {}})
        conditions = [Term("loket", loket), Or([Term("type", t) for t in types])]
        for name, values in (filters or {}).items():
            conditions.append(Or([Term(name, v) for v in values]))
        query = MultifieldParser(["title", "body"], self.index.schema, group=OrGroup.factory(0.9)).parse(text) if text.strip() else Every()
        facets = {"type": sorting.FieldFacet("type"), "sector": sorting.FieldFacet("sector", allow_overlap=True)}
        with self._searcher_lock:
            # Another process (loket worker) may have committed since: answer from its commit.
            if not self._searcher.up_to_date():
                self._searcher = self._refreshed(self._searcher)
            key = (loket, tuple(types), tuple(sorted((name, tuple(values)) for name, values in (filters or {}).items())))
            allowed = self._allowed(key, And(conditions))
            if not allowed:  # whoosh reads an empty filter as none at all
                return SearchResult([], 0, {"type": {}, "sector": {}})
            results = self._searcher.search_page(
                query, page, pagelen=page_size, filter=allowed, groupedby=facets, maptype=sorting.Count
            )
            results.results.fragmenter = ContextFragmenter(maxchars=240, surround=60)
            results.results.formatter = HtmlFormatter(tagname="mark", between=" … ")
            hits = [
                SearchHit(
                    id=hit["id"],
                    type=hit["type"],
                    slug=hit.get("slug", ""),
                    title=hit.get("title", ""),
                    highlights=(hit.highlights("body", top=2) or hit.highlights("title")) if text.strip() else "",
                    score=round(float(hit.score or 0), 4),
                )
                for hit in results
            ]
            groups = {name: dict(results.results.groups(name)) for name in facets}
            return SearchResult(hits=hits, total=results.total, facets=groups)


    def ranked_ids(self, loket: str, text: str, types: list[str], limit: int) -> list[str]:
        if not text.strip() or not types:
            return []
        query = MultifieldParser(["title", "body"], self.index.schema, group=OrGroup.factory(0.9)).parse(text)
        condition = And([Term("loket", loket), Or([Term("type", t) for t in types])])
        with self._searcher_lock:
            if not self._searcher.up_to_date():  # as in search()
                self._searcher = self._refreshed(self._searcher)
            allowed = self._allowed((loket, tuple(types), ()), condition)
            if not allowed:  # whoosh reads an empty filter as none at all
                return []
            results = self._searcher.search(query, limit=limit, filter=allowed)
            return [hit["id"] for hit in results]

    def _allowed(self, key: tuple[Any, ...], condition: Any) -> set[int]:
        """The document numbers ``condition`` matches in the current searcher (held: the lock)."""
        if self._filters_of is not self._searcher:
            self._filters.clear()
            self._filters_of = self._searcher
        found = self._filters.get(key)
        if found is None:
            found = self._filters[key] = set(self._searcher.docs_for_query(condition))  # whoosh takes a set, only reads it
            while len(self._filters) > FILTERS_KEPT:
                self._filters.popitem(last=False)
        else:
            self._filters.move_to_end(key)
        return found


def _plain(value: Any) -> str:
    """A field's value as text to search: a list's items one per line."""
    if isinstance(value, list):
        return "\n".join(str(item) for item in value)
    return str(value or "")


class SearchProjection(LoketProjection[WhooshIndex]):
    """Feeds the index: published content of every type, and the plugins' own documents."""

    name = "search"
    topics = ()  # every event: any plugin may have documents for it

    @classmethod
    def build(cls, site: Site) -> SearchProjection:
        return cls(site.search_index, site)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self._plugin_documents(domain_event)
        self.view.insert_tracking(tracking)

    @process_event.register
    def published(self, domain_event: ContentItem.Published, tracking: Tracking) -> None:
        content_type = self._content_type(domain_event)
        if content_type is not None:
            fields = domain_event.fields
            text = "\n\n".join(
                markdown_text(str(fields.get(name) or "")) if name in content_type.markdown_fields else _plain(fields.get(name))
                for name in content_type.search_fields
                if name != content_type.title_field
            )
            self.view.upsert(
                {
                    "id": str(domain_event.originator_id),
                    "loket": domain_event.envelope["loket"],
                    "type": content_type.name,
                    "slug": domain_event.slug,
                    "title": str(fields.get(content_type.title_field, "")),
                    "body": text,
                    "sector": ",".join(fields.get("sectors") or []),
                    "tag": ",".join(fields.get("tags") or []),
                }
            )
        self._plugin_documents(domain_event)
        self.view.insert_tracking(tracking)

    @process_event.register
    def unpublished(self, domain_event: ContentItem.Unpublished, tracking: Tracking) -> None:
        self.view.delete(str(domain_event.originator_id))
        self._plugin_documents(domain_event)
        self.view.insert_tracking(tracking)

    @process_event.register
    def withdrawn(self, domain_event: ContentItem.Withdrawn, tracking: Tracking) -> None:
        self.view.delete(str(domain_event.originator_id))
        self._plugin_documents(domain_event)
        self.view.insert_tracking(tracking)

    @process_event.register
    def closed(self, domain_event: ContentItem.Closed, tracking: Tracking) -> None:
        self.view.delete(str(domain_event.originator_id))
        self._plugin_documents(domain_event)
        self.view.insert_tracking(tracking)

    def _content_type(self, domain_event: Any) -> Any:
        try:
            return self.site.content_types.of_aggregate(resolve_topic(domain_event.envelope["aggregate"]))
        except Exception:  # the aggregate's class can no longer be imported
            return None

    def _plugin_documents(self, domain_event: Any) -> None:
        for document in self.site.plugins.collect("search_documents", domain_event=domain_event):
            if document.get("deleted"):
                self.view.delete(document["id"])
            else:
                self.view.upsert(
                    {
                        "id": document["id"],
                        "loket": document["loket"],
                        "type": document["type"],
                        "slug": document.get("slug", ""),
                        "title": document.get("title", ""),
                        "body": document.get("body", ""),
                        "sector": ",".join(document.get("sector") or []),
                        "tag": ",".join(document.get("tag") or []),
                    }
                )
