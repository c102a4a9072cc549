"""The base aggregate of Loket and the ``Loket`` aggregate: the history of how each loket grew.

Every difference between ``loket.toml`` and the recorded state becomes one event on the loket's
aggregate, stamped with actor ``config`` and the sha256 of the file it came from.
"""

from __future__ import annotations

from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.utils import get_topic

from core.envelope import current_envelope

#: Namespace of the deterministic ids: one slug, one id, in every process.
LOKET_NAMESPACE = uuid5(NAMESPACE_URL, "https://github.com/loket/loket")


def deterministic_id(kind: str, key: str) -> UUID:
    """The id of the aggregate of ``kind`` known by the unique ``key`` (a slug, a user name).

    Two processes creating the same thing at once then collide in the store instead of creating
    two: uniqueness is enforced by the write side, not by hoping.
    """
    return uuid5(LOKET_NAMESPACE, f"{kind}:{key}")


class LoketAggregate(Aggregate):
    """Base of every aggregate: stamps the current envelope on each event it triggers."""

    #: The attribute (and created-event argument) holding the slug of the loket an aggregate
    #: belongs to; it wins over the loket of the surrounding ``acting(...)`` block.
    loket_attribute: ClassVar[str] = "loket"

    class Event(Aggregate.Event):
        envelope: dict[str, Any]

    class Created(Event, Aggregate.Created):
        pass

    @classmethod
    def _create(cls, event_class: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("envelope", _envelope_for(cls, kwargs.get(cls.loket_attribute)))
        return super()._create(event_class, **kwargs)

    def trigger_event(self, event_class: Any, **kwargs: Any) -> None:
        kwargs.setdefault("envelope", _envelope_for(type(self), getattr(self, self.loket_attribute, None)))
        super().trigger_event(event_class, **kwargs)


def _envelope_for(aggregate_class: type, loket: str | None) -> dict[str, Any]:
    # The aggregate's topic makes every event self-describing: an inherited event such as
    # ContentItem.Published still says it is a Page's, for search, read models and audit.
    envelope = {**current_envelope().as_dict(), "aggregate": get_topic(aggregate_class)}
    if isinstance(loket, str):
        envelope["loket"] = loket
    return envelope


class Loket(LoketAggregate):
    """One regional desk: its name, regions, sectors and which plugins are on, with settings."""

    loket_attribute = "slug"

    @staticmethod
    def create_id(slug: str) -> UUID:
        return deterministic_id("loket", slug)

    @event("LoketOpened")
    def __init__(self, slug: str, name: str, sectors: list[str], config_sha256: str) -> None:
        self.slug = slug
        self.name = name
        self.sectors = list(sectors)
        self.regions: dict[str, dict[str, Any]] = {}
        self.plugins: list[str] = []
        self.settings: dict[str, dict[str, Any]] = {}
        self.approval: list[str] = []  # content types that need a second person's approval
        self.is_open = True

    def apply_config(self, spec: dict[str, Any], config_sha256: str) -> None:
        """Record each difference between ``spec`` (a validated loket from ``loket.toml``) and
        this loket, in a fixed order, so that the same file always yields the same events."""
        if not self.is_open:
            self._reopen(config_sha256=config_sha256)
        if spec["name"] != self.name:
            self._rename(name=spec["name"], config_sha256=config_sha256)
        if spec["sectors"] != self.sectors:
            self._change_sectors(sectors=spec["sectors"], config_sha256=config_sha256)
        wanted_regions = {region["id"]: region for region in spec["regions"]}
        for region_id in [r for r in self.regions if r not in wanted_regions]:
            self._leave_region(region_id=region_id, config_sha256=config_sha256)
        for region_id, region in wanted_regions.items():
            if region_id not in self.regions:
                self._join_region(region=region, config_sha256=config_sha256)
            elif self.regions[region_id] != region:
                self._change_region(region=region, config_sha256=config_sha256)
        for plugin in [p for p in self.plugins if p not in spec["plugins"]]:
            self._disable_plugin(plugin=plugin, config_sha256=config_sha256)
        for plugin in spec["plugins"]:
            if plugin not in self.plugins:
                self._enable_plugin(plugin=plugin, config_sha256=config_sha256)
        for plugin, settings in sorted(spec["settings"].items()):
            if self.settings.get(plugin) != settings:
                self._change_settings(plugin=plugin, settings=settings, config_sha256=config_sha256)
        if spec.get("approval", []) != getattr(self, "approval", []):
            self._change_approval(content_types=spec.get("approval", []), config_sha256=config_sha256)

    def close(self, config_sha256: str) -> None:
        """Close a loket that left the configuration; its history and data stay."""
        if self.is_open:
            self._close(config_sha256=config_sha256)

    @event("LoketReopened")
    def _reopen(self, config_sha256: str) -> None:
        self.is_open = True

    @event("LoketClosed")
    def _close(self, config_sha256: str) -> None:
        self.is_open = False

    @event("LoketRenamed")
    def _rename(self, name: str, config_sha256: str) -> None:
        self.name = name

    @event("SectorsChanged")
    def _change_sectors(self, sectors: list[str], config_sha256: str) -> None:
        self.sectors = list(sectors)

    @event("RegionJoined")
    def _join_region(self, region: dict[str, Any], config_sha256: str) -> None:
        self.regions[region["id"]] = dict(region)

    @event("RegionChanged")
    def _change_region(self, region: dict[str, Any], config_sha256: str) -> None:
        self.regions[region["id"]] = dict(region)

    @event("RegionLeft")
    def _leave_region(self, region_id: str, config_sha256: str) -> None:
        del self.regions[region_id]

    @event("PluginEnabled")
    def _enable_plugin(self, plugin: str, config_sha256: str) -> None:
        self.plugins.append(plugin)

    @event("PluginDisabled")
    def _disable_plugin(self, plugin: str, config_sha256: str) -> None:
        self.plugins.remove(plugin)

    @event("ApprovalRulesChanged")
    def _change_approval(self, content_types: list[str], config_sha256: str) -> None:
        self.approval = list(content_types)

    @event("SettingsChanged")
    def _change_settings(self, plugin: str, settings: dict[str, Any], config_sha256: str) -> None:
        self.settings[plugin] = dict(settings)
