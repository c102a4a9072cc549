"""The ``media`` read model: every loket's media items, for the list and for serving files."""

from __future__ import annotations

from functools import singledispatchmethod
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from core.media.domain import MediaItem
from core.projections import LoketProjection
from core.readmodel import ReadView, replacing

COLUMNS = ("id", "loket", "sha256", "filename", "content_type", "size", "width", "height", "alt", "withdrawn", "version", "uploaded_at", "updated_at")


class MediaView(ReadView):
    tables = {
        "media": [
            (
                "CREATE TABLE IF NOT EXISTS media (id TEXT PRIMARY KEY, loket TEXT NOT NULL, sha256 TEXT NOT NULL, "
                "filename TEXT NOT NULL, content_type TEXT NOT NULL, size INTEGER NOT NULL, width INTEGER, height INTEGER, "
                "alt TEXT NOT NULL, withdrawn INTEGER NOT NULL DEFAULT 0, version INTEGER NOT NULL, "
                "uploaded_at TEXT NOT NULL, updated_at TEXT NOT NULL)"
            ),
            "CREATE INDEX IF NOT EXISTS media_by_loket ON media (loket, withdrawn, uploaded_at)",
            "CREATE INDEX IF NOT EXISTS media_by_file ON media (sha256, loket)",
        ]
    }

    def add(self, row: dict[str, Any], tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                f"INSERT INTO media ({', '.join(COLUMNS)}) VALUES ({', '.join(':' + column for column in COLUMNS)}) "
                + replacing("id", *(column for column in COLUMNS if column != "id")),
                row,
            )
            self._insert_tracking(c, tracking)

    def change(self, media_id: str, changes: dict[str, Any], tracking: Tracking) -> None:
        assignments = ", ".join(f"{column} = :{column}" for column in changes)
        with self.datastore.transaction(commit=True) as c:
            c.execute(f"UPDATE media SET {assignments} WHERE id = :id", {**changes, "id": media_id})
            self._insert_tracking(c, tracking)

    def list(self, loket: str, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        """The media in use in ``loket``, newest first, and how many there are."""
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT COUNT(*) AS n FROM media WHERE loket = ? AND withdrawn = 0", (loket,))
            total = c.fetchone()["n"]
            c.execute(
                "SELECT * FROM media WHERE loket = ? AND withdrawn = 0 ORDER BY uploaded_at DESC, id LIMIT ? OFFSET ?",
                (loket, limit, offset),
            )
            return [dict(row) for row in c.fetchall()], total

    def find(self, loket: str, sha256: str) -> dict[str, Any] | None:
        """The newest item of ``loket`` in use with this file, or None."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT * FROM media WHERE sha256 = ? AND loket = ? AND withdrawn = 0 ORDER BY uploaded_at DESC LIMIT 1",
                (sha256, loket),
            )
            row = c.fetchone()
            return dict(row) if row else None


class MediaProjection(LoketProjection[MediaView]):
    name = "media"
    view_class = MediaView
    topics = (get_topic(MediaItem.MediaUploaded), get_topic(MediaItem.AltTextChanged), get_topic(MediaItem.MediaWithdrawn))

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def uploaded(self, domain_event: MediaItem.MediaUploaded, tracking: Tracking) -> None:
        at = domain_event.timestamp.isoformat()
        row = {
            "id": str(domain_event.originator_id),
            "loket": domain_event.loket,
            "sha256": domain_event.sha256,
            "filename": domain_event.filename,
            "content_type": domain_event.content_type,
            "size": domain_event.size,
            "width": domain_event.width,
            "height": domain_event.height,
            "alt": domain_event.alt,
            "withdrawn": 0,
            "version": domain_event.originator_version,
            "uploaded_at": at,
            "updated_at": at,
        }
        self.view.add(row, tracking)

    @process_event.register
    def alt_text_changed(self, domain_event: MediaItem.AltTextChanged, tracking: Tracking) -> None:
        self.view.change(str(domain_event.originator_id), {"alt": domain_event.alt, **_stamp(domain_event)}, tracking)

    @process_event.register
    def withdrawn(self, domain_event: MediaItem.MediaWithdrawn, tracking: Tracking) -> None:
        self.view.change(str(domain_event.originator_id), {"withdrawn": 1, **_stamp(domain_event)}, tracking)


def _stamp(domain_event: Any) -> dict[str, Any]:
    return {"version": domain_event.originator_version, "updated_at": domain_event.timestamp.isoformat()}
