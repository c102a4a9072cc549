"""Activities: registration with capacity and a waiting list, cancelling by the e-mailed link,
iCalendar read by a real parser, schema.org Event — and no personal data in any public answer."""

import re
from datetime import datetime, timedelta, timezone

import icalendar
import pytest

from tests.conftest import bearer
from web import create_app

START = (datetime.now(timezone.utc) + timedelta(days=10)).replace(hour=13, minute=0, second=0, microsecond=0)
ACTIVITY = {
    "title": "Meeloopdag groep 5",
    "kind": "shadowing",
    "summary": "Een dag meelopen op een basisschool",
    "startsAt": START.isoformat(),
    "endsAt": (START + timedelta(hours=4)).isoformat(),
    "attendance": "on_site",
    "location": {"name": "Obs De Regenboog", "street": "Schoolstraat 1", "postcode": "3511 AB", "place": "Utrecht"},
    "capacity": 2,
    "sectors": ["po"],
}


@pytest.fixture
def client(mail_site):
    return create_app(mail_site).test_client()


@pytest.fixture
def editor(token):
    return bearer(token("alpha", "editor"))


def publish_activity(client, editor, **changes):
    created = client.post("/api/v1/lokets/alpha/activities", json={**ACTIVITY, **changes}, headers=editor)
    assert created.status_code == 201, created.json
    published = client.post(f"/api/v1/lokets/alpha/activities/{created.json['id']}/publish", headers=editor)
    assert published.status_code == 200
    return published.json


def register(client, activity, name, email):
    return client.post(f"/api/v1/lokets/alpha/activities/{activity['id']}/registrations", json={"name": name, "email": email, "consent": True})


def test_capacity_and_the_waiting_list(client, editor, mail_site, smtp):
    activity = publish_activity(client, editor)

    # Two places; the third person goes on the waiting list, the fourth after them.
    statuses = [register(client, activity, f"Deelnemer {n}", f"d{n}@example.nl").json for n in range(4)]
    assert statuses == [{"status": "confirmed"}, {"status": "confirmed"}, {"status": "waitlisted", "waitingListPosition": 1}, {"status": "waitlisted", "waitingListPosition": 2}]
    availability = client.get(f"/api/v1/lokets/alpha/activities/{activity['id']}/availability").json
    assert availability == {"capacity": 2, "confirmed": 2, "waitingList": 2, "placesLeft": 0, "full": True}
    # The same person twice is refused.
    assert register(client, activity, "Deelnemer 0", "D0@example.nl").status_code == 409

    # Everyone gets an e-mail; the first cancels with the link from theirs.
    mail_site.tick(datetime.now(timezone.utc))
    assert sorted(m["To"] for m in smtp.messages) == [f"d{n}@example.nl" for n in range(4)]
    first = next(m for m in smtp.messages if m["To"] == "d0@example.nl")
    token = re.search(r"afmelden\?token=(\S+)", first.get_content()).group(1)
    assert client.post("/api/v1/lokets/alpha/registrations/cancel", json={"token": token}).json == {"status": "cancelled"}
    assert client.post("/api/v1/lokets/alpha/registrations/cancel", json={"token": token}).status_code == 409
    assert client.post("/api/v1/lokets/alpha/registrations/cancel", json={"token": token[:-2] + "xx"}).status_code == 422

    # The first on the waiting list gets the place, and is told so.
    rows = client.get(f"/api/v1/lokets/alpha/activities/{activity['id']}/registrations", headers=editor).json["items"]
    assert [(r["name"], r["status"]) for r in rows] == [("Deelnemer 0", "cancelled"), ("Deelnemer 1", "confirmed"), ("Deelnemer 2", "confirmed"), ("Deelnemer 3", "waitlisted")]
    smtp.messages.clear()
    mail_site.tick(datetime.now(timezone.utc))
    assert {(m["To"], m["Subject"].split(":")[0]) for m in smtp.messages} == {("d0@example.nl", "Afgemeld"), ("d2@example.nl", "Er is een plek vrij")}


def test_a_full_activity_without_a_waiting_list_refuses_clearly(client, editor):
    activity = publish_activity(client, editor, capacity=1, waitingList=False)
    assert register(client, activity, "Een", "een@example.nl").status_code == 201
    full = register(client, activity, "Twee", "twee@example.nl")
    assert full.status_code == 409 and full.json["type"] == "urn:loket:problem:activity-full"
    assert "full" in full.json["title"]


def test_registration_is_refused_for_drafts_cancelled_and_past_activities(client, editor, mail_site):
    draft = client.post("/api/v1/lokets/alpha/activities", json=ACTIVITY, headers=editor).json
    assert register(client, draft, "A", "a@example.nl").status_code == 404
    cancelled = publish_activity(client, editor, title="Afgelast", cancelled=True)
    assert register(client, cancelled, "A", "a@example.nl").json["type"] == "urn:loket:problem:registration-closed"
    assert register(client, {"id": "00000000-0000-0000-0000-000000000000"}, "A", "a@example.nl").status_code == 404
    no_consent = client.post(f"/api/v1/lokets/alpha/activities/{cancelled['id']}/registrations", json={"name": "A", "email": "a@example.nl"})
    assert no_consent.status_code == 422


def test_icalendar_per_activity_and_per_loket(client, editor):
    first = publish_activity(client, editor)
    online = publish_activity(
        client, editor, title="Online open dag", kind="open_day", attendance="online", location=None, onlineUrl="https://meet.example.nl/open-dag", capacity=None
    )
    one = client.get(f"/api/v1/lokets/alpha/activities/{first['slug']}.ics")
    assert one.status_code == 200 and one.mimetype == "text/calendar"
    [event] = icalendar.Calendar.from_ical(one.data).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Meeloopdag groep 5"
    assert event.decoded("DTSTART") == START and event.decoded("DTEND") == START + timedelta(hours=4)
    assert "Utrecht" in str(event["LOCATION"]) and str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]) == f"{first['id']}@loket"

    agenda = icalendar.Calendar.from_ical(client.get("/api/v1/lokets/alpha/activities.ics").data)
    assert sorted(str(e["SUMMARY"]) for e in agenda.walk("VEVENT")) == ["Meeloopdag groep 5", "Online open dag"]
    assert str([e for e in agenda.walk("VEVENT") if str(e["SUMMARY"]) == "Online open dag"][0]["URL"]) == online["onlineUrl"]
    assert client.get("/api/v1/lokets/alpha/activities/nergens.ics").status_code == 404


def test_schema_org_event(client, editor):
    mixed = publish_activity(client, editor, attendance="mixed", onlineUrl="https://meet.example.nl/x", cancelled=True)
    linked = client.get(f"/api/v1/lokets/alpha/activities/{mixed['slug']}").json["jsonLd"]
    assert linked["@type"] == "Event"
    assert linked["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert linked["eventStatus"] == "https://schema.org/EventCancelled"
    assert [place["@type"] for place in linked["location"]] == ["Place", "VirtualLocation"]
    assert linked["startDate"] == START.isoformat()


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"endsAt": START.isoformat()}, "endsAt"),
        ({"startsAt": "2026-03-01T09:00:00"}, "startsAt"),
        ({"attendance": "on_site", "location": None}, "location"),
        ({"attendance": "online", "location": None}, "onlineUrl"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"location": {"name": "X", "place": "Utrecht", "postcode": "12345"}}, "location.postcode"),
    ],
)
def test_bad_activities_are_refused_with_the_field(client, editor, changes, field):
    response = client.post("/api/v1/lokets/alpha/activities", json={**ACTIVITY, **changes}, headers=editor)
    assert response.status_code == 422
    assert field in [p["name"] for p in response.json["invalidParams"]], response.json


def test_no_personal_data_in_any_public_answer(client, editor, mail_site):
    activity = publish_activity(client, editor)
    register(client, activity, "Geheime Naam", "geheim@example.nl")
    client.post("/api/v1/lokets/alpha/questions", json={"name": "Geheime Naam", "email": "geheim@example.nl", "question": "Een vraag van mij?", "consent": True})
    public = [
        "/api/v1/lokets", "/api/v1/lokets/alpha", "/api/v1/plugins", "/api/v1/openapi.json",
        "/api/v1/lokets/alpha/activities", f"/api/v1/lokets/alpha/activities/{activity['slug']}",
        f"/api/v1/lokets/alpha/activities/{activity['id']}/availability", "/api/v1/lokets/alpha/activities.ics",
        "/api/v1/lokets/alpha/search?q=geheime", "/api/v1/lokets/alpha/search", "/api/v1/lokets/alpha/faq", "/api/v1/lokets/alpha/pages",
        "/api/v1/lokets/alpha/organisations", "/api/",
    ]
    for path in public:
        body = client.get(path).get_data(as_text=True)
        assert "Geheime" not in body and "geheim@" not in body, path
    # Without a token, the lists that hold personal data are closed.
    for path in ("/api/v1/lokets/alpha/questions", f"/api/v1/lokets/alpha/activities/{activity['id']}/registrations", "/api/v1/lokets/alpha/outbox"):
        assert client.get(path).status_code == 401


def test_the_cancel_page_from_the_email_works_without_javascript(client, editor, mail_site, smtp):
    activity = publish_activity(client, editor)
    register(client, activity, "Bas", "bas@example.nl")
    mail_site.tick(datetime.now(timezone.utc))
    link = re.search(r"(http\S+/afmelden\?token=\S+)", smtp.messages[0].get_content()).group(1)
    token = link.split("token=")[1]
    page = client.get(f"/afmelden?token={token}").get_data(as_text=True)
    assert '<html lang="nl">' in page and "Ja, meld mij af" in page and "<script" not in page
    done = client.post("/afmelden", data={"token": token})
    assert done.status_code == 200 and "Je bent afgemeld" in done.get_data(as_text=True)
    assert "Je was al afgemeld" in client.post("/afmelden", data={"token": token}).get_data(as_text=True)
    assert client.post("/afmelden", data={"token": "onzin.onzin.onzin"}).status_code == 400
