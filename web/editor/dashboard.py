"""Each loket's overview: its plugins (and since when), recent changes, plans, open questions."""

from __future__ import annotations

import json

from flask import render_template

from core.http import get_site
from web.editor import bp
from core.http import screen_principal


@bp.get("/<loket>/")
def dashboard(loket: str):
    """The loket's overview."""
    principal = screen_principal(loket, "admin", "editor", "recruiter", "auditor")
    site = get_site()
    site.projections.catch_up()
    described = site.lokets.describe(loket)
    types = site.content_types.for_loket(site.lokets.enabled_plugins(loket))
    recent, scheduled, awaiting = [], [], []
    for content_type in types:
        items, _ = site.content_view.list_items(loket, content_type.name, public=False, statuses=("draft", "published", "unpublished"), order_by="updatedAt", descending=True, limit=5)
        for text in items:
            item = json.loads(text)
            item["label"] = content_type.label
            item["display_title"] = item.get(content_type.title_field, item["slug"])
            recent.append(item)
            if item.get("publishAt") or item.get("unpublishAt"):
                scheduled.append(item)
        pending, _ = site.content_view.list_items(loket, content_type.name, public=False, statuses=("draft", "published", "unpublished"), approval="pending", limit=50)
        for text in pending:
            item = json.loads(text)
            item["label"] = content_type.label
            item["display_title"] = item.get(content_type.title_field, item["slug"])
            awaiting.append(item)
    recent.sort(key=lambda i: i["updatedAt"], reverse=True)
    open_questions = 0
    if principal.has_role(loket, "editor", "admin"):
        open_questions = site.questions_view.inbox(loket, ("new", "assigned"), 1, 0)[1]
    return render_template(
        "editor/dashboard.html", loket=described, types=types, recent=recent[:10], scheduled=scheduled, awaiting=awaiting, open_questions=open_questions
    )
