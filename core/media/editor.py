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
from core.messages import t

# The one import from ``web``: the screens' own guard (login, role, page frame), so this screen
# behaves exactly like the others. It is loaded only when the web app mounts editor blueprints.

bp = Blueprint("media_editor", __name__, template_folder="templates")

READERS = ("admin", "editor", "auditor")
WRITERS = ("admin", "editor")
PAGE_SIZE = 50
THUMBNAIL = (160, 120)
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


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
    flash(t("media.added"))
    return redirect(url_for(".library", loket=loket))


@bp.post("/media/<uuid:media_id>/alt-tekst")
def change_alt(loket: str, media_id: UUID):
    """Save a new alt text for one file."""
    screen_principal(loket, *WRITERS)
    try:
        media_library(get_site()).change_alt(loket, media_id, request.form.get("alt", ""), _version())
    except MediaInputError as error:
        flash(t("media.alt_not_saved", reasons="; ".join(error.dutch.values())), "error")
    except (StaleVersionError, MediaWithdrawnError):
        flash(t("media.alt_stale"), "error")
    else:
        flash(t("media.alt_saved"))
    return redirect(url_for(".library", loket=loket) + f"#media-{media_id}")


@bp.post("/media/<uuid:media_id>/verwijderen")
def withdraw(loket: str, media_id: UUID):
    """Withdraw one file: it is no longer served; its history stays."""
    screen_principal(loket, *WRITERS)
    try:
        media_library(get_site()).withdraw(loket, media_id, _version())
    except (StaleVersionError, MediaWithdrawnError):
        flash(t("media.withdraw_stale"), "error")
    else:
        flash(t("media.withdrawn"))
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
    item["typeLabel"] = _type_label(item["contentType"])
    item["sizeLabel"] = _size(item["size"])
    item["uploadedLabel"] = datetime.fromisoformat(item["uploadedAt"]).astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
    if item["isImage"] and item["width"] and item["height"]:
        scale = min(1.0, THUMBNAIL[0] / item["width"], THUMBNAIL[1] / item["height"])
        item["thumbnail"] = (max(1, round(item["width"] * scale)), max(1, round(item["height"] * scale)))
    return item


def _type_label(content_type: str) -> str:
    """The kind of file in words (the media type itself when it has none)."""
    labels = {"image/png": t("media.type.png"), "image/jpeg": t("media.type.jpeg"), "image/webp": t("media.type.webp"), "application/pdf": t("media.type.pdf")}
    return labels.get(content_type, content_type)


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
