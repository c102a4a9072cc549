"""The content read model: every item of every content type, its working copy for editors and its
public copy pre-rendered, with facet rows for filtering. Lists and details are served from here."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import singledispatchmethod
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic, resolve_topic

from core.content.domain import CLOSED, PUBLISHED, UNPUBLISHED, WITHDRAWN, ContentItem
from core.content.registry import ContentType
from core.content.rendering import render_fields, render_item
from core.projections import LoketProjection
from core.readmodel import ReadView

if TYPE_CHECKING:
    from core.site import Site

LIFECYCLE_EVENTS = (
    ContentItem.SubmittedForApproval,
    ContentItem.Approved,
    ContentItem.Rejected,
    ContentItem.Revised,
    ContentItem.Published,
    ContentItem.Unpublished,
    ContentItem.PublicationScheduled,
    ContentItem.Reverted,
    ContentItem.Withdrawn,
    ContentItem.Closed,
)


class ContentView(ReadView):
    """Rows of ``content_items`` (one per item) and ``content_facets`` (one per filterable value)."""

    schema_version = 4  # 2: approval columns; 3: outcome and gone_slug of closed items; 4: first_published_at

    tables = {
        "content_items": [
            "CREATE TABLE IF NOT EXISTS content_items ("
            "id TEXT PRIMARY KEY, loket TEXT NOT NULL, type TEXT NOT NULL, slug TEXT NOT NULL, "
            "status TEXT NOT NULL, version INTEGER NOT NULL, title TEXT NOT NULL, "
            "fields_json TEXT NOT NULL, working_json TEXT NOT NULL, "
            "public_slug TEXT, public_title TEXT, public_json TEXT, "
            "created_at TEXT NOT NULL, updated_at TEXT NOT NULL, published_at TEXT, first_published_at TEXT, "
            "publish_at TEXT, unpublish_at TEXT, approval TEXT, approval_comment TEXT, "
            "outcome TEXT, gone_slug TEXT)",
            "CREATE INDEX IF NOT EXISTS content_items_list ON content_items (loket, type, status)",
            "CREATE UNIQUE INDEX IF NOT EXISTS content_items_public ON content_items (loket, type, public_slug)",
            "CREATE INDEX IF NOT EXISTS content_items_due ON content_items (publish_at, unpublish_at)",
            "CREATE INDEX IF NOT EXISTS content_items_gone ON content_items (loket, type, gone_slug)",
        ],
        "content_facets": [
            "CREATE TABLE IF NOT EXISTS content_facets ("
            "item_id TEXT NOT NULL, copy TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, "
            "PRIMARY KEY (item_id, copy, name, value))",
            "CREATE INDEX IF NOT EXISTS content_facets_lookup ON content_facets (copy, name, value)",
        ],
    }

    # Writes: each with the event's tracking, in one transaction.

    def save_item(self, row: dict[str, Any], facets: dict[str, list[tuple[str, str]]], tracking: Tracking) -> None:
        columns = ", ".join(row)
        placeholders = ", ".join(f":{name}" for name in row)
        updates = ", ".join(f"{name} = excluded.{name}" for name in row if name != "id")
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT INTO content_items ({columns}) VALUES ({placeholders}) ON CONFLICT (id) DO UPDATE SET {updates}",
                row,
            )
            for copy, values in facets.items():
                c.execute("DELETE FROM content_facets WHERE item_id = ? AND copy = ?", (row["id"], copy))
                c.executemany(
                    "INSERT INTO content_facets VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    [(row["id"], copy, name, value) for name, value in values],
                )
            self._insert_tracking(c, tracking)

    # Reads

    def get_row(self, item_id: str) -> dict[str, Any] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT * FROM content_items WHERE id = ?", (item_id,))
            row = c.fetchone()
            return dict(row) if row else None

    def find_public(self, loket: str, content_type: str, slug: str) -> str | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT public_json FROM content_items WHERE loket = ? AND type = ? AND public_slug = ?",
                (loket, content_type, slug),
            )
            row = c.fetchone()
            return row["public_json"] if row else None

    def find_gone(self, loket: str, content_type: str, slug: str) -> str | None:
        """The outcome of the closed item last public at ``slug`` ("filled", "expired"), if any."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT outcome FROM content_items WHERE loket = ? AND type = ? AND gone_slug = ? AND status = ?",
                (loket, content_type, slug, CLOSED),
            )
            row = c.fetchone()
            return row["outcome"] if row else None

    def list_items(
        self,
        loket: str,
        content_type: str,
        *,
        public: bool,
        statuses: tuple[str, ...] = (),
        filters: dict[str, list[str]] | None = None,
        search: str = "",
        approval: str | None = None,
        order_by: str = "title",
        descending: bool = False,
        limit: int = 20,
        offset: int = 0,
    ) -> tuple[list[str], int]:
        """One page of items (their JSON text, public or working copy) and the total."""
        copy = "public" if public else "working"
        where = ["loket = ?", "type = ?"]
        params: list[Any] = [loket, content_type]
        if public:
            where.append("public_json IS NOT NULL")
        elif statuses:
            where.append(f"status IN ({', '.join('?' * len(statuses))})")
            params += list(statuses)
        if approval:
            where.append("approval = ?")
            params.append(approval)
        if search:
            where.append("lower(title) LIKE lower(?) ESCAPE '\\'")
            params.append("%" + search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        for name, values in (filters or {}).items():
            where.append(
                "id IN (SELECT item_id FROM content_facets WHERE copy = ? AND name = ? "
                f"AND value IN ({', '.join('?' * len(values))}))"
            )
            params += [copy, name, *values]
        columns = {"title": "public_title" if public else "title", "updatedAt": "updated_at", "publishedAt": "published_at"}
        order_params: list[Any] = []
        if order_by in columns:
            column = columns[order_by]
        else:  # a filter field: ordered by its (first) value
            column = "(SELECT MIN(value) FROM content_facets WHERE item_id = id AND copy = ? AND name = ?)"
            order_params = [copy, order_by]
        clause = " AND ".join(where)
        direction = "DESC" if descending else "ASC"
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT COUNT(*) FROM content_items WHERE {clause}", params)
            total = c.fetchone()[0]
            c.execute(
                f"SELECT {'public_json' if public else 'working_json'} AS item FROM content_items "
                f"WHERE {clause} ORDER BY lower({column}) {direction}, id LIMIT ? OFFSET ?",
                [*params, *order_params, limit, offset],
            )
            return [row["item"] for row in c.fetchall()], total

    def due(self, now: datetime) -> list[dict[str, Any]]:
        """Items whose planned publication or withdrawal from publication has come."""
        moment = _utc_text(now)
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT id, type, loket, publish_at, unpublish_at FROM content_items "
                "WHERE status != ? AND ((publish_at IS NOT NULL AND publish_at <= ?) "
                "OR (unpublish_at IS NOT NULL AND unpublish_at <= ?)) ORDER BY id",
                (WITHDRAWN, moment, moment),
            )
            return [dict(row) for row in c.fetchall()]


class ContentProjection(LoketProjection[ContentView]):
    """Keeps ``content_items`` and ``content_facets`` in step with every content type's events."""

    name = "content"
    view_class = ContentView

    def __init__(self, view: ContentView, site: Site) -> None:
        super().__init__(view, site)
        self.content_types = site.content_types
        self.topics = tuple(
            [get_topic(t.aggregate.Drafted) for t in self.content_types] + [get_topic(e) for e in LIFECYCLE_EVENTS]
        )

    def _json_ld(self, content_type: str, item: dict[str, Any]) -> dict[str, Any] | None:
        for _, result in self.site.plugins.each("json_ld", content_type=content_type, item=item):
            return result
        return None

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def drafted(self, domain_event: ContentItem.Created, tracking: Tracking) -> None:
        content_type = self._type_of(domain_event)
        if content_type is None:  # a type whose plugin is gone: its events stay in the log
            self.view.insert_tracking(tracking)
            return
        row = {
            "id": str(domain_event.originator_id),
            "loket": domain_event.loket,
            "type": content_type.name,
            "slug": domain_event.slug,
            "status": "draft",
            "fields_json": json.dumps(domain_event.fields, sort_keys=True, default=_json_default),
            "created_at": domain_event.timestamp.isoformat(),
            "public_slug": None,
            "public_title": None,
            "public_json": None,
            "published_at": None,
            "first_published_at": None,
            "publish_at": None,
            "unpublish_at": None,
            "approval": None,
            "approval_comment": None,
            "outcome": None,
            "gone_slug": None,
        }
        self._save(content_type, row, domain_event, tracking, public_fields=None)

    @process_event.register
    def revised(self, domain_event: ContentItem.Revised, tracking: Tracking) -> None:
        def revise(row: dict[str, Any], fields: dict[str, Any]) -> None:
            fields.update(domain_event.changes)
            row["slug"] = domain_event.slug
            _forget_approval(row)

        self._update(domain_event, tracking, revise)

    @process_event.register
    def submitted(self, domain_event: ContentItem.SubmittedForApproval, tracking: Tracking) -> None:
        self._update(domain_event, tracking, lambda row, fields: row.update(approval="pending", approval_comment=domain_event.note or None))

    @process_event.register
    def approved(self, domain_event: ContentItem.Approved, tracking: Tracking) -> None:
        self._update(domain_event, tracking, lambda row, fields: row.update(approval="approved", approval_comment=domain_event.comment or None))

    @process_event.register
    def rejected(self, domain_event: ContentItem.Rejected, tracking: Tracking) -> None:
        self._update(domain_event, tracking, lambda row, fields: row.update(approval="rejected", approval_comment=domain_event.comment))

    @process_event.register
    def reverted(self, domain_event: ContentItem.Reverted, tracking: Tracking) -> None:
        def revert(row: dict[str, Any], fields: dict[str, Any]) -> None:
            fields.clear()
            fields.update(domain_event.fields)
            row["slug"] = domain_event.slug
            _forget_approval(row)

        self._update(domain_event, tracking, revert)

    @process_event.register
    def published(self, domain_event: ContentItem.Published, tracking: Tracking) -> None:
        def publish(row: dict[str, Any], fields: dict[str, Any]) -> None:
            row.update(
                status=PUBLISHED, public_slug=domain_event.slug, published_at=domain_event.timestamp.isoformat(), publish_at=None,
                first_published_at=row.get("first_published_at") or domain_event.timestamp.isoformat(),
                approval=None, approval_comment=None, outcome=None, gone_slug=None,
            )

        self._update(domain_event, tracking, publish, public_fields=domain_event.fields)

    @process_event.register
    def unpublished(self, domain_event: ContentItem.Unpublished, tracking: Tracking) -> None:
        self._update(domain_event, tracking, lambda row, fields: row.update(status=UNPUBLISHED, unpublish_at=None), unpublish=True)

    @process_event.register
    def withdrawn(self, domain_event: ContentItem.Withdrawn, tracking: Tracking) -> None:
        self._update(domain_event, tracking, lambda row, fields: row.update(status=WITHDRAWN, publish_at=None, unpublish_at=None), unpublish=True)

    @process_event.register
    def closed(self, domain_event: ContentItem.Closed, tracking: Tracking) -> None:
        def close(row: dict[str, Any], fields: dict[str, Any]) -> None:
            row.update(status=CLOSED, outcome=domain_event.outcome, gone_slug=row.get("public_slug"), publish_at=None, unpublish_at=None)

        self._update(domain_event, tracking, close, unpublish=True)

    @process_event.register
    def scheduled(self, domain_event: ContentItem.PublicationScheduled, tracking: Tracking) -> None:
        def schedule(row: dict[str, Any], fields: dict[str, Any]) -> None:
            row["publish_at"] = _utc_text(domain_event.publish_at)
            row["unpublish_at"] = _utc_text(domain_event.unpublish_at)

        self._update(domain_event, tracking, schedule)

    # Helpers

    def _type_of(self, domain_event: Any) -> ContentType | None:
        try:
            return self.content_types.of_aggregate(resolve_topic(domain_event.envelope["aggregate"]))
        except Exception:  # the aggregate's class can no longer be imported
            return None

    def _update(self, domain_event: Any, tracking: Tracking, change: Any, public_fields: dict | None = None, unpublish: bool = False) -> None:
        row = self.view.get_row(str(domain_event.originator_id))
        content_type = self.content_types.get(row["type"]) if row and row["type"] in {t.name for t in self.content_types} else None
        if row is None or content_type is None:
            self.view.insert_tracking(tracking)
            return
        fields = json.loads(row["fields_json"])
        change(row, fields)
        row["fields_json"] = json.dumps(fields, sort_keys=True, default=_json_default)
        if unpublish:
            row.update(public_slug=None, public_title=None, public_json=None)
        self._save(content_type, row, domain_event, tracking, public_fields=public_fields)

    def _save(self, content_type: ContentType, row: dict[str, Any], domain_event: Any, tracking: Tracking, public_fields: dict | None) -> None:
        fields = json.loads(row["fields_json"])
        row["version"] = domain_event.originator_version
        row["updated_at"] = domain_event.timestamp.isoformat()
        row["title"] = str(fields.get(content_type.title_field, ""))
        working = {
            "id": row["id"],
            "type": content_type.name,
            "loket": row["loket"],
            "slug": row["slug"],
            "status": row["status"],
            "version": row["version"],
            **render_fields(content_type, fields),
            "publicSlug": row.get("public_slug"),
            "publishAt": row.get("publish_at"),
            "unpublishAt": row.get("unpublish_at"),
            "approval": row.get("approval"),
            "approvalComment": row.get("approval_comment"),
            "outcome": row.get("outcome"),
            "createdAt": row["created_at"],
            "updatedAt": row["updated_at"],
            "publishedAt": row.get("published_at"),
        }
        row["working_json"] = json.dumps(working, ensure_ascii=False)
        facets: dict[str, list[tuple[str, str]]] = {"working": _facets(content_type, fields)}
        if public_fields is not None:
            published_at = datetime.fromisoformat(row["published_at"])
            public = render_item(
                content_type, row["id"], row["loket"], row["public_slug"], public_fields, published_at, domain_event.timestamp, self._json_ld,
                first_published_at=datetime.fromisoformat(row["first_published_at"]),
            )
            row["public_json"] = json.dumps(public, ensure_ascii=False)
            row["public_title"] = str(public_fields.get(content_type.title_field, ""))
            facets["public"] = _facets(content_type, public_fields)
        elif row.get("public_json") is None:
            facets["public"] = []
        self.view.save_item(row, facets, tracking)


def _forget_approval(row: dict[str, Any]) -> None:
    # A change after submission or approval asks for approval again (as the aggregate decides).
    if row.get("approval") in ("pending", "approved"):
        row.update(approval=None, approval_comment=None)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _facets(content_type: ContentType, fields: dict[str, Any]) -> list[tuple[str, str]]:
    values = []
    for name in content_type.filters:
        value = fields.get(name)
        for item in value if isinstance(value, list) else [value]:
            if item not in (None, ""):
                values.append((name, str(item)))
    return values


def _utc_text(moment: datetime | None) -> str | None:
    """A moment as fixed-width UTC text, so that comparing texts compares moments."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00") if moment else None
