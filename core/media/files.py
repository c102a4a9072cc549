"""The bytes of the media library: what a file really is, and where it is kept.

The type comes from the file's first bytes (its magic number), never from its name or the
browser's Content-Type, so a page cannot be smuggled in as a picture. Images get their width and
height from their own headers (PNG IHDR, JPEG SOF, WebP VP8/VP8L/VP8X); nothing is decoded.

Files are kept by content (``<media dir>/<sha256[:2]>/<sha256>``): the same bytes are stored once,
whoever uploads them and however often. No framework imports here.
"""

from __future__ import annotations

import hashlib
import os
import re
import struct
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import InvalidInputError
from core.messages import t

if TYPE_CHECKING:
    from core.site import Site

#: The largest file accepted, in bytes (10 MB). Tests lower it with monkeypatch.
MAX_BYTES = 10 * 1024 * 1024

PNG, JPEG, WEBP, PDF = "image/png", "image/jpeg", "image/webp", "application/pdf"
IMAGE_TYPES = (PNG, JPEG, WEBP)
EXTENSIONS = {PNG: ".png", JPEG: ".jpg", WEBP: ".webp", PDF: ".pdf"}
_MATCHING_SUFFIXES = {PNG: {".png"}, JPEG: {".jpg", ".jpeg", ".jpe"}, WEBP: {".webp"}, PDF: {".pdf"}}
MEDIA_SUFFIXES = {".png", ".jpg", ".jpeg", ".jpe", ".webp", ".pdf", ".gif", ".svg", ".html", ".htm", ".exe", ".bmp", ".tif", ".tiff"}
MAX_FILENAME = 200

_MARKUP = re.compile(rb"^\s*<(?:!doctype|html|svg|\?xml|head|body|script)", re.IGNORECASE)
ACCEPTED_EN = "use a PNG, JPEG or WebP image or a PDF"


def _known_others() -> tuple[tuple[bytes, str, str], ...]:
    """Types people try that are refused, named (in English and in Dutch) so the reason is clear."""
    return (
        (b"GIF87a", "a GIF image", t("media.kind.gif")),
        (b"GIF89a", "a GIF image", t("media.kind.gif")),
        (b"MZ", "a Windows program", t("media.kind.windows")),
        (b"\x7fELF", "a program", t("media.kind.program")),
        (b"PK\x03\x04", "a ZIP archive (or Office document)", t("media.kind.zip")),
        (b"BM", "a BMP image", t("media.kind.bmp")),
        (b"II*\x00", "a TIFF image", t("media.kind.tiff")),
        (b"MM\x00*", "a TIFF image", t("media.kind.tiff")),
    )


@dataclass(frozen=True)
class Sniffed:
    """What a file turned out to be: its type and, for images, its size in pixels."""

    content_type: str
    width: int | None = None
    height: int | None = None


def media_dir(site: Site) -> Path:
    """The folder of the uploaded files: ``loket-media`` beside the configuration file.

    Not inside the data folder: that holds caches of the log (read models, search index) that may
    be deleted and rebuilt at any time, while these bytes exist nowhere else — the events only
    name them by their sha256. Back this folder up with the event store.
    """
    return site.config.path.parent / "loket-media"


def path_for(directory: Path, sha256: str) -> Path:
    """Where the file with ``sha256`` is kept under ``directory``."""
    return directory / sha256[:2] / sha256


def store(directory: Path, data: bytes) -> str:
    """Keep ``data`` under its sha256 (once: the same bytes again change nothing) and return it.

    Written to a temporary file in the target folder, then renamed into place, so that a reader
    never sees half a file and a crash leaves no file with a wrong name.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    target = path_for(directory, sha256)
    if target.is_file() and target.stat().st_size == len(data):
        return sha256
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".upload-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return sha256


def check_size(size: int) -> None:
    """:raise RefusedFileError: empty, or larger than ``MAX_BYTES``."""
    if size == 0:
        raise RefusedFileError("the file is empty", t("media.refused.empty"))
    if size > MAX_BYTES:
        raise too_large()


def too_large() -> RefusedFileError:
    """The refusal of a file over ``MAX_BYTES``."""
    limit = f"{MAX_BYTES / (1024 * 1024):g} MB" if MAX_BYTES >= 1024 * 1024 else f"{MAX_BYTES} bytes"
    return RefusedFileError(f"the file is larger than {limit}", t("media.refused.too_large", limit=limit))


def sniff(data: bytes) -> Sniffed:
    """What ``data`` is, by its content alone.

    :raise RefusedFileError: not a PNG, JPEG, WebP or PDF, or an image whose header is broken.
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return Sniffed(PNG, *_png_size(data))
    if data.startswith(b"\xff\xd8\xff"):
        return Sniffed(JPEG, *_jpeg_size(data))
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return Sniffed(WEBP, *_webp_size(data))
    if data.startswith(b"%PDF-"):
        return Sniffed(PDF)
    accepted = t("media.refused.accepted")
    for magic, what, wat in _known_others():
        if data.startswith(magic):
            raise RefusedFileError(f"this is {what}; {ACCEPTED_EN}", t("media.refused.known", what=wat, accepted=accepted))
    if _MARKUP.match(data[:512].lstrip(b"\xef\xbb\xbf")):
        raise RefusedFileError(f"this is a web page or SVG; {ACCEPTED_EN}", t("media.refused.markup", accepted=accepted))
    raise RefusedFileError(f"the content is not an accepted type; {ACCEPTED_EN}", t("media.refused.other", accepted=accepted))


def clean_filename(name: str | None, content_type: str) -> str:
    """A safe name to show and to offer for saving: no folders, no control characters, at most
    ``MAX_FILENAME`` characters, and an extension that matches the content (``foto.png`` holding a
    PDF becomes ``foto.pdf``)."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    stem, dot, suffix = name.rpartition(".")
    extension = f".{suffix}" if dot and stem else ""
    if extension.lower() in _MATCHING_SUFFIXES[content_type]:
        base = stem
    else:
        base = stem if extension.lower() in MEDIA_SUFFIXES else name
        extension = EXTENSIONS[content_type]
    base = base.strip() or "bestand"
    return base[: MAX_FILENAME - len(extension)] + extension


# Image headers


def _png_size(data: bytes) -> tuple[int, int]:
    # The first chunk must be IHDR: length (13), type, then width and height as 32-bit big-endian.
    if len(data) < 24 or data[12:16] != b"IHDR":
        raise _broken("PNG")
    width, height = struct.unpack(">II", data[16:24])
    return _checked(width, height, "PNG")


_SOF_MARKERS = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_STANDALONE_MARKERS = {0x01, *range(0xD0, 0xD9)}


def _jpeg_size(data: bytes) -> tuple[int, int]:
    # Walk the segments after SOI (FFD8) to the first start-of-frame: precision, height, width.
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise _broken("JPEG")
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in _STANDALONE_MARKERS:
            position += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, or start of scan before any frame header
            break
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2:
            break
        if marker in _SOF_MARKERS:
            if position + 9 > len(data):
                break
            height, width = struct.unpack(">HH", data[position + 5 : position + 9])
            return _checked(width, height, "JPEG")
        position += 2 + length
    raise _broken("JPEG")


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30 and data[23:26] == b"\x9d\x01\x2a":
        width, height = struct.unpack("<HH", data[26:30])
        return _checked(width & 0x3FFF, height & 0x3FFF, "WebP")
    if chunk == b"VP8L" and len(data) >= 25 and data[20] == 0x2F:
        (bits,) = struct.unpack("<I", data[21:25])
        return _checked((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1, "WebP")
    if chunk == b"VP8X" and len(data) >= 30:
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return _checked(width, height, "WebP")
    raise _broken("WebP")


def _checked(width: int, height: int, kind: str) -> tuple[int, int]:
    if width < 1 or height < 1:
        raise _broken(kind)
    return width, height


def _broken(kind: str) -> RefusedFileError:
    return RefusedFileError(f"this {kind} image is damaged: its size cannot be read", t("media.refused.broken", kind=kind))


class MediaInputError(InvalidInputError):
    """Raised when media input is not valid; ``dutch`` holds the reasons in Dutch for the screens."""

    def __init__(self, message: str, problems: dict[str, str], dutch: dict[str, str]) -> None:
        super().__init__(message, problems)
        self.dutch = dutch


class RefusedFileError(MediaInputError):
    """Raised when an upload is empty, too large, or not a PNG, JPEG, WebP or PDF."""

    def __init__(self, reason: str, reden: str) -> None:
        super().__init__("The file is not accepted.", {"file": reason}, {"file": reden})
