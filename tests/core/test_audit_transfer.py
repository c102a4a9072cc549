"""Export and import of the event log: byte for byte, positions kept, across SQLite and PostgreSQL;
only into an empty store; a bad file is refused whole; personal data stays ciphertext, and reads
again only where the keys are."""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from pathlib import Path

import pytest
from eventsourcing.persistence import IntegrityError, StoredEvent

from core.audit import chain, transfer
from core.audit.transfer import TransferError, export_events, import_events
from core.envelope import acting
from core.privacy import ERASED
from core.site import Site
from tests.conftest import BASE_CONFIG, run_cli
from tests.core.test_privacy import EMAIL, NAME, ask
from tests.core.test_projections import make_history


@pytest.fixture
def open_site(tmp_path):
    """Open another installation in a folder of its own (its own data folder, its own keys unless
    ``keys`` names a key store): ``open_site("copy", url=…, keys=…)``."""
    opened: list[Site] = []

    def make(name: str, url: str | None = None, keys: Path | None = None) -> Site:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        text = BASE_CONFIG
        if keys is not None:
            text = text.replace("[[regions]]", f'[privacy]\nkeys = "{keys}"\n\n[[regions]]', 1)
        path = folder / "loket.toml"
        path.write_text(text.replace("{url}", url or f"sqlite:///{folder}/store/events.sqlite"), encoding="utf-8")
        site = Site.open(path)
        opened.append(site)
        return site

    yield make
    for site in opened:
        site.close()


def dump(site):
    return {p.name: p.view.dump() for p in site.projections.projections}


def stored(site) -> list[tuple]:
    """Every stored event as the store holds it: position, originator, version, topic, bytes."""
    found, start = [], 0
    while True:
        page = site.app.recorder.select_notifications(start=start, limit=500, inclusive_of_start=False)
        found += [(n.id, str(n.originator_id), n.originator_version, n.topic, bytes(n.state)) for n in page]
        if len(page) < 500:
            return found
        start = page[-1].id


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def events_of(path: Path) -> list[dict]:
    return [line for line in lines(path)[1:] if "checkpoint" not in line]


def history(site) -> None:
    """Content of every kind, a question answered, and a second asker erased."""
    make_history(site)
    question_id = ask(site)
    with acting(actor="user:editor", loket="alpha"):
        site.helpdesk.answer("alpha", question_id, {"answer": f"Ja {NAME}, dat kan."}, "editor", None)
    ask(site, loket="beta", name="Pietje Puk", email="pietje.puk@example.nl")
    with acting(actor="cli:test"):
        site.privacy.erase(site.privacy.resolve("pietje.puk@example.nl"), "verzoek")
    site.projections.catch_up()


def inbox_names(site, loket: str = "alpha") -> list[str]:
    rows, _ = site.questions_view.inbox(loket, (), 10, 0)
    return [row["name"] for row in rows]


# Round trips


def test_an_import_gives_the_same_log_and_equal_read_models(site, open_site, tmp_path, monkeypatch):
    monkeypatch.setattr(transfer, "BATCH", 7)  # pages and batches end mid-way, as in a big store
    history(site)
    source = stored(site)
    exported = tmp_path / "export.jsonl"
    assert export_events(site, exported) == len(source)

    header, *rest = lines(exported)
    assert header["format"] == "loket-events" and header["version"] == 1 and header["app"] == "Loket"
    assert header["count"] == len(source) and header["exported_at"].endswith("Z")
    # In log order, the stored bytes exactly, then the chain's checkpoint for the last event.
    assert [(e["position"], e["originator_id"], e["originator_version"], e["topic"], base64.b64decode(e["state"])) for e in rest[:-1]] == source
    assert rest[-1]["checkpoint"]["position"] == source[-1][0]

    # The same key store: the personal data reads again.
    copy = open_site("copy", keys=site.config.keys_path)
    assert import_events(copy, exported) == len(source)
    assert stored(copy) == source  # positions too: they are kept on every backend
    assert dump(copy) == dump(site)
    assert inbox_names(copy) == [NAME]
    assert inbox_names(copy, "beta") == [ERASED]  # erased before the export: erased after it

    again = tmp_path / "again.jsonl"
    export_events(copy, again)
    assert events_of(again) == events_of(exported)
    # The chain, rebuilt from the imported log, stands where it stood.
    assert lines(again)[-1]["checkpoint"]["hash"] == rest[-1]["checkpoint"]["hash"]
    assert chain.verify(copy, against=rest[-1]["checkpoint"]).ok

    # The imported store goes on where the exported one stopped.
    with acting(actor="cli:test", loket="alpha"):
        copy.content.create("page", "alpha", {"title": "Na de import", "body": "x", "sectors": ["po"]})
    assert copy.app.position() > source[-1][0]


@pytest.mark.postgres
def test_sqlite_to_postgresql_and_back(open_site, pg_url, tmp_path, monkeypatch):
    monkeypatch.setattr(transfer, "BATCH", 7)
    first = open_site("first")
    first.apply_config()
    history(first)
    source = stored(first)
    export_events(first, tmp_path / "one.jsonl")

    postgres = open_site("postgres", url=pg_url, keys=first.config.keys_path)
    import_events(postgres, tmp_path / "one.jsonl")
    assert stored(postgres) == source
    assert dump(postgres) == dump(first)
    assert inbox_names(postgres) == [NAME]
    export_events(postgres, tmp_path / "two.jsonl")
    assert events_of(tmp_path / "two.jsonl") == events_of(tmp_path / "one.jsonl")

    back = open_site("back", keys=first.config.keys_path)
    import_events(back, tmp_path / "two.jsonl")
    assert stored(back) == source
    assert dump(back) == dump(first)

    # PostgreSQL's sequence was moved past the imported positions: new events follow them.
    with acting(actor="cli:test", loket="alpha"):
        postgres.content.create("page", "alpha", {"title": "Nieuw", "body": "x", "sectors": ["po"]})
    assert stored(postgres)[len(source)][0] > source[-1][0]


@pytest.mark.postgres
def test_gaps_in_postgresql_positions_are_kept(open_site, pg_url, tmp_path):
    postgres = open_site("postgres", url=pg_url)
    postgres.apply_config()
    # A refused write (a version someone else wrote first) uses up a sequence number: a gap.
    taken = postgres.app.recorder.select_notifications(start=None, limit=1)[0]
    with pytest.raises(IntegrityError):
        postgres.app.recorder.insert_events([StoredEvent(taken.originator_id, taken.originator_version, taken.topic, taken.state)])
    make_history(postgres)
    source = stored(postgres)
    positions = [event[0] for event in source]
    assert positions != list(range(1, len(positions) + 1))

    export_events(postgres, tmp_path / "gaps.jsonl")
    copy = open_site("copy")
    import_events(copy, tmp_path / "gaps.jsonl")
    assert stored(copy) == source
    assert dump(copy) == dump(postgres)
    assert chain.verify(copy).ok


def test_an_empty_store_exports_and_imports(open_site, tmp_path):
    empty = open_site("empty")
    assert export_events(empty, tmp_path / "empty.jsonl") == 0
    assert len(lines(tmp_path / "empty.jsonl")) == 1
    copy = open_site("copy")
    assert import_events(copy, tmp_path / "empty.jsonl") == 0
    assert copy.app.position() == 0


# Refusals


def test_an_import_into_a_store_that_is_not_empty_is_refused(site, open_site, tmp_path):
    make_history(site)
    export_events(site, tmp_path / "export.jsonl")
    before, views = stored(site), dump(site)
    with pytest.raises(TransferError, match=r"export\.jsonl: the store .* is not empty .* Nothing was imported"):
        import_events(site, tmp_path / "export.jsonl")
    assert stored(site) == before and dump(site) == views

    other = open_site("other")
    other.apply_config()
    mine = stored(other)
    with pytest.raises(TransferError, match="not empty"):
        import_events(other, tmp_path / "export.jsonl")
    assert stored(other) == mine


def _replace_line(path: Path, number: int, text: str) -> None:
    all_lines = path.read_text(encoding="utf-8").splitlines()
    all_lines[number - 1] = text
    path.write_text("\n".join(all_lines) + "\n", encoding="utf-8")


def _event_line(path: Path, number: int, **changes) -> str:
    data = json.loads(path.read_text(encoding="utf-8").splitlines()[number - 1])
    data.update(changes)
    return json.dumps({k: v for k, v in data.items() if v is not None})


def _other_state(path: Path, number: int) -> str:
    """The line's state with one byte changed, still valid base64."""
    state = bytearray(base64.b64decode(json.loads(path.read_text(encoding="utf-8").splitlines()[number - 1])["state"]))
    state[len(state) // 2] ^= 0x01
    return base64.b64encode(bytes(state)).decode()


CORRUPTIONS = {
    "bad JSON": lambda p: _replace_line(p, 5, '{"position": 4, "originator_id": '),
    "bad base64": lambda p: _replace_line(p, 5, _event_line(p, 5, state="not*base64!")),
    "missing field": lambda p: _replace_line(p, 5, _event_line(p, 5, topic=None)),
    "unknown field": lambda p: _replace_line(p, 5, _event_line(p, 5, extra=1)),
    "not a UUID": lambda p: _replace_line(p, 5, _event_line(p, 5, originator_id="loket-alpha")),
    "unknown topic": lambda p: _replace_line(p, 5, _event_line(p, 5, topic="elders.domain:Iets.Gebeurd")),
    "out of order": lambda p: _replace_line(p, 5, _event_line(p, 5, position=1)),
    "empty line": lambda p: _replace_line(p, 5, ""),
    "not a Loket export": lambda p: _replace_line(p, 1, '{"format": "iets anders", "version": 1, "count": 0}'),
    "altered state": lambda p: _replace_line(p, 5, _event_line(p, 5, state=_other_state(p, 5))),
}
EXPECTED = {
    "bad JSON": "line 5: not JSON",
    "bad base64": "line 5: state is not valid base64",
    "missing field": "line 5: missing field(s): topic",
    "unknown field": "line 5: unknown field(s): extra",
    "not a UUID": "line 5: originator_id is not a UUID",
    "unknown topic": "line 5: topic 'elders.domain:Iets.Gebeurd' names no event class installed here",
    "out of order": "line 5: position 1 does not follow 3",
    "empty line": "line 5: an empty line",
    "not a Loket export": "line 1: not a Loket event export",
    # Found by recomputing the audit chain on the second reading, inside the transaction: rolled back.
    "altered state": "line {last}: the events up to position {position} do not produce this audit-chain checkpoint",
}


@pytest.mark.parametrize("corruption", list(CORRUPTIONS))
def test_a_corrupted_file_is_refused_with_its_line_and_nothing_is_written(site, open_site, tmp_path, corruption):
    site.projections.catch_up()
    path = tmp_path / "export.jsonl"
    export_events(site, path)
    last, position = len(path.read_text(encoding="utf-8").splitlines()), site.app.position()
    CORRUPTIONS[corruption](path)
    copy = open_site("copy")
    with pytest.raises(TransferError) as refused:
        import_events(copy, path)
    assert str(refused.value).startswith(f"{path}, {EXPECTED[corruption].format(last=last, position=position)}")
    assert str(refused.value).endswith("nothing was imported.")
    assert copy.app.position() == 0 and stored(copy) == []


def test_a_truncated_file_or_lines_after_the_checkpoint_are_refused(site, open_site, tmp_path):
    site.projections.catch_up()
    path = tmp_path / "export.jsonl"
    export_events(site, path)
    whole = path.read_text(encoding="utf-8").splitlines()
    copy = open_site("copy")

    path.write_text("\n".join(whole[:-3]) + "\n", encoding="utf-8")  # cut short: fewer events than announced
    with pytest.raises(TransferError, match=rf"^{re.escape(str(path))}: the header announces {len(whole) - 2} event\(s\) but the file holds"):
        import_events(copy, path)
    path.write_text("\n".join([*whole, whole[2]]) + "\n", encoding="utf-8")
    with pytest.raises(TransferError, match=rf"line {len(whole) + 1}: nothing may follow the checkpoint line"):
        import_events(copy, path)
    path.write_text("", encoding="utf-8")
    with pytest.raises(TransferError, match="the file is empty"):
        import_events(copy, path)
    assert stored(copy) == []


# Personal data


def test_personal_data_stays_ciphertext_in_the_file(site, tmp_path):
    ask(site)
    path = tmp_path / "export.jsonl"
    export_events(site, path)
    raw = path.read_bytes()
    states = b"".join(base64.b64decode(e["state"]) for e in events_of(path))
    for secret in (NAME, EMAIL, "diploma scheikunde"):
        assert secret.encode() not in raw and secret.encode() not in states
    # Nor are the keys: no key of the key store is in the file, as bytes or as base64.
    with sqlite3.connect(site.config.keys_path) as keys:
        held = [bytes(row[0]) for row in keys.execute("SELECT key FROM keys")]
    assert held
    for key in held:
        assert key not in states and base64.b64encode(key) not in raw


def test_imported_without_the_keys_the_personal_data_reads_as_erased(site, open_site, tmp_path):
    """A backup without its key store is the documented case: the history is whole, every
    personal value reads as erased, nobody can be found by their address."""
    history(site)
    path = tmp_path / "export.jsonl"
    export_events(site, path)
    elsewhere = open_site("elsewhere")  # a key store of its own, empty
    import_events(elsewhere, path)
    assert stored(elsewhere) == stored(site)
    [row], _ = elsewhere.questions_view.inbox("alpha", (), 10, 0)
    assert (row["name"], row["email"], row["text"], row["answer"]) == (ERASED,) * 4
    assert row["status"] == "answered"  # what is not personal is all there
    assert dump(elsewhere)["content"] == dump(site)["content"]
    with pytest.raises(Exception, match="No person"):
        elsewhere.privacy.resolve(EMAIL)


# Commands


def test_export_and_import_from_the_cli(site, open_site, tmp_path):
    history(site)
    site.close()
    path = tmp_path / "export.jsonl"
    exported = run_cli("audit", "export", "--out", str(path), "--config", str(site.config.path))
    assert exported.returncode == 0, exported.stderr
    assert "Exporting" in exported.stderr
    assert exported.stdout.startswith(f"Exported {len(events_of(path))} event(s) (positions 1–")
    assert exported.stdout.count("\n") == 1

    copy = open_site("copy", keys=site.config.keys_path)
    copy.close()
    imported = run_cli("audit", "import", str(path), "--config", str(copy.config.path))
    assert imported.returncode == 0, imported.stderr
    assert "Checking" in imported.stderr and "Importing" in imported.stderr and "Replaying" in imported.stderr
    assert imported.stdout.startswith(f"Imported {len(events_of(path))} event(s)")
    assert "audit-chain checkpoint" in imported.stdout and imported.stdout.count("\n") == 1
    assert inbox_names(copy) == [NAME]

    again = run_cli("audit", "import", str(path), "--config", str(copy.config.path))
    assert again.returncode == 2 and again.stdout == ""
    assert again.stderr.strip().splitlines()[-1].startswith(f"loket: Refusing to import {path}: the store")
    _replace_line(path, 3, "{")
    fresh = open_site("fresh")
    fresh.close()
    bad = run_cli("audit", "import", str(path), "--config", str(fresh.config.path))
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines()[-1] == f"loket: {path}, line 3: not JSON (Expecting property name enclosed in double quotes at column 2); nothing was imported."
    missing = run_cli("audit", "export", "--out", str(tmp_path / "nowhere" / "x.jsonl"), "--config", str(fresh.config.path))
    assert missing.returncode == 2 and "loket: Cannot write" in missing.stderr
