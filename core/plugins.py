"""The plugin manager, and ``Plugins``: what is installed and what each loket has switched on.

Built-in plugins (``plugins.BUILTIN_PLUGINS``) are registered by name; third-party plugins are
found through the entry-point group ``loket.plugins``, the entry point's name being the plugin's
name. ``check_pending()`` makes a misspelt hook implementation fail at start-up.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pluggy

from core import hooks

ENTRY_POINT_GROUP = "loket.plugins"

#: The core's own behaviour, built on the same hooks as any plugin (Datasette's habit). These are
#: always on and are not listed as plugins.
CORE_PLUGINS = (
    "core.content",
    "core.organisations",
    "core.activities",
    "core.helpdesk",
    "core.outbox",
    "core.referrals",
    "core.media",
    "core.privacy_admin",
    "core.audit",
    "core.boards",
)


def get_plugin_manager() -> pluggy.PluginManager:
    """Build the manager: built-in plugins, then installed ones, then the pending check."""
    from plugins import BUILTIN_PLUGINS  # the core never imports a plugin by name

    pm = pluggy.PluginManager("loket")
    pm.add_hookspecs(hooks)
    for name in CORE_PLUGINS:
        pm.register(importlib.import_module(name), name=name)
    for name in BUILTIN_PLUGINS:
        pm.register(importlib.import_module(f"plugins.{name}"), name=name)
    pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
    pm.check_pending()
    return pm


@dataclass(frozen=True)
class PluginInfo:
    """One installed plugin, as ``/api/v1/plugins`` and ``loket plugins`` show it."""

    name: str
    version: str | None
    description: str
    hooks: tuple[str, ...]
    source: str  # "builtin" or the distribution it came from


class Plugins:
    """The installed plugins, and calls of one hook for one plugin or for a loket's plugins."""

    def __init__(self, pm: pluggy.PluginManager | None = None) -> None:
        self.pm = pm or get_plugin_manager()

    @property
    def names(self) -> list[str]:
        """The names of the installed plugins (that a loket can switch on), sorted."""
        return sorted(name for name, _ in self.pm.list_name_plugin() if name and name not in CORE_PLUGINS)

    def info(self, name: str) -> PluginInfo:
        plugin = self.pm.get_plugin(name)
        distributions = {id(p): dist for p, dist in self.pm.list_plugin_distinfo()}
        dist = distributions.get(id(plugin))
        doc = (getattr(plugin, "__doc__", None) or "").strip().splitlines()
        return PluginInfo(
            name=name,
            version=dist.version if dist else None,
            description=doc[0] if doc else "",
            hooks=tuple(sorted(caller.name for caller in self.pm.get_hookcallers(plugin) or [])),
            source=dist.metadata["Name"] if dist else "builtin",
        )

    def call(self, name: str, hook: str, **kwargs: Any) -> Any:
        """Call ``hook`` of plugin ``name`` alone; None when it does not implement it."""
        for impl in getattr(self.pm.hook, hook).get_hookimpls():
            if impl.plugin_name == name:
                return impl.function(*[kwargs[arg] for arg in impl.argnames])
        return None

    def each(self, hook: str, names: Iterable[str] | None = None, **kwargs: Any) -> list[tuple[str, Any]]:
        """``(plugin, result)`` for every plugin in ``names`` (default: the core's and every
        installed plugin) that implements ``hook`` and returns something, in that order."""
        wanted = [*CORE_PLUGINS, *self.names] if names is None else list(names)
        results = []
        for name in wanted:
            result = self.call(name, hook, **kwargs)
            if result is not None:
                results.append((name, result))
        return results

    def collect(self, hook: str, names: Iterable[str] | None = None, **kwargs: Any) -> list[Any]:
        """The list results of ``hook`` from the plugins in ``names``, concatenated."""
        return [item for _, result in self.each(hook, names, **kwargs) for item in result]
