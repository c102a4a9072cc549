"""Mounting the plugins' blueprints, each behind the guard that hides it in lokets that have the
plugin switched off (404 ``plugin-disabled``), with its data kept for when it is switched on again."""

from __future__ import annotations

from flask import Flask, request

from core.http import get_site
from core.errors import PluginDisabledError

#: Which hook mounts where; ``<loket>`` reaches every view as an argument.
MOUNTS = {
    "api_blueprint": "/api/v1/lokets/<loket>/{plugin}",
    "editor_blueprint": "/beheer/<loket>/{plugin}",
}


def mount_plugin_blueprints(app: Flask) -> None:
    site = app.extensions["loket.site"]
    owners: dict[str, str] = {}
    for hook, prefix in MOUNTS.items():
        for plugin, blueprint in site.plugins.each(hook):
            name = f"{plugin}_{hook.removesuffix('_blueprint')}"
            app.register_blueprint(blueprint, url_prefix=prefix.format(plugin=plugin), name=name)
            owners[name] = plugin
    app.extensions["loket.plugin_blueprints"] = owners
    app.before_request(_refuse_disabled_plugin)


def _refuse_disabled_plugin() -> None:
    from flask import current_app

    plugin = current_app.extensions["loket.plugin_blueprints"].get(request.blueprint or "")
    if plugin is None:
        return
    loket = (request.view_args or {}).get("loket", "")
    site = get_site()
    site.lokets.get(loket)  # an unknown loket is a 404 of its own
    if plugin not in site.lokets.enabled_plugins(loket):
        raise PluginDisabledError(f"The plugin '{plugin}' is not switched on in loket '{loket}'.")
