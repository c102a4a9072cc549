"""The read models on PostgreSQL: the views' SQLite dialect translated, and two installations on
different hosts (here: different folders) sharing one store see the same read models."""

import json

import pytest

from core.envelope import acting
from core.readmodel_postgres import to_postgres
from core.site import Site
from tests.conftest import BASE_CONFIG


def test_parameters_and_functions_are_translated_and_string_literals_are_left_alone():
    assert to_postgres("SELECT a FROM t WHERE b = ? AND c LIKE '50%?' AND d = :name") == (
        "SELECT a FROM t WHERE b = %s AND c LIKE '50%%?' AND d = %(name)s"
    )
    assert to_postgres("SELECT b.* FROM json_each(?) AS hit CROSS JOIN t AS b ON b.id = hit.value ORDER BY hit.key") == (
        "SELECT b.* FROM jsonb_array_elements_text((%s)::jsonb) WITH ORDINALITY AS hit(value, key) JOIN t AS b ON b.id = hit.value "
        "ORDER BY hit.key"
    )
    assert to_postgres("SELECT instr(s, ?), julianday(a) FROM t") == (
        "SELECT strpos(s, %s), (EXTRACT(EPOCH FROM (a)::timestamptz) / 86400.0) FROM t"
    )
    # Type names in capitals only: a column may be called "text".
    assert to_postgres("CREATE TABLE IF NOT EXISTS q (id TEXT PRIMARY KEY, text TEXT, n INTEGER, x REAL, h BLOB)") == (
        'CREATE TABLE IF NOT EXISTS q (id TEXT COLLATE "C" PRIMARY KEY, text TEXT COLLATE "C", n BIGINT, x DOUBLE PRECISION, h BYTEA)'
    )
    assert to_postgres("PRAGMA secure_delete = ON") == ""


@pytest.mark.postgres
def test_two_hosts_on_one_store_share_the_read_models(pg_url, tmp_path):
    def host(name: str) -> Site:
        folder = tmp_path / name
        folder.mkdir()
        path = folder / "loket.toml"
        path.write_text(BASE_CONFIG.replace("{url}", pg_url) + '\n[search]\nengine = "postgres"\n', encoding="utf-8")
        return Site.open(path)

    projecting, serving = host("worker-host"), host("web-host")
    serving.follow_projections()  # projects nothing: waits for the other host's worker
    try:
        projecting.apply_config()
        with acting(actor="cli:test", loket="alpha"):
            item = projecting.content.create("page", "alpha", {"title": "Zij-instroom in het onderwijs"})
        projecting.projections.catch_up()

        row = serving.content_view.get_row(str(item.id))
        assert row is not None and json.loads(row["working_json"])["title"] == "Zij-instroom in het onderwijs"
        assert serving.projections.status() == projecting.projections.status()
        # No read database on the serving host's disk.
        assert not (serving.config.data_dir / "read.sqlite").exists()

        # A write on the serving host is read there once the worker host has projected it.
        with acting(actor="cli:test", loket="alpha"):
            second = serving.content.create("page", "alpha", {"title": "Hybride docent worden"})
        projecting.projections.catch_up()
        serving.projections.catch_up()  # a follower: waits until the read models have the write
        assert json.loads(serving.content_view.get_row(str(second.id))["working_json"])["title"] == "Hybride docent worden"
    finally:
        projecting.close()
        serving.close()
