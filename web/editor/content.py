"""The generic screens of every content type: list, create, edit, publish, plan, history, restore.

Driven by the registry: the type's schema makes the form (and validates it, exactly as the API
does), its list fields make the columns, its filters the filter choices."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from flask import flash, g, redirect, render_template, request, url_for

from core.content.domain import DRAFT, PUBLISHED, UNPUBLISHED
from core.content.registry import ContentType
from core.errors import InvalidInputError, LoketError, NotFoundError, StaleVersionError
from core.http import get_site
from web.editor import bp
from web.editor.forms import AMSTERDAM, display, form_fields, submitted
from core.messages import dutch_reason, t
from core.http import screen_principal

READERS = ("admin", "editor", "auditor")
WRITERS = ("admin", "editor")
PAGE_SIZE = 25
STATUSES = (DRAFT, PUBLISHED, UNPUBLISHED)


@bp.get("/<loket>/inhoud/<type_name>/")
def content_list(loket: str, type_name: str):
    """Items of one type: search by title, filter by status and sector, sort, page."""
    screen_principal(loket, *READERS)
    site = get_site()
    content_type = _type(loket, type_name)
    site.projections.catch_up()
    status = request.args.get("status", "")
    statuses = (status,) if status in STATUSES else STATUSES
    sort = request.args.get("sort", "-updatedAt")
    order_by = sort.lstrip("-") if sort.lstrip("-") in ("title", "updatedAt", "publishedAt") else "updatedAt"
    page = max(1, int(request.args.get("pagina", "1")) if request.args.get("pagina", "1").isdigit() else 1)
    sector = request.args.get("sector", "")
    items, total = site.content_view.list_items(
        loket,
        content_type.name,
        public=False,
        statuses=statuses,
        filters={"sectors": [sector]} if sector and "sectors" in content_type.filters else None,
        search=request.args.get("q", "").strip(),
        order_by=order_by,
        descending=sort.startswith("-"),
        limit=PAGE_SIZE,
        offset=(page - 1) * PAGE_SIZE,
    )
    rows = [json.loads(item) for item in items]
    return render_template(
        "editor/content_list.html",
        content_type=content_type,
        rows=rows,
        total=total,
        page=page,
        pages=max(1, -(-total // PAGE_SIZE)),
        args=request.args,
        columns=[c for c in content_type.list_fields if c != content_type.title_field],
    )


@bp.route("/<loket>/inhoud/<type_name>/nieuw", methods=["GET", "POST"])
def content_new(loket: str, type_name: str):
    """A new item: the form, and on submit the draft."""
    screen_principal(loket, *WRITERS)
    content_type = _type(loket, type_name)
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        data = submitted(content_type.schema(), request.form)
        try:
            saved = get_site().content.create(content_type.name, loket, data)
        except InvalidInputError as error:
            errors = error.problems
        else:
            flash(t("content.saved"))
            return redirect(url_for("beheer.content_edit", loket=loket, type_name=type_name, item_id=saved.id))
    return _form(content_type, None, data, errors, status=422 if errors else 200)


@bp.route("/<loket>/inhoud/<type_name>/<uuid:item_id>", methods=["GET", "POST"])
def content_edit(loket: str, type_name: str, item_id: UUID):
    """Edit the working copy; a save over a version changed since it was opened is refused, with
    the other person's version shown beside this one."""
    principal = screen_principal(loket, *READERS)
    content_type = _type(loket, type_name)
    current = _working(content_type, loket, item_id)
    if request.method == "GET":
        lock = None
        if principal.has_role(loket, *WRITERS):
            lock = get_site().locks.open(loket, item_id, principal.name, datetime.now(timezone.utc))
        return _form(content_type, current, current, {}, lock=lock)
    screen_principal(loket, *WRITERS)
    data = submitted(content_type.schema(), request.form)
    version = request.form.get("version", "")
    try:
        get_site().content.revise(content_type.name, loket, item_id, data, int(version) if version.isdigit() else None, partial=False)
    except InvalidInputError as error:
        return _form(content_type, current, data, error.problems, status=422, version=version)
    except StaleVersionError:
        return _form(content_type, current, data, {}, status=409, conflict=_conflict(content_type, current, data))
    flash(t("content.saved"))
    return redirect(url_for("beheer.content_edit", loket=loket, type_name=type_name, item_id=item_id))


@bp.post("/<loket>/inhoud/<type_name>/<uuid:item_id>/<action>")
def content_action(loket: str, type_name: str, item_id: UUID, action: str):
    """Publish, unpublish, withdraw, plan (schedule) or restore an earlier version."""
    screen_principal(loket, *WRITERS)
    content_type = _type(loket, type_name)
    content = get_site().content
    version = request.form.get("version", "")
    expected = int(version) if version.isdigit() else None
    done = {
        "publiceren": t("content.published"), "offline": t("content.unpublished"), "verwijderen": t("content.withdrawn"), "inplannen": t("content.scheduled"),
        "aanbieden": t("approval.submitted"), "goedkeuren": t("approval.approved"), "afwijzen": t("approval.rejected"),
    }
    comment = request.form.get("opmerking", "")
    try:
        if action == "publiceren":
            content.publish(content_type.name, loket, item_id, expected)
        elif action == "offline":
            content.unpublish(content_type.name, loket, item_id, expected)
        elif action == "verwijderen":
            content.withdraw(content_type.name, loket, item_id, expected, reason=request.form.get("reden", ""))
        elif action == "inplannen":
            content.schedule(content_type.name, loket, item_id, _moment("publishAt"), _moment("unpublishAt"), expected)
        elif action == "aanbieden":
            content.submit(content_type.name, loket, item_id, comment, expected)
        elif action == "goedkeuren":
            content.approve(content_type.name, loket, item_id, comment, expected)
        elif action == "afwijzen":
            content.reject(content_type.name, loket, item_id, comment, expected)
        elif action == "terugzetten":
            to_version = int(request.form.get("naar", "0") or 0)
            content.revert(content_type.name, loket, item_id, to_version)
            flash(t("content.restored", version=to_version))
            return redirect(url_for("beheer.content_edit", loket=loket, type_name=type_name, item_id=item_id))
        else:
            raise NotFoundError(f"No action '{action}'.")
    except NotFoundError:
        raise
    except LoketError as error:  # a refused step (nothing to publish, a stale version) is told
        flash(str(error), "error")
    else:
        flash(done[action])
    return redirect(url_for("beheer.content_edit", loket=loket, type_name=type_name, item_id=item_id))


@bp.post("/<loket>/inhoud/<type_name>/<uuid:item_id>/overnemen")
def content_take_over(loket: str, type_name: str, item_id: UUID):
    """Take over editing from someone else (recorded)."""
    principal = screen_principal(loket, *WRITERS)
    _working(_type(loket, type_name), loket, item_id)
    get_site().locks.take_over(item_id, principal.name, datetime.now(timezone.utc))
    flash(t("lock.taken_over"))
    return redirect(url_for("beheer.content_edit", loket=loket, type_name=type_name, item_id=item_id))


@bp.get("/<loket>/inhoud/<type_name>/<uuid:item_id>/geschiedenis")
def content_history(loket: str, type_name: str, item_id: UUID):
    """Every version (who, when, what, why), and two versions side by side."""
    screen_principal(loket, *READERS)
    site = get_site()
    content_type = _type(loket, type_name)
    current = _working(content_type, loket, item_id)
    history = [{**entry, "actor": site.identity.actor_name(entry["actor"])} for entry in site.content.history(content_type.name, loket, item_id)]
    latest = history[-1]["version"]
    older = _int_arg("van", max(1, latest - 1))
    newer = _int_arg("naar", latest)
    diff = _diff(content_type, item_id, min(older, latest), min(newer, latest))
    return render_template(
        "editor/history.html", content_type=content_type, item=current, history=history, diff=diff, older=older, newer=newer
    )


# Helpers


def _type(loket: str, type_name: str) -> ContentType:
    site = get_site()
    for content_type in site.content_types.for_loket(site.lokets.enabled_plugins(loket)):
        if content_type.name == type_name:
            return content_type
    raise NotFoundError(f"No content type '{type_name}' in loket '{loket}'.")


def _working(content_type: ContentType, loket: str, item_id: UUID) -> dict[str, Any]:
    site = get_site()
    site.projections.catch_up()
    row = site.content_view.get_row(str(item_id))
    if row is None or row["loket"] != loket or row["type"] != content_type.name:
        raise NotFoundError(f"No {content_type.name} {item_id} in loket '{loket}'.")
    return json.loads(row["working_json"])


def _form(
    content_type: ContentType, item: dict | None, data: dict, errors: dict, status: int = 200, version: str | None = None, conflict: dict | None = None, lock: Any = None
):
    if item and "slug" not in data:
        data = {**data, "slug": item["slug"]}
    fields = _ordered(content_type, form_fields(content_type.schema(), data, errors))
    labels = {f.name: f.label for f in fields} | {c.name: f"{f.label}: {c.label}" for f in fields for c in f.children}
    summary = [
        (f"veld-{name.replace('.', '-').split('[')[0]}", labels.get(name.split("[")[0], name), dutch_reason(reason)) for name, reason in errors.items()
    ]
    return (
        render_template(
            "editor/content_form.html",
            content_type=content_type,
            item=item,
            fields=fields,
            display=display,
            error_summary=summary,
            version=version or (str(conflict["version"]) if conflict else (str(item["version"]) if item else "")),
            conflict=conflict,
            preview=_preview(content_type, item) if item else "",
            approval_required=get_site().content.needs_approval(content_type.name, g.loket),
            lock=lock,
        ),
        status,
    )


def _ordered(content_type: ContentType, fields: list[Any]) -> list[Any]:
    """The type's ``form_order`` first (by default: its title field), then the rest as the schema has them."""
    order = list(content_type.form_order) or [content_type.title_field]
    rank = {name: index for index, name in enumerate(order)}
    return sorted(fields, key=lambda f: rank.get(f.name, len(order)))


def _preview(content_type: ContentType, item: dict[str, Any]) -> str:
    """The draft as the public API will serve it once published: same rendering, same JSON-LD."""
    from core.content.rendering import render_item

    site = get_site()
    row = site.content_view.get_row(item["id"])
    fields = json.loads(row["fields_json"])

    def json_ld(type_name: str, public: dict[str, Any]) -> dict[str, Any] | None:
        return next((result for _, result in site.plugins.each("json_ld", content_type=type_name, item=public)), None)

    updated = datetime.fromisoformat(item["updatedAt"])
    public = render_item(content_type, item["id"], item["loket"], item["slug"], fields, updated, updated, json_ld)
    return json.dumps(public, ensure_ascii=False, indent=2)


def _conflict(content_type: ContentType, current: dict[str, Any], yours: dict[str, Any]) -> dict[str, Any]:
    site = get_site()
    events = list(site.app.events.get(UUID(current["id"])))
    rows = []
    for form_field in form_fields(content_type.schema(), yours, {}):
        theirs = current.get(form_field.name)
        mine = yours.get(form_field.name)
        rows.append({"label": form_field.label, "yours": display(mine, form_field.kind), "theirs": display(theirs, form_field.kind), "changed": display(mine, form_field.kind) != display(theirs, form_field.kind)})
    return {"rows": rows, "version": current["version"], "actor": site.identity.actor_name(events[-1].envelope["actor"])}


def _diff(content_type: ContentType, item_id: UUID, older: int, newer: int) -> list[dict[str, Any]]:
    site = get_site()
    schema = content_type.schema()
    a = site.app.repository.get(item_id, version=older)
    b = site.app.repository.get(item_id, version=newer)
    left, right = schema.dump(a.fields), schema.dump(b.fields)
    rows = []
    for form_field in form_fields(schema, left, {}):
        before, after = display(left.get(form_field.name), form_field.kind), display(right.get(form_field.name), form_field.kind)
        rows.append({"label": form_field.label, "before": before, "after": after, "changed": before != after})
    rows.insert(0, {"label": t("history.slug"), "before": a.slug, "after": b.slug, "changed": a.slug != b.slug})
    return rows


def _moment(name: str) -> datetime | None:
    raw = request.form.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=AMSTERDAM)
    except ValueError:
        raise InvalidInputError(t("content.bad_date"), {name: t("content.bad_date_reason")}) from None


def _int_arg(name: str, default: int) -> int:
    raw = request.args.get(name, "")
    return int(raw) if raw.isdigit() and int(raw) >= 1 else default
