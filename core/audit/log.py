"""Browsing the log: every event in the order of record, with its envelope and data, filtered by
loket, aggregate, content type, event type, actor and period.

Events are read from their stored form, not through the event classes, so an event whose class can
no longer be imported (a plugin that was removed) is shown all the same. Personal values are never
shown here: they appear as ``[persoonsgegevens]`` (or ``[verwijderd]`` once erased).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

import click

from core.cli import config_option, pass_state
from core.errors import InvalidInputError

PAGE = 500
PERSONAL = "[persoonsgegevens]"


@dataclass(frozen=True)
class LogFilter:
    loket: str | None = None
    aggregate: UUID | None = None
    content_type: str | None = None  # the aggregate's class name, e.g. "Page" (or its registry name)
    event: str | None = None  # e.g. "Published"
    actor: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def read_log(app: Any, where: LogFilter, after: int = 0, limit: int = 50, names: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Up to ``limit`` events after position ``after`` that pass ``where``, in the order of record."""
    found = []
    for entry in _entries(app, after, where):
        if _passes(entry, where, names or {}):
            found.append(entry)
            if len(found) >= limit:
                break
    return found


def _entries(app: Any, after: int, where: LogFilter) -> Iterator[dict[str, Any]]:
    position = after
    while True:
        page = app.recorder.select_notifications(start=position, limit=PAGE, inclusive_of_start=False)
        for notification in page:
            if where.aggregate and notification.originator_id != where.aggregate:
                continue
            yield describe(notification)
        if len(page) < PAGE:
            return
        position = page[-1].id


def describe(notification: Any) -> dict[str, Any]:
    """One stored event as the audit shows it."""
    state = json.loads(notification.state)
    envelope = state.pop("envelope", {}) or {}
    module, _, qualname = notification.topic.partition(":")
    aggregate = (envelope.get("aggregate") or "").partition(":")[2]
    return {
        "position": notification.id,
        "aggregateId": str(notification.originator_id),
        "version": notification.originator_version,
        "aggregate": aggregate or qualname.split(".")[0],
        "event": qualname.split(".")[-1],
        "topic": notification.topic,
        "at": _value(state.pop("timestamp", None)),
        "actor": envelope.get("actor"),
        "loket": envelope.get("loket"),
        "correlationId": envelope.get("correlation_id"),
        "causationId": envelope.get("causation_id"),
        "data": {key: _value(value) for key, value in state.items() if key != "originator_topic"},
    }


def _value(value: Any) -> Any:
    """A stored value for display: the library's typed values unwrapped, personal ones hidden."""
    if isinstance(value, dict) and "_type_" in value:
        if value["_type_"] == "personal":
            return PERSONAL
        return _value(value.get("_data_"))
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


def _passes(entry: dict[str, Any], where: LogFilter, names: dict[str, str]) -> bool:
    if where.loket and entry["loket"] != where.loket:
        return False
    if where.content_type and where.content_type not in (entry["aggregate"], names.get(entry["aggregate"])):
        return False
    if where.event and entry["event"] != where.event:
        return False
    if where.actor and entry["actor"] != where.actor:
        return False
    at = datetime.fromisoformat(entry["at"]) if entry["at"] else None
    if where.since and (at is None or at < where.since):
        return False
    if where.until and (at is None or at >= where.until):
        return False
    return True


def moment(value: str | None, name: str) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInputError("Not a moment.", {name: "give an ISO 8601 moment with offset, e.g. 2026-03-01T12:00+01:00"}) from None
    if parsed.tzinfo is None:
        raise InvalidInputError("A moment needs a time zone.", {name: "add an offset, e.g. +01:00"})
    return parsed


def type_names(site: Any) -> dict[str, str]:
    """Aggregate class name → registry name ("Page" → "page"), to filter by content type."""
    return {t.aggregate.__name__: t.name for t in site.content_types}


def add_commands(audit: click.Group) -> None:
    @audit.command("log")
    @config_option
    @click.option("--loket")
    @click.option("--aggregate", help="An aggregate id.")
    @click.option("--type", "content_type", help="A content type (page, route, …) or aggregate class (Question, …).")
    @click.option("--event", help="An event name, e.g. Published.")
    @click.option("--actor", help="e.g. user:<id>, token:<id>, config, system.")
    @click.option("--since", help="ISO 8601 moment with offset.")
    @click.option("--until", help="ISO 8601 moment with offset.")
    @click.option("--after", default=0, show_default=True, help="Start after this log position.")
    @click.option("--limit", default=50, show_default=True, type=click.IntRange(1, 10000))
    @click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
    @pass_state
    def log(state, loket, aggregate, content_type, event, actor, since, until, after, limit, as_json) -> None:
        """The log in the order of record, filtered; personal data is never shown."""
        site = state.site()
        try:
            aggregate_id = UUID(aggregate) if aggregate else None
        except ValueError:
            raise click.BadParameter(f"'{aggregate}' is not an aggregate id", param_hint="--aggregate") from None
        where = LogFilter(loket, aggregate_id, content_type, event, actor, moment(since, "since"), moment(until, "until"))
        entries = read_log(site.app, where, after, limit, type_names(site))
        for entry in entries:
            if as_json:
                click.echo(json.dumps(entry, ensure_ascii=False))
            else:
                click.echo(f"{entry['position']:>8} {entry['at'][:19]} {entry['loket'] or '-':<14} {entry['actor'] or '-':<44} {entry['aggregate']}.{entry['event']} {entry['aggregateId']} v{entry['version']}")
        if not entries:
            click.echo("No events match.")

    add_access_command(audit)

    @audit.command("show")
    @config_option
    @click.argument("aggregate_id")
    @click.option("--at", "at", help="The state as of this moment (ISO 8601 with offset); default now.")
    @click.option("--compare", nargs=2, type=click.IntRange(1), metavar="V1 V2", help="Also show what differs between two versions.")
    @pass_state
    def show(state, aggregate_id, at, compare) -> None:
        """Every version of one item, and its state as of a moment (personal data hidden)."""
        site = state.site()
        try:
            item_id = UUID(aggregate_id)
        except ValueError:
            raise click.BadParameter(f"'{aggregate_id}' is not an aggregate id", param_hint="AGGREGATE_ID") from None
        as_of = moment(at, "at")
        entries = read_log(site.app, LogFilter(aggregate=item_id), limit=100000)
        if not entries:
            raise InvalidInputError("No such aggregate.", {"AGGREGATE_ID": f"no events of {item_id}"})
        for entry in entries:
            click.echo(f"v{entry['version']:<4} {entry['at'][:19]} {entry['actor']:<44} {entry['event']}")
        chosen = [e for e in entries if as_of is None or datetime.fromisoformat(e["at"]) <= as_of]
        if not chosen:
            click.echo(f"It did not exist yet at {at}.")
            return
        state_as_of = state_of(site.app, item_id, chosen[-1]["version"])
        click.echo(f"State as of {at or 'now'} (version {chosen[-1]['version']}):")
        click.echo(json.dumps(state_as_of, indent=2, ensure_ascii=False, sort_keys=True))
        if compare:
            latest = entries[-1]["version"]
            first, second = (min(v, latest) for v in compare)
            click.echo(f"Differences between version {first} and version {second}:")
            for row in compare_states(state_of(site.app, item_id, first), state_of(site.app, item_id, second)):
                if row["changed"]:
                    click.echo(f"  {row['key']}: {row['before']!r} → {row['after']!r}")


def add_access_command(audit: click.Group) -> None:
    @audit.command("access")
    @config_option
    @click.option("--loket")
    @click.option("--person", help="A person id (never an address: the log holds no personal data).")
    @click.option("--limit", default=200, show_default=True, type=click.IntRange(1, 100000))
    @pass_state
    def access(state, loket, person, limit) -> None:
        """Who looked at whose personal data, when and what (newest first); never the data itself."""
        site = state.site()
        site.projections.catch_up()
        rows = site.projection("access-log").view.entries(loket, person, limit)
        for row in rows:
            click.echo(f"{row['at'][:19]} {row['loket']:<14} {site.identity.actor_name(row['viewer']):<24} {row['what']:<28} person {row['person_id']}")
        if not rows:
            click.echo("Nobody looked at personal data (in this selection).")


def state_of(app: Any, aggregate_id: UUID, version: int) -> dict[str, Any]:
    """The aggregate as its events up to ``version`` made it (the library replays them), personal
    values hidden."""
    aggregate = app.repository.get(aggregate_id, version=version)
    return {name.lstrip("_"): _shown(value) for name, value in vars(aggregate).items() if name != "_pending_events"}


def _shown(value: Any) -> Any:
    from core.privacy import Personal

    if isinstance(value, Personal):
        return "[verwijderd]" if value.erased else PERSONAL
    if isinstance(value, dict):
        return {str(k): _shown(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_shown(v) for v in value]
    if isinstance(value, (datetime, UUID)):
        return str(value)
    return value


def compare_states(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """Two states side by side, key by key (nested keys as ``fields.title``)."""
    flat_before, flat_after = _flatten(before), _flatten(after)
    return [
        {"key": key, "before": flat_before.get(key, ""), "after": flat_after.get(key, ""), "changed": flat_before.get(key) != flat_after.get(key)}
        for key in sorted(set(flat_before) | set(flat_after))
    ]


def _flatten(value: Any, prefix: str = "") -> dict[str, str]:
    if isinstance(value, dict) and value:
        found: dict[str, str] = {}
        for key, inner in value.items():
            found.update(_flatten(inner, f"{prefix}.{key}" if prefix else str(key)))
        return found
    return {prefix: value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}
