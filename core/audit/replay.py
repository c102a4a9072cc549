"""Replaying the log into a separate folder: every read model and the search index as they were at
a moment (``--until``), or as they are now to check that replay is deterministic (``--check``).
The live read models are never touched."""

from __future__ import annotations

import json
import shutil
import tempfile
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from core.audit.log import moment
from core.cli import bar_progress, config_option, pass_state
from core.errors import LoketError

SNAPSHOT_FILE = "snapshot.json"


def open_snapshot(site: Any, folder: Path) -> Any:
    """A site that serves the read models rebuilt in ``folder`` by ``replay --until``, frozen there."""
    from core.site import Site

    try:
        snapshot = json.loads((folder / SNAPSHOT_FILE).read_text())
    except (OSError, ValueError):
        raise LoketError(f"{folder} is not a snapshot made by 'loket audit replay --until … --out {folder}'.") from None
    frozen = Site(replace(site.config, data_dir=folder), site.plugins, read_models_in_folder=True)
    frozen.projections.frozen_at = snapshot["position"]
    frozen.snapshot = snapshot
    return frozen


def position_at(app: Any, until: datetime) -> int:
    """The last log position whose event happened at or before ``until``."""
    position, start = 0, 0
    while True:
        page = app.recorder.select_notifications(start=start, limit=1000, inclusive_of_start=False)
        for notification in page:
            if app.mapper.to_domain_event(notification).timestamp > until:
                return position
            position = notification.id
        if len(page) < 1000:
            return position
        start = page[-1].id


def replay_into(site: Any, folder: Path, until: int | None = None, progress: Any = None) -> Any:
    """A site over the same store whose read models are built afresh in ``folder`` (up to ``until``)."""
    from core.site import Site

    scratch = Site(replace(site.config, data_dir=folder), site.plugins, read_models_in_folder=True)
    scratch.projections.catch_up(progress=progress, until=until)
    return scratch


def differences(live: Any, scratch: Any, limit: int = 20) -> list[str]:
    """Each difference between two sites' read models, by projection and row."""
    found = []
    for projection in live.projections.projections:
        mine, theirs = projection.view.dump(), scratch.projection(projection.name).view.dump()
        if mine == theirs:
            continue
        if isinstance(mine, dict):
            for table in sorted(set(mine) | set(theirs)):
                a, b = set(map(repr, mine.get(table, []))), set(map(repr, theirs.get(table, [])))
                found += [f"{projection.name}.{table}: live row not produced by replay: {row[:200]}" for row in sorted(a - b)]
                found += [f"{projection.name}.{table}: replay row missing from live: {row[:200]}" for row in sorted(b - a)]
        else:
            a, b = {repr(d) for d in mine}, {repr(d) for d in theirs}
            found += [f"{projection.name}: live document not produced by replay: {d[:200]}" for d in sorted(a - b)]
            found += [f"{projection.name}: replay document missing from live: {d[:200]}" for d in sorted(b - a)]
    return found[:limit]


def add_commands(audit: click.Group) -> None:
    @audit.command("replay")
    @config_option
    @click.option("--until", help="Rebuild as of this moment (ISO 8601 with offset).")
    @click.option("--out", type=click.Path(file_okay=False), help="The folder for the rebuilt read models (with --until).")
    @click.option("--check", is_flag=True, help="Replay everything into a scratch folder and compare with the live read models.")
    @pass_state
    def replay(state, until, out, check) -> None:
        """Rebuild the read models as of a moment into a folder, or check that replay is deterministic."""
        site = state.site()
        if check == bool(until):
            raise click.UsageError("give either --check, or --until with --out")
        site.projections.catch_up()
        with click.progressbar(length=site.app.position(), label="Replaying", file=click.get_text_stream("stderr")) as bar:
            if check:
                folder = Path(tempfile.mkdtemp(prefix="loket-replay-check-"))
                try:
                    scratch = replay_into(site, folder, progress=bar_progress(bar))
                    found = differences(site, scratch)
                    scratch.close()
                finally:
                    shutil.rmtree(folder, ignore_errors=True)
            else:
                if not out:
                    raise click.UsageError("--until needs --out DIR")
                target = Path(out)
                if target.exists() and any(target.iterdir()):
                    raise LoketError(f"{target} is not empty: give a new folder.")
                position = position_at(site.app, moment(until, "until"))
                scratch = replay_into(site, target, until=position, progress=bar_progress(bar))
                scratch.close()
                (target / SNAPSHOT_FILE).write_text(json.dumps({"until": until, "position": position, "store": site.config.store.safe_url}))
        if check:
            if found:
                for line in found:
                    click.echo(f"loket: {line}", err=True)
                raise click.exceptions.Exit(2)
            click.echo(f"Replay is deterministic: {len(site.projections.projections)} read models equal to the live ones, up to position {site.app.position()}.")
        else:
            click.echo(f"Read models as of {until} (log position {position}) are in {out}.")

