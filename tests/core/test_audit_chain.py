"""Tamper evidence: the hash chain over the stored events, its checkpoints, verification (of the read
database's chain and of an exported checkpoint), erasure, rebuilds and the ``loket audit`` commands.

Tampering is done as an intruder with database access would: the append-only triggers are dropped
(SQLite) or disabled (PostgreSQL, as the table's owner), then the events table is changed directly.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from core.audit import chain
from core.audit.chain import (
    GENESIS,
    AuditError,
    export_checkpoint,
    link,
    parse_checkpoint,
    verify,
)
from core.envelope import acting
from core.referrals.domain import Referral
from core.site import Site
from tests.conftest import run_cli

PAGE = {"title": "Leraar basisonderwijs", "body": "De **leraar** staat voor de klas.", "sectors": ["po"], "tags": ["beroep"]}
NAME, EMAIL = "Jannetje Zwartbroek", "jannetje.zwartbroek@example.nl"


# Helpers


def _raw(site: Site, statements: list[tuple[str, tuple]]) -> None:
    """Run ``statements`` on the events table behind the library's back, append-only guard off."""
    if site.config.store.is_postgres:
        import psycopg

        env = site.config.store.env
        table = f'"{env["POSTGRES_SCHEMA"]}".loket_events'
        with psycopg.connect(
            host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"], dbname=env["POSTGRES_DBNAME"]
        ) as conn:
            conn.execute(f"ALTER TABLE {table} DISABLE TRIGGER ALL")
            for statement, params in statements:
                conn.execute(statement.format(table=table, id="notification_id").replace("?", "%s"), params)
            conn.execute(f"ALTER TABLE {table} ENABLE TRIGGER ALL")
    else:
        with sqlite3.connect(site.config.store.sqlite_path) as conn:
            conn.execute("DROP TRIGGER IF EXISTS stored_events_no_update")
            conn.execute("DROP TRIGGER IF EXISTS stored_events_no_delete")
            for statement, params in statements:
                conn.execute(statement.format(table="stored_events", id="rowid"), params)


def stored(site: Site, position: int):
    [notification] = site.app.recorder.select_notifications(start=position, limit=1)
    assert notification.id == position
    return notification


def alter_one_byte(site: Site, position: int, old: bytes = b"Pabo", new: bytes = b"Pabp") -> None:
    """Change one byte of the stored state of event ``position`` (inside a text value, so the
    event still decodes: the change would otherwise be noticed without any chain)."""
    state = stored(site, position).state
    assert old in state and len(old) == len(new)
    changed = state.replace(old, new, 1)
    assert sum(a != b for a, b in zip(state, changed)) == 1
    _raw(site, [("UPDATE {table} SET state = ? WHERE {id} = ?", (changed, position))])


def delete_event(site: Site, position: int) -> None:
    _raw(site, [("DELETE FROM {table} WHERE {id} = ?", (position,))])


def refer(site: Site, partner: str = "Pabo Utrecht") -> int:
    """Record a referral (a one-event aggregate); its notification id."""
    with acting(actor="cli:test", loket="alpha"):
        return site.app.save(Referral(loket="alpha", direction="out", partner=partner, reason="bellen", count=1))[-1].notification.id


def busy(site: Site) -> dict[str, int]:
    """A varied history, caught up now and then as a server does: content, questions, users,
    tokens and referrals. Returns positions of interest."""
    positions = {}
    with acting(actor="cli:test", loket="alpha"):
        pages = [site.content.create("page", "alpha", {**PAGE, "title": f"Pagina {n}"}) for n in range(3)]
        site.projections.catch_up()
        site.content.publish("page", "alpha", pages[0].id)
        site.content.revise("page", "alpha", pages[0].id, {"title": "Gewijzigd"}, None, partial=True)
    positions["referral"] = refer(site)
    with acting(actor="anonymous", loket="alpha"):
        site.helpdesk.ask("alpha", {"name": NAME, "email": EMAIL, "question": "Kan ik zij-instromer worden?", "sector": "po", "consent": True})
    site.projections.catch_up()
    with acting(actor="cli:test"):
        site.identity.add_user("alice", "correct horse battery")
        site.identity.grant("alice", "alpha", "editor")
        site.identity.create_token("feed", "beta", "editor")
    positions["late_referral"] = refer(site, "Pabo Twente")
    with acting(actor="cli:test", loket="beta"):
        site.content.publish("page", "beta", site.content.create("page", "beta", PAGE).id)
    site.projections.catch_up()
    return positions


def chain_view(site: Site):
    return site.projection("audit-chain").view


def label(site: Site, position: int) -> str:
    n = stored(site, position)
    return f"{n.topic.rpartition(':')[2]} of {n.originator_id} v{n.originator_version}"


# The chain itself


def test_the_chain_is_over_the_stored_bytes_in_notification_order(site):
    busy(site)
    view = chain_view(site)
    expected, previous = [], GENESIS
    for n in site.app.recorder.select_notifications(start=None, limit=10_000):
        previous = link(previous, n)
        expected.append((n.id, previous))
    assert list(view.event_hashes(10_000)) == expected
    head = view.committed_head()
    assert (head.position, head.count, head.hash) == (site.app.position(), len(expected), previous)
    assert view.position() == site.app.position()


def test_fields_are_length_prefixed_so_shifting_bytes_between_them_changes_the_hash():
    from types import SimpleNamespace as N

    one = N(id=1, originator_id="ab", originator_version=1, topic="t", state=b"cd")
    two = N(id=1, originator_id="a", originator_version=1, topic="t", state=b"bcd")
    assert link(GENESIS, one) != link(GENESIS, two)


def test_verify_passes_on_an_untouched_busy_store(site):
    busy(site)
    report = verify(site)
    assert report.ok, report.problem
    assert (report.events, report.position, report.unchained) == (site.app.position(), site.app.position(), 0)
    assert report.message == f"verified {report.events} events up to position {report.position}: intact"


def test_events_not_chained_yet_are_counted_not_blamed(site):
    busy(site)
    refer(site)
    report = verify(site)
    assert report.ok and report.unchained == 1 and report.position == site.app.position() - 1
    assert "1 later event(s) not chained yet" in report.message


# Tampering with the events table


def test_one_altered_byte_names_exactly_that_event(site):
    positions = busy(site)
    target = positions["referral"]
    assert verify(site).ok
    alter_one_byte(site, target)
    report = verify(site)
    assert not report.ok
    assert report.problem_position == target
    assert report.problem == f"event {target} ({label(site, target)}) differs from when it was recorded"
    assert report.events == target - 1


def test_an_altered_topic_or_originator_version_is_named_too(site):
    positions = busy(site)
    target = positions["late_referral"]
    _raw(site, [("UPDATE {table} SET originator_version = 2 WHERE {id} = ?", (target,))])
    report = verify(site)
    assert report.problem_position == target and "differs from when it was recorded" in report.problem


def test_a_deleted_event_is_named_as_missing(site):
    positions = busy(site)
    target = positions["referral"]
    delete_event(site, target)
    report = verify(site)
    assert not report.ok and report.problem_position == target
    assert report.problem == f"event {target} is missing: it was in the log when it was chained and is no longer in the store"


def test_the_last_event_deleted_is_named_as_missing(site):
    busy(site)
    last = site.app.position()
    delete_event(site, last)
    report = verify(site)
    assert report.problem_position == last and "is missing" in report.problem


def test_an_event_slipped_into_a_gap_is_named_as_added(site):
    # A gap in the ids (PostgreSQL leaves one after a failed insert; made here by hand before
    # anything was chained), then, after chaining, a forged event put into it.
    busy(site)
    gap = refer(site)
    after = refer(site, "Pabo Twente")
    forged = stored(site, gap)
    delete_event(site, gap)
    site.projections.catch_up()
    assert verify(site).ok
    _raw(
        site,
        [(
            "INSERT INTO {table} ({id}, originator_id, originator_version, topic, state) VALUES (?, ?, ?, ?, ?)",
            (gap, str(forged.originator_id) if site.config.store.is_postgres else forged.originator_id.hex, 1, forged.topic, forged.state),
        )],
    )
    assert stored(site, gap).id == gap and after > gap
    report = verify(site)
    assert report.problem_position == gap
    assert report.problem == f"event {gap} ({label(site, gap)}) was not in the log when it was chained: it was added afterwards"


def test_two_events_swapped_name_the_first_of_them(site):
    positions = busy(site)
    first, second = positions["referral"], positions["late_referral"]
    a, b = stored(site, first), stored(site, second)
    _raw(
        site,
        [
            ("UPDATE {table} SET state = ? WHERE {id} = ?", (b.state, first)),
            ("UPDATE {table} SET state = ? WHERE {id} = ?", (a.state, second)),
        ],
    )
    assert verify(site).problem_position == first


def test_altered_audit_tables_are_noticed(site):
    busy(site)
    assert verify(site).ok
    with chain_view(site).datastore.transaction(commit=True) as c:
        c.execute("UPDATE audit_checkpoints SET hash = ? WHERE seq = 1", (b"\0" * 32,))
    report = verify(site)
    assert not report.ok and "the audit tables in the read database were altered" in report.problem


# Checkpoints


def test_checkpoints_are_sealed_every_n_events_and_one_follows_the_head(site, monkeypatch):
    monkeypatch.setattr(chain, "CHECKPOINT_EVERY", 5)
    chain_view(site).drop()
    busy(site)  # several catch-ups of uneven sizes
    checkpoints = chain_view(site).checkpoints()
    total = site.app.position()
    assert [c["count"] for c in checkpoints] == [*range(5, total + 1, 5), *([total] if total % 5 else [])]
    assert [c["seq"] for c in checkpoints] == list(range(1, len(checkpoints) + 1))
    hashes = dict(chain_view(site).event_hashes(total))
    previous = GENESIS
    for checkpoint in checkpoints:
        assert checkpoint["hash"] == hashes[checkpoint["position"]] and checkpoint["previous"] == previous
        created = stored(site, checkpoint["position"])
        assert checkpoint["created"] == site.app.mapper.to_domain_event(created).timestamp.isoformat()
        previous = checkpoint["hash"]
    assert verify(site).ok


def test_a_rebuild_gives_an_identical_dump(site, monkeypatch):
    monkeypatch.setattr(chain, "CHECKPOINT_EVERY", 4)
    chain_view(site).drop()
    busy(site)
    live = chain_view(site).dump()
    assert len(live["audit_checkpoints"]) > 2 and len(live["audit_event_hashes"]) == site.app.position()
    site.projections.rebuild()
    assert chain_view(site).dump() == live


def test_a_catch_up_that_fails_halfway_is_taken_up_again(site, monkeypatch):
    busy(site)
    for n in range(10):
        refer(site, f"Pabo {n}")
    view = chain_view(site)
    fail_at = site.app.position() - 3
    real_append = view.append

    def failing_append(position, *args):
        if position == fail_at:
            raise RuntimeError("disk full")
        real_append(position, *args)

    monkeypatch.setattr(view, "append", failing_append)
    with pytest.raises(RuntimeError, match="disk full"):
        site.projections.catch_up()
    assert view.head.position == fail_at - 1 > view.committed_head().position  # pending, not committed
    monkeypatch.setattr(view, "append", real_append)
    site.projections.catch_up()
    assert view.committed_head().position == site.app.position()
    assert verify(site).ok
    live = view.dump()
    site.projections.rebuild()
    assert view.dump() == live


def test_two_processes_taking_turns_keep_one_chain(write_config, store_url):
    # A server and a command line each hold the chain's view; each catches up in turn.
    path = write_config(url=store_url)
    first, second = Site.open(path), Site.open(path)
    first.apply_config()
    first.projections.catch_up()
    second.projections.catch_up()  # builds the second's view now, at the current head
    for round_ in range(3):
        refer(first, f"Pabo {round_}")
        first.projections.catch_up()
        refer(second, f"Pabo {round_}b")
        second.projections.catch_up()
    assert verify(first).ok and verify(second).ok
    assert chain_view(first).committed_head().count == first.app.position()
    first.close()
    second.close()


def test_export_names_the_latest_checkpoint_and_the_store_without_password(site):
    busy(site)
    exported = export_checkpoint(site)
    latest = chain_view(site).checkpoints()[-1]
    assert exported["position"] == site.app.position() == latest["position"]
    assert exported["count"] == latest["count"] and exported["hash"] == latest["hash"].hex()
    assert exported["previous_hash"] == latest["previous"].hex() and exported["created"] == latest["created"]
    assert json.loads(json.dumps(exported)) == exported
    if site.config.store.is_postgres:
        assert exported["store"].startswith("postgresql://") and ":***@" not in exported["store"]
    else:
        assert exported["store"] == f"sqlite:///{site.config.store.sqlite_path}"


def test_the_store_url_loses_its_password():
    assert chain._url_without_password("postgresql://loket:geheim%21@db:5432/loket?schema=x") == "postgresql://loket@db:5432/loket?schema=x"
    assert chain._url_without_password("postgresql://loket@db/loket") == "postgresql://loket@db/loket"


def test_verify_against_an_exported_checkpoint(site):
    positions = busy(site)
    exported = export_checkpoint(site)
    refer(site)
    site.projections.catch_up()
    report = verify(site, against=exported)
    assert report.ok and f"the exported checkpoint (position {exported['position']}" in report.message

    # Tampered, then every read model dropped and rebuilt from the tampered log: the rebuilt
    # chain agrees with the log, only the exported checkpoint can tell.
    alter_one_byte(site, positions["referral"])
    site.projections.rebuild()
    assert verify(site).ok
    report = verify(site, against=exported)
    assert not report.ok and report.problem_position == exported["position"]
    assert report.problem.startswith("the log no longer produces the exported checkpoint: at position")
    assert f"an event at or before position {exported['position']} was changed" in report.problem


def test_verify_against_a_checkpoint_after_events_were_removed(site):
    positions = busy(site)
    exported = export_checkpoint(site)
    delete_event(site, positions["referral"])
    chain_view(site).drop()
    site.projections.catch_up()
    report = verify(site, against=exported)
    assert not report.ok
    assert f"it holds {exported['count'] - 1} events up to position {exported['position']}" in report.problem
    delete_event(site, exported["position"])
    chain_view(site).drop()
    site.projections.catch_up()
    report = verify(site, against=exported)
    assert "before the exported checkpoint's position" in report.problem or "is missing from the store" in report.problem


def test_a_checkpoint_that_is_not_one_is_refused():
    with pytest.raises(AuditError, match="has no 'hash'"):
        parse_checkpoint({"position": 3, "count": 3})
    with pytest.raises(AuditError, match="64 hexadecimal digits"):
        parse_checkpoint({"position": 3, "count": 3, "hash": "abc"})
    with pytest.raises(AuditError, match="positive whole numbers"):
        parse_checkpoint({"position": "3", "count": 3, "hash": "0" * 64})


# Erasure


def test_erasure_keeps_the_chain_intact(site):
    busy(site)
    with acting(actor="anonymous", loket="alpha"):
        site.helpdesk.ask("alpha", {"name": NAME, "email": EMAIL, "question": "Nog een vraag?", "sector": "po", "consent": True})
    site.projections.catch_up()
    exported = export_checkpoint(site)
    before = list(chain_view(site).event_hashes(site.app.position()))
    with acting(actor="cli:test"):
        site.privacy.erase(site.privacy.resolve(EMAIL), "verzoek")
    site.projections.catch_up()
    assert list(chain_view(site).event_hashes(exported["position"])) == before
    report = verify(site, against=exported)
    assert report.ok, report.problem
    # A rebuild after the erasure (the keys are gone, replay decodes placeholders) gives the same chain.
    site.projections.rebuild()
    assert list(chain_view(site).event_hashes(exported["position"])) == before
    assert verify(site, against=exported).ok


# The commands


def test_verify_and_checkpoint_from_the_cli(site, tmp_path):
    positions = busy(site)
    refer(site)  # not chained yet: the command catches up first
    site.close()
    config = str(site.config.path)

    ok = run_cli("audit", "verify", "--config", config)
    assert ok.returncode == 0, ok.stderr
    position = site.app.position()
    assert ok.stdout.strip() == f"verified {position} events up to position {position}: intact"
    assert "Verifying" in ok.stderr

    exported = run_cli("audit", "checkpoint", "--export", "--config", config)
    assert exported.returncode == 0, exported.stderr
    checkpoint = json.loads(exported.stdout)
    assert checkpoint["position"] == position and checkpoint["count"] == position
    saved = tmp_path / "checkpoint.json"
    saved.write_text(exported.stdout)
    summary = run_cli("audit", "checkpoint", "--config", config)
    assert summary.returncode == 0 and f"up to position {position}, hash {checkpoint['hash']}" in summary.stdout

    against = run_cli("audit", "verify", "--against", str(saved), "--config", config)
    assert against.returncode == 0 and "still holds" in against.stdout

    target = positions["referral"]
    alter_one_byte(site, target)
    tampered = run_cli("audit", "verify", "--config", config)
    assert tampered.returncode == 2 and tampered.stdout == ""
    assert tampered.stderr.splitlines()[-1] == f"loket: event {target} ({label(site, target)}) differs from when it was recorded"

    saved.write_text("{not json")
    broken = run_cli("audit", "verify", "--against", str(saved), "--config", config)
    assert broken.returncode == 2 and "cannot read the checkpoint" in broken.stderr
    site.close()


def test_the_cli_names_a_missing_event(site):
    positions = busy(site)
    site.close()
    delete_event(site, positions["referral"])
    site.close()
    result = run_cli("audit", "verify", "--config", str(site.config.path))
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == f"loket: event {positions['referral']} is missing: it was in the log when it was chained and is no longer in the store"
