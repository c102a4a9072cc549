"""A vacancy's life: draft → (approval) → published → filled / expired / withdrawn; extend, republish."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from core.envelope import acting
from core.site import Site
from tests.conftest import bearer
from tests.plugins.vacatures.conftest import CONFIG, LIST, post_vacancy, vacancy_data

ALPHA = LIST.format(loket="alpha")


def events_of(site, item_id):
    from uuid import UUID

    return [type(e).__name__ for e in site.app.events.get(UUID(item_id))]


def noon(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 11, 0, tzinfo=timezone.utc)


def tick(site, day: date) -> list[str]:
    """What the server's timer does: the tick, then the read models catch up."""
    lines = site.tick(noon(day))
    site.projections.catch_up()
    return lines


def test_the_default_last_day_comes_from_the_loket_settings(client, editor):
    data = vacancy_data()
    del data["validThrough"]
    created = client.post(ALPHA, json=data, headers=editor).json
    assert created["validThrough"] == (date.today() + timedelta(days=30)).isoformat()  # alpha: default_valid_days = 30


def test_filled_leaves_the_list_and_its_page_answers_410(site, client, editor):
    vacancy = post_vacancy(client, editor)
    filled = client.post(f"{ALPHA}/{vacancy['id']}/fill", json={"reason": "via eigen netwerk"}, headers=editor)
    assert filled.status_code == 200, filled.json
    assert (filled.json["status"], filled.json["outcome"]) == ("closed", "filled")
    gone = client.get(f"{ALPHA}/{vacancy['slug']}")
    assert gone.status_code == 410
    assert gone.mimetype == "application/problem+json"
    assert gone.json["type"] == "urn:loket:problem:gone"
    assert client.get(ALPHA).json["total"] == 0
    assert client.get("/api/v1/lokets/alpha/search?q=leraar").json["total"] == 0
    assert events_of(site, vacancy["id"])[-1] == "Closed"
    # Filled twice is refused: it is already closed.
    assert client.post(f"{ALPHA}/{vacancy['id']}/fill", headers=editor).status_code == 409


def test_expiry_happens_at_the_last_day_by_the_clock(site, client, editor):
    today = date.today()
    vacancy = post_vacancy(client, editor, validThrough=today.isoformat())
    assert not any("expired" in line for line in tick(site, today))
    assert client.get(f"{ALPHA}/{vacancy['slug']}").status_code == 200  # the last day itself is still open
    lines = tick(site, today + timedelta(days=1))
    assert f"alpha: expired vacancy {vacancy['slug']}" in lines
    assert client.get(f"{ALPHA}/{vacancy['slug']}").status_code == 410
    assert client.get(ALPHA).json["total"] == 0
    # Safe to run again: nothing more happens.
    assert not any("expired" in line for line in tick(site, today + timedelta(days=2)))
    assert events_of(site, vacancy["id"]).count("Closed") == 1


def test_extend_reopens_an_expired_vacancy_and_keeps_a_live_one_live(site, client, editor):
    today = date.today()
    vacancy = post_vacancy(client, editor, validThrough=today.isoformat())
    tick(site, today + timedelta(days=1))
    new_day = (today + timedelta(days=40)).isoformat()
    extended = client.post(f"{ALPHA}/{vacancy['id']}/extend", json={"validThrough": new_day}, headers=editor)
    assert extended.status_code == 200, extended.json
    assert (extended.json["status"], extended.json["validThrough"]) == ("published", new_day)
    assert client.get(f"{ALPHA}/{vacancy['slug']}").json["validThrough"] == new_day
    assert events_of(site, vacancy["id"])[-2:] == ["Revised", "Published"]
    # A day in the past is refused, with the field named.
    refused = client.post(f"{ALPHA}/{vacancy['id']}/extend", json={"validThrough": "2020-01-01"}, headers=editor)
    assert refused.status_code == 422
    assert refused.json["invalidParams"] == [{"name": "validThrough", "reason": "give a date from today on"}]


def test_publishing_after_the_last_day_is_refused(client, editor):
    draft = post_vacancy(client, editor, publish=False, validThrough="2020-01-01")
    refused = client.post(f"{ALPHA}/{draft['id']}/publish", headers=editor)
    assert refused.status_code == 422
    assert refused.json["invalidParams"][0]["name"] == "validThrough"


def test_duplicate_makes_a_draft_without_the_external_id(client, editor):
    original = post_vacancy(client, editor, externalId="HR-77")
    copy = client.post(f"{ALPHA}/{original['id']}/duplicate", headers=editor)
    assert copy.status_code == 201, copy.json
    assert copy.json["status"] == "draft"
    assert copy.json["externalId"] is None
    assert copy.json["title"] == original["title"]
    assert copy.json["slug"] != original["slug"]


def test_withdrawn_is_gone_from_lists_and_answers_404(client, editor):
    vacancy = post_vacancy(client, editor)
    withdrawn = client.delete(f"{ALPHA}/{vacancy['id']}", headers={**editor, "If-Match": f'"{vacancy["version"]}"'})
    assert withdrawn.status_code == 200, withdrawn.json
    assert client.get(f"{ALPHA}/{vacancy['slug']}").status_code == 404
    assert client.get(ALPHA).json["total"] == 0


def test_a_warning_goes_to_the_contact_once_before_the_last_day(site, client, editor):
    today = date.today()
    vacancy = post_vacancy(client, editor, validThrough=(today + timedelta(days=4)).isoformat())  # alpha warns 5 days before
    far = post_vacancy(client, editor, title="Leraar groep 8", validThrough=(today + timedelta(days=20)).isoformat())
    lines = tick(site, today)
    assert [line for line in lines if "warned" in line] == [
        f"alpha: warned the contact of vacancy {vacancy['slug']} (last day {vacancy['validThrough']})"
    ]
    assert not any("warned" in line for line in tick(site, today))  # once
    site.projections.catch_up()
    messages = site.projection("outbox").view.messages("alpha")
    warnings = [m for m in messages if m["purpose"] == "vacancy-expiry-warning"]
    assert len(warnings) == 1
    assert far["slug"] not in str(lines)


@pytest.mark.parametrize("role", ["editor", "admin"])
def test_with_approval_a_second_person_approves_before_publication(write_config, tmp_path, role):
    from web import create_app

    config = CONFIG.replace('name = "Alpha"\n', 'name = "Alpha"\napproval = ["vacancy"]\n')
    site = Site.open(write_config(config, url=f"sqlite:///{tmp_path}/store/events.sqlite"))
    site.apply_config()
    try:
        client = create_app(site, {"TESTING": True}).test_client()
        with acting(actor="cli:test"):
            first = bearer(site.identity.create_token("first", "alpha", "editor")[1])
            second = bearer(site.identity.create_token("second", "alpha", role)[1])
        draft = post_vacancy(client, first, publish=False)
        assert client.post(f"{ALPHA}/{draft['id']}/publish", headers=first).json["type"] == "urn:loket:problem:approval-required"
        assert client.post(f"{ALPHA}/{draft['id']}/submit", json={"note": "graag"}, headers=first).status_code == 200
        assert client.post(f"{ALPHA}/{draft['id']}/approve", json={}, headers=first).status_code == 409  # not by the submitter
        assert client.post(f"{ALPHA}/{draft['id']}/approve", json={}, headers=second).json["approval"] == "approved"
        assert client.post(f"{ALPHA}/{draft['id']}/publish", headers=first).json["status"] == "published"
        assert client.get(ALPHA).json["total"] == 1
    finally:
        site.close()


def test_the_lifecycle_holds_on_postgresql_too(write_config, pg_url):
    from web import create_app

    site = Site.open(write_config(CONFIG, url=pg_url))
    site.apply_config()
    try:
        client = create_app(site, {"TESTING": True}).test_client()
        with acting(actor="cli:test"):
            editor = bearer(site.identity.create_token("e", "alpha", "editor")[1])
        vacancy = post_vacancy(client, editor, validThrough=date.today().isoformat())
        tick(site, date.today() + timedelta(days=1))
        assert client.get(f"{ALPHA}/{vacancy['slug']}").status_code == 410
    finally:
        site.close()
