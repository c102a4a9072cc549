"""Auditors browse the log, see any item as it was at any moment, replay into a separate folder and
check that replay is deterministic — and never see personal data, nor write anything."""

import json
import sqlite3
import time
from datetime import UTC, datetime

from core.audit.log import LogFilter, read_log, state_of
from core.audit.replay import differences, position_at, replay_into
from core.envelope import acting
from tests.conftest import bearer, run_cli


def busy(site):
    """A store with content, a question and a referral, some of it changed."""
    with acting(actor="cli:test", loket="alpha"):
        page = site.content.create("page", "alpha", {"title": "Eerste titel", "body": "Over leraren."})
        site.content.publish("page", "alpha", page.id)
        site.helpdesk.ask("alpha", {"name": "Anna Auditproef", "email": "anna@example.nl", "question": "Hoe word ik leraar?", "consent": True})
    site.projections.catch_up()
    return page


def test_the_log_in_order_filtered_with_envelopes(site):
    page = busy(site)
    entries = read_log(site.app, LogFilter(), limit=1000)
    assert [e["position"] for e in entries] == sorted(e["position"] for e in entries)
    pages = read_log(site.app, LogFilter(loket="alpha", content_type="page"), limit=100, names={"Page": "page"})
    assert [(e["event"], e["version"]) for e in pages] == [("Drafted", 1), ("Published", 2)]
    assert {e["actor"] for e in pages} == {"cli:test"} and pages[0]["aggregateId"] == str(page.id)
    assert read_log(site.app, LogFilter(event="LoketOpened"), limit=10)[0]["loket"] == "alpha"
    assert read_log(site.app, LogFilter(actor="config"), limit=1000) and not read_log(site.app, LogFilter(actor="nobody"), limit=10)


def test_an_event_whose_class_is_gone_is_still_shown(write_config, tmp_path):
    from core.site import Site

    # On SQLite, as an operator could after removing a plugin: an event whose topic names a module
    # that no longer exists.
    site = Site.open(write_config(url=f"sqlite:///{tmp_path}/events.sqlite"))
    site.apply_config()
    busy(site)
    with sqlite3.connect(site.config.store.sqlite_path) as conn:
        conn.execute("DROP TRIGGER stored_events_no_update")
        conn.execute("UPDATE stored_events SET topic = 'loket_verdwenen.domain:Thing.Happened' WHERE rowid = (SELECT MAX(rowid) FROM stored_events)")
    [last] = read_log(site.app, LogFilter(), after=site.app.position() - 1, limit=1)
    assert last["topic"] == "loket_verdwenen.domain:Thing.Happened" and last["event"] == "Happened"
    assert last["actor"] and last["data"]
    site.close()


def test_personal_data_is_never_shown_and_stays_erased(site):
    busy(site)
    text = json.dumps(read_log(site.app, LogFilter(), limit=1000))
    assert "Anna" not in text and "anna@example.nl" not in text and "[persoonsgegevens]" in text
    question = read_log(site.app, LogFilter(event="QuestionAsked"), limit=1)[0]
    assert state_of(site.app, __import__("uuid").UUID(question["aggregateId"]), 1)["name"] == "[persoonsgegevens]"
    with acting(actor="cli:test"):
        site.privacy.erase(site.privacy.resolve("anna@example.nl"))
    assert state_of(site.app, __import__("uuid").UUID(question["aggregateId"]), 1)["name"] == "[verwijderd]"


def test_the_state_as_of_a_moment_equals_a_replay_up_to_then(site, tmp_path):
    page = busy(site)
    time.sleep(0.01)
    middle = datetime.now(UTC)
    time.sleep(0.01)
    with acting(actor="cli:test", loket="alpha"):
        site.content.revise("page", "alpha", page.id, {"title": "Latere titel"}, None, partial=True)
    site.projections.catch_up()

    # The aggregate as of the middle moment, and the read models replayed up to then, agree.
    position = position_at(site.app, middle)
    versions = [e for e in read_log(site.app, LogFilter(aggregate=page.id), limit=100) if e["position"] <= position]
    as_of = state_of(site.app, page.id, versions[-1]["version"])
    scratch = replay_into(site, tmp_path / "asof", until=position)
    row = json.loads(scratch.content_view.get_row(str(page.id))["working_json"])
    assert as_of["fields"]["title"] == row["title"] == "Eerste titel"
    scratch.close()
    # The live read models were not touched.
    assert json.loads(site.content_view.get_row(str(page.id))["working_json"])["title"] == "Latere titel"


def test_the_determinism_check_passes_and_names_a_row_altered_by_hand(site, tmp_path):
    busy(site)
    clean = replay_into(site, tmp_path / "check1")
    assert differences(site, clean) == []
    clean.close()
    with site.read_database.transaction(commit=True) as c:
        c.execute("UPDATE content_items SET title = 'Met de hand veranderd'")
    altered = replay_into(site, tmp_path / "check2")
    found = differences(site, altered)
    assert found and all(line.startswith("content.content_items") for line in found)
    assert any("Met de hand veranderd" in line for line in found)
    altered.close()


def test_the_replay_commands(site, tmp_path):
    busy(site)
    site.close()
    config = str(site.config.path)
    check = run_cli("audit", "replay", "--check", "--config", config)
    assert check.returncode == 0 and "Replay is deterministic" in check.stdout and "Replaying" in check.stderr
    out = tmp_path / "asof"
    until = datetime.now(UTC).isoformat()
    made = run_cli("audit", "replay", "--until", until, "--out", str(out), "--config", config)
    assert made.returncode == 0 and (out / "read.sqlite").exists()
    assert run_cli("audit", "replay", "--config", config).returncode == 2
    log = run_cli("audit", "log", "--type", "page", "--json", "--config", config)
    assert [json.loads(line)["event"] for line in log.stdout.splitlines()] == ["Drafted", "Published"]
    shown = run_cli("audit", "show", json.loads(log.stdout.splitlines()[0])["aggregateId"], "--at", until, "--config", config)
    assert shown.returncode == 0 and '"title": "Eerste titel"' in shown.stdout
    compared = run_cli("audit", "show", json.loads(log.stdout.splitlines()[0])["aggregateId"], "--compare", "1", "2", "--config", config)
    assert "status: 'draft' → 'published'" in compared.stdout


def test_the_audit_api_for_auditor_tokens_only(site, client, token):
    busy(site)
    auditor = bearer(token("alpha", "auditor"))
    events = client.get("/api/v1/audit/events?pageSize=500", headers=auditor).json["items"]
    assert events and {e["loket"] for e in events} == {"alpha"}
    assert "Anna" not in json.dumps(events)
    assert client.get("/api/v1/audit/events", headers=bearer(token("alpha", "editor"))).status_code == 403
    assert client.get("/api/v1/audit/events?loket=beta", headers=auditor).status_code == 403
    assert client.get("/api/v1/audit/events").status_code in (401, 422)
    # An auditor cannot write anything.
    assert client.post("/api/v1/lokets/alpha/pages", json={"title": "x"}, headers=auditor).status_code == 403
    assert client.post("/api/v1/lokets/alpha/referrals", json={"direction": "in", "partner": "onderwijsloket"}, headers=auditor).status_code == 403


def test_every_view_of_personal_data_is_in_the_access_log(site, client, token):
    busy(site)
    admin = bearer(token("alpha", "admin"))
    client.get("/api/v1/lokets/alpha/questions", headers=admin)
    person = str(site.privacy.resolve("anna@example.nl"))
    client.get("/api/v1/lokets/alpha/privacy/persons/anna@example.nl/export", headers=admin)
    site.projections.catch_up()
    entries = site.projection("access-log").view.entries("alpha")
    assert [(e["what"], e["person_id"]) for e in entries] == [("privacy export", person), ("helpdesk inbox", person)]
    assert all(e["viewer"].startswith("token:") for e in entries)
    # An auditor lists who saw whose data, without the data itself.
    site.close()
    listed = run_cli("audit", "access", "--loket", "alpha", "--config", str(site.config.path)).stdout
    assert "helpdesk inbox" in listed and person in listed and "Anna" not in listed and "anna@" not in listed
