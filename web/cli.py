"""``loket serve``, and the ``loket`` console script (the core's commands plus this one)."""

from __future__ import annotations

import itertools
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from core import cli as core_cli
from core.demo import DEMO_CONFIG, DEMO_PASSWORD, seed_demo, seed_demo_content, seed_demo_meetings
from core.organisations.demo import seed_demo_organisations
from core.projections import ProjectionTimer
from core.site import Site

TIMER_SECONDS = 1


@core_cli.cli.command("serve")
@core_cli.config_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(1, 65535))
@click.option("--threads", default=8, show_default=True, type=click.IntRange(1, 64))
@click.option("--tick-seconds", default=30, show_default=True, type=click.IntRange(1, 3600), help="How often scheduled work is carried out.")
@click.option("--snapshot", type=click.Path(file_okay=False, exists=True), help="Serve, read only, the read models that 'loket audit replay --until' built in this folder.")
@core_cli.pass_state
def serve(state: core_cli.CliState, host: str, port: int, threads: int, tick_seconds: int, snapshot: str | None) -> None:
    """Apply the configuration and serve the API (the demo when no configuration is given)."""
    from waitress import serve as waitress_serve

    from web import create_app

    if snapshot:
        from core.audit.replay import open_snapshot

        frozen = open_snapshot(state.site(), Path(snapshot))
        click.echo(f"Serving, read only, the loket as it was at {frozen.snapshot['until']} (log position {frozen.snapshot['position']}).")
        click.echo(f"Loket serves http://{host}:{port}/")
        waitress_serve(create_app(frozen, read_only=True), host=host, port=port, threads=threads, ident="loket")
        return
    site = _open_site(state)
    events = site.apply_config()
    click.echo(f"Configuration {site.config.path}: {len(events)} change(s) recorded.")
    seeded = seed_demo(site)
    if seeded:
        click.echo(f"Demo users {', '.join(seeded)} added, password '{DEMO_PASSWORD}'.")
    caught_up = site.projections.catch_up()
    click.echo(f"Read models caught up ({caught_up} event(s) projected).")
    made = seed_demo_content(site) + seed_demo_meetings(site) + seed_demo_organisations(site)
    if site.config.demo_seed:
        # Each plugin seeds its own demo, for the lokets that have it on (the plugin checks).
        made += sum(count for _, count in site.plugins.each("seed_demo", site=site))
    if made:
        click.echo(f"Demo content: {made} item(s) created.")
    app = create_app(site)
    timer = ProjectionTimer(TIMER_SECONDS, _background_work(site, tick_seconds))
    timer.start()
    click.echo(f"Loket serves http://{host}:{port}/  (try http://{host}:{port}/api/v1/lokets, or /api/ for the reference)")
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="loket")
    finally:
        timer.stop()


def _background_work(site: Site, tick_seconds: int):
    """Every second: catch up with writes of other processes; every ``tick_seconds``: the tick."""
    rounds = itertools.count()

    def work() -> None:
        site.projections.catch_up(wait=False)
        if next(rounds) % max(1, tick_seconds // TIMER_SECONDS) == 0:
            for line in site.tick(datetime.now(timezone.utc)):
                click.echo(f"tick: {line}")

    return work


def _open_site(state: core_cli.CliState) -> Site:
    try:
        return state.site()
    except click.UsageError:
        # No configuration anywhere: serve the packaged demo, keeping its data in this folder.
        click.echo(f"No loket.toml given or found: serving the demo ({DEMO_CONFIG}), data in ./loket-data")
        site = Site.open(DEMO_CONFIG, state.plugins, base_dir=Path.cwd())
        state.sites[str(DEMO_CONFIG)] = site
        return site


def main() -> None:
    sys.exit(core_cli.run(core_cli.cli))
