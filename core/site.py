"""A ``Site``: one configured Loket installation — its configuration, plugins, store and services.

The CLI and the web app both start from here, so they see the same thing::

    site = Site.open("loket.toml")
    site.apply_config()
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from core.application import LoketApplication
from core.config import Config, load_config
from core.identity import Identity
from core.lokets import Lokets
from core.plugins import Plugins


class Site:
    """Everything a command or request needs, built once per process."""

    def __init__(self, config: Config, plugins: Plugins) -> None:
        self.config = config
        self.plugins = plugins

    @classmethod
    def open(cls, config_path: str | Path, plugins: Plugins | None = None, base_dir: Path | None = None) -> Site:
        """Validate ``config_path`` (nothing is recorded yet). :raise ConfigError:"""
        plugins = plugins or Plugins()
        return cls(load_config(config_path, plugins, base_dir), plugins)

    @cached_property
    def app(self) -> LoketApplication:
        return LoketApplication(self.config.store)

    @cached_property
    def lokets(self) -> Lokets:
        return Lokets(self.app)

    @cached_property
    def identity(self) -> Identity:
        return Identity(self.app, self.lokets)

    def apply_config(self) -> list[Any]:
        """Record what changed in the configuration; return the new events."""
        return self.lokets.apply_config(self.config)

    def loket_hook(self, hook: str, loket: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """``(plugin, result)`` of ``hook`` for the plugins that ``loket`` has switched on."""
        return self.plugins.each(hook, self.lokets.enabled_plugins(loket), loket=loket, **kwargs)

    def close(self) -> None:
        if "app" in self.__dict__:
            self.app.close()
