"""The ``loket`` command line: configuration, lokets, users and tokens.

Plugins add commands through ``register_commands(cli)``; ``web.cli`` adds ``serve``. Every command
takes ``--config PATH`` (or ``LOKET_CONFIG``); without either, ``./loket.toml`` is used. Errors are
one line per problem on stderr and exit status 2, never a traceback (``LOKET_DEBUG=1`` shows one).
"""

from __future__ import annotations

import getpass
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import click
import tomli_w

from core.envelope import acting
from core.errors import LoketError
from core.identity import ROLES, describe_token
from core.plugins import Plugins
from core.site import Site


@dataclass
class CliState:
    """What the commands of one invocation share: the plugins and, once opened, the site."""

    plugins: Plugins
    config_path: str | None = None
    sites: dict[str, Site] = field(default_factory=dict)

    def resolve_config(self) -> Path:
        if self.config_path:
            return Path(self.config_path)
        default = Path("loket.toml")
        if default.exists():
            return default
        raise click.UsageError("no configuration: give --config PATH, set LOKET_CONFIG, or run where a loket.toml is")

    def site(self) -> Site:
        """The site of the configuration in force (validated, nothing recorded yet)."""
        path = str(self.resolve_config())
        if path not in self.sites:
            self.sites[path] = Site.open(path, self.plugins)
        return self.sites[path]

    def close(self) -> None:
        for site in self.sites.values():
            site.close()


def _remember_config(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value:
        ctx.ensure_object(CliState).config_path = value


def config_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--config PATH`` on a subcommand, as on the group."""
    return click.option(
        "--config",
        type=click.Path(dir_okay=False),
        expose_value=False,
        callback=_remember_config,
        help="The loket.toml to use (default: $LOKET_CONFIG, else ./loket.toml).",
    )(command)


pass_state = click.make_pass_decorator(CliState)


def operator() -> str:
    """The actor of commands typed at this machine: the operating-system user."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


@click.group()
@click.option(
    "--config",
    envvar="LOKET_CONFIG",
    type=click.Path(dir_okay=False),
    expose_value=False,
    callback=_remember_config,
    help="The loket.toml to use (default: $LOKET_CONFIG, else ./loket.toml).",
)
def cli() -> None:
    """Loket: a headless CMS for the regionale onderwijsloketten."""


# Configuration


@cli.group("config")
def config_group() -> None:
    """Check, apply and show loket.toml."""


@config_group.command("check")
@config_option
@pass_state
def config_check(state: CliState) -> None:
    """Validate the configuration; record nothing."""
    config = state.site().config
    click.echo(f"{config.path}: valid — {len(config.lokets)} loket(s), {len(config.regions)} region(s), sha256 {config.sha256[:12]}")


@config_group.command("apply")
@config_option
@pass_state
def config_apply(state: CliState) -> None:
    """Record every difference between the configuration and the store as events."""
    site = state.site()
    events = site.apply_config()
    if not events:
        click.echo("Nothing to record: the store already matches the configuration.")
    for event in events:
        click.echo(f"{event.envelope['loket']:<20} {type(event).__name__:<16} {_event_summary(event)}")


@config_group.command("show")
@config_option
@click.option("--format", "fmt", type=click.Choice(["toml", "json"]), default="toml", show_default=True)
@pass_state
def config_show(state: CliState, fmt: str) -> None:
    """Print the configuration as validated: defaults filled in, settings loaded."""
    config = state.site().config
    data = {
        "store": {"url": config.store.url},
        "demo": {"seed": config.demo_seed},
        "regions": [{**r, "sectors": r["sectors"]} for r in config.regions.values()],
        "lokets": {
            slug: {**spec, "regions": [r["id"] for r in spec["regions"]]} for slug, spec in config.lokets.items()
        },
    }
    click.echo(json.dumps(data, indent=2, ensure_ascii=False) if fmt == "json" else tomli_w.dumps(data))


def _event_summary(event: Any) -> str:
    for attribute in ("plugin", "region_id", "name"):
        if hasattr(event, attribute):
            return str(getattr(event, attribute))
    if hasattr(event, "region"):
        return event.region["id"]
    if hasattr(event, "sectors"):
        return ", ".join(event.sectors)
    return ""


# Lokets


@cli.command("lokets")
@config_option
@click.option("--all", "include_closed", is_flag=True, help="Also show lokets that left the configuration.")
@pass_state
def lokets(state: CliState, include_closed: bool) -> None:
    """Each loket: regions, sectors, and plugins with when each was switched on (from the events)."""
    site = state.site()
    found = site.lokets.all(include_closed=include_closed)
    if not found:
        click.echo("No lokets recorded yet: run 'loket config apply'.")
    for loket in found:
        status = "" if loket.is_open else "  (closed)"
        click.echo(f"{loket.slug} — {loket.name}{status}")
        click.echo(f"  sectors: {', '.join(loket.sectors)}")
        for region in loket.regions.values():
            click.echo(f"  region:  {region['id']} ({region['kind']}, {'/'.join(region['sectors'])}) {region['name']}")
        since = {}
        for entry in site.lokets.plugin_history(loket.slug):
            if entry["change"] == "enabled":
                since[entry["plugin"]] = entry["at"]
        for plugin in loket.plugins:
            click.echo(f"  plugin:  {plugin} (on since {since[plugin]:%Y-%m-%d %H:%M:%S %Z})")
        if not loket.plugins:
            click.echo("  plugins: none")


@cli.command("plugins")
@config_option
@pass_state
def plugins_command(state: CliState) -> None:
    """The installed plugins and their hooks."""
    if not state.plugins.names:
        click.echo("No plugins installed.")
    for name in state.plugins.names:
        info = state.plugins.info(name)
        version = f" {info.version}" if info.version else ""
        click.echo(f"{name}{version} ({info.source}) — {info.description}")
        click.echo(f"  hooks: {', '.join(info.hooks)}")


# Read side


@cli.group("projections")
def projections_group() -> None:
    """The read models: their positions, and rebuilding them from the log."""


@projections_group.command("status")
@config_option
@pass_state
def projections_status(state: CliState) -> None:
    """Each projection's position in the log and how far it lags."""
    runner = state.site().projections
    for status in runner.status():
        click.echo(f"{status.name:<16} position {status.position:>8}  log {status.log_position:>8}  lag {status.lag:>8}")


@projections_group.command("rebuild")
@config_option
@pass_state
def projections_rebuild(state: CliState) -> None:
    """Drop every read model and the search index, and replay the whole log into them."""
    site = state.site()
    total = site.app.position()
    with click.progressbar(length=total, label="Replaying", file=sys.stderr, show_pos=True) as bar:
        processed = site.projections.rebuild(progress=bar_progress(bar))
    click.echo(f"Rebuilt: {processed} event(s) projected into {len(site.projections.projections)} projection(s).")


def bar_progress(bar: Any) -> Callable[[int], None]:
    """A progress callback for the runner (it reports the log position it has reached) that moves
    ``bar`` forward."""
    last = {"position": 0}

    def progress(position: int) -> None:
        bar.update(max(0, position - last["position"]))
        last["position"] = max(position, last["position"])

    return progress


@cli.command("tick")
@config_option
@pass_state
def tick(state: CliState) -> None:
    """Carry out what is due now: scheduled publication and everything the plugins plan."""
    from datetime import datetime, timezone

    done = state.site().tick(datetime.now(timezone.utc))
    for line in done:
        click.echo(line)
    if not done:
        click.echo("Nothing was due.")


@cli.command("worker")
@config_option
@click.option("--tick-seconds", default=30, show_default=True, type=click.FloatRange(0.1, 3600), help="How often scheduled work is carried out.")
@click.option("--poll-seconds", default=5, show_default=True, type=click.FloatRange(0.1, 3600), help="The longest wait for news of an append (a missed notification only delays).")
@pass_state
def worker(state: CliState, tick_seconds: float, poll_seconds: float) -> None:
    """Run the projections and the tick for web nodes that run none (serve --workers N or
    --no-projections). Start two for failover: one leads, the other stands by and takes over."""
    import signal
    from datetime import datetime

    from core.worker import Worker

    site = state.site()
    pid = os.getpid()

    def say(line: str) -> None:
        click.echo(f"{datetime.now().isoformat(timespec='seconds')} worker[{pid}] {line}")

    runner = Worker(site, tick_seconds=tick_seconds, poll_seconds=poll_seconds, say=say)
    previous = {number: signal.signal(number, lambda *_: runner.stop()) for number in (signal.SIGTERM, signal.SIGINT)}
    say(f"started on {site.config.store.safe_url}, read models in {site.config.data_dir}")
    try:
        runner.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


# Users


@cli.group("users")
def users_group() -> None:
    """Add users and give or take roles per loket."""


@users_group.command("add")
@config_option
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of asking.")
@click.option("--email", help="Where 'forgot password' messages go (kept as personal data).")
@pass_state
def users_add(state: CliState, username: str, password_stdin: bool, email: str | None) -> None:
    """Add a user (the password is asked for, or read from stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    site = state.site()
    with acting(actor=operator()):
        site.identity.add_user(username, password)
        if email:
            site.identity.set_email(username, email)
    click.echo(f"Added user {username}.")


@users_group.command("list")
@config_option
@pass_state
def users_list(state: CliState) -> None:
    """Every user with their roles per loket."""
    users = state.site().identity.users()
    if not users:
        click.echo("No users yet: add one with 'loket users add NAME'.")
    for user in users:
        roles = "; ".join(f"{loket}: {', '.join(r)}" for loket, r in sorted(user.roles.items())) or "no roles"
        click.echo(f"{user.username:<24} {roles}")


@users_group.command("grant")
@config_option
@click.argument("username")
@click.argument("loket")
@click.argument("role", type=click.Choice(ROLES))
@pass_state
def users_grant(state: CliState, username: str, loket: str, role: str) -> None:
    """Give USERNAME the ROLE in LOKET."""
    with acting(actor=operator(), loket=loket):
        changed = state.site().identity.grant(username, loket, role)
    click.echo(f"{username} is now {role} in {loket}." if changed else f"{username} was already {role} in {loket}.")


@users_group.command("revoke")
@config_option
@click.argument("username")
@click.argument("loket")
@click.argument("role", type=click.Choice(ROLES))
@pass_state
def users_revoke(state: CliState, username: str, loket: str, role: str) -> None:
    """Take the ROLE in LOKET away from USERNAME."""
    with acting(actor=operator(), loket=loket):
        changed = state.site().identity.revoke(username, loket, role)
    click.echo(f"{username} is no longer {role} in {loket}." if changed else f"{username} was not {role} in {loket}.")


# Tokens


@cli.group("tokens")
def tokens_group() -> None:
    """API tokens for integrations, scoped to one loket and role."""


@tokens_group.command("create")
@config_option
@click.option("--loket", required=True, help="The loket the token may act in.")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--label", required=True, help="What the token is for, e.g. 'vacaturefeed Stichting X'.")
@pass_state
def tokens_create(state: CliState, loket: str, role: str, label: str) -> None:
    """Create a token. It is shown once: store it now."""
    with acting(actor=operator(), loket=loket):
        token_id, secret = state.site().identity.create_token(label, loket, role)
    click.echo(f"Token {token_id} ({role} in {loket}). Shown once, store it now:", err=True)
    click.echo(secret)


@tokens_group.command("list")
@config_option
@click.option("--loket", help="Only the tokens of this loket.")
@pass_state
def tokens_list(state: CliState, loket: str | None) -> None:
    """Every token: id, loket, role, label, whether revoked (never the secret)."""
    tokens = state.site().identity.tokens(loket)
    if not tokens:
        click.echo("No tokens.")
    for token in tokens:
        t = describe_token(token)
        click.echo(f"{t['id']}  {t['loket']:<16} {t['role']:<10} {'revoked' if t['revoked'] else 'active ':<8} {t['label']}")


@tokens_group.command("revoke")
@config_option
@click.argument("token_id")
@pass_state
def tokens_revoke(state: CliState, token_id: str) -> None:
    """Revoke the token TOKEN_ID; requests with it are refused from now on."""
    try:
        parsed = UUID(token_id)
    except ValueError:
        raise click.BadParameter(f"'{token_id}' is not a token id (see 'loket tokens list')", param_hint="TOKEN_ID") from None
    with acting(actor=operator()):
        changed = state.site().identity.revoke_token(parsed)
    click.echo(f"Token {parsed} revoked." if changed else f"Token {parsed} was already revoked.")


def run(group: click.Group, argv: list[str] | None = None) -> int:
    """Run ``group`` with plugins' commands added; map every error to one line and status 2."""
    debug = os.environ.get("LOKET_DEBUG") == "1"
    try:
        plugins = Plugins()
    except Exception as error:  # a plugin that fails to load or has a misspelt hook
        if debug:
            raise
        click.echo(f"loket: a plugin could not be loaded: {type(error).__name__}: {error}", err=True)
        return 2
    plugins.pm.hook.register_commands(cli=group)
    state = CliState(plugins=plugins)
    try:
        # Without standalone mode click returns a command's ctx.exit(code) instead of raising it.
        return group.main(args=argv, prog_name="loket", standalone_mode=False, obj=state) or 0
    except click.exceptions.Exit as exit_:
        return exit_.exit_code
    except click.exceptions.Abort:
        click.echo("loket: aborted", err=True)
        return 1
    except click.ClickException as error:
        error.show()
        return 2
    except LoketError as error:
        for line in str(error).splitlines():
            click.echo(f"loket: {line}", err=True)
        return 2
    except Exception as error:
        if debug:
            raise
        click.echo(f"loket: unexpected error: {type(error).__name__}: {error} (LOKET_DEBUG=1 shows the trace)", err=True)
        return 2
    finally:
        state.close()
