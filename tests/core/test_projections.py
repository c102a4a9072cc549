"""The read side: a rebuild gives read models equal, row for row and document for document, to the
live ones; positions, lag and the runner's lock."""

from datetime import datetime, timedelta, timezone

from core.envelope import acting
from tests.conftest import run_cli

PAGE = {"title": "Leraar basisonderwijs", "body": "De **leraar** staat voor de klas.", "sectors": ["po"], "tags": ["beroep"]}


def dump(site):
    return {p.name: p.view.dump() for p in site.projections.projections}


def make_history(site):
    """A varied history: every kind of content event, interleaved with catch-ups as in a server."""
    content = site.content
    with acting(actor="cli:test", loket="alpha"):
        pages = [content.create("page", "alpha", {**PAGE, "title": f"Pagina {n}"}) for n in range(5)]
        site.projections.catch_up()
        for saved in pages[:4]:
            content.publish("page", "alpha", saved.id)
        content.revise("page", "alpha", pages[0].id, {"title": "Gewijzigd", "slug": "gewijzigd"}, None, partial=True)
        content.publish("page", "alpha", pages[0].id)
        site.projections.catch_up()
        content.unpublish("page", "alpha", pages[1].id)
        content.withdraw("page", "alpha", pages[2].id)
        content.revert("page", "alpha", pages[0].id, 1)
        now = datetime.now(timezone.utc)
        content.schedule("page", "alpha", pages[4].id, now + timedelta(days=1), None)
        route = content.create("route", "alpha", {"title": "Zij-instroom", "kind": "lateral_entry", "sectors": ["po"]})
        content.publish("route", "alpha", route.id)
        faq = content.create("faq", "alpha", {"question": "Hoe lang?", "answer": "Twee jaar.", "topic": "Opleiding"})
        content.publish("faq", "alpha", faq.id)
    with acting(actor="cli:test", loket="beta"):
        content.publish("page", "beta", content.create("page", "beta", PAGE).id)
    site.projections.catch_up()


def test_a_rebuild_gives_read_models_equal_to_the_live_ones(site):
    make_history(site)
    live = dump(site)
    assert live["content"]["content_items"] and len(live["search"]) > 3

    processed = site.projections.rebuild()
    assert processed > 0
    assert dump(site) == live


def test_a_rebuild_from_the_cli_shows_progress_and_changes_nothing(site):
    make_history(site)
    live = dump(site)
    site.close()
    result = run_cli("projections", "rebuild", "--config", str(site.config.path))
    assert result.returncode == 0, result.stderr
    assert "Replaying" in result.stderr and "Rebuilt:" in result.stdout
    from core.site import Site

    again = Site.open(site.config.path)
    assert dump(again) == live
    again.close()


def test_status_shows_position_and_lag(site):
    site.projections.catch_up()
    position = site.app.position()
    statuses = {s.name: (s.position, s.lag) for s in site.projections.status()}
    assert {"search", "content", "personal-data", "questions", "outbox", "voorbeeld"} <= set(statuses)
    assert set(statuses.values()) == {(position, 0)}
    with acting(actor="cli:test"):
        site.content.create("page", "alpha", PAGE)
    behind = site.app.position() - position  # the page and its slug claim
    assert behind == 2
    assert {s.lag for s in site.projections.status()} == {behind}
    result = run_cli("projections", "status", "--config", str(site.config.path))
    assert "content" in result.stdout and "lag        2" in result.stdout


def test_a_second_runner_waits_or_steps_aside(site):
    # Another process (here: a second site on the same folder) is catching up.
    from core.site import Site

    other = Site.open(site.config.path)
    with other.projections._exclusive(wait=True):
        with acting(actor="cli:test"):
            site.content.create("page", "alpha", PAGE)
        assert site.projections.catch_up(wait=False) == 0
    assert site.projections.catch_up(wait=False) >= 1
    other.close()


def test_the_tick_from_the_cli(site):
    with acting(actor="cli:test"):
        saved = site.content.create("page", "alpha", PAGE)
        site.content.schedule("page", "alpha", saved.id, datetime.now(timezone.utc) - timedelta(minutes=1), None)
    result = run_cli("tick", "--config", str(site.config.path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "alpha: published page leraar-basisonderwijs"
    assert run_cli("tick", "--config", str(site.config.path)).stdout.strip() == "Nothing was due."
