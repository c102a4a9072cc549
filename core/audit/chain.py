"""Tamper evidence: a hash chain over the events exactly as they are stored, with checkpoints.

The chain runs over the *stored* form of every event (the bytes in the events table: ciphertext
for personal data), in notification order::

    h_0 = sha256(b"loket audit chain v1")
    h_i = sha256(h_{i-1} || F(notification id) || F(originator id) || F(originator version)
                         || F(topic) || F(state))

where ``F(x)`` is the length of ``x`` as 8 bytes big-endian followed by ``x``; the id and the
version are written in decimal ASCII, the originator id as its canonical text (a UUID's
``8-4-4-4-12`` lower-case form), the topic in UTF-8, the state as stored. Anyone can recompute it
from the events table alone.

Erasure deletes keys, never stored bytes, so the chain still verifies after a person is erased.

The projection ``audit-chain`` keeps, in the read database:

- ``audit_event_hashes``: ``h_i`` per chained notification id, so that ``verify`` names the
  exact event that changed, went missing or was slipped in;
- ``audit_checkpoints``: one row per ``CHECKPOINT_EVERY`` events (sealed), plus one for the events
  since (open: it moves forward with each catch-up and is sealed when its block is full). Every
  value comes from the events (``created`` is the last event's timestamp), so replaying the log
  gives identical rows;
- ``audit_head``: where the chain stands (position, count, hash), so a catch-up continues
  without rereading.

Whatever is in the read database an intruder can rewrite as well; ``export_checkpoint`` gives a
checkpoint to keep elsewhere (mail it to the auditor, print it), and ``verify(against=…)``
shows that the log still produces it, even after the read database is deleted and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlsplit

from eventsourcing.persistence import Tracking

from core.errors import LoketError
from core.projections import LoketProjection
from core.readmodel import ReadView, replacing

if TYPE_CHECKING:
    import click

    from core.site import Site

#: A checkpoint is sealed every this many events.
CHECKPOINT_EVERY = 1000
#: Stored events fetched at once by the projection, and read at once by ``verify``.
PREFETCH = 500
VERIFY_PAGE = 2000

GENESIS = hashlib.sha256(b"loket audit chain v1").digest()
EXPORT_FORMAT = "loket-audit-checkpoint/1"

Progress = Callable[[int], None]


class AuditError(LoketError):
    """Raised when the log does not match its chain, or a checkpoint cannot be read."""

    slug = "audit"


def _field(data: bytes) -> bytes:
    return len(data).to_bytes(8, "big") + data


def link(previous: bytes, notification: Any) -> bytes:
    """``h_i`` of ``notification`` (a stored notification) after ``previous`` (``h_{i-1}``)."""
    return hashlib.sha256(
        previous
        + _field(str(notification.id).encode("ascii"))
        + _field(str(notification.originator_id).encode("utf-8"))
        + _field(str(notification.originator_version).encode("ascii"))
        + _field(notification.topic.encode("utf-8"))
        + _field(bytes(notification.state))
    ).digest()


@dataclass(frozen=True)
class Head:
    """Where the chain stands: the last chained notification id, how many events, ``h`` there."""

    position: int = 0
    count: int = 0
    hash: bytes = GENESIS
    created: str = ""


class ChainView(ReadView):
    """The chain in the read database. Writes are batched: the per-event hashes, the checkpoint,
    the head and the tracked position go in one transaction per ``CHECKPOINT_EVERY`` events and
    at the end of each catch-up (``flush``), so a crash loses nothing but a replay."""

    tables: ClassVar[dict[str, list[str]]] = {
        "audit_checkpoints": [
            (
                "CREATE TABLE IF NOT EXISTS audit_checkpoints (seq INTEGER PRIMARY KEY, position INTEGER NOT NULL, "
                "count INTEGER NOT NULL, hash BLOB NOT NULL, previous BLOB NOT NULL, created TEXT NOT NULL)"
            )
        ],
        "audit_head": [
            (
                "CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), position INTEGER NOT NULL, "
                "count INTEGER NOT NULL, hash BLOB NOT NULL, created TEXT NOT NULL)"
            )
        ],
        "audit_event_hashes": ["CREATE TABLE IF NOT EXISTS audit_event_hashes (position INTEGER PRIMARY KEY, hash BLOB NOT NULL)"],
    }

    def __init__(self, datastore: Any, tracking_name: str) -> None:
        self._pending: list[tuple[int, bytes]] = []
        self._pending_tracking: Tracking | None = None
        self._head = Head()
        self._committed = Head()
        self._block_previous = GENESIS  # h at the last sealed checkpoint: the open one's "previous"
        #: Stored events read ahead by the projection, by notification id; emptied after each
        #: catch-up, so that nothing read long ago is chained.
        self.prefetched: dict[int, Any] = {}
        super().__init__(datastore, tracking_name)
        self._load()

    # Reading what is committed

    def committed_head(self) -> Head:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT position, count, hash, created FROM audit_head WHERE id = 1")
            row = c.fetchone()
        return Head(row["position"], row["count"], bytes(row["hash"]), row["created"]) if row else Head()

    def checkpoints(self) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT seq, position, count, hash, previous, created FROM audit_checkpoints ORDER BY seq")
            return [
                {**dict(row), "hash": bytes(row["hash"]), "previous": bytes(row["previous"])} for row in c.fetchall()
            ]

    def event_hashes(self, upto: int, page: int = VERIFY_PAGE) -> Iterator[tuple[int, bytes]]:
        """``(position, h)`` of every chained event up to ``upto``, in order."""
        after = 0
        while True:
            with self.datastore.transaction(commit=False) as c:
                c.execute(
                    "SELECT position, hash FROM audit_event_hashes WHERE position > ? AND position <= ? "
                    "ORDER BY position LIMIT ?",
                    (after, upto, page),
                )
                rows = [(row[0], bytes(row[1])) for row in c.fetchall()]
            yield from rows
            if len(rows) < page:
                return
            after = rows[-1][0]

    # The projection's side

    @property
    def head(self) -> Head:
        """The head including what is not committed yet (the projection's working state)."""
        return self._head

    def ensure_current(self) -> None:
        """Before a new batch: if the committed head is not the one this object last wrote or
        read (another process caught up, a rebuild dropped the tables, a failed batch), reload."""
        if not self._pending and self.committed_head() != self._committed:
            self._load()

    def append(self, position: int, chain_hash: bytes, created: str, tracking: Tracking) -> None:
        head = self._head
        self._head = Head(position, head.count + 1, chain_hash, created)
        self._pending.append((position, chain_hash))
        self._pending_tracking = tracking
        if self._head.count % CHECKPOINT_EVERY == 0:
            self._commit()

    def flush(self) -> None:
        self.prefetched = {}
        if self._pending:
            self._commit()

    def _commit(self) -> None:
        head = self._head
        assert self._pending_tracking is not None
        seq = (head.count - 1) // CHECKPOINT_EVERY + 1
        try:
            with self.datastore.transaction(commit=True) as c:
                c.executemany("INSERT INTO audit_event_hashes (position, hash) VALUES (?, ?)", self._pending)
                c.execute(
                    "INSERT INTO audit_checkpoints (seq, position, count, hash, previous, created) VALUES (?, ?, ?, ?, ?, ?) "
                    + replacing("seq", "position", "count", "hash", "previous", "created"),
                    (seq, head.position, head.count, head.hash, self._block_previous, head.created),
                )
                c.execute(
                    "INSERT INTO audit_head (id, position, count, hash, created) VALUES (1, ?, ?, ?, ?) "
                    + replacing("id", "position", "count", "hash", "created"),
                    (head.position, head.count, head.hash, head.created),
                )
                self._insert_tracking(c, self._pending_tracking)
        except BaseException:
            self._pending = []
            self._load()  # back to what is committed; the runner replays the rest
            raise
        self._pending = []
        self._pending_tracking = None
        self._committed = head
        if head.count % CHECKPOINT_EVERY == 0:
            self._block_previous = head.hash

    def _load(self) -> None:
        self.prefetched = {}
        self._pending = []
        self._pending_tracking = None
        self._committed = self._head = self.committed_head()
        self._block_previous = GENESIS
        if self._head.count:
            with self.datastore.transaction(commit=False) as c:
                c.execute("SELECT previous FROM audit_checkpoints WHERE seq = ?", ((self._head.count - 1) // CHECKPOINT_EVERY + 1,))
                row = c.fetchone()
            if row is not None:
                self._block_previous = bytes(row["previous"])
            if self._head.count % CHECKPOINT_EVERY == 0:
                self._block_previous = self._head.hash

    def reload(self) -> None:
        """Forget what is not committed; continue from the committed head."""
        self._load()

    def drop(self) -> None:
        super().drop()
        self._load()


class ChainProjection(LoketProjection[ChainView]):
    """Chains every stored event, in notification order (see the module's docstring).

    The runner hands over decoded events; the chain needs the stored rows, which this projection
    reads itself, ``PREFETCH`` at a time, ahead of the runner.
    """

    name = "audit-chain"
    view_class = ChainView
    topics = ()

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        view = self.view
        view.ensure_current()
        position = tracking.notification_id
        if position <= view.head.position:
            # The runner replays from the committed position after a catch-up that failed
            # before its end: what was not committed is forgotten and chained again.
            view.reload()
            if position <= view.head.position:
                return
        stored = view.prefetched.pop(position, None)
        if stored is None:
            page = self.site.app.recorder.select_notifications(start=position, limit=PREFETCH)
            view.prefetched = {n.id: n for n in page}
            stored = view.prefetched.pop(position, None)
            if stored is None:
                raise AuditError(f"event {position} vanished from the store while it was being chained")
        view.append(position, link(view.head.hash, stored), domain_event.timestamp.isoformat(), tracking)


# Verification


@dataclass(frozen=True)
class VerifyReport:
    """The outcome of ``verify``: ``ok``, or the first ``problem`` found (at ``problem_position``).

    ``events`` were recomputed and compared, up to ``position``; ``unchained`` events follow the
    chain's head and are not chained yet; ``against`` is the exported checkpoint checked, if any.
    """

    ok: bool
    events: int
    position: int
    problem: str | None = None
    problem_position: int | None = None
    unchained: int = 0
    against: dict[str, Any] | None = None

    @property
    def message(self) -> str:
        if not self.ok:
            return str(self.problem)
        text = f"verified {self.events} events up to position {self.position}: intact"
        if self.against is not None:
            text += f"; the exported checkpoint (position {self.against['position']}, hash {self.against['hash'][:16]}…) still holds"
        if self.unchained:
            text += f" ({self.unchained} later event(s) not chained yet)"
        return text


def _label(notification: Any) -> str:
    return f"{notification.topic.rpartition(':')[2]} of {notification.originator_id} v{notification.originator_version}"


def parse_checkpoint(data: Any) -> dict[str, Any]:
    """Check an exported checkpoint (as ``export_checkpoint`` gives it); :raise AuditError:"""
    if not isinstance(data, dict):
        raise AuditError("not an exported checkpoint: expected a JSON object")
    try:
        position, count, chain_hash = data["position"], data["count"], data["hash"]
    except KeyError as missing:
        raise AuditError(f"not an exported checkpoint: it has no {missing.args[0]!r}") from None
    if not isinstance(position, int) or position < 1 or not isinstance(count, int) or count < 1:
        raise AuditError("not an exported checkpoint: 'position' and 'count' must be positive whole numbers")
    try:
        if len(bytes.fromhex(chain_hash)) != 32:
            raise ValueError
    except (TypeError, ValueError):
        raise AuditError("not an exported checkpoint: 'hash' must be 64 hexadecimal digits") from None
    return {**data, "hash": chain_hash.lower()}


def _store_notifications(site: Site, page: int = VERIFY_PAGE) -> Iterator[list[Any]]:
    start = 0
    while True:
        notifications = site.app.recorder.select_notifications(start=start, limit=page, inclusive_of_start=False)
        if notifications:
            yield notifications
        if len(notifications) < page:
            return
        start = notifications[-1].id


def _chain_view(site: Site) -> ChainView:
    try:
        return site.projection(ChainProjection.name).view
    except KeyError:  # core.audit not switched on: read the tables all the same
        return ChainView(site.read_database, ChainProjection.name)


def verify(site: Site, against: dict[str, Any] | None = None, progress: Progress | None = None) -> VerifyReport:
    """Recompute the chain from notification 1 over the store and compare it with every chained
    event, every checkpoint and the head (and with ``against``, a checkpoint exported earlier);
    report the first event that changed, went missing or was added."""
    view = _chain_view(site)
    head = view.committed_head()
    checkpoints = view.checkpoints()
    if against is not None:
        against = parse_checkpoint(against)
    rows = view.event_hashes(head.position)
    row = next(rows, None)
    pending_checkpoints = iter(checkpoints)
    checkpoint = next(pending_checkpoints, None)
    checkpoint_previous = GENESIS
    previous, count, last, unchained = GENESIS, 0, 0, 0
    against_done = against is None

    def failed(problem: str, at: int) -> VerifyReport:
        return VerifyReport(False, count, last, problem, at, unchained, against)

    for notifications in _store_notifications(site):
        for notification in notifications:
            position = notification.id
            if row is not None and row[0] < position:
                return failed(
                    f"event {row[0]} is missing: it was in the log when it was chained and is no longer in the store",
                    row[0],
                )
            chain_hash = link(previous, notification)
            if position <= head.position:
                if row is None or row[0] > position:
                    return failed(
                        f"event {position} ({_label(notification)}) was not in the log when it was chained: "
                        "it was added afterwards",
                        position,
                    )
                if row[1] != chain_hash:
                    return failed(f"event {position} ({_label(notification)}) differs from when it was recorded", position)
                row = next(rows, None)
            else:
                unchained += 1
            count += 1
            if checkpoint is not None and checkpoint["position"] < position:
                return failed(
                    f"checkpoint {checkpoint['seq']} names position {checkpoint['position']}, which is not in the store",
                    checkpoint["position"],
                )
            if checkpoint is not None and checkpoint["position"] == position:
                if (checkpoint["hash"], checkpoint["count"], checkpoint["previous"]) != (chain_hash, count, checkpoint_previous):
                    return failed(
                        f"checkpoint {checkpoint['seq']} (position {position}) does not match the log: "
                        "the audit tables in the read database were altered",
                        position,
                    )
                checkpoint_previous = checkpoint["hash"]
                checkpoint = next(pending_checkpoints, None)
            if position == head.position and (head.hash, head.count) != (chain_hash, count):
                return failed(
                    f"the chain's head (position {position}) does not match the log: the audit tables in the read database were altered",
                    position,
                )
            if not against_done:
                assert against is not None
                if against["position"] < position:
                    return failed(
                        f"event {against['position']}, where the exported checkpoint stands, is missing from the store",
                        against["position"],
                    )
                if against["position"] == position:
                    if count != against["count"]:
                        return failed(
                            f"the log no longer produces the exported checkpoint: it holds {count} events up to "
                            f"position {position}, the checkpoint counted {against['count']}: events at or before "
                            f"position {position} were removed or added since it was exported",
                            position,
                        )
                    if chain_hash.hex() != against["hash"]:
                        return failed(
                            f"the log no longer produces the exported checkpoint: at position {position} the chain is "
                            f"{chain_hash.hex()[:16]}…, the checkpoint says {against['hash'][:16]}…: an event at or "
                            f"before position {position} was changed since it was exported",
                            position,
                        )
                    against_done = True
            previous, last = chain_hash, position
        if progress:
            progress(last)
    if row is not None:
        return failed(
            f"event {row[0]} is missing: it was in the log when it was chained and is no longer in the store", row[0]
        )
    if checkpoint is not None:
        return failed(
            f"checkpoint {checkpoint['seq']} names position {checkpoint['position']}, which is not in the store",
            checkpoint["position"],
        )
    if not against_done:
        assert against is not None
        return failed(
            f"the log ends at position {last}, before the exported checkpoint's position {against['position']}: "
            "events were removed since it was exported",
            last,
        )
    return VerifyReport(True, count - unchained, head.position, unchained=unchained, against=against)


def _url_without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, _, hostport = parts.netloc.rpartition("@")
    return parts._replace(netloc=f"{userinfo.partition(':')[0]}@{hostport}").geturl()


def _store_url(site: Site) -> str:
    """The store's URL without its password; a SQLite file by its absolute path."""
    store = site.config.store
    if store.sqlite_path is not None:
        return f"sqlite:///{store.sqlite_path.resolve()}"
    return _url_without_password(store.url)


def export_checkpoint(site: Site) -> dict[str, Any]:
    """The latest checkpoint, to keep outside the installation; :raise AuditError: none yet."""
    checkpoints = _chain_view(site).checkpoints()
    if not checkpoints:
        raise AuditError("no checkpoint yet: the chain has not covered any event (run 'loket projections status')")
    latest = checkpoints[-1]
    return {
        "format": EXPORT_FORMAT,
        "seq": latest["seq"],
        "position": latest["position"],
        "count": latest["count"],
        "hash": latest["hash"].hex(),
        "previous_hash": latest["previous"].hex(),
        "created": latest["created"],
        "store": _store_url(site),
    }


# Commands


def _catch_up(site: Site) -> None:
    """Chain what was recorded since the last catch-up. A failure elsewhere on the read side
    must not stop a verification of what is chained, so it is reported and passed over."""
    import click

    try:
        site.projections.catch_up()
    except Exception as error:  # noqa: BLE001 - reported, then the chained part is verified
        click.echo(f"loket: warning: the read models could not catch up ({type(error).__name__}: {error})", err=True)


def add_commands(audit: click.Group) -> None:
    import click

    from core.cli import CliState, config_option, pass_state

    @audit.command("verify")
    @config_option
    @click.option(
        "--against",
        type=click.Path(exists=True, dir_okay=False),
        help="A checkpoint exported earlier ('loket audit checkpoint --export'): the log must still produce it.",
    )
    @pass_state
    def verify_command(state: CliState, against: str | None) -> None:
        """Recompute the hash chain over the stored events; name the first altered, missing or
        added event (exit status 2), or report the log intact."""
        checkpoint = None
        if against:
            try:
                checkpoint = parse_checkpoint(json.loads(Path(against).read_text(encoding="utf-8")))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
                raise AuditError(f"cannot read the checkpoint {against}: {error}") from None
        site = state.site()
        _catch_up(site)
        total = site.app.position()
        with click.progressbar(length=total, label="Verifying", file=sys.stderr, show_pos=True) as bar:
            done = {"position": 0}

            def progress(position: int) -> None:
                bar.update(position - done["position"])
                done["position"] = position

            report = verify(site, against=checkpoint, progress=progress)
        if not report.ok:
            raise AuditError(report.message)
        click.echo(report.message)

    @audit.command("checkpoint")
    @config_option
    @click.option("--export", "export", is_flag=True, help="Print the latest checkpoint as JSON, to keep elsewhere.")
    @pass_state
    def checkpoint_command(state: CliState, export: bool) -> None:
        """The latest checkpoint of the hash chain (after chaining what is new)."""
        site = state.site()
        _catch_up(site)
        checkpoint = export_checkpoint(site)
        if export:
            click.echo(json.dumps(checkpoint, indent=2))
        else:
            click.echo(
                f"checkpoint {checkpoint['seq']}: {checkpoint['count']} events up to position {checkpoint['position']}, "
                f"hash {checkpoint['hash']}, last event {checkpoint['created']}"
            )
