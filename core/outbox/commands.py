"""``loket outbox list|send``."""

from __future__ import annotations

from datetime import datetime, timezone

import click

from core.cli import config_option, pass_state


def add_commands(cli: click.Group) -> None:
    @cli.group("outbox")
    def outbox() -> None:
        """E-mail to people: what waits, what was sent, what failed."""

    @outbox.command("list")
    @config_option
    @click.option("--failed", is_flag=True, help="Only messages that are retrying or abandoned.")
    @pass_state
    def list_messages(state, failed: bool) -> None:
        """Every message with its state (never recipients or contents)."""
        site = state.site()
        site.projections.catch_up()
        messages = site.outbox.view.messages(statuses=("retrying", "abandoned") if failed else ())
        if not messages:
            click.echo("No messages.")
        for m in messages:
            error = f"  {m['last_error']}" if m["last_error"] else ""
            click.echo(f"{m['id']}  {m['loket']:<14} {m['purpose']:<24} {m['status']:<10} attempts {m['attempts']}{error}")

    @outbox.command("send")
    @config_option
    @pass_state
    def send(state) -> None:
        """Send what is due now (loket serve does this on its timer)."""
        site = state.site()
        site.projections.catch_up()
        if site.outbox.mailer is None:
            click.echo("No [mail] in the configuration: messages wait in the outbox.")
        for line in site.outbox.send_due(datetime.now(timezone.utc)):
            click.echo(line)
