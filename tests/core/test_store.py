"""The event store: URL mapping, the append-only guard in the database, and restarts."""

import sqlite3
from pathlib import Path

import pytest

from core.site import Site
from core.store import APPEND_ONLY_MESSAGE, parse_store_url


def test_sqlite_urls_map_onto_the_library_settings(tmp_path):
    relative = parse_store_url("sqlite:///loket-data/events.sqlite", tmp_path)
    assert relative.env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert relative.env["SQLITE_DBNAME"] == str(tmp_path / "loket-data" / "events.sqlite")
    assert parse_store_url("sqlite:////var/lib/loket/events.sqlite", tmp_path).sqlite_path == Path("/var/lib/loket/events.sqlite")


def test_postgres_urls_map_onto_the_library_settings(tmp_path):
    store = parse_store_url("postgresql://loket:geheim%21@db.example:6543/loket?schema=regio", tmp_path)
    assert store.is_postgres
    assert {k: store.env[k] for k in ("POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DBNAME", "POSTGRES_SCHEMA")} == {
        "POSTGRES_HOST": "db.example",
        "POSTGRES_PORT": "6543",
        "POSTGRES_USER": "loket",
        "POSTGRES_PASSWORD": "geheim!",
        "POSTGRES_DBNAME": "loket",
        "POSTGRES_SCHEMA": "regio",
    }


@pytest.mark.parametrize(
    "url, reason",
    [
        ("sqlite://host/x.sqlite", "a sqlite URL has no host"),
        ("sqlite:///", "needs a file path"),
        ("postgresql:///loket", "needs a host"),
        ("postgresql://h:port/loket", "is not a number"),
        ("postgresql://h/loket?sslmode=require", "unknown URL parameter(s) sslmode"),
        ("redis://h/0", "unsupported store URL scheme 'redis'"),
    ],
)
def test_bad_store_urls_say_what_is_wrong(url, reason, tmp_path):
    with pytest.raises(ValueError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        parse_store_url(url, tmp_path)


def _tamper(site: Site, statement: str) -> None:
    """Run ``statement`` on the events table behind the library's back."""
    if site.config.store.is_postgres:
        import psycopg

        env = site.config.store.env
        table = f'"{env["POSTGRES_SCHEMA"]}".loket_events'
        with psycopg.connect(
            host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"], dbname=env["POSTGRES_DBNAME"]
        ) as conn:
            conn.execute(statement.format(table=table))
    else:
        with sqlite3.connect(site.config.store.sqlite_path) as conn:
            conn.execute(statement.format(table="stored_events"))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE {table} SET topic = 'core.domain:Loket.LoketClosed'",
        "DELETE FROM {table}",
        "DELETE FROM {table} WHERE originator_version = 1",
    ],
)
def test_the_events_table_refuses_update_and_delete(site, statement):
    before = list(site.app.recorder.select_notifications(start=None, limit=100))
    assert before
    with pytest.raises(Exception, match=APPEND_ONLY_MESSAGE):
        _tamper(site, statement)
    assert list(site.app.recorder.select_notifications(start=None, limit=100)) == before


@pytest.mark.postgres
def test_postgres_refuses_truncate(write_config, pg_url):
    site = Site.open(write_config(url=pg_url))
    site.apply_config()
    with pytest.raises(Exception, match=APPEND_ONLY_MESSAGE):
        _tamper(site, "TRUNCATE {table}")
    assert site.app.position() > 0
    site.close()


def test_a_restart_keeps_everything(write_config, store_url):
    from core.envelope import acting

    path = write_config(url=store_url)

    # First process: apply the configuration, add a user with a role, create a token.
    first = Site.open(path)
    first.apply_config()
    with acting(actor="cli:test"):
        first.identity.add_user("alice", "correct horse battery")
        first.identity.grant("alice", "alpha", "editor")
        token_id, secret = first.identity.create_token("feed", "beta", "editor")
    position = first.app.position()
    first.close()

    # Second process: everything is still there, and applying again records nothing.
    second = Site.open(path)
    assert second.app.position() == position
    assert [l.slug for l in second.lokets.all()] == ["alpha", "beta"]
    assert second.lokets.get("alpha").plugins == ["voorbeeld"]
    assert second.identity.authenticate("alice", "correct horse battery").has_role("alpha", "editor")
    assert second.identity.principal_for_token(secret).has_role("beta", "editor")
    assert second.apply_config() == []
    assert second.app.position() == position
    second.close()
