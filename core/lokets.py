"""Lokets: applying ``loket.toml`` to the store, and reading how each loket grew."""

from __future__ import annotations

from typing import Any
from uuid import uuid4

from core.application import LoketApplication
from core.config import Config
from core.domain import Loket
from core.envelope import acting
from core.errors import NotFoundError, StaleVersionError

#: Config events a loket's plugin history is made of.
PLUGIN_EVENTS = {"PluginEnabled": "enabled", "PluginDisabled": "disabled"}


class Lokets:
    """Commands and queries on the ``Loket`` aggregates of one application."""

    def __init__(self, app: LoketApplication) -> None:
        self.app = app

    def apply_config(self, config: Config, attempts: int = 5) -> list[Any]:
        """Record every difference between ``config`` and the store; return the new events.

        Applying the same file twice records nothing. When another process applies at the same
        moment, our save collides with its events; we reload and find nothing left to do.
        """
        for attempt in range(attempts):
            try:
                return self._apply_config_once(config)
            except StaleVersionError:
                if attempt == attempts - 1:
                    raise
        return []  # pragma: no cover - the loop returns or raises

    def _apply_config_once(self, config: Config) -> list[Any]:
        sha = config.sha256
        lokets: list[Loket] = []
        with acting(actor="config", correlation_id=f"config-apply-{uuid4().hex}"):
            for slug, spec in config.lokets.items():
                try:
                    loket = self.get(slug, include_closed=True)
                except NotFoundError:
                    loket = Loket(slug=slug, name=spec["name"], sectors=spec["sectors"], config_sha256=sha)
                loket.apply_config(spec, sha)
                lokets.append(loket)
            for loket in self.all(include_closed=False):
                if loket.slug not in config.lokets:
                    loket.close(sha)
                    lokets.append(loket)
            changed = [loket for loket in lokets if loket.pending_events]
            events = [event for loket in changed for event in loket.pending_events]
            if changed:
                self.app.save(*changed)
        return events

    def get(self, slug: str, include_closed: bool = False) -> Loket:
        """:raise NotFoundError: no loket ``slug`` (or it was closed)."""
        try:
            loket = self.app.get_cached(Loket.create_id(slug), Loket)
        except NotFoundError:
            raise NotFoundError(f"There is no loket '{slug}'.") from None
        if not loket.is_open and not include_closed:
            raise NotFoundError(f"Loket '{slug}' was closed: it is no longer in the configuration.")
        return loket

    def all(self, include_closed: bool = False) -> list[Loket]:
        """Every loket ever opened (by default only the open ones), sorted by slug."""
        lokets = [self.app.get(loket_id, Loket) for loket_id in self.app.aggregate_ids(Loket.LoketOpened)]
        return sorted((l for l in lokets if l.is_open or include_closed), key=lambda l: l.slug)

    def enabled_plugins(self, slug: str) -> list[str]:
        """The plugins switched on for loket ``slug``; empty for an unknown or closed loket."""
        try:
            return list(self.get(slug).plugins)
        except NotFoundError:
            return []

    def plugin_history(self, slug: str) -> list[dict[str, Any]]:
        """Every time a plugin was switched on or off for ``slug``, oldest first, from the events."""
        loket = self.get(slug, include_closed=True)
        return [
            {
                "plugin": event.plugin,
                "change": PLUGIN_EVENTS[type(event).__name__],
                "at": event.timestamp,
                "actor": event.envelope["actor"],
                "configSha256": event.config_sha256,
            }
            for event in self.app.events.get(loket.id)
            if type(event).__name__ in PLUGIN_EVENTS
        ]

    def describe(self, slug: str) -> dict[str, Any]:
        """Loket ``slug`` as the API shows it (camelCase)."""
        loket = self.get(slug)
        history = self.plugin_history(slug)
        enabled_since = {}
        for entry in history:
            if entry["change"] == "enabled":
                enabled_since[entry["plugin"]] = entry["at"]
        return {
            "slug": loket.slug,
            "name": loket.name,
            "sectors": loket.sectors,
            "regions": [
                {"id": r["id"], "name": r["name"], "kind": r["kind"], "sectors": r["sectors"]}
                for r in loket.regions.values()
            ],
            "plugins": [{"name": p, "enabledSince": enabled_since[p].isoformat()} for p in loket.plugins],
            "pluginHistory": [{**entry, "at": entry["at"].isoformat()} for entry in history],
            "version": loket.version,
        }
