"""Each loket's overview: its plugins (and since when), recent changes, plans, open questions.

A narrowed person (a recruiter) sees only the types they may open, and of those only their items."""

from __future__ import annotations

import json
from typing import Any

from flask import render_template

from core.content.registry import ContentType
from core.http import get_site, screen_principal
from web.editor import bp
from web.editor.content import READERS, scoped_roles, narrowed, readable_types

OPEN = ("draft", "published", "unpublished")


@bp.get("/<loket>/")
def dashboard(loket: str):
    """The loket's overview."""
    principal = screen_principal(loket, *READERS, *scoped_roles())
    site = get_site()
    site.projections.catch_up()
    described = site.lokets.describe(loket)
    types = readable_types(loket, principal)
    recent, scheduled, awaiting = [], [], []
    for content_type in types:
        filters = narrowed({}, site.content_scope(loket, principal, content_type, write=False))
        for item in _items(loket, content_type, filters, order_by="updatedAt", descending=True, limit=5):
            recent.append(item)
            if item.get("publishAt") or item.get("unpublishAt"):
                scheduled.append(item)
        awaiting += _items(loket, content_type, filters, approval="pending", limit=50)
    recent.sort(key=lambda i: i["updatedAt"], reverse=True)
    open_questions = 0
    if principal.has_role(loket, "editor", "admin"):
        open_questions = site.questions_view.inbox(loket, ("new", "assigned"), 1, 0)[1]
    return render_template(
        "editor/dashboard.html", loket=described, types=types, recent=recent[:10], scheduled=scheduled, awaiting=awaiting, open_questions=open_questions
    )


def _items(loket: str, content_type: ContentType, filters: dict[str, list[str]], **query: Any) -> list[dict[str, Any]]:
    """Working copies of one type, labelled for the overview; none when the scope admits nothing."""
    if not all(filters.values()):
        return []
    texts, _ = get_site().content_view.list_items(loket, content_type.name, public=False, statuses=OPEN, filters=filters or None, **query)
    items = []
    for text in texts:
        item = json.loads(text)
        item["label"] = content_type.label
        item["display_title"] = item.get(content_type.title_field, item["slug"])
        items.append(item)
    return items

