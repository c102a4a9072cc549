"""``loket vacatures import FILE`` and ``loket vacatures recruiters set|list``."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any
from uuid import UUID

import click

from core.cli import config_option, operator, pass_state
from core.envelope import acting
from core.errors import InvalidInputError

from .feed_import import BOARD_NUMBER, OUTCOMES, TYPE, FeedError, Report, check_feed, import_feed, parse_feed

#: From this many rows on, an import shows a progress bar (on stderr).
PROGRESS_FROM = 100


def add_commands(cli: click.Group) -> None:
    @cli.group("vacatures")
    def vacatures() -> None:
        """The vacancy bank: feed imports and recruiters."""

    @vacatures.command("import")
    @config_option
    @click.argument("file", type=click.Path(exists=True, dir_okay=False))
    @click.option("--loket", required=True, help="The loket to import into.")
    @click.option("--full", is_flag=True, help="A full feed of one school board: its vacancies missing from FILE are withdrawn.")
    @click.option("--school-board", help="The feed's school board (DUO number): rows without one get it; required with --full.")
    @click.option("--format", "fmt", type=click.Choice(["json", "csv"]), help="Default: from the file's extension.")
    @pass_state
    def import_command(state, file: str, loket: str, full: bool, school_board: str | None, fmt: str | None) -> None:
        """Import FILE (JSON or CSV, as the API takes it) into a loket, idempotent by externalId.

        Prints each created, changed, withdrawn and rejected row and the totals (unchanged rows
        only counted). Rejected rows do not stop the others, and make the exit status 1; when FILE
        cannot be read, nothing is changed and the exit status is 2.
        """
        fmt = fmt or _format_of(file)
        try:
            feed = parse_feed(Path(file).read_bytes(), fmt)
        except FeedError as error:
            raise InvalidInputError(f"{file}: {error.where}: {error.reason}") from None
        full = full or bool(feed.full)
        school_board = school_board or feed.school_board
        if full and not school_board:
            raise click.UsageError("--full needs --school-board (or \"schoolBoard\" in a JSON feed): whose vacancies the feed holds")
        site = state.site()
        check_feed(site, loket, full, school_board)
        with acting(actor=operator(), loket=loket):
            if len(feed.rows) >= PROGRESS_FROM:
                with click.progressbar(length=len(feed.rows), label="Importing", file=sys.stderr, show_pos=True) as bar:
                    report = import_feed(site, loket, feed.rows, full, school_board, progress=lambda _done: bar.update(1))
            else:
                report = import_feed(site, loket, feed.rows, full, school_board)
        _print_report(report)
        if report.entries["rejected"]:
            click.get_current_context().exit(1)

    @vacatures.group("recruiters")
    def recruiters() -> None:
        """Recruiters: the school boards whose vacancies a user or token manages."""

    @recruiters.command("set")
    @config_option
    @click.argument("name", required=False)
    @click.option("--loket", required=True)
    @click.option("--board", "boards", multiple=True, help="A school board's DUO number; repeat for more.")
    @click.option("--token", "token_id", help="A token's id (see 'loket tokens list') instead of a user NAME.")
    @pass_state
    def recruiters_set(state, name: str | None, loket: str, boards: tuple[str, ...], token_id: str | None) -> None:
        """Let the user NAME (or a token) manage exactly the vacancies of the given school boards in a loket."""
        from .recruiters import set_boards

        if bool(name) == bool(token_id):
            raise click.UsageError("give a user NAME or --token TOKEN_ID (one of the two)")
        if not boards:
            raise click.UsageError("give --board at least once")
        wrong = [board for board in boards if not re.match(BOARD_NUMBER, board)]
        if wrong:
            raise click.BadParameter(f"{', '.join(wrong)}: give the board's DUO bevoegd-gezag number, five digits", param_hint="--board")
        site = state.site()
        site.content.type_in(TYPE, loket)
        actor, who, roles = _user(site, name, loket) if name else _token(site, token_id or "", loket)
        if "recruiter" not in roles:
            click.echo(f"Note: {who} has no role recruiter in {loket}; the boards count once it has.", err=True)
        with acting(actor=operator(), loket=loket):
            changed = set_boards(site, loket, actor, sorted(set(boards)))
        listed = ", ".join(sorted(set(boards)))
        click.echo(f"{who} manages the vacancies of {listed} in {loket}." if changed else f"{who} already manages {listed} in {loket}.")

    @recruiters.command("list")
    @config_option
    @click.option("--loket", required=True)
    @pass_state
    def recruiters_list(state, loket: str) -> None:
        """Each recruiter of a loket with their school boards."""
        from core.boards import ActorBoards

        site = state.site()
        site.lokets.get(loket)
        found = [site.app.get(i, ActorBoards) for i in site.app.aggregate_ids(ActorBoards.BoardsAssigned)]
        rows = sorted((site.identity.actor_name(r.actor), r.actor, r.boards) for r in found if r.loket == loket and r.boards)
        if not rows:
            click.echo(f"No recruiters in {loket}: set one with 'loket vacatures recruiters set NAME --loket {loket} --board NUMBER'.")
        for who, actor, boards in rows:
            click.echo(f"{who:<32} {actor:<44} {', '.join(boards)}")


def _format_of(file: str) -> str:
    suffix = Path(file).suffix.lower()
    if suffix in (".json", ".csv"):
        return suffix[1:]
    raise click.BadParameter(f"cannot tell the format of '{file}' from its name: give --format json or csv", param_hint="--format")


def _user(site: Any, name: str, loket: str) -> tuple[str, str, tuple[str, ...]]:
    user = site.identity.get_user(name)
    return f"user:{user.id}", name, tuple(user.roles.get(loket, ()))


def _token(site: Any, token_id: str, loket: str) -> tuple[str, str, tuple[str, ...]]:
    try:
        parsed = UUID(token_id)
    except ValueError:
        raise click.BadParameter(f"'{token_id}' is not a token id (see 'loket tokens list')", param_hint="--token") from None
    token = next((t for t in site.identity.tokens(loket) if t.id == parsed), None)
    if token is None:
        raise click.BadParameter(f"there is no token {parsed} of loket '{loket}' (see 'loket tokens list --loket {loket}')", param_hint="--token")
    roles = () if token.revoked else (token.role,)
    return f"token:{token.id}", f"token '{token.label}'", roles


def _print_report(report: Report) -> None:
    for outcome in OUTCOMES:
        if outcome == "unchanged":
            continue
        for entry in report.entries[outcome]:
            click.echo(_report_line(outcome, entry))
    counts = report.counts
    click.echo("Totals: " + ", ".join(f"{counts[name]} {name}" for name in OUTCOMES) + ".")


def _report_line(outcome: str, entry: dict[str, Any]) -> str:
    where = f"row {entry['row']}" if entry["row"] is not None else "-"
    if "line" in entry:
        where += f" (line {entry['line']})"
    head = f"{outcome:<10} {where:<20} {entry.get('schoolBoard') or '-':<6} {entry.get('externalId') or '-'}"
    if outcome == "rejected":
        return f"{head}  " + "; ".join(f"{name or 'row'}: {reason}" for name, reason in entry["reasons"].items())
    tail = f"  {entry['slug']}" if entry.get("slug") else ""
    if entry.get("fields"):
        tail += f"  ({', '.join(entry['fields'])})"
    if entry.get("note"):
        tail += f"  [{entry['note']}]"
    return head + tail
