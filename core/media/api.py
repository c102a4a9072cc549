"""The media API: upload, list, describe and withdraw (editors), and the files themselves (public)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any
from urllib.parse import quote
from uuid import UUID

from flask import Blueprint, Response, jsonify, request, send_file
from marshmallow import Schema, fields, validate

from core.http import (
    expected_version,
    get_site,
    json_body,
    page_params,
    paging_links,
    require_role,
    version_etag,
)
from core.media import files
from core.media.files import MediaInputError
from core.media.service import MAX_ALT, Saved, as_json, media_library
from core.validation import load

bp = Blueprint("media", __name__)

WRITERS = ("editor", "admin")
READERS = ("editor", "admin", "auditor")

#: Room for the multipart boundaries and the alt text around the file itself.
FORM_OVERHEAD = 64 * 1024
#: Files are named by their content, so they never change: caches may keep them for a year.
IMMUTABLE = "public, max-age=31536000, immutable"


class AltTextSchema(Schema):
    alt = fields.String(required=True, validate=validate.Length(max=MAX_ALT), metadata={"description": "What the image shows, for people who cannot see it; empty for a decorative image"})


@bp.post("/media")
def upload(loket: str):
    """Upload an image (PNG, JPEG, WebP) or a PDF: multipart field ``file``, optional ``alt``."""
    require_role(loket, *WRITERS)
    data, filename = uploaded_file()
    saved = media_library(get_site()).upload(loket, data, filename, request.form.get("alt", ""))
    response = _written(loket, saved, 201)
    response.headers["Location"] = response.json["path"]
    return response


@bp.get("/media")
def list_media(loket: str):
    """The loket's media in use, newest first, paged (editors and auditors)."""
    require_role(loket, *READERS)
    site = get_site()
    site.lokets.get(loket)
    site.projections.catch_up()
    page, page_size = page_params()
    rows, total = media_library(site).list(loket, page_size, (page - 1) * page_size)
    body = {"items": [as_json(row, site.config.public_url) for row in rows], "page": page, "pageSize": page_size, "total": total}
    return body, 200, {"Link": paging_links(page, page_size, total)}


@bp.patch("/media/<uuid:media_id>")
def change_alt(loket: str, media_id: UUID):
    """Change the alt text: ``{"alt": "…"}`` (If-Match required)."""
    require_role(loket, *WRITERS)
    version = expected_version(required=True)
    data = load(AltTextSchema(), json_body(), "The alt text is not valid.")
    return _written(loket, media_library(get_site()).change_alt(loket, media_id, data["alt"], version))


@bp.delete("/media/<uuid:media_id>")
def withdraw(loket: str, media_id: UUID):
    """Withdraw an item: its file is no longer served here; its history stays (If-Match required)."""
    require_role(loket, *WRITERS)
    version = expected_version(required=True)
    return _written(loket, media_library(get_site()).withdraw(loket, media_id, version))


@bp.get("/media/<digest>")
def serve(loket: str, digest: str):
    """The file with this sha256, when the loket uses it (public; cached for a year)."""
    site = get_site()
    site.lokets.get(loket)
    path, row = media_library(site).file(loket, digest)
    response = send_file(path, mimetype=row["content_type"], etag=digest, conditional=True)
    response.headers["Cache-Control"] = IMMUTABLE
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Disposition"] = content_disposition(row["filename"])
    if row["content_type"] == files.PDF:
        # A PDF opened in the browser runs in a sandbox: no scripts, no forms, no same-origin access.
        response.headers["Content-Security-Policy"] = "sandbox"
    return response


def uploaded_file() -> tuple[bytes, str | None]:
    """The bytes and name of the uploaded ``file`` (multipart), read no further than the limit.

    :raise MediaInputError: no file sent. :raise RefusedFileError: clearly too large.
    """
    if request.content_length and request.content_length > files.MAX_BYTES + FORM_OVERHEAD:
        raise files.too_large()
    upload = request.files.get("file")
    data = upload.stream.read(files.MAX_BYTES + 1) if upload else b""
    if upload is None or not (data or upload.filename):
        raise MediaInputError(
            "No file was sent.",
            {"file": "send the file as the multipart/form-data field 'file'"},
            {"file": "kies een bestand"},
        )
    return data, upload.filename


def content_disposition(filename: str) -> str:
    """``inline`` with the original name: plain ASCII for old clients, exact UTF-8 (RFC 6266/8187) for
    the rest; quotes, semicolons and line breaks cannot break out of the header."""
    fallback = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    fallback = re.sub(r"[^A-Za-z0-9._ ()-]", "_", fallback).strip() or "bestand"
    return f"inline; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def _written(loket: str, saved: Saved, status: int = 200) -> Response:
    site = get_site()
    response = jsonify(as_json(media_library(site).item(loket, saved.id), site.config.public_url))
    response.status_code = status
    response.headers["ETag"] = version_etag(saved.version)
    response.headers["X-Loket-Position"] = str(saved.position)
    return response


def openapi_paths(spec: Any) -> dict[str, Any]:
    """The media paths for ``/api/v1/openapi.json`` (relative to ``/api/v1/lokets/{loket}``)."""
    spec.components.schema("MediaAltInput", schema=AltTextSchema)
    spec.components.schema("MediaItem", _item_schema())
    bearer = [{"bearer": []}]
    tags = ["media"]
    item_json = {"application/json": {"schema": {"$ref": "#/components/schemas/MediaItem"}}}
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}

    def error(description: str) -> dict[str, Any]:
        return {"description": description, "content": problem}

    media_id = {"name": "mediaId", "in": "path", "required": True, "schema": {"type": "string", "format": "uuid"}}
    if_match = {"name": "If-Match", "in": "header", "required": True, "schema": {"type": "string"}, "description": 'The ETag (version) you read, e.g. "1"'}
    writes = {
        "401": error("No valid API token"),
        "403": error("No editor or admin role in this loket"),
        "404": error("No such loket or media item"),
        "409": error("The item was withdrawn"),
        "412": error("Stale If-Match"),
        "422": error("Not valid; invalidParams names the field"),
        "428": error("If-Match is missing"),
    }
    return {
        "/media": {
            "post": {
                "tags": tags,
                "summary": f"Upload an image (PNG, JPEG, WebP) or a PDF of at most {files.MAX_BYTES // (1024 * 1024)} MB; the type is read from the content",
                "security": bearer,
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "required": ["file"],
                                "properties": {
                                    "file": {"type": "string", "format": "binary"},
                                    "alt": {"type": "string", "maxLength": MAX_ALT, "description": "Alt text of an image"},
                                },
                            }
                        }
                    },
                },
                "responses": {
                    "201": {"description": "Stored; ETag is the item's version, Location the file", "content": item_json},
                    "401": writes["401"],
                    "403": writes["403"],
                    "404": error("No such loket"),
                    "422": error("No file, empty, too large, or not an accepted type (invalidParams: file)"),
                },
            },
            "get": {
                "tags": tags,
                "summary": "The loket's media in use, newest first (editors, auditors)",
                "security": bearer,
                "parameters": [
                    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
                    {"name": "pageSize", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
                ],
                "responses": {
                    "200": {
                        "description": "A page of media items",
                        "content": {"application/json": {"schema": {"type": "object", "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/MediaItem"}}, "page": {"type": "integer"}, "pageSize": {"type": "integer"}, "total": {"type": "integer"}}}}},
                    },
                    "401": writes["401"],
                    "403": error("No role in this loket"),
                },
            },
        },
        "/media/{mediaId}": {
            "patch": {
                "tags": tags,
                "summary": "Change the alt text",
                "security": bearer,
                "parameters": [media_id, if_match],
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MediaAltInput"}}}},
                "responses": {"200": {"description": "The item as it now is", "content": item_json}, **writes},
            },
            "delete": {
                "tags": tags,
                "summary": "Withdraw: the file is no longer served for this item; the history stays",
                "security": bearer,
                "parameters": [media_id, if_match],
                "responses": {"200": {"description": "The withdrawn item", "content": item_json}, **{k: v for k, v in writes.items() if k != "422"}},
            },
        },
        "/media/{digest}": {
            "get": {
                "tags": tags,
                "summary": "The file (public), when it is in use in this loket; immutable, so cached for a year",
                "parameters": [{"name": "digest", "in": "path", "required": True, "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}, "description": "The file's sha256"}],
                "responses": {
                    "200": {
                        "description": "The bytes, with ETag (the sha256), nosniff, Content-Disposition: inline, and for PDFs Content-Security-Policy: sandbox",
                        "content": {content_type: {"schema": {"type": "string", "format": "binary"}} for content_type in (*files.IMAGE_TYPES, files.PDF)},
                    },
                    "304": {"description": "Not modified (If-None-Match)"},
                    "404": error("No such file in use in this loket (or withdrawn)"),
                },
            }
        },
    }


def _item_schema() -> dict[str, Any]:
    nullable_int = {"type": ["integer", "null"]}
    return {
        "type": "object",
        "properties": {
            "id": {"type": "string", "format": "uuid"},
            "loket": {"type": "string"},
            "sha256": {"type": "string"},
            "filename": {"type": "string"},
            "contentType": {"type": "string", "enum": [*files.IMAGE_TYPES, files.PDF]},
            "size": {"type": "integer", "description": "Bytes"},
            "width": {**nullable_int, "description": "Pixels (images)"},
            "height": {**nullable_int, "description": "Pixels (images)"},
            "alt": {"type": "string"},
            "withdrawn": {"type": "boolean"},
            "version": {"type": "integer"},
            "uploadedAt": {"type": "string", "format": "date-time"},
            "updatedAt": {"type": "string", "format": "date-time"},
            "path": {"type": "string", "description": "The file's path on this site, as Markdown bodies use it"},
            "url": {"type": "string", "format": "uri", "description": "The file's full address"},
            "markdown": {"type": "string", "description": "Ready to paste into a Markdown body: ![alt](path) or [filename](path)"},
        },
    }
