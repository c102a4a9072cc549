"""The helpdesk through the API: asked in public, handled by editors, referred between lokets."""

import pytest

from tests.conftest import bearer

QUESTION = {"name": "Pieter Ploeg", "email": "pieter.ploeg@example.nl", "question": "Mag ik als herintreder meteen voor de klas?", "sector": "po", "consent": True}


@pytest.fixture
def editor(token):
    return bearer(token("alpha", "editor"))


def ask(client, loket="alpha", **changes):
    response = client.post(f"/api/v1/lokets/{loket}/questions", json={**QUESTION, **changes})
    assert response.status_code == 201, response.json
    return response.json


def test_asking_returns_no_personal_data(client):
    answer = ask(client)
    assert set(answer) == {"id", "status"} and answer["status"] == "received"
    assert "Pieter" not in str(answer) and "example.nl" not in str(answer)


@pytest.mark.parametrize(
    "changes, field",
    [({"consent": False}, "consent"), ({"consent": None}, "consent"), ({"email": "geen-adres"}, "email"), ({"question": ""}, "question"), ({"sector": "hbo"}, "sector")],
)
def test_a_bad_question_is_refused_with_the_field(client, site, changes, field):
    response = client.post("/api/v1/lokets/alpha/questions", json={**QUESTION, **changes})
    assert response.status_code == 422
    assert field in [p["name"] for p in response.json["invalidParams"]]
    assert site.questions_view.inbox("alpha", (), 10, 0)[1] == 0


def test_the_lifecycle_of_a_question(client, editor, site):
    question_id = ask(client)["id"]
    url = f"/api/v1/lokets/alpha/questions/{question_id}"

    # The inbox shows it to editors, with the asker's data.
    inbox = client.get("/api/v1/lokets/alpha/questions?status=new", headers=editor).json
    assert [(q["name"], q["status"]) for q in inbox["items"]] == [("Pieter Ploeg", "new")]

    # Assign, answer (stale If-Match refused), close; each a step in the history.
    assigned = client.post(f"{url}/assign", json={"assignee": "marieke"}, headers=editor)
    assert assigned.json["status"] == "assigned" and assigned.headers["ETag"] == '"2"'
    stale = client.post(f"{url}/answer", json={"answer": "Ja."}, headers={**editor, "If-Match": '"1"'})
    assert stale.status_code == 412
    answered = client.post(f"{url}/answer", json={"answer": "Ja, met een herintredingstraject."}, headers={**editor, "If-Match": '"2"'})
    assert answered.json["status"] == "answered"
    closed = client.post(f"{url}/close", json={"reason": "beantwoord"}, headers=editor)
    assert closed.json["status"] == "closed"
    assert [step["what"] for step in closed.json["history"]] == ["asked", "assigned to marieke", "answered", "closed"]
    assert client.post(f"{url}/answer", json={"answer": "Nog iets"}, headers=editor).status_code == 409

    # A FAQ draft can be made of it.
    made = client.post(f"{url}/faq", json={"topic": "Herintreden"}, headers=editor)
    assert made.status_code == 201
    faq = client.get(f"/api/v1/lokets/alpha/faq/{made.json['faqId']}", headers=editor).json
    assert (faq["status"], faq["topic"]) == ("draft", "Herintreden")


def test_referral_to_another_loket_moves_the_question_and_keeps_its_history(client, editor, token, site):
    question_id = ask(client)["id"]
    beta = bearer(token("beta", "editor"))
    referred = client.post(f"/api/v1/lokets/alpha/questions/{question_id}/refer", json={"to": "beta", "note": "vo-vraag"}, headers=editor)
    assert referred.status_code == 200 and (referred.json["loket"], referred.json["status"]) == ("beta", "new")

    # It is beta's now: alpha no longer sees it, beta does, with its history.
    assert client.get(f"/api/v1/lokets/alpha/questions/{question_id}", headers=editor).status_code == 404
    moved = client.get(f"/api/v1/lokets/beta/questions/{question_id}", headers=beta).json
    assert [s["what"] for s in moved["history"]] == ["asked", "referred from alpha to beta"]

    # Beta refers it on to the national Onderwijsloket.
    onward = client.post(f"/api/v1/lokets/beta/questions/{question_id}/refer", json={"to": "onderwijsloket"}, headers=beta)
    assert onward.json["status"] == "referred"

    # Both lokets' reports count it.
    assert client.get("/api/v1/lokets/alpha/referrals/report", headers=editor).json["out"] == {"loket:beta": 1}
    report = client.get("/api/v1/lokets/beta/referrals/report", headers=beta).json
    assert report["in"] == {"loket:alpha": 1} and report["out"] == {"onderwijsloket": 1}
    assert client.post(f"/api/v1/lokets/beta/questions/{question_id}/refer", json={"to": "alpha"}, headers=beta).status_code == 409


def test_a_referral_to_an_unknown_loket_is_refused(client, editor):
    question_id = ask(client)["id"]
    response = client.post(f"/api/v1/lokets/alpha/questions/{question_id}/refer", json={"to": "gamma"}, headers=editor)
    assert response.status_code == 422 and response.json["invalidParams"][0]["name"] == "to"


def test_referrals_made_outside_the_helpdesk_are_counted(client, editor):
    assert client.post("/api/v1/lokets/alpha/referrals", json={"direction": "in", "partner": "onderwijsloket", "count": 3}, headers=editor).status_code == 201
    assert client.post("/api/v1/lokets/alpha/referrals", json={"direction": "out", "partner": "platform:Meester Rembrandt"}, headers=editor).status_code == 201
    bad = client.post("/api/v1/lokets/alpha/referrals", json={"direction": "sideways", "partner": "x"}, headers=editor)
    assert {p["name"] for p in bad.json["invalidParams"]} == {"direction", "partner"}
    report = client.get("/api/v1/lokets/alpha/referrals/report?from=2020-01-01", headers=editor).json
    assert report["in"] == {"onderwijsloket": 3} and report["out"] == {"platform:Meester Rembrandt": 1}


def test_editors_of_another_loket_see_nothing(client, token):
    question_id = ask(client)["id"]
    beta = bearer(token("beta", "admin"))
    assert client.get("/api/v1/lokets/alpha/questions", headers=beta).status_code == 403
    assert client.get(f"/api/v1/lokets/beta/questions/{question_id}", headers=beta).status_code == 404
    assert client.get("/api/v1/lokets/alpha/questions").status_code == 401


def test_spam_protection(client, site):
    # A robot fills in the hidden field: it is told all went well, and nothing is recorded.
    trapped = client.post("/api/v1/lokets/alpha/questions", json={**QUESTION, "website": "http://spam.example"})
    assert trapped.status_code == 201
    assert site.questions_view.inbox("alpha", (), 10, 0)[1] == 0

    # One address may send ten submissions an hour; the next is refused with Retry-After.
    for n in range(9):
        assert client.post("/api/v1/lokets/alpha/questions", json={**QUESTION, "email": f"p{n}@example.nl"}).status_code == 201
    refused = client.post("/api/v1/lokets/alpha/questions", json=QUESTION)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.json["type"] == "urn:loket:problem:too-many-requests"
    # Another address is not affected.
    assert client.post("/api/v1/lokets/alpha/questions", json=QUESTION, environ_base={"REMOTE_ADDR": "10.9.8.7"}).status_code == 201


def test_erasure_by_an_admin_leaves_no_copy_anywhere(client, editor, token, site):
    from tests.core.test_privacy import files_of

    question_id = ask(client)["id"]
    # An editor answers through an integration that retries with an Idempotency-Key.
    headers = {**editor, "Idempotency-Key": "antwoord-1"}
    first = client.post(f"/api/v1/lokets/alpha/questions/{question_id}/answer", json={"answer": "Ja, Pieter Ploeg."}, headers=headers)
    replay = client.post(f"/api/v1/lokets/alpha/questions/{question_id}/answer", json={"answer": "Ja, Pieter Ploeg."}, headers=headers)
    assert first.json["name"] == "Pieter Ploeg"
    assert replay.status_code == 200 and replay.headers["Idempotent-Replayed"] == "true" and replay.data == b""

    # The admin erases the person; an editor may not, nor an admin of another loket.
    admin = bearer(token("alpha", "admin"))
    url = "/api/v1/lokets/alpha/privacy/persons/pieter.ploeg@example.nl"
    assert client.post(f"{url}/erase", headers=editor).status_code == 403
    assert client.post("/api/v1/lokets/beta/privacy/persons/pieter.ploeg@example.nl/erase", headers=bearer(token("beta", "admin"))).status_code == 404
    exported = client.get(f"{url}/export", headers=admin).json
    assert "Pieter Ploeg" in {r["value"] for r in exported["records"]}
    assert client.post(f"{url}/erase", headers=admin).json["status"] == "erased"

    # Nothing of the person is left in any file of the installation.
    site.close()
    found = [p.name for p in files_of(site) if b"Pieter" in p.read_bytes() or b"pieter.ploeg" in p.read_bytes()]
    assert found == []
