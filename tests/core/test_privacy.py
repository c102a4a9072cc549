"""Personal data under a key per person: nothing in clear in any file, erasure everywhere, replay
still works, access export, retention."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from core.envelope import acting
from core.privacy import ERASED, Personal

NAME, EMAIL, QUESTION = "Jannetje Zwartbroek", "jannetje.zwartbroek@example.nl", "Kan ik met mijn diploma scheikunde zij-instromer worden?"
SECRETS = (NAME.encode(), EMAIL.encode(), b"diploma scheikunde")


def files_of(site) -> list[Path]:
    """Every file the installation writes: the event store, read models, search index, outbox, idempotency."""
    folders = [site.config.data_dir]
    if site.config.store.sqlite_path:
        folders.append(site.config.store.sqlite_path.parent)
    return sorted({p for folder in folders for p in folder.rglob("*") if p.is_file()})


def tables_of(site) -> bytes:
    """Every row of every table in the store's PostgreSQL schema (the read models live there too)."""
    env = site.config.store.env
    schema = env.get("POSTGRES_SCHEMA", "public")
    with psycopg.connect(dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"]) as conn:
        tables = [r[0] for r in conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,))]
        return repr([conn.execute(sql.SQL("SELECT * FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(t))).fetchall() for t in tables]).encode()


def leaks(site) -> list[str]:
    found = []
    for path in files_of(site):
        data = path.read_bytes()
        found += [f"{path.name}: {secret.decode()}" for secret in SECRETS if secret in data]
    if site.config.store.is_postgres:
        data = tables_of(site)
        found += [f"read.postgresql: {secret.decode()}" for secret in SECRETS if secret in data]
    return found


def ask(site, loket="alpha", **extra):
    with acting(actor="anonymous", loket=loket):
        question_id = site.helpdesk.ask(loket, {"name": NAME, "email": EMAIL, "question": QUESTION, "sector": "vo", "consent": True, **extra})
    site.projections.catch_up()
    return question_id


def test_the_event_store_holds_ciphertext_only(site):
    ask(site)
    # The editors' inbox has the question in clear (they need it) …
    [row], _ = site.questions_view.inbox("alpha", (), 10, 0)
    assert (row["name"], row["email"]) == (NAME, EMAIL)
    # … but the log itself never does.
    if site.config.store.sqlite_path:
        store_bytes = b"".join(p.read_bytes() for p in site.config.store.sqlite_path.parent.glob("events.sqlite*"))
        assert not [s for s in SECRETS if s in store_bytes]
    stored = b"".join(n.state for n in site.app.recorder.select_notifications(start=None, limit=1000))
    assert not [s for s in SECRETS if s in stored]


def test_erasure_leaves_nothing_readable_anywhere_and_replay_still_works(site):
    question_id = ask(site)
    with acting(actor="user:editor", loket="alpha"):
        site.helpdesk.answer("alpha", question_id, {"answer": f"Ja {NAME}, dat kan."}, "editor", None)
    site.projections.catch_up()
    person_id = site.privacy.resolve(EMAIL)
    assert any(leak.startswith("read.") for leak in leaks(site))  # the editors' copy, before erasure

    # Erase: the keys go, the event is recorded, every read model is scrubbed.
    with acting(actor="cli:test"):
        site.privacy.erase(person_id, "request by e-mail")
    site.projections.catch_up()
    [row], _ = site.questions_view.inbox("alpha", (), 10, 0)
    assert (row["name"], row["email"], row["text"], row["answer"]) == (ERASED,) * 4

    # Not a byte of the person left in the event store, the read database or the search index.
    site.close()
    assert leaks(site) == []

    # Replaying everything still works; the values decode as erased.
    site.projections.rebuild()
    [row], _ = site.questions_view.inbox("alpha", (), 10, 0)
    assert row["name"] == ERASED and row["status"] == "answered"
    question = site.helpdesk.get("alpha", question_id, None)
    assert question.name == Personal(question.name.subject, None)
    assert leaks(site) == []
    # The e-mail address no longer leads to anyone.
    with pytest.raises(Exception, match="No person"):
        site.privacy.resolve(EMAIL)


def test_a_person_can_see_everything_held_about_them(site):
    question_id = ask(site)
    with acting(actor="user:editor", loket="alpha"):
        site.helpdesk.answer("alpha", question_id, {"answer": "Ja, dat kan."}, "editor", None)
    site.projections.catch_up()
    export = site.privacy.export(site.privacy.resolve(EMAIL))
    values = {(r["what"], r["field"], r["value"]) for r in export["records"]}
    assert ("Question", "name", NAME) in values and ("Question", "email", EMAIL) in values
    assert ("Question", "text", QUESTION) in values and ("Question", "answer", "Ja, dat kan.") in values
    # The messages sent to them are theirs too.
    assert any(r["what"] == "OutboxMessage" and r["field"] == "body" for r in export["records"])


def test_retention_expires_a_kind_of_data_by_the_tick(site):
    ask(site)
    person_id = site.privacy.resolve(EMAIL)
    later = datetime.now(UTC) + timedelta(days=site.config.retention_days["question"] + 1)
    with acting(actor="system"):
        done = site.tick(later)
    assert f"expired question data of person {person_id}" in done
    site.projections.catch_up()
    [row], _ = site.questions_view.inbox("alpha", (), 10, 0)
    assert row["name"] == ERASED
    # Nothing is due a second time.
    with acting(actor="system"):
        assert not [line for line in site.tick(later) if "expired" in line]


def test_export_and_erase_from_the_cli(site):
    from tests.conftest import run_cli

    ask(site)
    site.close()
    config = str(site.config.path)
    export = run_cli("privacy", "export", EMAIL, "--config", config)
    assert export.returncode == 0 and NAME in export.stdout
    erased = run_cli("privacy", "erase", EMAIL, "--reason", "verzoek", "--config", config)
    assert erased.returncode == 0 and "Erased the personal data" in erased.stdout
    again = run_cli("privacy", "erase", EMAIL, "--config", config)
    assert again.returncode == 2 and "No person is known by" in again.stderr
    assert leaks(site) == []
