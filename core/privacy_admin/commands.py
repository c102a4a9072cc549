"""``loket privacy erase|export PERSON``."""

from __future__ import annotations

import json

import click

from core.cli import config_option, operator, pass_state
from core.audit.access import record_view
from core.envelope import acting


def add_commands(cli: click.Group) -> None:
    @cli.group("privacy")
    def privacy() -> None:
        """People's rights: access (export) and erasure of their personal data."""

    @privacy.command("export")
    @config_option
    @click.argument("person")
    @pass_state
    def export(state, person: str) -> None:
        """Print everything held about PERSON (an id or e-mail address) as JSON."""
        site = state.site()
        site.projections.catch_up()
        person_id = site.privacy.resolve(person)
        with acting(actor=operator()):
            for loket in sorted(site.privacy.index.lokets_of(person_id)) or ["-"]:
                record_view(site.app, loket, [person_id], "privacy export")
        click.echo(json.dumps(site.privacy.export(person_id), indent=2, ensure_ascii=False))

    @privacy.command("erase")
    @config_option
    @click.argument("person")
    @click.option("--reason", default="", help="Why (recorded with the erasure; no personal data).")
    @pass_state
    def erase(state, person: str, reason: str) -> None:
        """Erase PERSON's data: delete their keys and scrub every read model."""
        site = state.site()
        person_id = site.privacy.resolve(person)
        with acting(actor=operator()):
            site.privacy.erase(person_id, reason)
        site.projections.catch_up()
        click.echo(f"Erased the personal data of person {person_id}.")
