"""The core API: lokets and plugins (``/api/v1/``)."""

from __future__ import annotations

from flask import Blueprint, jsonify

from core.http import get_site
from core.http import paged

bp = Blueprint("core_api", __name__, url_prefix="/api/v1")


@bp.get("/lokets")
def list_lokets():
    """Every open loket with its regions, sectors and enabled plugins."""
    site = get_site()
    items = [
        {
            "slug": loket.slug,
            "name": loket.name,
            "sectors": loket.sectors,
            "regions": list(loket.regions),
            "plugins": list(loket.plugins),
        }
        for loket in site.lokets.all()
    ]
    body, headers = paged(items)
    return jsonify(body), 200, headers


@bp.get("/lokets/<loket>")
def show_loket(loket: str):
    """One loket: regions, sectors, enabled plugins with the history of switching them, urgency."""
    site = get_site()
    body = site.lokets.describe(loket)
    body["urgencySignals"] = [
        {**signal, "plugin": plugin} for plugin, signals in site.loket_hook("urgency_signals", loket, site=site) for signal in signals
    ]
    return jsonify(body)


@bp.get("/plugins")
def list_plugins():
    """The installed plugins, and the lokets where each is switched on."""
    site = get_site()
    lokets = site.lokets.all()
    items = []
    for name in site.plugins.names:
        info = site.plugins.info(name)
        items.append(
            {
                "name": info.name,
                "version": info.version,
                "description": info.description,
                "source": info.source,
                "hooks": list(info.hooks),
                "enabledIn": [loket.slug for loket in lokets if name in loket.plugins],
            }
        )
    body, headers = paged(items)
    return jsonify(body), 200, headers
