"""``/api/``: the API described for people, rendered from the OpenAPI document (no CDN, no JavaScript)."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

bp = Blueprint("apidocs", __name__, template_folder="templates", static_folder="static", static_url_path="/static/loket")


@bp.get("/api/")
def index():
    """The API reference page."""
    return render_template("apidocs.html", spec=current_app.extensions["loket.openapi"])
