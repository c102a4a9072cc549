"""Carry the event log elsewhere: ``loket audit export`` and ``loket audit import``.

The file is JSON Lines. The first line is a header::

    {"format": "loket-events", "version": 1, "app": "Loket", "count": 3, "exported_at": "2026-…Z"}

then one line per stored event, in the order of the log::

    {"position": 1, "originator_id": "…", "originator_version": 1, "topic": "core.…:Page.Created", "state": "<base64>"}

``state`` is the stored bytes, byte for byte, never decoded: personal data stays the ciphertext it
is in the store, and the keys (``[privacy] keys``) are not in the file. That is the point: an export
is a backup that does not bring back erased people. Imported where the key store is shared (or
restored beside it), the personal data reads again; imported without the keys, every personal value
reads as erased (``[verwijderd]``), and the rest of the history is whole.

When the audit chain is installed, its latest checkpoint (``core.audit.chain.export_checkpoint``)
ends the file as ``{"checkpoint": {...}}``. An import recomputes the chain over the file's events and
refuses a file whose events do not produce that checkpoint; after an import the chain, rebuilt with
the read models, gives the same checkpoints as the exported store did (the positions are kept).

An import goes only into an empty store. Every line is checked before anything is written; then the
file is read again and its events written in one transaction (all or nothing: a file that changed
in between, or a checkpoint that does not hold, rolls it back) with their positions: the notification ids
of the imported store are those of the exported one, gaps included, on SQLite and PostgreSQL alike,
so a second export gives the same event lines. The read models are rebuilt after.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from uuid import UUID

import click
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import PersistenceError
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import resolve_topic

from core.errors import LoketError

if TYPE_CHECKING:
    from core.site import Site

FORMAT = "loket-events"
VERSION = 1
EVENT_FIELDS = ("position", "originator_id", "originator_version", "topic", "state")
BATCH = 500

#: ``progress(stage, done, total)``; stages: ``export``; ``check``, ``import``, ``replay``.
Progress = Callable[[str, int, int], None]


class TransferError(LoketError):
    """Raised when an export cannot be written or an import file is refused."""

    slug = "transfer"


@dataclass(frozen=True)
class TransferSummary:
    count: int
    first: int | None  # positions of the first and last event
    last: int | None
    checkpoint: dict[str, Any] | None


# Export


def export_events(site: Site, out: Path, progress: Progress | None = None) -> int:
    """Write every stored event of ``site`` to ``out`` (JSON Lines); return how many."""
    return export_summary(site, Path(out), progress).count


def export_summary(site: Site, out: Path, progress: Progress | None = None) -> TransferSummary:
    """``export_events``, telling also the positions and the checkpoint written.

    The file appears whole or not at all: it is written beside ``out`` and renamed into place.
    Events recorded while the export runs are not in it (it stops at the position it started at).
    """
    out = Path(out)
    checkpoint = _chain_checkpoint(site)  # first, so it never covers events the file lacks
    recorder = site.app.recorder
    stop = site.app.position()
    count = _count_events(recorder, stop)
    partial = out.with_name(f".{out.name}.partial")
    header = {
        "format": FORMAT,
        "version": VERSION,
        "app": site.app.name,
        "count": count,
        "exported_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
    }
    first = last = None
    written = 0
    try:
        with partial.open("w", encoding="utf-8", newline="\n") as file:
            file.write(_line(header))
            for notification in _notifications(recorder, stop):
                file.write(
                    _line(
                        {
                            "position": notification.id,
                            "originator_id": str(notification.originator_id),
                            "originator_version": notification.originator_version,
                            "topic": notification.topic,
                            "state": base64.b64encode(bytes(notification.state)).decode("ascii"),
                        }
                    )
                )
                first = notification.id if first is None else first
                last = notification.id
                written += 1
                if progress and (written % BATCH == 0 or written == count):
                    progress("export", written, count)
            if written != count:  # cannot happen in an append-only store; never write a wrong header
                raise TransferError(f"The store changed under the export: counted {count} event(s), read {written}.")
            if checkpoint is not None:
                file.write(_line({"checkpoint": checkpoint}))
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, out)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise TransferError(f"Cannot write {out}: {error.strerror or error}") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return TransferSummary(written, first, last, checkpoint)


def _chain_checkpoint(site: Site) -> dict[str, Any] | None:
    """The audit chain's latest checkpoint, after chaining what is new; None without the chain
    (or before it has chained anything)."""
    try:
        site.projection("audit-chain")
    except KeyError:
        return None
    from core.audit.chain import AuditError, export_checkpoint

    try:
        site.projections.catch_up()
    except Exception:  # a failing read model must not stop a backup; the checkpoint is then an older one
        logging.getLogger(__name__).warning("the read models could not catch up before the export", exc_info=True)
    try:
        return export_checkpoint(site)
    except AuditError:  # nothing chained yet: an empty store
        return None


def _line(data: dict[str, Any]) -> str:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n"


def _notifications(recorder: Any, stop: int) -> Iterator[Any]:
    position = 0
    while position < stop:
        page = recorder.select_notifications(start=position, limit=BATCH, stop=stop, inclusive_of_start=False)
        yield from page
        if len(page) < BATCH:
            return
        position = page[-1].id


def _count_events(recorder: Any, stop: int) -> int:
    """How many events have a position up to ``stop`` (positions can have gaps on PostgreSQL)."""
    if stop == 0:
        return 0
    if isinstance(recorder, PostgresApplicationRecorder):
        from psycopg.sql import SQL, Identifier

        with recorder.datastore.transaction(commit=False) as curs:
            curs.execute(
                SQL("SELECT COUNT(*) AS n FROM {}.{} WHERE notification_id <= %s").format(
                    Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name)
                ),
                (stop,),
            )
            return int(curs.fetchone()["n"])
    with recorder.datastore.transaction(commit=False) as c:
        c.execute(f"SELECT COUNT(*) FROM {recorder.events_table_name} WHERE rowid <= ?", (stop,))
        return int(c.fetchone()[0])


# Import


def import_events(site: Site, path: Path, progress: Progress | None = None) -> int:
    """Import the events of ``path`` into the empty store of ``site``, then rebuild the read
    models; return how many. Nothing is written unless every line is right.

    :raise TransferError: the store is not empty, or the file is not a whole, valid export.
    """
    return import_summary(site, Path(path), progress).count


def import_summary(site: Site, path: Path, progress: Progress | None = None) -> TransferSummary:
    """``import_events``, telling also the positions and the file's checkpoint."""
    path = Path(path)
    _refuse_unless_empty(site, path, site.app.position())
    scanned = ExportFile(path)
    for _ in scanned.records(progress, "check"):
        pass
    header_count = scanned.count
    inserted = 0
    try:
        with _writer(site.app.recorder, path) as write:
            against = (scanned.checkpoint_line, scanned.checkpoint) if scanned.checkpoint is not None else None
            again = ExportFile(path, against=against)
            batch: list[EventLine] = []
            for record in again.records():
                batch.append(record)
                if len(batch) == BATCH:
                    write(batch)
                    inserted += len(batch)
                    batch = []
                    if progress:
                        progress("import", inserted, header_count)
            if batch:
                write(batch)
                inserted += len(batch)
            if again.digest != scanned.digest:
                raise TransferError(f"{path} changed while it was being imported; nothing was imported.")
            if progress:
                progress("import", inserted, header_count)
    except (PersistenceError, sqlite3.Error, OSError) as error:
        raise TransferError(f"The import of {path} failed and was rolled back, nothing was imported: {_reason(error)}") from error
    except Exception as error:
        if isinstance(error, LoketError) or not _is_psycopg_error(error):
            raise
        raise TransferError(f"The import of {path} failed and was rolled back, nothing was imported: {_reason(error)}") from error

    total = site.app.position() * len(site.projections.projections)
    site.projections.rebuild(progress=_replay_progress(progress, total) if progress else None)
    return TransferSummary(inserted, scanned.first, scanned.last, scanned.checkpoint)


def _refuse_unless_empty(site: Site, path: Path, position: int) -> None:
    if position:
        raise TransferError(
            f"Refusing to import {path}: the store {site.config.store.safe_url} is not empty (it holds events up to "
            f"position {position}); import only into an empty store. Nothing was imported."
        )


def _replay_progress(progress: Progress, total: int) -> Callable[[int], None]:
    """The runner reports each projection's position in turn; add them up."""
    state = {"last": 0, "done": 0}

    def report(position: int) -> None:
        state["done"] += position - state["last"] if position >= state["last"] else position
        state["last"] = position
        progress("replay", min(state["done"], total), total)

    return report


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def _is_psycopg_error(error: BaseException) -> bool:
    psycopg = sys.modules.get("psycopg")
    return psycopg is not None and isinstance(error, psycopg.Error)


@contextmanager
def _writer(recorder: Any, path: Path) -> Iterator[Callable[[list[EventLine]], None]]:
    """One transaction on the events table: refuse if it is not empty (checked again under the
    transaction, against a write that came in since), insert with the exported positions, commit
    only if everything went in."""
    if isinstance(recorder, PostgresApplicationRecorder):
        from psycopg.sql import SQL, Identifier

        table = SQL("{}.{}").format(Identifier(recorder.datastore.schema), Identifier(recorder.events_table_name))
        with recorder.datastore.transaction(commit=True) as curs:
            # The lock the library takes for every insert: no other write interleaves.
            curs.execute(SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
            curs.execute(SQL("SELECT MAX(notification_id) AS n FROM {}").format(table))
            position = curs.fetchone()["n"] or 0
            if position:
                raise TransferError(
                    f"Refusing to import {path}: the store is not empty (it holds events up to position {position}); "
                    "import only into an empty store. Nothing was imported."
                )
            statement = SQL(
                "INSERT INTO {} (notification_id, originator_id, originator_version, topic, state) VALUES (%s, %s, %s, %s, %s)"
            ).format(table)
            last = {"position": 0}

            def insert_postgres(batch: list[EventLine]) -> None:
                curs.executemany(
                    statement, [(r.position, r.originator_id, r.originator_version, r.topic, r.state) for r in batch]
                )
                last["position"] = batch[-1].position

            yield insert_postgres
            if last["position"]:
                # New events continue after the imported ones.
                curs.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, 'notification_id'), %s)",
                    (table.as_string(curs), last["position"]),
                )
                curs.execute(SQL("NOTIFY {}").format(Identifier(recorder.channel_name)))
        return

    name = recorder.events_table_name
    with recorder.datastore.transaction(commit=True) as c:
        c.execute(f"SELECT MAX(rowid) FROM {name}")
        position = c.fetchone()[0] or 0
        if position:
            raise TransferError(
                f"Refusing to import {path}: the store is not empty (it holds events up to position {position}); "
                "import only into an empty store. Nothing was imported."
            )
        # The rowid is SQLite's notification id; the library stores a UUID as its 32 hex digits.
        statement = f"INSERT INTO {name} (rowid, originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?, ?)"

        def insert_sqlite(batch: list[EventLine]) -> None:
            c.executemany(statement, [(r.position, r.originator_id.hex, r.originator_version, r.topic, r.state) for r in batch])

        yield insert_sqlite


@dataclass(frozen=True)
class EventLine:
    line: int
    position: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


class ExportFile:
    """Reads and checks an export file line by line; after ``records()`` is exhausted, ``count``,
    ``first``, ``last``, ``checkpoint`` and ``digest`` (SHA-256 of the bytes read) are set."""

    def __init__(self, path: Path, against: tuple[int, dict[str, Any]] | None = None) -> None:
        self.path = path
        #: ``(line, checkpoint)`` read from the file before: its events must produce it.
        self.against = against
        self.checkpoint_line = 0
        self.count = 0
        self.first: int | None = None
        self.last: int | None = None
        self.checkpoint: dict[str, Any] | None = None
        self.digest = ""
        self._topics: set[str] = set()

    def fail(self, line: int | None, reason: str) -> TransferError:
        where = f"{self.path}, line {line}" if line else str(self.path)
        return TransferError(f"{where}: {reason}; nothing was imported.")

    def records(self, progress: Progress | None = None, stage: str = "check") -> Iterator[EventLine]:
        digest = hashlib.sha256()
        versions: dict[UUID, int] = {}
        chain = _ChainCheck(self, *self.against) if self.against is not None else None
        events = 0
        number = 0
        try:
            file = self.path.open("rb")
        except OSError as error:
            raise TransferError(f"Cannot read {self.path}: {error.strerror or error}") from error
        with file:
            for number, raw in enumerate(file, 1):
                digest.update(raw)
                if self.checkpoint is not None:
                    raise self.fail(number, "nothing may follow the checkpoint line")
                data = self._parse(number, raw)
                if number == 1:
                    self.count = self._header(data)
                    continue
                if "checkpoint" in data:
                    if set(data) != {"checkpoint"} or not isinstance(data["checkpoint"], dict):
                        raise self.fail(number, 'a checkpoint line is {"checkpoint": {...}} and nothing else')
                    self.checkpoint = self._checkpoint(number, data["checkpoint"])
                    self.checkpoint_line = number
                    continue
                record = self._event(number, data, versions)
                if chain is not None:
                    chain.add(record)
                events += 1
                if events > self.count:
                    raise self.fail(number, f"the header announces {self.count} event(s), but there are more")
                if self.first is None:
                    self.first = record.position
                self.last = record.position
                if progress and (events % BATCH == 0 or events == self.count):
                    progress(stage, events, self.count)
                yield record
        if number == 0:
            raise self.fail(None, "the file is empty, not a Loket event export")
        if events != self.count:
            raise self.fail(
                None, f"the header announces {self.count} event(s) but the file holds {events}: it is incomplete"
            )
        if chain is not None:
            chain.finish()
        self.digest = digest.hexdigest()

    def _checkpoint(self, number: int, data: dict[str, Any]) -> dict[str, Any]:
        from core.audit.chain import AuditError, parse_checkpoint

        try:
            return parse_checkpoint(data)
        except AuditError as error:
            raise self.fail(number, str(error)) from None

    def _parse(self, number: int, raw: bytes) -> dict[str, Any]:
        try:
            text = raw.decode("utf-8").rstrip("\r\n")
        except UnicodeDecodeError:
            raise self.fail(number, "not UTF-8 text") from None
        if not text.strip():
            raise self.fail(number, "an empty line")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise self.fail(number, f"not JSON ({error.msg} at column {error.colno})") from None
        if not isinstance(data, dict):
            raise self.fail(number, "not a JSON object")
        return data

    def _header(self, data: dict[str, Any]) -> int:
        if data.get("format") != FORMAT:
            raise self.fail(1, f'not a Loket event export (the first line has no "format": "{FORMAT}")')
        if data.get("version") != VERSION:
            raise self.fail(1, f"export format version {data.get('version')!r} is not one this Loket reads (it reads {VERSION})")
        count = data.get("count")
        if not _is_int(count) or count < 0:
            raise self.fail(1, '"count" in the header is not a number of events')
        return count

    def _event(self, number: int, data: dict[str, Any], versions: dict[UUID, int]) -> EventLine:
        missing = [name for name in EVENT_FIELDS if name not in data]
        if missing:
            raise self.fail(number, f"missing field(s): {', '.join(missing)}")
        unknown = sorted(set(data) - set(EVENT_FIELDS))
        if unknown:
            raise self.fail(number, f"unknown field(s): {', '.join(unknown)}")
        position = data["position"]
        if not _is_int(position) or position < 1:
            raise self.fail(number, "position is not a positive whole number")
        if self.last is not None and position <= self.last:
            raise self.fail(number, f"position {position} does not follow {self.last}: the events are not in log order")
        try:
            originator_id = UUID(data["originator_id"]) if isinstance(data["originator_id"], str) else None
        except ValueError:
            originator_id = None
        if originator_id is None:
            raise self.fail(number, "originator_id is not a UUID")
        version = data["originator_version"]
        if not _is_int(version) or version < 0:
            raise self.fail(number, "originator_version is not a whole number")
        previous = versions.get(originator_id)
        if previous is not None and version <= previous:
            raise self.fail(number, f"version {version} of {originator_id} comes after its version {previous}")
        versions[originator_id] = version
        topic = data["topic"]
        if not isinstance(topic, str) or not topic:
            raise self.fail(number, "topic is not a text")
        if topic not in self._topics:
            try:
                event_class = resolve_topic(topic)
            except Exception:  # noqa: BLE001 - the library raises TopicError, or the import fails
                event_class = None
            if not (isinstance(event_class, type) and issubclass(event_class, DomainEvent)):
                raise self.fail(number, f"topic {topic!r} names no event class installed here (is a plugin missing?)")
            self._topics.add(topic)
        state = data["state"]
        if not isinstance(state, str):
            raise self.fail(number, "state is not base64 text")
        try:
            decoded = base64.b64decode(state, validate=True)
        except (binascii.Error, ValueError):
            raise self.fail(number, "state is not valid base64") from None
        return EventLine(number, position, originator_id, version, topic, decoded)


class _ChainCheck:
    """Recomputes the audit chain over the file's events (positions included, as the chain does)
    and checks that it produces the file's checkpoint: a file altered after its export, or
    imported from a damaged copy, is refused."""

    def __init__(self, file: ExportFile, line: int, checkpoint: dict[str, Any]) -> None:
        from core.audit.chain import GENESIS

        self.file = file
        self.line = line
        self.checkpoint = checkpoint
        self.hash = GENESIS
        self.count = 0
        self.done = False

    def add(self, record: EventLine) -> None:
        from core.audit.chain import link

        if self.done:
            return
        self.hash = link(self.hash, _Stored(record.position, record.originator_id, record.originator_version, record.topic, record.state))
        self.count += 1
        position = self.checkpoint["position"]
        if record.position > position:
            raise self._not_in_file()
        if record.position == position:
            if (self.count, self.hash.hex()) != (self.checkpoint["count"], self.checkpoint["hash"]):
                raise self.file.fail(
                    self.line,
                    f"the events up to position {position} do not produce this audit-chain checkpoint: "
                    "an event was altered, added or removed after the export",
                )
            self.done = True

    def finish(self) -> None:
        if not self.done:
            raise self._not_in_file()

    def _not_in_file(self) -> TransferError:
        return self.file.fail(self.line, f"the checkpoint names position {self.checkpoint['position']}, which is not in the file")


@dataclass(frozen=True)
class _Stored:
    """What ``core.audit.chain.link`` reads of a stored notification."""

    id: int
    originator_id: UUID
    originator_version: int
    topic: str
    state: bytes


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# Commands


class _Bars:
    """One progress bar on stderr per stage of the work."""

    LABELS: ClassVar[dict[str, str]] = {"export": "Exporting", "check": "Checking", "import": "Importing", "replay": "Replaying"}

    def __init__(self) -> None:
        self.stage: str | None = None
        self.bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            self.bar = click.progressbar(length=max(total, 1), label=self.LABELS.get(stage, stage), file=sys.stderr, show_pos=True)
            self.bar.__enter__()
        if done > self.bar.pos:
            self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None

    def __enter__(self) -> _Bars:  # noqa: PYI034
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def add_commands(audit: click.Group) -> None:
    """Add ``export`` and ``import`` to the ``audit`` group."""
    from core.cli import CliState, config_option, pass_state

    @audit.command("export")
    @config_option
    @click.option("--out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The file to write (JSON Lines).")
    @pass_state
    def export_command(state: CliState, out: Path) -> None:
        """Write every stored event to a file, in log order, as stored: personal data stays
        encrypted and the keys are not in the file."""
        site = state.site()
        with _Bars() as bars:
            summary = export_summary(site, out, progress=bars)
        span = f" (positions {summary.first}–{summary.last})" if summary.count else ""
        chain = ", with the audit chain's checkpoint" if summary.checkpoint is not None else ""
        click.echo(f"Exported {summary.count} event(s){span} to {out}{chain}; personal data stays encrypted, the keys are not in the file.")

    @audit.command("import")
    @config_option
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @pass_state
    def import_command(state: CliState, file: Path) -> None:
        """Import an export FILE into an empty store, keeping each event's position, and rebuild
        the read models. Personal data reads again only with the key store it was written under."""
        site = state.site()
        with _Bars() as bars:
            summary = import_summary(site, file, progress=bars)
        span = f" (positions {summary.first}–{summary.last})" if summary.count else ""
        chain = (
            f"; its events produce the file's audit-chain checkpoint (position {summary.checkpoint['position']})"
            if summary.checkpoint is not None
            else ""
        )
        click.echo(
            f"Imported {summary.count} event(s){span} from {file} into {site.config.store.safe_url}; "
            f"{len(site.projections.projections)} read model(s) rebuilt{chain}."
        )
