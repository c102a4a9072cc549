"""The media screen under ``/beheer/<loket>/media/``: the loket's files with their Markdown code to
copy, an upload form, and per file a form for the alt text and one to withdraw. In Dutch, without
JavaScript; auditors may look, editors and admins may change."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, redirect, render_template, request, url_for

from core.errors import StaleVersionError
from core.http import get_site
from core.identity import Principal
from core.media import files
from core.media.api import uploaded_file
from core.media.domain import MediaWithdrawnError
from core.media.files import IMAGE_TYPES, MediaInputError
from core.media.service import MAX_ALT, as_json, media_library
from core.http import screen_principal

# The one import from ``web``: the screens' own guard (login, role, page frame), so this screen
# behaves exactly like the others. It is loaded only when the web app mounts editor blueprints.

bp = Blueprint("media_editor", __name__, template_folder="templates")

READERS = ("admin", "editor", "auditor")
WRITERS = ("admin", "editor")
PAGE_SIZE = 50
THUMBNAIL = (160, 120)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TYPE_LABELS = {"image/png": "PNG-afbeelding", "image/jpeg": "JPEG-afbeelding", "image/webp": "WebP-afbeelding", "application/pdf": "Pdf-document"}


@bp.get("/media/")
def library(loket: str):
    """The loket's media, newest first, with the upload form."""
    return _page(loket, screen_principal(loket, *READERS))


@bp.post("/media/")
def upload(loket: str):
    """Upload one file with its alt text; a refused file shows the reason at the field."""
    principal = screen_principal(loket, *WRITERS)
    alt = request.form.get("alt", "")
    try:
        data, filename = uploaded_file()
        media_library(get_site()).upload(loket, data, filename, alt)
    except MediaInputError as error:
        return _page(loket, principal, errors=error.dutch, alt=alt, status=422)
    flash("Het bestand is toegevoegd.")
    return redirect(url_for(".library", loket=loket))


@bp.post("/media/<uuid:media_id>/alt-tekst")
def change_alt(loket: str, media_id: UUID):
    """Save a new alt text for one file."""
    screen_principal(loket, *WRITERS)
    try:
        media_library(get_site()).change_alt(loket, media_id, request.form.get("alt", ""), _version())
    except MediaInputError as error:
        flash(f"Niet opgeslagen: {'; '.join(error.dutch.values())}.", "error")
    except (StaleVersionError, MediaWithdrawnError):
        flash("Niet opgeslagen: iemand anders heeft dit bestand intussen gewijzigd of verwijderd. Bekijk de lijst en probeer het opnieuw.", "error")
    else:
        flash("De alt-tekst is opgeslagen.")
    return redirect(url_for(".library", loket=loket) + f"#media-{media_id}")


@bp.post("/media/<uuid:media_id>/verwijderen")
def withdraw(loket: str, media_id: UUID):
    """Withdraw one file: it is no longer served; its history stays."""
    screen_principal(loket, *WRITERS)
    try:
        media_library(get_site()).withdraw(loket, media_id, _version())
    except (StaleVersionError, MediaWithdrawnError):
        flash("Niet verwijderd: iemand anders heeft dit bestand intussen gewijzigd of verwijderd. Bekijk de lijst en probeer het opnieuw.", "error")
    else:
        flash("Het bestand is verwijderd. Pagina's die het gebruikten, tonen het niet meer.")
    return redirect(url_for(".library", loket=loket))


def _page(loket: str, principal: Principal, errors: dict[str, str] | None = None, alt: str = "", status: int = 200):
    site = get_site()
    site.projections.catch_up()
    page = max(1, _int(request.args.get("pagina")) or 1)
    rows, total = media_library(site).list(loket, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    items = [_display(as_json(row, site.config.public_url)) for row in rows]
    return render_template(
        "media/library.html",
        items=items,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        can_edit=principal.has_role(loket, *WRITERS),
        errors=errors or {},
        alt=alt,
        max_alt=MAX_ALT,
        max_size=_size(files.MAX_BYTES),
    ), status


def _display(item: dict[str, Any]) -> dict[str, Any]:
    """The item with what the screen shows: Dutch type and size, and a thumbnail that fits."""
    item["isImage"] = item["contentType"] in IMAGE_TYPES
    item["typeLabel"] = TYPE_LABELS.get(item["contentType"], item["contentType"])
    item["sizeLabel"] = _size(item["size"])
    item["uploadedLabel"] = datetime.fromisoformat(item["uploadedAt"]).astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
    if item["isImage"] and item["width"] and item["height"]:
        scale = min(1.0, THUMBNAIL[0] / item["width"], THUMBNAIL[1] / item["height"])
        item["thumbnail"] = (max(1, round(item["width"] * scale)), max(1, round(item["height"] * scale)))
    return item


def _size(size: int) -> str:
    """Bytes the Dutch way: ``850 bytes``, ``12,3 kB``, ``4,5 MB``."""
    if size < 1024:
        return f"{size} bytes"
    for unit, factor in (("kB", 1024), ("MB", 1024 * 1024)):
        if size < factor * 1024 or unit == "MB":
            return f"{size / factor:.1f} {unit}".replace(".", ",").replace(",0 ", " ")
    return f"{size} bytes"


def _version() -> int | None:
    return _int(request.form.get("version"))


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None
