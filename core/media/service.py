"""The media library's commands (upload, describe, withdraw) and queries (list, find a file to serve).

Commands return ``Saved`` with the log position, so callers can wait for the read model; queries
read the ``media`` read model and return dicts in the API's shape.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from core.application import LoketApplication
from core.errors import NotFoundError
from core.lokets import Lokets
from core.media.domain import MediaItem
from core.media.files import (
    IMAGE_TYPES,
    MediaInputError,
    check_size,
    clean_filename,
    media_dir,
    path_for,
    sniff,
    store,
)

if TYPE_CHECKING:
    from core.media.projections import MediaView
    from core.site import Site

MAX_ALT = 300
SHA256 = re.compile(r"^[0-9a-f]{64}$")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>!&])")


@dataclass(frozen=True)
class Saved:
    """What a command wrote: the item, its new version, and the log position of the write."""

    id: UUID
    version: int
    position: int


def media_library(site: Site) -> MediaLibrary:
    """The media library of ``site``."""
    return MediaLibrary(site.app, site.lokets, media_dir(site), site.projection("media").view)


def media_path(loket: str, sha256: str) -> str:
    """The public path of a file in ``loket`` (relative to the site: what Markdown bodies use)."""
    return f"/api/v1/lokets/{loket}/media/{sha256}"


def markdown_snippet(row: dict[str, Any]) -> str:
    """What an editor pastes into a Markdown body: an image with its alt text, or a link to a PDF."""
    path = media_path(row["loket"], row["sha256"])
    if row["content_type"] in IMAGE_TYPES:
        return f"![{_escape(row['alt'])}]({path})"
    return f"[{_escape(row['filename'])}]({path})"


def as_json(row: dict[str, Any], public_url: str) -> dict[str, Any]:
    """One media item as the API shows it (``row``: the read model's columns)."""
    path = media_path(row["loket"], row["sha256"])
    return {
        "id": str(row["id"]),
        "loket": row["loket"],
        "sha256": row["sha256"],
        "filename": row["filename"],
        "contentType": row["content_type"],
        "size": row["size"],
        "width": row["width"],
        "height": row["height"],
        "alt": row["alt"],
        "withdrawn": bool(row["withdrawn"]),
        "version": row["version"],
        "uploadedAt": row["uploaded_at"],
        "updatedAt": row["updated_at"],
        "path": path,
        "url": f"{public_url}{path}",
        "markdown": markdown_snippet(row),
    }


def clean_alt(alt: str | None) -> str:
    """The alt text on one line, trimmed. :raise MediaInputError: longer than ``MAX_ALT``."""
    text = " ".join((alt or "").split())
    if len(text) > MAX_ALT:
        raise MediaInputError(
            "The alt text is not valid.",
            {"alt": f"at most {MAX_ALT} characters"},
            {"alt": f"de alt-tekst mag hoogstens {MAX_ALT} tekens lang zijn"},
        )
    return text


class MediaLibrary:
    """Uploads, alt texts and withdrawals of the media of every loket."""

    def __init__(self, app: LoketApplication, lokets: Lokets, directory: Path, view: MediaView) -> None:
        self.app = app
        self.lokets = lokets
        self.directory = directory
        self.view = view

    # Commands

    def upload(self, loket: str, data: bytes, filename: str | None, alt: str | None = "") -> Saved:
        """Keep ``data`` (by content) and record it in ``loket``'s library.

        :raise RefusedFileError: too large, empty or not an accepted type. :raise NotFoundError: no loket.
        """
        self.lokets.get(loket)
        check_size(len(data))
        sniffed = sniff(data)
        text = clean_alt(alt)
        # The bytes first: an event must never name a file that is not there.
        sha256 = store(self.directory, data)
        item = MediaItem(
            loket=loket,
            sha256=sha256,
            filename=clean_filename(filename, sniffed.content_type),
            content_type=sniffed.content_type,
            size=len(data),
            width=sniffed.width,
            height=sniffed.height,
            alt=text,
        )
        return self._save(item)

    def change_alt(self, loket: str, media_id: UUID, alt: str | None, expected_version: int | None = None) -> Saved:
        """:raise NotFoundError: :raise StaleVersionError: :raise MediaWithdrawnError: :raise MediaInputError:"""
        item = self._get(loket, media_id, expected_version)
        item.change_alt(clean_alt(alt))
        return self._save(item)

    def withdraw(self, loket: str, media_id: UUID, expected_version: int | None = None) -> Saved:
        """:raise NotFoundError: :raise StaleVersionError: :raise MediaWithdrawnError:"""
        item = self._get(loket, media_id, expected_version)
        item.withdraw()
        return self._save(item)

    # Queries

    def item(self, loket: str, media_id: UUID) -> dict[str, Any]:
        """One item (also a withdrawn one) in read-model shape, from the log. :raise NotFoundError:"""
        return _row_of(self._get(loket, media_id, None))

    def list(self, loket: str, limit: int = 100, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """The loket's media in use, newest first, and how many there are."""
        return self.view.list(loket, limit, offset)

    def file(self, loket: str, sha256: str) -> tuple[Path, dict[str, Any]]:
        """The stored file with ``sha256`` and its item, when ``loket`` uses it (not withdrawn).

        :raise NotFoundError: not a sha256, not this loket's, withdrawn, or missing on disk.
        """
        row = self.view.find(loket, sha256) if SHA256.match(sha256) else None
        path = path_for(self.directory, sha256) if row else None
        if row is None or path is None or not path.is_file():
            raise NotFoundError(f"There is no media file {sha256} in loket '{loket}'.")
        return path, row

    def _get(self, loket: str, media_id: UUID, expected_version: int | None) -> MediaItem:
        item = self.app.get(media_id, MediaItem, expected_version)
        if item.loket != loket:
            raise NotFoundError(f"There is no media item {media_id} in loket '{loket}'.")
        return item

    def _save(self, item: MediaItem) -> Saved:
        recordings = self.app.save(item)
        # Nothing new (the same alt text again): the log position is where it already was.
        position = recordings[-1].notification.id if recordings else self.app.position()
        return Saved(id=item.id, version=item.version, position=position)


def _row_of(item: MediaItem) -> dict[str, Any]:
    return {
        "id": str(item.id),
        "loket": item.loket,
        "sha256": item.sha256,
        "filename": item.filename,
        "content_type": item.content_type,
        "size": item.size,
        "width": item.width,
        "height": item.height,
        "alt": item.alt,
        "withdrawn": item.withdrawn,
        "version": item.version,
        "uploaded_at": item.created_on.isoformat(),
        "updated_at": item.modified_on.isoformat(),
    }


def _escape(text: str) -> str:
    return _MARKDOWN_SPECIAL.sub(r"\\\1", " ".join(text.split()))
