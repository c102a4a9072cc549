"""Job alerts: double opt-in, sending new matches at most once (at once or daily), one-click
unsubscribe, erasure, and the plugin switched off."""

from __future__ import annotations

import re
import threading
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from uuid import UUID

import pytest

from core.envelope import acting
from core.messages import t
from core.outbox.domain import OutboxMessage
from plugins.vacatures import alerts
from plugins.vacatures.alerts import send_alerts
from tests.plugins.vacatures.conftest import post_vacancy

ALERTS = "/api/v1/lokets/{loket}/vacatures/alerts"
EMAIL = "lotte.jansen@example.nl"
CONFIRMATION, ALERT = "vacancy-alert-confirmation", "vacancy-alert"


def subscribe(client, loket="alpha", frequency="immediately", filter=None):
    response = client.post(ALERTS.format(loket=loket), json={"email": EMAIL, "filter": filter or {"sector": ["po"]}, "frequency": frequency})
    assert response.status_code == 202, response.json
    return response


def mails(site, purpose):
    """The messages of ``purpose`` queued in alpha, oldest first, with recipient and body."""
    site.projections.catch_up()
    rows = site.projection("outbox").view.messages("alpha")
    return [site.app.get(UUID(row["id"]), OutboxMessage) for row in rows if row["purpose"] == purpose]


def token_in(message, page):
    return re.search(rf"/vacatures/alerts/{page}\?token=(\S+)", message.body.value).group(1)


def subscribed(client, site, **kwargs):
    """Subscribe and confirm through the API; returns the confirmation token."""
    subscribe(client, **kwargs)
    token = token_in(mails(site, CONFIRMATION)[-1], "bevestigen")
    response = client.post(ALERTS.format(loket="alpha") + "/confirm", json={"token": token})
    assert response.json == {"status": "active"}
    return token


def alert_statuses(site):
    site.projections.catch_up()
    return [row["status"] for row in site.projection("vacatures").view.query("SELECT status FROM vacatures_alerts ORDER BY created_at")]


def now():
    return datetime.now(timezone.utc)


def test_double_opt_in_then_a_new_match_goes_out_once(client, site, editor):
    # Subscribing answers 202 without the address, and queues one confirmation mail to it.
    response = subscribe(client)
    assert response.json == {"status": "confirmation-sent"}
    assert EMAIL not in response.get_data(as_text=True)
    [confirmation] = mails(site, CONFIRMATION)
    assert confirmation.to.value == EMAIL
    assert "sector po" in confirmation.body.value

    # Until the link is followed, no vacancy is mailed.
    before = post_vacancy(client, editor, title="Leraar groep 8")
    assert send_alerts(site, now()) == []
    assert mails(site, ALERT) == []

    # A wrong token is refused, naming the field; the right one switches the alert on.
    wrong = client.post(ALERTS.format(loket="alpha") + "/confirm", json={"token": "0" * 32 + ".nietgeheim"})
    assert wrong.status_code == 422
    assert [p["name"] for p in wrong.json["invalidParams"]] == ["token"]
    token = token_in(confirmation, "bevestigen")
    assert client.post(ALERTS.format(loket="alpha") + "/confirm", json={"token": token}).json == {"status": "active"}

    # A matching vacancy published after the confirmation goes out in one mail on the next sending.
    item = post_vacancy(client, editor, title="Leraar groep 5")
    assert len(send_alerts(site, now())) == 1
    [mail] = mails(site, ALERT)
    assert mail.to.value == EMAIL
    assert mail.subject.value == "Nieuwe vacature: Leraar groep 5"
    assert "De Regenboog, Zeist" in mail.body.value
    assert before["title"] not in mail.body.value  # published before the confirmation
    link = re.search(r"(http\S+/vacatures/vacancies/\S+)", mail.body.value).group(1)
    assert client.get(link.removeprefix(site.config.public_url)).json["id"] == item["id"]
    assert "/vacatures/alerts/afmelden?token=" in mail.body.value

    # One that does not match the filter (another sector) goes to nobody; sending again sends nothing twice.
    post_vacancy(client, editor, title="Docent wiskunde", sectors=["vo"], salaryScale="LC")
    assert send_alerts(site, now()) == []
    assert send_alerts(site, now() + timedelta(minutes=5)) == []
    assert len(mails(site, ALERT)) == 1


def test_two_senders_at_once_send_one_mail(client, site, editor):
    subscribed(client, site)
    post_vacancy(client, editor)
    site.projections.catch_up()
    moment = now()
    barrier = threading.Barrier(2)
    lines, errors = [], []

    def sender():
        try:
            barrier.wait()
            lines.extend(send_alerts(site, moment))
        except BaseException as error:  # re-raised below, in the test's own thread
            errors.append(error)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(lines) == 1
    assert len(mails(site, ALERT)) == 1


def test_a_sender_that_loses_the_race_saves_nothing(client, site, editor, monkeypatch):
    # Another process sends between this sender's reading of the alert and its save: the save is
    # stale, and neither its mail nor its AlertSent is kept.
    subscribed(client, site)
    post_vacancy(client, editor)
    site.projections.catch_up()
    real_find = alerts.find

    def find_while_another_sends(*args, **kwargs):
        monkeypatch.setattr(alerts, "find", real_find)
        assert len(send_alerts(site, now())) == 1
        return real_find(*args, **kwargs)

    monkeypatch.setattr(alerts, "find", find_while_another_sends)
    assert send_alerts(site, now()) == []
    assert len(mails(site, ALERT)) == 1


def test_daily_alert_sends_one_digest_a_day(client, site, editor):
    subscribed(client, site, frequency="daily")

    # Two new vacancies: one mail with both.
    post_vacancy(client, editor, title="Leraar groep 3")
    post_vacancy(client, editor, title="Leraar groep 7")
    start = now()
    assert len(send_alerts(site, start)) == 1
    [digest] = mails(site, ALERT)
    assert digest.subject.value == "2 nieuwe vacatures bij Alpha"
    assert "Leraar groep 3" in digest.body.value and "Leraar groep 7" in digest.body.value

    # A third one waits until the day is over, then comes alone.
    post_vacancy(client, editor, title="Intern begeleider", function="intern-begeleider")
    assert send_alerts(site, start + timedelta(hours=1)) == []
    assert send_alerts(site, start + timedelta(hours=23)) == []
    assert len(send_alerts(site, start + timedelta(hours=25))) == 1
    second = mails(site, ALERT)[-1]
    assert "Intern begeleider" in second.body.value and "Leraar groep 3" not in second.body.value
    assert len(mails(site, ALERT)) == 2


@pytest.mark.parametrize("how", ["page", "api", "one-click"])
def test_unsubscribe_stops_the_mails(client, site, editor, how):
    subscribed(client, site)
    post_vacancy(client, editor, title="Leraar groep 1")
    send_alerts(site, now())
    token = token_in(mails(site, ALERT)[0], "afmelden")  # the link in every alert mail
    url = ALERTS.format(loket="alpha")

    if how == "page":
        page = client.get(f"{url}/afmelden?token={token}")
        assert t("alert.unsubscribe.submit") in page.get_data(as_text=True)
        assert alert_statuses(site) == ["active"]  # looking changes nothing
        done = client.post(f"{url}/afmelden", data={"token": token})
        assert done.status_code == 200 and t("alert.unsubscribe.done") in done.get_data(as_text=True)
    elif how == "api":
        assert client.post(f"{url}/unsubscribe", json={"token": token}).json == {"status": "unsubscribed"}
    else:  # RFC 8058: a form POST to the link itself
        answer = client.post(f"{url}/unsubscribe?token={token}", data={"List-Unsubscribe": "One-Click"})
        assert answer.json == {"status": "unsubscribed"}

    assert alert_statuses(site) == ["unsubscribed"]
    post_vacancy(client, editor, title="Leraar groep 2")
    assert send_alerts(site, now()) == []
    assert len(mails(site, ALERT)) == 1
    # Confirming again does not bring it back.
    confirm_token = token_in(mails(site, CONFIRMATION)[0], "bevestigen")
    assert client.post(f"{url}/confirm", json={"token": confirm_token}).status_code == 409


def test_unsubscribing_while_a_mail_is_saved_still_unsubscribes(client, site, editor, monkeypatch):
    # The sender saves the alert between the unsubscriber's reading and saving it: the
    # unsubscriber reads it again instead of refusing the person.
    token = subscribed(client, site)
    post_vacancy(client, editor)
    site.projections.catch_up()
    real_alert_of_token = alerts.alert_of_token

    def read_while_a_mail_is_saved(*args, **kwargs):
        alert = real_alert_of_token(*args, **kwargs)
        monkeypatch.setattr(alerts, "alert_of_token", real_alert_of_token)
        assert len(send_alerts(site, now())) == 1
        return alert

    monkeypatch.setattr(alerts, "alert_of_token", read_while_a_mail_is_saved)
    assert client.post(ALERTS.format(loket="alpha") + "/unsubscribe", json={"token": token}).json == {"status": "unsubscribed"}
    assert alert_statuses(site) == ["unsubscribed"]


def test_the_confirmation_link_also_unsubscribes_but_the_mail_link_does_not_confirm(client, site):
    subscribe(client)
    confirm_token = token_in(mails(site, CONFIRMATION)[0], "bevestigen")
    alert_id = UUID(hex=confirm_token.split(".")[0])
    unsubscribe_token = f"{alert_id.hex}.{alerts._unsubscribe_secret(site, alert_id)}"
    url = ALERTS.format(loket="alpha")
    assert client.post(f"{url}/confirm", json={"token": unsubscribe_token}).status_code == 422
    assert client.post(f"{url}/confirm", json={"token": confirm_token}, headers={}).json == {"status": "active"}
    assert client.post(f"{url}/unsubscribe", json={"token": confirm_token}).json == {"status": "unsubscribed"}
    # A token is good only in its own loket.
    assert client.post(ALERTS.format(loket="beta") + "/unsubscribe", json={"token": confirm_token}).status_code == 422


def test_the_pages_are_dutch_forms_without_script(client, site):
    subscribe(client)
    token = token_in(mails(site, CONFIRMATION)[0], "bevestigen")
    url = ALERTS.format(loket="alpha")

    # The link from the mail shows a button; following it confirms nothing.
    page = client.get(f"{url}/bevestigen?token={token}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert '<html lang="nl">' in html and '<form method="post"' in html and "<script" not in html
    assert t("alert.confirm.submit") in html and f'value="{token}"' in html
    assert EMAIL not in html
    assert alert_statuses(site) == ["requested"]

    # The button confirms; the page says so in Dutch.
    action = re.search(r'action="([^"]+)"', html).group(1)
    done = client.post(action, data={"token": token})
    assert done.status_code == 200 and t("alert.confirm.done") in done.get_data(as_text=True)
    assert alert_statuses(site) == ["active"]

    # A broken link says it does not work, on both pages.
    for page_name in ("bevestigen", "afmelden"):
        broken = client.get(f"{url}/{page_name}?token=kapot")
        assert broken.status_code == 422 and t("alert.invalid") in broken.get_data(as_text=True)
    assert client.post(f"{url}/bevestigen", data={"token": "kapot"}).status_code == 422


def test_erasure_stops_the_alert(client, site, editor):
    subscribed(client, site)
    with acting(actor="cli:test"):
        site.privacy.erase(site.privacy.resolve(EMAIL))
    post_vacancy(client, editor)
    assert send_alerts(site, now()) == [f"alpha: stopped alert {_only_alert_id(site)}: the address was erased"]
    assert mails(site, ALERT) == []
    assert alert_statuses(site) == ["unsubscribed"]


def test_invalid_input_names_the_field(client):
    response = client.post(ALERTS.format(loket="alpha"), json={"email": "geen-adres", "filter": {"sector": ["hbo"]}, "frequency": "weekly"})
    assert response.status_code == 422
    assert {p["name"] for p in response.json["invalidParams"]} == {"email", "filter.sector[0]", "frequency"}
    assert "geen-adres" not in response.get_data(as_text=True)


def test_subscribing_is_rate_limited(client):
    # Robots (the hidden 'website' field filled in) get the same answer, and count.
    for _ in range(10):
        assert client.post(ALERTS.format(loket="alpha"), json={"email": EMAIL, "website": "spam"}).status_code == 202
    assert client.post(ALERTS.format(loket="alpha"), json={"email": EMAIL}).status_code == 429


def test_plugin_off_is_404_plugin_disabled(client):
    for response in (
        client.post(ALERTS.format(loket="gamma"), json={"email": EMAIL}),
        client.get(ALERTS.format(loket="gamma") + "/bevestigen?token=x"),
    ):
        assert response.status_code == 404
        assert response.json["type"] == "urn:loket:problem:plugin-disabled"


def test_vacancy_links_follow_the_lokets_setting(site):
    loket = SimpleNamespace(slug="alpha", settings={"vacatures": {"public_url": "https://voordeklas.example/vacatures/{slug}"}})
    assert alerts.vacancy_url(site, loket, "leraar-groep-5") == "https://voordeklas.example/vacatures/leraar-groep-5"
    loket = SimpleNamespace(slug="alpha", settings={})
    assert alerts.vacancy_url(site, loket, "leraar-groep-5") == f"{site.config.public_url}/api/v1/lokets/alpha/vacatures/vacancies/leraar-groep-5"


def test_every_alert_route_is_documented(app):
    from apispec import APISpec
    from apispec.ext.marshmallow import MarshmallowPlugin

    from plugins.vacatures.alerts_api import openapi_paths

    paths = openapi_paths(APISpec(title="t", version="1", openapi_version="3.1.0", plugins=[MarshmallowPlugin()]))
    prefix = "/api/v1/lokets/<loket>/vacatures"
    routes = [(rule.rule.removeprefix(prefix), method.lower()) for rule in app.url_map.iter_rules() if rule.rule.startswith(prefix + "/alerts")
              for method in rule.methods - {"HEAD", "OPTIONS"}]
    assert len(routes) == 7
    assert [route for route in routes if route[1] not in paths.get(route[0], {})] == []


def _only_alert_id(site):
    [row] = site.projection("vacatures").view.query("SELECT id FROM vacatures_alerts")
    return row["id"]
