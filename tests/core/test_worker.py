"""``loket worker``: one worker leads and the others stand by (an advisory lock on PostgreSQL, a file
lock on SQLite); appends wake the leader (LISTEN/NOTIFY); web nodes in follower mode wait, bounded,
for the read models the worker keeps."""

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.envelope import acting
from core.site import Site
from core.store import notify_channel
from core.worker import Worker

#: The longest any test here waits for something that should happen within a second or two.
BOUND = 30


def until(condition, seconds: float = BOUND) -> bool:
    """Poll ``condition`` until it holds or ``seconds`` pass; return whether it held."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def draft(site: Site, title: str):
    with acting(actor="cli:test", loket="alpha"):
        return site.content.create("page", "alpha", {"title": title})


def site_opener(path) -> Iterator:
    """Open sites on one configuration (one store, one data folder), as separate processes would;
    the first applies it; all are closed after."""
    opened = []

    def open_site() -> Site:
        site = Site.open(path)
        opened.append(site)
        return site

    open_site().apply_config()
    yield open_site
    for site in opened:
        site.close()


@pytest.fixture
def sites(write_config, store_url):
    yield from site_opener(write_config(url=store_url))


@pytest.fixture
def running():
    """Run workers on threads; stop them all after the test (bounded)."""
    started = []

    def start(worker: Worker) -> threading.Thread:
        thread = threading.Thread(target=worker.run, name="test-worker", daemon=True)
        thread.start()
        started.append((worker, thread))
        return thread

    yield start
    for worker, thread in started:
        worker.stop()
        thread.join(timeout=BOUND)


def test_one_worker_leads_the_other_stands_by_and_takes_over(sites, running):
    # Two workers over the same installation: the first leads.
    first, second = Worker(sites(), poll_seconds=0.2), Worker(sites(), poll_seconds=0.2)
    first_thread = running(first)
    assert first.leading.wait(BOUND)
    running(second)
    assert second.standing_by.wait(BOUND)
    assert not second.leading.is_set()

    # The leader projects what is written.
    writer = sites()
    page = draft(writer, "Eerste pagina")
    assert until(lambda: writer.content_view.get_row(str(page.id)) is not None)

    # The leader stops (releasing the lock); the stand-by takes over and projects.
    first.stop()
    first_thread.join(timeout=BOUND)
    assert not first_thread.is_alive()
    assert second.leading.wait(BOUND)
    later = draft(writer, "Tweede pagina")
    assert until(lambda: writer.content_view.get_row(str(later.id)) is not None)
    assert until(lambda: {s.lag for s in writer.projections.status()} == {0})


@pytest.mark.postgres
def test_the_events_table_announces_every_append(write_config, pg_url):
    import psycopg
    from psycopg.sql import SQL, Identifier

    from tests.conftest import PG_DSN

    site = Site.open(write_config(url=pg_url))
    try:
        schema = site.app.recorder.datastore.schema
        with psycopg.connect(PG_DSN, autocommit=True) as listener:
            listener.execute(SQL("LISTEN {0}").format(Identifier(notify_channel(schema))))
            site.apply_config()
            heard = list(listener.notifies(timeout=BOUND, stop_after=1))
        assert [n.channel for n in heard] == [notify_channel(schema)]
        # Opening the store again (every process does) leaves one trigger, not two.
        Site.open(site.config.path).close()
        with psycopg.connect(PG_DSN) as conn:
            count = conn.execute(
                "SELECT count(*) FROM information_schema.triggers WHERE event_object_schema = %s AND trigger_name LIKE %s",
                (schema, "%announce"),
            ).fetchone()[0]
        assert count == 1
    finally:
        site.close()


@pytest.mark.postgres
def test_a_notification_wakes_the_leader(write_config, pg_url, running):
    path = write_config(url=pg_url)
    writer = Site.open(path)
    worker_site = Site.open(path)
    try:
        writer.apply_config()
        # Polls only once an hour and ticks as seldom: only a notification can wake it.
        worker = Worker(worker_site, poll_seconds=3600, tick_seconds=3600)
        running(worker)
        assert worker.leading.wait(BOUND)
        # The first write may be caught by the leader's first catch-up (or its first tick's); once
        # it is projected and the leader waits, a write can only be seen through its notification.
        first = draft(writer, "Eerste pagina")
        assert until(lambda: writer.content_view.get_row(str(first.id)) is not None)
        assert until(worker.idle.is_set)
        second = draft(writer, "Tweede pagina")
        assert until(lambda: writer.content_view.get_row(str(second.id)) is not None)
    finally:
        writer.close()
        worker_site.close()


@pytest.fixture
def sqlite_sites(write_config):
    yield from site_opener(write_config())


def test_a_follower_waits_until_the_worker_has_projected(sqlite_sites, running):
    node = sqlite_sites()
    node.follow_projections()
    node.projections.follow_timeout = 120  # far beyond what this test waits: only the worker ends the wait
    with acting(actor="cli:test", loket="alpha"):
        page = node.content.create("page", "alpha", {"title": "Werken als leraar", "body": "Een leraar staat voor de klas."})
        node.content.publish("page", "alpha", page.id)

    # The node waits for the read models; nothing projects yet, so it is still waiting.
    returned = []
    waiting = threading.Thread(target=lambda: returned.append(node.projections.catch_up()), daemon=True)
    waiting.start()
    waiting.join(0.5)
    assert waiting.is_alive() and node.content_view.get_row(str(page.id)) is None

    # A worker starts and projects: the wait ends with the write visible, in search too.
    running(Worker(sqlite_sites(), poll_seconds=0.2))
    waiting.join(BOUND)
    assert not waiting.is_alive() and returned == [0]
    assert node.content_view.get_row(str(page.id)) is not None
    assert node.projections.position() == node.app.position()
    assert [hit.title for hit in node.search.search("alpha", "leraren", ["page"]).hits] == ["Werken als leraar"]


def test_the_leader_commits_every_position_where_other_processes_see_it(sqlite_sites, running, monkeypatch):
    # Whoosh would keep a position-only change in memory this long: the leader must not.
    monkeypatch.setattr("core.search.POSITION_COMMIT_SECONDS", 3600)
    writer = sqlite_sites()
    running(Worker(sqlite_sites(), poll_seconds=0.2))
    draft(writer, "Alleen een concept")  # no search document changes: only the position moves
    target = writer.app.position()

    def committed() -> set[int]:
        # A site opened now reads only what was committed, as a web node in another process does.
        fresh = Site.open(writer.config.path)
        try:
            return {p.view.position() for p in fresh.projections.projections}
        finally:
            fresh.close()

    assert until(lambda: committed() == {target})


def test_a_node_searches_what_another_process_indexed(sqlite_sites):
    reader, writer = sqlite_sites(), sqlite_sites()
    assert reader.search.search("alpha", "leraar", ["page"]).total == 0  # its searcher is open now
    with acting(actor="cli:test", loket="alpha"):
        page = writer.content.create("page", "alpha", {"title": "Werken als leraar"})
        writer.content.publish("page", "alpha", page.id)
    writer.projections.catch_up()
    assert [hit.title for hit in reader.search.search("alpha", "leraren", ["page"]).hits] == ["Werken als leraar"]
    assert reader.search.ranked_ids("alpha", "leraar", ["page"], 10) == [str(page.id)]


def test_a_follower_answers_after_the_bound_when_nobody_projects(sqlite_sites, caplog):
    node = sqlite_sites()
    node.follow_projections()
    node.projections.follow_timeout = 0.3
    page = draft(node, "Niemand projecteert")
    with caplog.at_level(logging.WARNING, logger="core.projections"):
        assert node.projections.catch_up() == 0
    assert node.content_view.get_row(str(page.id)) is None
    assert "is a 'loket worker' running?" in caplog.text
    # Without waiting, a follower returns at once (the server's timer's way of asking).
    assert node.projections.catch_up(wait=False) == 0


def test_the_worker_command_leads_and_stops_on_sigterm(write_config, tmp_path):
    config = write_config()
    loket = str(Path(sys.executable).with_name("loket"))
    output = tmp_path / "worker.log"
    with open(output, "w") as log_file:
        process = subprocess.Popen([loket, "worker", "--config", str(config), "--poll-seconds", "0.5"], stdout=log_file, stderr=subprocess.STDOUT)
        try:
            assert until(lambda: "leading" in output.read_text(), 60), output.read_text()
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=BOUND) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait(timeout=BOUND)
    text = output.read_text()
    assert "leading" in text and text.rstrip().endswith("stopped"), text
