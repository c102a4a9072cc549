"""One file in a loket's media library: what was uploaded (the bytes are kept by their sha256,
outside the log), its alt text, and whether it was withdrawn."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from core.domain import LoketAggregate
from core.errors import ConflictError


class MediaItem(LoketAggregate):
    @staticmethod
    def create_id(**_: Any) -> UUID:
        return uuid4()

    @event("MediaUploaded")
    def __init__(
        self,
        loket: str,
        sha256: str,
        filename: str,
        content_type: str,
        size: int,
        width: int | None,
        height: int | None,
        alt: str,
    ) -> None:
        self.loket = loket
        self.sha256 = sha256
        self.filename = filename
        self.content_type = content_type
        self.size = size
        self.width = width
        self.height = height
        self.alt = alt
        self.withdrawn = False

    def change_alt(self, alt: str) -> None:
        """Describe the image anew; the same text again records nothing."""
        self._refuse_if_withdrawn()
        if alt != self.alt:
            self._change_alt(alt=alt)

    def withdraw(self) -> None:
        """Take the file out of use: it is no longer served; its history stays."""
        self._refuse_if_withdrawn()
        self._withdraw()

    def _refuse_if_withdrawn(self) -> None:
        if self.withdrawn:
            raise MediaWithdrawnError(f"Media item {self.id} was withdrawn.")

    @event("AltTextChanged")
    def _change_alt(self, alt: str) -> None:
        self.alt = alt

    @event("MediaWithdrawn")
    def _withdraw(self) -> None:
        self.withdrawn = True


class MediaWithdrawnError(ConflictError):
    """Raised when changing or withdrawing a media item that was already withdrawn."""
