"""The content API: the same routes for every registered content type, the core's and the plugins'.

Public (no login): published items only — list with filters, sorting and paging, detail by slug.
Editors and integrations (a token with ``editor`` or ``admin`` in the loket, or one of the type's
``scoped_roles`` narrowed by its plugin's ``content_scope``): the working copies, create, change
(``If-Match``), publish, unpublish, schedule, revert, withdraw, history.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from flask import Flask, Response, request

from core.content.domain import CLOSED, DRAFT, PUBLISHED, UNPUBLISHED, WITHDRAWN
from core.content.registry import ContentType
from core.content.service import Saved, Scope, in_scope
from core.errors import GoneError, InvalidInputError, NotFoundError, PermissionDeniedError
from core.http import get_site, json_body, require_role
from core.http import page_params, paging_links
from core.http import expected_version, version_etag

READERS_OF_DRAFTS = ("editor", "admin", "auditor")
STATUSES = (DRAFT, PUBLISHED, UNPUBLISHED, CLOSED, WITHDRAWN)


def register_content_routes(app: Flask) -> None:
    """Add the routes of every content type of the site (called once by the app factory)."""
    site = app.extensions["loket.site"]
    for content_type in site.content_types:
        prefix = f"/api/v1/lokets/<loket>/{content_type.url_segment}"
        defaults = {"type_name": content_type.name}
        name = content_type.name
        for rule, endpoint, view, methods in (
            ("", "list", list_items, ["GET"]),
            ("", "create", create_item, ["POST"]),
            ("/<ref>", "show", show_item, ["GET"]),
            ("/<uuid:item_id>", "replace", replace_item, ["PUT"]),
            ("/<uuid:item_id>", "change", change_item, ["PATCH"]),
            ("/<uuid:item_id>", "withdraw", withdraw_item, ["DELETE"]),
            ("/<uuid:item_id>/publish", "publish", publish_item, ["POST"]),
            ("/<uuid:item_id>/unpublish", "unpublish", unpublish_item, ["POST"]),
            ("/<uuid:item_id>/schedule", "schedule", schedule_item, ["POST"]),
            ("/<uuid:item_id>/revert", "revert", revert_item, ["POST"]),
            ("/<uuid:item_id>/submit", "submit", submit_item, ["POST"]),
            ("/<uuid:item_id>/approve", "approve", approve_item, ["POST"]),
            ("/<uuid:item_id>/reject", "reject", reject_item, ["POST"]),
            ("/<uuid:item_id>/history", "history", item_history, ["GET"]),
        ):
            app.add_url_rule(prefix + rule, f"content.{name}.{endpoint}", view, methods=methods, defaults=defaults)


# Reads


def list_items(loket: str, type_name: str) -> Response:
    """Published items (or, for editors with ``?status=``, working copies), filtered and paged."""
    site = get_site()
    content_type = site.content.type_in(type_name, loket)
    statuses = _statuses()
    if not statuses and content_type.public_list is not None:
        return content_type.public_list(loket)
    page, page_size = page_params()
    filters = _filters(content_type)
    if statuses:  # a narrowed reader's filters keep only what its scope admits
        scope = _scope(loket, content_type, READERS_OF_DRAFTS)
        for name, admitted in (scope or {}).items():
            filters[name] = [v for v in filters.get(name, admitted) if v in admitted]
    order_by, descending = _sort(content_type)
    items, total = [], 0
    if all(filters.values()):
        items, total = site.content_view.list_items(
            loket,
            content_type.name,
            public=not statuses,
            statuses=statuses,
            filters=filters,
            order_by=order_by,
            descending=descending,
            limit=page_size,
            offset=(page - 1) * page_size,
        )
    body = f'{{"items": [{", ".join(items)}], "page": {page}, "pageSize": {page_size}, "total": {total}}}'
    response = Response(body, mimetype="application/json")
    response.headers["Link"] = paging_links(page, page_size, total)
    return response


def show_item(loket: str, type_name: str, ref: str) -> Response:
    """A published item by slug; or, by id, its working copy for editors (ETag = its version)."""
    site = get_site()
    content_type = site.content.type_in(type_name, loket)
    item_id = _as_uuid(ref)
    if item_id is None:
        public = site.content_view.find_public(loket, content_type.name, ref)
        if public is None:
            outcome = site.content_view.find_gone(loket, content_type.name, ref)
            if outcome is not None:
                raise GoneError(f"The {content_type.name} '{ref}' in loket '{loket}' is closed ({outcome}) and no longer public.")
            raise NotFoundError(f"There is no published {content_type.name} '{ref}' in loket '{loket}'.")
        return Response(public, mimetype="application/json")
    scope = _scope(loket, content_type, READERS_OF_DRAFTS)
    return _working_copy(content_type, loket, item_id, scope)


def item_history(loket: str, type_name: str, item_id: UUID) -> dict[str, Any]:
    """Every version of an item: what happened, when and by whom."""
    site = get_site()
    scope = _scope(loket, site.content.type_in(type_name, loket), READERS_OF_DRAFTS)
    return {"items": site.content.history(type_name, loket, item_id, scope)}


# Writes


def create_item(loket: str, type_name: str) -> Response:
    """Draft a new item."""
    scope = _writer_scope(loket, type_name)
    saved = get_site().content.create(type_name, loket, json_body(), scope)
    response = _written(type_name, loket, saved, status=201)
    response.headers["Location"] = f"{request.base_url}/{saved.id}"
    return response


def replace_item(loket: str, type_name: str, item_id: UUID) -> Response:
    """Replace the working copy with the given fields (If-Match required)."""
    scope = _writer_scope(loket, type_name)
    version = expected_version(required=True)
    saved = get_site().content.revise(type_name, loket, item_id, json_body(), version, partial=False, scope=scope)
    return _written(type_name, loket, saved)


def change_item(loket: str, type_name: str, item_id: UUID) -> Response:
    """Change the given fields of the working copy (If-Match required)."""
    scope = _writer_scope(loket, type_name)
    version = expected_version(required=True)
    saved = get_site().content.revise(type_name, loket, item_id, json_body(), version, partial=True, scope=scope)
    return _written(type_name, loket, saved)


def withdraw_item(loket: str, type_name: str, item_id: UUID) -> Response:
    """Delete (withdraw) an item; its history stays (If-Match required)."""
    scope = _writer_scope(loket, type_name)
    version = expected_version(required=True)
    saved = get_site().content.withdraw(type_name, loket, item_id, version, reason=request.args.get("reason", ""), scope=scope)
    return _written(type_name, loket, saved)


def publish_item(loket: str, type_name: str, item_id: UUID) -> Response:
    """Publish the working copy."""
    scope = _writer_scope(loket, type_name)
    saved = get_site().content.publish(type_name, loket, item_id, expected_version(required=False), scope)
    return _written(type_name, loket, saved)


def unpublish_item(loket: str, type_name: str, item_id: UUID) -> Response:
    """Take the item out of the public API."""
    scope = _writer_scope(loket, type_name)
    saved = get_site().content.unpublish(type_name, loket, item_id, expected_version(required=False), scope)
    return _written(type_name, loket, saved)


def schedule_item(loket: str, type_name: str, item_id: UUID) -> Response:
    """Plan publication (``publishAt``) and/or withdrawal from publication (``unpublishAt``)."""
    scope = _writer_scope(loket, type_name)
    body = json_body()
    unknown = set(body) - {"publishAt", "unpublishAt"}
    if unknown:
        raise InvalidInputError("The plan is not valid.", {name: "unknown key" for name in sorted(unknown)})
    moments = {name: _moment(body, name) for name in ("publishAt", "unpublishAt")}
    saved = get_site().content.schedule(
        type_name, loket, item_id, moments["publishAt"], moments["unpublishAt"], expected_version(required=False), scope
    )
    return _written(type_name, loket, saved)


def revert_item(loket: str, type_name: str, item_id: UUID) -> Response:
    """Make the working copy what it was at ``toVersion``, as a new version."""
    scope = _writer_scope(loket, type_name)
    body = json_body()
    to_version = body.get("toVersion")
    if not isinstance(to_version, int) or isinstance(to_version, bool):
        raise InvalidInputError("The revert is not valid.", {"toVersion": "give the version number to go back to"})
    saved = get_site().content.revert(type_name, loket, item_id, to_version, expected_version(required=False), scope)
    return _written(type_name, loket, saved)


def submit_item(loket: str, type_name: str, item_id: UUID) -> Response:
    """Ask a second editor or admin to approve the working copy: ``{"note": "…"}``."""
    scope = _writer_scope(loket, type_name)
    saved = get_site().content.submit(type_name, loket, item_id, _text(json_body(), "note"), expected_version(required=False), scope)
    return _written(type_name, loket, saved)


def approve_item(loket: str, type_name: str, item_id: UUID) -> Response:
    """Approve (not the person who submitted it): ``{"comment": "…"}``."""
    scope = _writer_scope(loket, type_name)
    saved = get_site().content.approve(type_name, loket, item_id, _text(json_body(), "comment"), expected_version(required=False), scope)
    return _written(type_name, loket, saved)


def reject_item(loket: str, type_name: str, item_id: UUID) -> Response:
    """Reject with a reason: ``{"comment": "…"}``."""
    scope = _writer_scope(loket, type_name)
    saved = get_site().content.reject(type_name, loket, item_id, _text(json_body(), "comment"), expected_version(required=False), scope)
    return _written(type_name, loket, saved)


# Helpers


def _writer_scope(loket: str, type_name: str) -> Scope:
    """The writer's scope: editors and admins (None), or a scoped role narrowed by the plugin."""
    return _scope(loket, get_site().content.type_in(type_name, loket), ())


def _scope(loket: str, content_type: ContentType, readers: tuple[str, ...]) -> Scope:
    principal = require_role(loket, *readers, *content_type.writer_roles)
    return get_site().content_scope(loket, principal, content_type, write=not readers)


def _text(body: dict[str, Any], name: str) -> str:
    value = body.get(name, "")
    if not isinstance(value, str) or len(value) > 2000:
        raise InvalidInputError("The request is not valid.", {name: "text of at most 2000 characters"})
    return value


def _written(type_name: str, loket: str, saved: Saved, status: int = 200) -> Response:
    """The item as it now is: the read models are caught up first, so the client reads its write."""
    site = get_site()
    site.projections.catch_up()
    response = _working_copy(site.content_types.get(type_name), loket, saved.id, None)
    response.status_code = status
    response.headers["X-Loket-Position"] = str(saved.position)
    return response


def _working_copy(content_type: ContentType, loket: str, item_id: UUID, scope: Scope) -> Response:
    row = get_site().content_view.get_row(str(item_id))
    if row is None or row["loket"] != loket or row["type"] != content_type.name:
        raise NotFoundError(f"There is no {content_type.name} {item_id} in loket '{loket}'.")
    if not in_scope(content_type, json.loads(row["fields_json"]), scope):
        raise PermissionDeniedError(f"This {content_type.name} is outside what you may manage here.")
    response = Response(row["working_json"], mimetype="application/json")
    response.headers["ETag"] = version_etag(row["version"])
    return response


def _as_uuid(ref: str) -> UUID | None:
    try:
        return UUID(ref)
    except ValueError:
        return None


def _moment(body: dict[str, Any], name: str) -> datetime | None:
    value = body.get(name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        raise InvalidInputError("The plan is not valid.", {name: "give an ISO 8601 moment with offset, e.g. 2026-03-01T09:00:00+01:00"}) from None
    if moment.tzinfo is None:
        raise InvalidInputError("The plan is not valid.", {name: "give a time zone offset, e.g. +01:00"})
    return moment


def _statuses() -> tuple[str, ...]:
    raw = request.args.get("status")
    if raw is None:
        return ()
    statuses = tuple(STATUSES if raw == "all" else raw.split(","))
    unknown = [s for s in statuses if s not in STATUSES]
    if unknown:
        raise InvalidInputError("The status filter is not valid.", {"status": f"use one or more of {', '.join(STATUSES)}, or all"})
    return statuses


def _filters(content_type: ContentType) -> dict[str, list[str]]:
    """Filters from the query: ``?sector=po&sector=vo&tag=…`` (singular or the field's own name)."""
    filters = {}
    for name in content_type.filters:
        singular = name[:-1] if name.endswith("s") else name
        values = request.args.getlist(name) + (request.args.getlist(singular) if singular != name else [])
        if values:
            filters[name] = values
    return filters


def _sort(content_type: ContentType) -> tuple[str, bool]:
    """``?sort=title`` (the default), ``-updatedAt``, …: one of the type's sort fields."""
    raw = request.args.get("sort", content_type.title_field)
    descending = raw.startswith("-")
    name = raw.lstrip("-")
    allowed = {content_type.title_field, *content_type.sort_fields}
    if name not in allowed:
        raise InvalidInputError("The sort order is not valid.", {"sort": f"use one of {', '.join(sorted(allowed))}, with - for descending"})
    return ("title" if name == content_type.title_field else name), descending
