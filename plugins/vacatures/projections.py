"""The vacancy board: every vacancy with its public copy in columns, so that lists filter, count
facets and sort in SQL; history for the urgency figures; and the job alerts.

Fed from the log like every read model. Content events are shared by all content types: an event
whose item is not a vacancy finds no row here and is passed over.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import singledispatchmethod
from typing import TYPE_CHECKING, Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from core.content.domain import ContentItem
from core.content.rendering import render_item
from core.projections import LoketProjection
from core.readmodel import ReadView

from .domain import JobAlert, Vacancy

if TYPE_CHECKING:
    from core.site import Site

#: Filters of the public list: query name → column of ``vacatures_board`` (single values) …
COLUMN_FILTERS = {"function": "function", "kind": "kind", "region": "region", "schoolBoard": "school_board"}
#: … and query name → value name in ``vacatures_values`` (lists).
VALUE_FILTERS = {"sector": "sector", "subject": "subject"}

COLUMNS = (
    "id", "loket", "slug", "status", "outcome", "title", "function", "kind", "region", "place", "postcode",
    "hours_min", "hours_max", "zij_instroom", "school_board", "school_board_name", "external_id", "valid_through",
    "first_published_at", "published_at", "closed_at", "updated_at", "public_json", "search_text",
)


class VacancyBoard(ReadView):
    schema_version = 1

    tables = {
        "vacatures_board": [
            "CREATE TABLE IF NOT EXISTS vacatures_board ("
            "id TEXT PRIMARY KEY, loket TEXT NOT NULL, slug TEXT NOT NULL, status TEXT NOT NULL, outcome TEXT, "
            "title TEXT NOT NULL DEFAULT '', function TEXT, kind TEXT, region TEXT, place TEXT, postcode TEXT, "
            "hours_min REAL, hours_max REAL, zij_instroom INTEGER NOT NULL DEFAULT 0, school_board TEXT, "
            "school_board_name TEXT, external_id TEXT, valid_through TEXT, first_published_at TEXT, "
            "published_at TEXT, closed_at TEXT, updated_at TEXT, public_json TEXT, search_text TEXT)",
            "CREATE INDEX IF NOT EXISTS vacatures_board_open ON vacatures_board (loket, status, published_at)",
            "CREATE INDEX IF NOT EXISTS vacatures_board_closing ON vacatures_board (loket, status, valid_through)",
            "CREATE INDEX IF NOT EXISTS vacatures_board_external ON vacatures_board (loket, school_board, external_id)",
        ],
        "vacatures_values": [
            "CREATE TABLE IF NOT EXISTS vacatures_values (item_id TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, "
            "PRIMARY KEY (item_id, name, value))",
            "CREATE INDEX IF NOT EXISTS vacatures_values_lookup ON vacatures_values (name, value, item_id)",
        ],
        "vacatures_alerts": [
            "CREATE TABLE IF NOT EXISTS vacatures_alerts (id TEXT PRIMARY KEY, loket TEXT NOT NULL, status TEXT NOT NULL, "
            "frequency TEXT NOT NULL, filter_json TEXT NOT NULL, created_at TEXT NOT NULL, last_sent_at TEXT)",
            "CREATE INDEX IF NOT EXISTS vacatures_alerts_active ON vacatures_alerts (loket, status)",
        ],
    }

    # Writes

    def put(self, row: dict[str, Any], values: list[tuple[str, str]] | None, tracking: Tracking) -> None:
        """Insert or update a vacancy's row; ``values`` (when given) replace its multi-values."""
        names = [c for c in COLUMNS if c in row]
        updates = ", ".join(f"{c} = excluded.{c}" for c in names if c != "id")
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT INTO vacatures_board ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
                f"ON CONFLICT (id) DO UPDATE SET {updates}",
                [row[n] for n in names],
            )
            if values is not None:
                c.execute("DELETE FROM vacatures_values WHERE item_id = ?", (row["id"],))
                c.executemany("INSERT INTO vacatures_values VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [(row["id"], n, v) for n, v in values])
            self._insert_tracking(c, tracking)

    def put_alert(self, row: dict[str, Any], tracking: Tracking) -> None:
        names = list(row)
        updates = ", ".join(f"{c} = excluded.{c}" for c in names if c != "id")
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT INTO vacatures_alerts ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
                f"ON CONFLICT (id) DO UPDATE SET {updates}",
                [row[n] for n in names],
            )
            self._insert_tracking(c, tracking)

    def update_alert(self, alert_id: str, changes: dict[str, Any], tracking: Tracking) -> None:
        assignments = ", ".join(f"{name} = ?" for name in changes)
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"UPDATE vacatures_alerts SET {assignments} WHERE id = ?", [*changes.values(), alert_id])
            self._insert_tracking(c, tracking)

    # Reads

    def get(self, item_id: str) -> dict[str, Any] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT * FROM vacatures_board WHERE id = ?", (item_id,))
            row = c.fetchone()
            return dict(row) if row else None

    def query(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        """Rows of a read-only query (the plugin's list, feeds, figures build their SQL on these tables)."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [dict(row) for row in c.fetchall()]

    def of_board(self, loket: str, school_board: str) -> list[dict[str, Any]]:
        """Every vacancy of a school board in a loket (any status): for a full feed import."""
        return self.query(
            "SELECT id, slug, status, outcome, external_id FROM vacatures_board WHERE loket = ? AND school_board = ? ORDER BY id",
            (loket, school_board),
        )

    def active_alerts(self, loket: str) -> list[dict[str, Any]]:
        return self.query("SELECT * FROM vacatures_alerts WHERE loket = ? AND status = 'active' ORDER BY id", (loket,))


class VacancyBoardProjection(LoketProjection[VacancyBoard]):
    name = "vacatures"
    view_class = VacancyBoard
    topics = (
        get_topic(Vacancy.Drafted),
        get_topic(ContentItem.Revised),
        get_topic(ContentItem.Reverted),
        get_topic(ContentItem.Published),
        get_topic(ContentItem.Unpublished),
        get_topic(ContentItem.Closed),
        get_topic(ContentItem.Withdrawn),
        get_topic(JobAlert.AlertRequested),
        get_topic(JobAlert.AlertConfirmed),
        get_topic(JobAlert.AlertUnsubscribed),
        get_topic(JobAlert.AlertSent),
    )

    def __init__(self, view: VacancyBoard, site: Site) -> None:
        super().__init__(view, site)
        self.content_type = next(t for t in site.content_types if t.aggregate is Vacancy)

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def drafted(self, domain_event: Vacancy.Drafted, tracking: Tracking) -> None:
        fields = domain_event.fields
        row = {
            "id": str(domain_event.originator_id),
            "loket": domain_event.loket,
            "slug": domain_event.slug,
            "status": "draft",
            "title": fields.get("title", ""),
            "school_board": fields.get("school_board"),
            "school_board_name": fields.get("school_board_name"),
            "external_id": fields.get("external_id"),
            "updated_at": domain_event.timestamp.isoformat(),
        }
        self.view.put(row, None, tracking)

    @process_event.register
    def revised(self, domain_event: ContentItem.Revised, tracking: Tracking) -> None:
        self._working(domain_event, tracking, domain_event.changes, domain_event.slug)

    @process_event.register
    def reverted(self, domain_event: ContentItem.Reverted, tracking: Tracking) -> None:
        self._working(domain_event, tracking, domain_event.fields, domain_event.slug)

    @process_event.register
    def published(self, domain_event: ContentItem.Published, tracking: Tracking) -> None:
        row = self._row(domain_event, tracking)
        if row is None:
            return
        fields = domain_event.fields
        at = domain_event.timestamp.isoformat()
        first = row.get("first_published_at") or at
        public = render_item(
            self.content_type, row["id"], row["loket"], domain_event.slug, fields, domain_event.timestamp, domain_event.timestamp, self._json_ld,
            first_published_at=datetime.fromisoformat(first),
        )
        row.update(
            status="published",
            outcome=None,
            closed_at=None,
            slug=domain_event.slug,
            title=fields.get("title", ""),
            function=fields.get("function"),
            kind=fields.get("kind"),
            region=fields.get("region") or None,
            place=fields.get("place") or None,
            postcode=fields.get("postcode") or None,
            hours_min=fields.get("hours_min"),
            hours_max=fields.get("hours_max"),
            zij_instroom=1 if fields.get("zij_instroom") else 0,
            school_board=fields.get("school_board"),
            school_board_name=fields.get("school_board_name"),
            external_id=fields.get("external_id"),
            valid_through=fields.get("valid_through"),
            first_published_at=first,
            published_at=at,
            updated_at=at,
            public_json=json.dumps(public, ensure_ascii=False),
        )
        values = [("sector", s) for s in fields.get("sectors") or []] + [("subject", s) for s in fields.get("subjects") or []]
        self.view.put(row, values, tracking)

    @process_event.register
    def unpublished(self, domain_event: ContentItem.Unpublished, tracking: Tracking) -> None:
        self._status(domain_event, tracking, status="unpublished", public_json=None)

    @process_event.register
    def closed(self, domain_event: ContentItem.Closed, tracking: Tracking) -> None:
        self._status(domain_event, tracking, status="closed", outcome=domain_event.outcome, closed_at=domain_event.timestamp.isoformat(), public_json=None)

    @process_event.register
    def withdrawn(self, domain_event: ContentItem.Withdrawn, tracking: Tracking) -> None:
        self._status(domain_event, tracking, status="withdrawn", outcome="withdrawn", closed_at=domain_event.timestamp.isoformat(), public_json=None)

    # Job alerts

    @process_event.register
    def alert_requested(self, domain_event: JobAlert.AlertRequested, tracking: Tracking) -> None:
        self.view.put_alert(
            {
                "id": str(domain_event.originator_id),
                "loket": domain_event.loket,
                "status": "requested",
                "frequency": domain_event.frequency,
                "filter_json": json.dumps(domain_event.filter, sort_keys=True),
                "created_at": domain_event.timestamp.isoformat(),
            },
            tracking,
        )

    @process_event.register
    def alert_confirmed(self, domain_event: JobAlert.AlertConfirmed, tracking: Tracking) -> None:
        self._alert(domain_event, tracking, status="active")

    @process_event.register
    def alert_unsubscribed(self, domain_event: JobAlert.AlertUnsubscribed, tracking: Tracking) -> None:
        self._alert(domain_event, tracking, status="unsubscribed")

    @process_event.register
    def alert_sent(self, domain_event: JobAlert.AlertSent, tracking: Tracking) -> None:
        self._alert(domain_event, tracking, last_sent_at=domain_event.at.isoformat())

    # Helpers

    def _json_ld(self, content_type: str, item: dict[str, Any]) -> dict[str, Any] | None:
        for _, result in self.site.plugins.each("json_ld", content_type=content_type, item=item):
            return result
        return None

    def _row(self, domain_event: Any, tracking: Tracking) -> dict[str, Any] | None:
        row = self.view.get(str(domain_event.originator_id))
        if row is None:  # not a vacancy
            self.view.insert_tracking(tracking)
        return row

    def _working(self, domain_event: Any, tracking: Tracking, changes: dict[str, Any], slug: str) -> None:
        row = self._row(domain_event, tracking)
        if row is None:
            return
        # The working copy's board and external id (a feed import finds vacancies by them).
        for name in ("school_board", "external_id"):
            if name in changes:
                row[name] = changes[name]
        if row["status"] == "draft":
            row.update(slug=slug, title=changes.get("title", row["title"]), school_board_name=changes.get("school_board_name", row["school_board_name"]))
        row["updated_at"] = domain_event.timestamp.isoformat()
        self.view.put(row, None, tracking)

    def _status(self, domain_event: Any, tracking: Tracking, **changes: Any) -> None:
        row = self._row(domain_event, tracking)
        if row is not None:
            row.update(changes, updated_at=domain_event.timestamp.isoformat())
            self.view.put(row, None, tracking)

    def _alert(self, domain_event: Any, tracking: Tracking, **changes: Any) -> None:
        self.view.update_alert(str(domain_event.originator_id), changes, tracking)
