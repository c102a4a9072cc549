"""Who may do what: recruiters only for their boards, lokets apart, the plugin switched off and on."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from core.envelope import acting
from core.site import Site
from plugins.vacatures.recruiters import boards_of, set_boards
from tests.conftest import bearer
from tests.plugins.vacatures.conftest import CONFIG, LIST, post_vacancy, vacancy_data
from web import create_app

ALPHA = LIST.format(loket="alpha")


@pytest.fixture
def recruiter(site):
    """Bearer headers of a recruiter of alpha for board 41234 (a token: its actor is token:<id>)."""
    with acting(actor="cli:test", loket="alpha"):
        token_id, secret = site.identity.create_token("werving sterk", "alpha", "recruiter")
        set_boards(site, "alpha", f"token:{token_id}", ["41234"])
    return bearer(secret)


def test_a_recruiter_manages_only_the_vacancies_of_their_boards(site, client, editor, recruiter):
    other = post_vacancy(client, editor, schoolBoard="45678", schoolBoardName="Stichting Voortgezet")
    own = post_vacancy(client, recruiter, title="Leraar groep 3")
    assert own["schoolBoard"] == "41234"
    # Another board's vacancy: not to be created, read as a working copy, changed, filled or withdrawn.
    assert client.post(ALPHA, json=vacancy_data(schoolBoard="45678"), headers=recruiter).status_code == 403
    assert client.get(f"{ALPHA}/{other['id']}", headers=recruiter).status_code == 403
    assert client.post(f"{ALPHA}/{other['id']}/fill", headers=recruiter).status_code == 403
    assert client.post(f"{ALPHA}/{other['id']}/unpublish", headers=recruiter).status_code == 403
    assert client.delete(f"{ALPHA}/{other['id']}", headers={**recruiter, "If-Match": '"2"'}).status_code == 403
    # Nor moving their own vacancy to another board.
    moved = client.patch(f"{ALPHA}/{own['id']}", json={"schoolBoard": "45678"}, headers={**recruiter, "If-Match": f'"{own["version"]}"'})
    assert moved.status_code == 403
    # Their lists show their board only; the editor's show all.
    assert [v["title"] for v in client.get(f"{ALPHA}?status=all", headers=recruiter).json["items"]] == ["Leraar groep 3"]
    assert client.get(f"{ALPHA}?status=all", headers=editor).json["total"] == 2
    assert client.post(f"{ALPHA}/{own['id']}/fill", headers=recruiter).status_code == 200
    # No say over pages, nor over another loket.
    assert client.post("/api/v1/lokets/alpha/pages", json={"title": "X"}, headers=recruiter).status_code == 403
    assert client.post(LIST.format(loket="beta"), json=vacancy_data(), headers=recruiter).status_code == 403


def test_a_recruiter_without_boards_manages_nothing(site, client, editor, token):
    post_vacancy(client, editor)
    nobody = bearer(token("alpha", "recruiter"))
    assert client.get(f"{ALPHA}?status=all", headers=nobody).json["total"] == 0
    assert client.post(ALPHA, json=vacancy_data(), headers=nobody).status_code == 403


def test_recruiter_boards_are_events(site):
    with acting(actor="cli:test", loket="alpha"):
        assert set_boards(site, "alpha", "user:x", ["41234", "45678"])
        assert not set_boards(site, "alpha", "user:x", ["45678", "41234"])  # the same: nothing recorded
        assert set_boards(site, "alpha", "user:x", ["45678"])
    assert boards_of("alpha", "user:x", site) == ["45678"]
    assert boards_of("beta", "user:x", site) == []


def test_switched_off_it_answers_404_and_on_again_it_shows_everything(write_config, tmp_path):
    url = f"sqlite:///{tmp_path}/store/events.sqlite"
    site = Site.open(write_config(CONFIG, url=url))
    site.apply_config()
    client = create_app(site, {"TESTING": True}).test_client()
    with acting(actor="cli:test"):
        editor = bearer(site.identity.create_token("e", "alpha", "editor")[1])
    vacancy = post_vacancy(client, editor)
    site.close()

    off = CONFIG.replace('plugins = ["vacatures"]', "plugins = []", 1)
    site = Site.open(write_config(off, url=url))
    site.apply_config()
    client = create_app(site, {"TESTING": True}).test_client()
    for path in (ALPHA, f"{ALPHA}/{vacancy['slug']}", "/api/v1/lokets/alpha/vacatures/figures", f"{ALPHA}/{vacancy['id']}/fill"):
        response = client.get(path) if not path.endswith("/fill") else client.post(path, headers=editor)
        assert response.status_code == 404, path
        assert response.json["type"] == "urn:loket:problem:plugin-disabled", path
    assert client.get("/api/v1/lokets/alpha/search?q=leraar").json["total"] == 0
    # Off means: not expired by the clock either.
    site.tick(datetime.now(timezone.utc) + timedelta(days=365))
    site.close()

    site = Site.open(write_config(CONFIG, url=url))
    site.apply_config()
    client = create_app(site, {"TESTING": True}).test_client()
    site.projections.catch_up()
    assert client.get(f"{ALPHA}/{vacancy['slug']}").json["title"] == vacancy["title"]
    assert client.get(ALPHA).json["total"] == 1
    site.close()


def test_urgency_signals_and_figures(site, client, editor):
    today = date.today()
    post_vacancy(client, editor, title="Open po")
    vo = post_vacancy(client, editor, title="Open vo", sectors=["vo"], subjects=["wiskunde"], salaryScale="LC")
    filled = post_vacancy(client, editor, title="Vervuld")
    client.post(f"{ALPHA}/{filled['id']}/fill", headers=editor)
    expiring = post_vacancy(client, editor, title="Verloopt", validThrough=today.isoformat())
    site.tick(datetime.now(timezone.utc) + timedelta(days=1))
    site.projections.catch_up()
    signals = {s["signal"]: s for s in client.get("/api/v1/lokets/alpha").json["urgencySignals"]}
    assert signals["open-vacancies"]["value"] == 2
    assert signals["open-vacancies"]["breakdown"]["sector"] == {"po": 1, "vo": 1}
    assert signals["open-vacancies"]["breakdown"]["subject"] == {"wiskunde": 1}
    assert signals["vacancies-expired-unfilled"]["value"] == 1
    assert signals["median-days-to-fill"]["value"] == 0.0
    month = today.strftime("%Y-%m")
    assert signals["open-vacancies"]["series"] == {month: 4}
    figures = client.get("/api/v1/lokets/alpha/vacatures/figures?by=function").json
    assert figures["open"] == {"leraar": 2}
    assert figures["months"] == [{"month": month, "posted": 4, "filled": 1, "expired": 1}]
    assert client.get("/api/v1/lokets/alpha/vacatures/figures?by=salaris").status_code == 422
    assert expiring and vo
