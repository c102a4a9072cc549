"""``loket serve``, and the ``loket`` console script (the core's commands plus this one)."""

from __future__ import annotations

import itertools
import os
import tempfile
import sys
from datetime import datetime, timezone
from pathlib import Path

import click

from core import cli as core_cli
from core.demo import DEMO_CONFIG, DEMO_PASSWORD, seed_demo, seed_demo_content, seed_demo_meetings
from core.logs import configure_logging
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
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64), help="Web processes; above 1 they run under gunicorn and 'loket worker' runs the projections.")
@click.option("--no-projections", is_flag=True, help="Run no projections and no tick here: 'loket worker' does (implied by --workers above 1).")
@click.option("--log-format", type=click.Choice(["text", "json"]), help="Log lines as text, or as JSON with every request (default: [ops] log_format).")
@core_cli.pass_state
def serve(state: core_cli.CliState, host: str, port: int, threads: int, tick_seconds: int, snapshot: str | None, log_format: str | None, workers: int, no_projections: bool) -> None:
    """Apply the configuration and serve the API (the demo when no configuration is given).

    With ``--workers N`` (N > 1, the production command) N gunicorn processes serve, and the
    projections and the tick run in ``loket worker`` beside them; so with ``--no-projections``."""
    from waitress import serve as waitress_serve

    from web import create_app

    if snapshot and (workers > 1 or no_projections):
        raise click.UsageError("--snapshot serves from one process that projects nothing: leave out --workers and --no-projections")
    if snapshot:
        from core.audit.replay import open_snapshot

        frozen = open_snapshot(state.site(), Path(snapshot))
        configure_logging(log_format or frozen.config.data["ops"]["log_format"])
        click.echo(f"Serving, read only, the loket as it was at {frozen.snapshot['until']} (log position {frozen.snapshot['position']}).")
        click.echo(f"Loket serves http://{host}:{port}/")
        waitress_serve(create_app(frozen, read_only=True), host=host, port=port, threads=threads, ident="loket")
        return
    site = _open_site(state)
    configure_logging(log_format or site.config.data["ops"]["log_format"])
    follower = workers > 1 or no_projections
    if follower:
        site.follow_projections()
    events = _apply_config(site)
    click.echo(f"Configuration {site.config.path}: {len(events)} change(s) recorded.")
    seeded = seed_demo(site)
    if seeded:
        click.echo(f"Demo users {', '.join(seeded)} added, password '{DEMO_PASSWORD}'.")
    caught_up = site.projections.catch_up()
    if follower:
        click.echo("Read models: 'loket worker' projects them; this node waits for them after each write.")
    else:
        click.echo(f"Read models caught up ({caught_up} event(s) projected).")
    made = seed_demo_content(site) + seed_demo_meetings(site) + seed_demo_organisations(site)
    if site.config.demo_seed:
        # Each plugin seeds its own demo, for the lokets that have it on (the plugin checks).
        made += sum(count for _, count in site.plugins.each("seed_demo", site=site))
    if made:
        click.echo(f"Demo content: {made} item(s) created.")
    if workers > 1:
        click.echo(f"Loket serves http://{host}:{port}/ with {workers} gunicorn workers")
        _serve_with_gunicorn(state, site, host, port, workers, threads)
        return
    app = create_app(site)
    # A node that runs no projections runs no tick either: both are the worker's.
    timer = None if follower else ProjectionTimer(TIMER_SECONDS, _background_work(site, tick_seconds))
    if timer:
        timer.start()
    click.echo(f"Loket serves http://{host}:{port}/  (try http://{host}:{port}/api/v1/lokets, or /api/ for the reference)")
    try:
        waitress_serve(app, host=host, port=port, threads=threads, ident="loket")
    finally:
        if timer:
            timer.stop()


def _apply_config(site: Site) -> list:
    """Record the configuration's changes; web nodes starting together race to record the same
    changes, and the ones that lose find them recorded when they try again."""
    from core.errors import StaleVersionError

    for _ in range(4):
        try:
            return site.apply_config()
        except StaleVersionError:
            continue
    return site.apply_config()


def _serve_with_gunicorn(state: core_cli.CliState, site: Site, host: str, port: int, workers: int, threads: int) -> None:
    """Serve with ``workers`` gunicorn processes, each with a Site of its own in follower mode.

    Nothing opened here crosses the fork (connections, SQLite handles, threads): this process's
    site is closed first and every gunicorn worker opens its own when it loads the app."""
    from gunicorn.app.base import BaseApplication

    from web import create_app

    config_path, plugins, base_dir = site.config.path, state.plugins, _base_dir(state)
    site.close()
    opened: list[Site] = []

    def load():
        own = Site.open(config_path, plugins, base_dir=base_dir)
        own.follow_projections()
        opened.append(own)
        return create_app(own)

    def worker_exit(_server, _worker) -> None:
        for own in opened:
            own.close()

    def child_exit(_server, worker) -> None:
        # In the Prometheus client's multiprocess mode a dead process's live gauges are dropped.
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(worker.pid)

    options = {
        "bind": [f"{host}:{port}"],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "proc_name": "loket",
        "timeout": 60,
        "graceful_timeout": 10,
        "worker_exit": worker_exit,
        "child_exit": child_exit,
    }

    class LoketGunicorn(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)
            # gunicorn 25.1+ opens a control socket at one path per user: two installations
            # (or test nodes) on a host would take each other's. Loket does not use it.
            if "control_socket_disable" in self.cfg.settings:
                self.cfg.set("control_socket_disable", True)

        def load(self):
            return load()

    # Every gunicorn worker counts its own requests: in the Prometheus client's multiprocess mode
    # /metrics adds them up, from a folder of their own made empty for this server.
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="loket-metrics-")
    LoketGunicorn().run()


def _base_dir(state: core_cli.CliState) -> Path | None:
    """Where the configuration's relative paths start: the packaged demo's in the current folder
    (see ``_open_site``), any other configuration's in its own folder."""
    try:
        state.resolve_config()
        return None
    except click.UsageError:
        return Path.cwd()


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
