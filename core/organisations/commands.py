"""``loket organisations …``: import DUO's files of schools and school boards, list them, and link
them to lokets."""

from __future__ import annotations

import json

import click

from core.cli import CliState, config_option, operator, pass_state
from core.envelope import acting
from core.organisations.duo import BOARD, SCHOOL, SECTORS
from core.organisations.service import ImportReport, Organisations

KIND = click.Choice([BOARD, SCHOOL])
NOUNS = {BOARD: "school board(s)", SCHOOL: "school(s)"}


def add_commands(cli: click.Group) -> None:
    """Add the ``organisations`` group to ``cli``."""

    @cli.group("organisations")
    def organisations_group() -> None:
        """School boards and schools: import DUO's files, list them, link them to lokets."""

    @organisations_group.command("import")
    @config_option
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--loket", help="Link every imported organisation to this loket.")
    @click.option("--sector", type=click.Choice(SECTORS), help="The sector of the file (default: told by its columns).")
    @pass_state
    def import_command(state: CliState, file: str, loket: str | None, sector: str | None) -> None:
        """Import a DUO address file (CSV) of schools or school boards; a second import of the
        same file changes nothing."""
        site = state.site()
        with acting(actor=operator(), loket=loket):
            report = Organisations(site.app).import_file(file, loket=loket, sector=sector)
        for line in describe_report(file, report, loket):
            click.echo(line)

    @organisations_group.command("list")
    @config_option
    @click.option("--loket", help="Only the organisations linked to this loket.")
    @click.option("--kind", type=KIND, help="Only school boards or only schools.")
    @pass_state
    def list_command(state: CliState, loket: str | None, kind: str | None) -> None:
        """The school boards and schools, by name, with the lokets each is linked to."""
        site = state.site()
        if loket is not None:
            site.lokets.get(loket)
        site.projections.catch_up()
        view = site.projection("organisations").view
        links = view.lokets_of()
        shown = 0
        while True:
            items, total = view.list_organisations(loket, kind=kind, limit=500, offset=shown)
            for text in items:
                item = json.loads(text)
                sectors = item.get("sectors", [item.get("sector")])
                where = f" ({item['place']})" if item["place"] else ""
                lokets = ", ".join(links.get(item["id"], [])) or "no loket"
                click.echo(f"{item['kind']:<6} {item['code']:<6}  {item['name']}{where}  [{'/'.join(sectors) or '-'}]  {lokets}")
            shown += len(items)
            if not items or shown >= total:
                break
        if not shown:
            click.echo(f"No organisations in loket {loket}." if loket else "No organisations yet: import a DUO file with 'loket organisations import FILE'.")

    @organisations_group.command("link")
    @config_option
    @click.argument("kind", type=KIND)
    @click.argument("key")
    @click.argument("loket")
    @pass_state
    def link_command(state: CliState, kind: str, key: str, loket: str) -> None:
        """Link the school board (KEY: its bevoegd-gezag number) or school (KEY: BRIN and
        vestigingsnummer, e.g. 12AB00) to LOKET."""
        with acting(actor=operator(), loket=loket):
            changed = Organisations(state.site().app).link(kind, key, loket)
        name = f"{'School board' if kind == BOARD else 'School'} {key.upper()}"
        click.echo(f"{name} is now linked to {loket}." if changed else f"{name} was already linked to {loket}.")

    @organisations_group.command("unlink")
    @config_option
    @click.argument("kind", type=KIND)
    @click.argument("key")
    @click.argument("loket")
    @pass_state
    def unlink_command(state: CliState, kind: str, key: str, loket: str) -> None:
        """Take the link between a school board or school and LOKET away (its history stays)."""
        with acting(actor=operator(), loket=loket):
            changed = Organisations(state.site().app).unlink(kind, key, loket)
        name = f"{'School board' if kind == BOARD else 'School'} {key.upper()}"
        click.echo(f"{name} is no longer linked to {loket}." if changed else f"{name} was not linked to {loket}.")


def describe_report(file: str, report: ImportReport, loket: str | None) -> list[str]:
    """The report of an import as lines: the counts, then one line per refused row."""
    counts = f"{report.added} added, {report.changed} changed, {report.unchanged} unchanged, {len(report.rejected)} rejected"
    lines = [f"{file}: {NOUNS[report.kind]} — {counts}."]
    if loket is not None:
        lines.append(f"{report.linked} newly linked to {loket}.")
    if report.rejected:
        lines.append(f"{len(report.rejected)} row(s) were rejected and not imported; mend them and import the file again:")
        lines += [f"line {line}: {reason}" for line, reason in report.rejected]
    return lines
