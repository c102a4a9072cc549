"""The generic screens of every content type: list, create, edit, publish, plan, history, restore.

Driven by the registry: the type's schema makes the form (and validates it, exactly as the API
does), its list fields make the columns, its filters the filter choices.

Who may do what is the API's rule too: editors and admins write every type, auditors read them,
and a type's ``scoped_roles`` (a recruiter, for vacancies) write the items its plugin's
``content_scope`` admits — lists show only those, and every command gets the scope.

A plugin adds its own steps for an item of its type by providing the template
``<plugin>/editor_<type>_actions.html`` (in its editor blueprint's templates): the edit screen
includes it for those who may write, with the item in the context.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from flask import flash, g, redirect, render_template, request, url_for

from core.content.domain import CLOSED, DRAFT, PUBLISHED, UNPUBLISHED
from core.content.registry import ContentType
from core.content.service import Scope, in_scope
from core.errors import InvalidInputError, LoketError, NotFoundError, PermissionDeniedError, StaleVersionError
from core.http import get_site
from core.identity import Principal
from web.editor import bp
from web.editor.forms import AMSTERDAM, FormField, display, form_fields, submitted
from web.editor.forms import labels as field_labels
from core.messages import dutch_reason, t
from core.http import screen_principal

READERS = ("admin", "editor", "auditor")
WRITERS = ("admin", "editor")
PAGE_SIZE = 25
STATUSES = (DRAFT, PUBLISHED, UNPUBLISHED, CLOSED)


@bp.get("/<loket>/inhoud/<type_name>/")
def content_list(loket: str, type_name: str):
    """Items of one type: search by title, filter by status and sector, sort, page."""
    _, content_type, scope = access(loket, type_name)
    site = get_site()
    site.projections.catch_up()
    status = request.args.get("status", "")
    statuses = (status,) if status in STATUSES else STATUSES
    sort = request.args.get("sort", "-updatedAt")
    order_by = sort.lstrip("-") if sort.lstrip("-") in ("title", "updatedAt", "publishedAt") else "updatedAt"
    page = max(1, int(request.args.get("pagina", "1")) if request.args.get("pagina", "1").isdigit() else 1)
    sector = request.args.get("sector", "")
    filters = narrowed({"sectors": [sector]} if sector and "sectors" in content_type.filters else {}, scope)
    items, total = [], 0
    if all(filters.values()):  # an empty admitted list: nothing to show
        items, total = site.content_view.list_items(
            loket,
            content_type.name,
            public=False,
            statuses=statuses,
            filters=filters or None,
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
        columns=_columns(content_type),
        statuses=STATUSES,
    )


@bp.route("/<loket>/inhoud/<type_name>/nieuw", methods=["GET", "POST"])
def content_new(loket: str, type_name: str):
    """A new item: the form, and on submit the draft."""
    _, content_type, scope = access(loket, type_name, write=True)
    data: dict[str, Any] = {}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        data = submitted(content_type.schema(), request.form)
        try:
            saved = get_site().content.create(content_type.name, loket, data, scope)
        except InvalidInputError as error:
            errors, status = error.problems, 422
        except PermissionDeniedError:
            errors, status = _out_of_scope(content_type, scope), 403
        else:
            flash(t("content.saved"))
            return redirect(url_for("beheer.content_edit", loket=loket, type_name=type_name, item_id=saved.id))
    return _form(content_type, None, data, errors, status=status, scope=scope)


@bp.route("/<loket>/inhoud/<type_name>/<uuid:item_id>", methods=["GET", "POST"])
def content_edit(loket: str, type_name: str, item_id: UUID):
    """Edit the working copy; a save over a version changed since it was opened is refused, with
    the other person's version shown beside this one."""
    principal, content_type, scope = access(loket, type_name)
    current = _working(content_type, loket, item_id, scope)
    if request.method == "GET":
        can_write = principal.has_role(loket, *content_type.writer_roles)
        lock = None
        if can_write:
            lock = get_site().locks.open(loket, item_id, principal.name, datetime.now(timezone.utc))
        return _form(content_type, current, current, {}, lock=lock, scope=scope, can_write=can_write)
    _, _, scope = access(loket, type_name, write=True)
    data = submitted(content_type.schema(), request.form)
    version = request.form.get("version", "")
    try:
        get_site().content.revise(
            content_type.name, loket, item_id, data, int(version) if version.isdigit() else None, partial=False, scope=scope
        )
    except InvalidInputError as error:
        return _form(content_type, current, data, error.problems, status=422, version=version, scope=scope)
    except PermissionDeniedError:
        return _form(content_type, current, data, _out_of_scope(content_type, scope), status=403, version=version, scope=scope)
    except StaleVersionError:
        return _form(content_type, current, data, {}, status=409, conflict=_conflict(content_type, current, data), scope=scope)
    flash(t("content.saved"))
    return redirect(url_for("beheer.content_edit", loket=loket, type_name=type_name, item_id=item_id))


@bp.post("/<loket>/inhoud/<type_name>/<uuid:item_id>/<action>")
def content_action(loket: str, type_name: str, item_id: UUID, action: str):
    """Publish, unpublish, withdraw, plan (schedule) or restore an earlier version."""
    _, content_type, scope = access(loket, type_name, write=True)
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
            content.publish(content_type.name, loket, item_id, expected, scope=scope)
        elif action == "offline":
            content.unpublish(content_type.name, loket, item_id, expected, scope=scope)
        elif action == "verwijderen":
            content.withdraw(content_type.name, loket, item_id, expected, reason=request.form.get("reden", ""), scope=scope)
        elif action == "inplannen":
            content.schedule(content_type.name, loket, item_id, _moment("publishAt"), _moment("unpublishAt"), expected, scope=scope)
        elif action == "aanbieden":
            content.submit(content_type.name, loket, item_id, comment, expected, scope=scope)
        elif action == "goedkeuren":
            content.approve(content_type.name, loket, item_id, comment, expected, scope=scope)
        elif action == "afwijzen":
            content.reject(content_type.name, loket, item_id, comment, expected, scope=scope)
        elif action == "terugzetten":
            to_version = int(request.form.get("naar", "0") or 0)
            content.revert(content_type.name, loket, item_id, to_version, scope=scope)
            flash(t("content.restored", version=to_version))
            return redirect(url_for("beheer.content_edit", loket=loket, type_name=type_name, item_id=item_id))
        else:
            raise NotFoundError(f"No action '{action}'.")
    except (NotFoundError, PermissionDeniedError):
        raise  # the error page: no such item here, or not one of yours
    except LoketError as error:  # a refused step (nothing to publish, a stale version) is told
        flash(str(error), "error")
    else:
        flash(done[action])
    return redirect(url_for("beheer.content_edit", loket=loket, type_name=type_name, item_id=item_id))


@bp.post("/<loket>/inhoud/<type_name>/<uuid:item_id>/overnemen")
def content_take_over(loket: str, type_name: str, item_id: UUID):
    """Take over editing from someone else (recorded)."""
    principal, content_type, scope = access(loket, type_name, write=True)
    _working(content_type, loket, item_id, scope)
    get_site().locks.take_over(item_id, principal.name, datetime.now(timezone.utc))
    flash(t("lock.taken_over"))
    return redirect(url_for("beheer.content_edit", loket=loket, type_name=type_name, item_id=item_id))


@bp.get("/<loket>/inhoud/<type_name>/<uuid:item_id>/geschiedenis")
def content_history(loket: str, type_name: str, item_id: UUID):
    """Every version (who, when, what, why), and two versions side by side."""
    _, content_type, scope = access(loket, type_name)
    site = get_site()
    current = _working(content_type, loket, item_id, scope)
    history = [
        {**entry, "actor": site.identity.actor_name(entry["actor"])} for entry in site.content.history(content_type.name, loket, item_id, scope)
    ]
    latest = history[-1]["version"]
    older = _int_arg("van", max(1, latest - 1))
    newer = _int_arg("naar", latest)
    diff = _diff(content_type, item_id, min(older, latest), min(newer, latest))
    return render_template(
        "editor/history.html", content_type=content_type, item=current, history=history, diff=diff, older=older, newer=newer
    )


# Who may do what


def access(loket: str, type_name: str, write: bool = False) -> tuple[Principal, ContentType, Scope]:
    """The logged-in person, the content type and what of it they may touch (None: all), when they
    may read (or, with ``write``, change) items of this type in ``loket``.

    :raise NotAuthenticatedError: not logged in. :raise PermissionDeniedError: no role for this.
    :raise NotFoundError: no such type in this loket (or its plugin is off).
    """
    site = get_site()
    principal = screen_principal(loket, *(WRITERS if write else READERS), *scoped_roles())
    content_type = _type(loket, type_name)
    allowed = content_type.writer_roles if write else (*READERS, *content_type.writer_roles)
    if not principal.has_role(loket, *allowed):
        raise PermissionDeniedError(f"No role {' or '.join(allowed)} in loket '{loket}'.")
    return principal, content_type, site.content_scope(loket, principal, content_type, write=write)


def readable_types(loket: str, principal: Principal) -> list[ContentType]:
    """The types of ``loket`` whose screens ``principal`` may open: all of them for readers, the
    types that name one of their roles in ``scoped_roles`` for the others."""
    site = get_site()
    types = site.content_types.for_loket(site.lokets.enabled_plugins(loket))
    return [content_type for content_type in types if principal.has_role(loket, *READERS, *content_type.writer_roles)]


def narrowed(filters: dict[str, list[str]], scope: Scope) -> dict[str, list[str]]:
    """List filters narrowed to what ``scope`` admits (as the API narrows its lists): a filter
    value outside the scope is dropped; an empty list means nothing may be shown."""
    result = dict(filters)
    for name, admitted in (scope or {}).items():
        result[name] = [value for value in result.get(name, admitted) if value in admitted]
    return result


@bp.app_context_processor
def _menu() -> dict[str, Any]:
    """The menu of every screen (also the plugins' own): the types this person may open in the
    loket, and the entries the loket's plugins add through ``menu_items``."""
    loket, principal = g.get("loket"), g.get("principal")
    if not loket or principal is None or not getattr(principal, "roles", None):
        return {}
    entries = [entry for _, result in get_site().loket_hook("menu_items", loket, principal=principal) for entry in result or []]
    return {"menu_types": readable_types(loket, principal), "plugin_menu": entries}


def scoped_roles() -> tuple[str, ...]:
    """The roles besides the readers' that some type admits (a recruiter): they may log in here."""
    return tuple(sorted({role for content_type in get_site().content_types for role in content_type.scoped_roles}))


def _out_of_scope(content_type: ContentType, scope: Scope) -> dict[str, str]:
    """The form's errors for an item outside the person's scope: at each field the scope names."""
    keys = _data_keys(content_type)
    return {keys.get(name, name): t("content.out_of_scope") for name in scope or {}}


# Helpers


def _data_keys(content_type: ContentType) -> dict[str, str]:
    """The API's name of each field by its name in code (``school_board`` → ``schoolBoard``)."""
    return {name: schema_field.data_key or name for name, schema_field in content_type.schema().fields.items()}


def _columns(content_type: ContentType) -> list[tuple[str, str]]:
    """The list's columns beside the title: (key in the working copy, heading)."""
    keys, names = _data_keys(content_type), field_labels()
    columns = [keys.get(name, name) for name in content_type.list_fields if name != content_type.title_field]
    return [(key, names.get(key, key)) for key in columns]


def _type(loket: str, type_name: str) -> ContentType:
    site = get_site()
    for content_type in site.content_types.for_loket(site.lokets.enabled_plugins(loket)):
        if content_type.name == type_name:
            return content_type
    raise NotFoundError(f"No content type '{type_name}' in loket '{loket}'.")


def _working(content_type: ContentType, loket: str, item_id: UUID, scope: Scope) -> dict[str, Any]:
    site = get_site()
    site.projections.catch_up()
    row = site.content_view.get_row(str(item_id))
    if row is None or row["loket"] != loket or row["type"] != content_type.name:
        raise NotFoundError(f"No {content_type.name} {item_id} in loket '{loket}'.")
    if not in_scope(content_type, json.loads(row["fields_json"]), scope):
        raise PermissionDeniedError(f"This {content_type.name} is outside what you may manage here.")
    return json.loads(row["working_json"])


def _form(
    content_type: ContentType,
    item: dict | None,
    data: dict,
    errors: dict,
    status: int = 200,
    version: str | None = None,
    conflict: dict | None = None,
    lock: Any = None,
    scope: Scope = None,
    can_write: bool = True,
):
    if item and "slug" not in data:
        data = {**data, "slug": item["slug"]}
    fields = _ordered(content_type, form_fields(content_type.schema(), data, errors))
    _hint_scope(content_type, fields, scope)
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
            can_write=can_write,
        ),
        status,
    )


def _ordered(content_type: ContentType, fields: list[Any]) -> list[Any]:
    """The type's ``form_order`` first (by default: its title field), then the rest as the schema has them."""
    keys = _data_keys(content_type)
    order = [keys.get(name, name) for name in content_type.form_order] or [content_type.title_field]
    rank = {name: index for index, name in enumerate(order)}
    return sorted(fields, key=lambda f: rank.get(f.name, len(order)))


def _hint_scope(content_type: ContentType, fields: list[FormField], scope: Scope) -> None:
    """Tell a narrowed person, at each field their scope names, which values are theirs."""
    keys = _data_keys(content_type)
    for name, admitted in (scope or {}).items():
        for form_field in fields:
            if form_field.name == keys.get(name, name) and admitted:
                form_field.hint = t("content.scope_hint", values=", ".join(admitted))


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
