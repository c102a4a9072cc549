"""The key store in a PostgreSQL schema of its own (``[privacy] keys = "postgresql://…"``), for an
installation of several hosts: the same protection as the file, and never beside the events."""

import psycopg
import pytest
from psycopg import sql

from core.config import ConfigError
from core.envelope import acting
from core.privacy import ERASED
from core.site import Site
from tests.conftest import BASE_CONFIG, PG_DSN

NAME, EMAIL = "Jannetje Zwartbroek", "jannetje.zwartbroek@example.nl"

pytestmark = pytest.mark.postgres


def with_keys(keys_url: str) -> str:
    return BASE_CONFIG + f'\n[privacy]\nkeys = "{keys_url}"\n'


@pytest.fixture
def keys_url(pg_url):
    schema = pg_url.rsplit("schema=", 1)[1] + "_keys"
    yield f"{PG_DSN}?schema={schema}"
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def rows_of(keys_url: str, table: str) -> list[tuple]:
    schema = keys_url.rsplit("schema=", 1)[1]
    with psycopg.connect(PG_DSN) as conn:
        return conn.execute(sql.SQL("SELECT * FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))).fetchall()


def test_keys_in_their_own_schema_encrypt_and_erase(write_config, pg_url, keys_url, tmp_path):
    site = Site.open(write_config(with_keys(keys_url), url=pg_url))
    try:
        site.apply_config()
        assert not (tmp_path / "loket-keys").exists()  # no key file on this host
        with acting(actor="anonymous", loket="alpha"):
            question_id = site.helpdesk.ask("alpha", {"name": NAME, "email": EMAIL, "question": "Hoe word ik leraar?", "sector": "po", "consent": True})
        site.projections.catch_up()
        [row], _ = site.questions_view.inbox("alpha", (), 10, 0)
        assert (row["name"], row["email"]) == (NAME, EMAIL)
        assert rows_of(keys_url, "keys") and rows_of(keys_url, "persons")

        person_id = site.privacy.resolve(EMAIL)
        with acting(actor="cli:test"):
            site.privacy.erase(person_id, "request by e-mail")
        site.projections.catch_up()
        assert rows_of(keys_url, "keys") == [] and rows_of(keys_url, "persons") == []
        assert site.helpdesk.get("alpha", question_id, None) is not None
        [row], _ = site.questions_view.inbox("alpha", (), 10, 0)
        assert row["name"] == ERASED
    finally:
        site.close()


def test_keys_in_the_events_schema_are_refused(write_config, pg_url):
    with pytest.raises(ConfigError) as raised:
        Site.open(write_config(with_keys(pg_url), url=pg_url))
    assert "privacy.keys" in str(raised.value) and "apart from the events" in str(raised.value)
