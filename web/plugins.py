"""Mounting the plugins' blueprints, each behind the guard that hides it in lokets that have the
plugin switched off (404 ``plugin-disabled``), with its data kept for when it is switched on again.

The core's own modules use the same hooks; their blueprints are always on and mount without a
plugin segment (``/api/v1/lokets/<loket>/questions``)."""

from __future__ import annotations

from flask import Flask, request

from core.errors import PluginDisabledError
from core.http import get_site
from core.plugins import CORE_PLUGINS

#: Which hook mounts where; ``<loket>`` reaches every view as an argument.
MOUNTS = {
    "api_blueprint": "/api/v1/lokets/<loket>/{plugin}",
    "editor_blueprint": "/beheer/<loket>/{plugin}",
}
CORE_MOUNTS = {
    "api_blueprint": "/api/v1/lokets/<loket>",
    "editor_blueprint": "/beheer/<loket>",
}


def mount_point(hook: str, plugin: str) -> str:
    """Where ``plugin``'s blueprint from ``hook`` is mounted (OpenAPI style: ``{loket}``)."""
    prefix = CORE_MOUNTS[hook] if plugin in CORE_PLUGINS else MOUNTS[hook].format(plugin=plugin)
    return prefix.replace("<loket>", "{loket}")


def mount_plugin_blueprints(app: Flask) -> None:
    site = app.extensions["loket.site"]
    owners: dict[str, str] = {}
    for hook, prefix in MOUNTS.items():
        for plugin, blueprint in site.plugins.each(hook):
            name = f"{plugin.replace('.', '_')}_{hook.removesuffix('_blueprint')}"
            if plugin in CORE_PLUGINS:
                app.register_blueprint(blueprint, url_prefix=CORE_MOUNTS[hook], name=name)
            else:
                app.register_blueprint(blueprint, url_prefix=prefix.format(plugin=plugin), name=name)
                owners[name] = plugin
    app.extensions["loket.plugin_blueprints"] = owners
    app.before_request(_refuse_disabled_plugin)


def _refuse_disabled_plugin() -> None:
    from flask import current_app

    owners = current_app.extensions["loket.plugin_blueprints"]
    # request.blueprints names the blueprint and its parents: a plugin may nest blueprints in its own.
    plugin = next((owners[name] for name in request.blueprints if name in owners), None)
    if plugin is None:
        return
    loket = (request.view_args or {}).get("loket", "")
    site = get_site()
    site.lokets.get(loket)  # an unknown loket is a 404 of its own
    if plugin not in site.lokets.enabled_plugins(loket):
        raise PluginDisabledError(f"The plugin '{plugin}' is not switched on in loket '{loket}'.")
