"""The helpdesk screens through Flask's test client: the inbox, one question with its history,
and assign, answer, refer, close and FAQ through the forms, with the version as a guard."""

import re

import pytest

from core.envelope import acting
from tests.conftest import PASSWORD, csrf_of, login

QUESTION = {"name": "Pieter Ploeg", "email": "pieter.ploeg@example.nl", "question": "Mag ik als herintreder meteen voor de klas?", "sector": "po", "consent": True}


@pytest.fixture
def staff(site):
    with acting(actor="cli:test"):
        for name, loket, role in (
            ("redacteur-alpha", "alpha", "editor"),
            ("beheerder-alpha", "alpha", "admin"),
            ("redacteur-beta", "beta", "editor"),
            ("auditor-alpha", "alpha", "auditor"),
        ):
            site.identity.add_user(name, PASSWORD)
            site.identity.grant(name, loket, role)


def ask(client, loket="alpha", **changes) -> str:
    response = client.post(f"/api/v1/lokets/{loket}/questions", json={**QUESTION, **changes})
    assert response.status_code == 201, response.json
    return response.json["id"]


def row_of(site, question_id):
    site.projections.catch_up()
    return site.questions_view.get(question_id)


def purposes(site):
    site.projections.catch_up()
    return [m["purpose"] for m in site.outbox.view.messages()]


def test_the_inbox_lists_a_question_asked_through_the_api(client, staff):
    question_id = ask(client)
    login(client)
    response = client.get("/beheer/alpha/vragen/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Pieter Ploeg" in html and f'href="/beheer/alpha/vragen/{question_id}"' in html
    assert 'aria-current="page">Open (1)' in html and "Gesloten (0)" in html
    assert "Pieter Ploeg" not in client.get("/beheer/alpha/vragen/?status=gesloten").get_data(as_text=True)
    assert "Pieter Ploeg" in client.get("/beheer/alpha/vragen/?status=nieuw").get_data(as_text=True)

    page = client.get(f"/beheer/alpha/vragen/{question_id}").get_data(as_text=True)
    assert "Pieter Ploeg" in page and "pieter.ploeg@example.nl" in page and "<dd>po</dd>" in page
    assert "Mag ik als herintreder meteen voor de klas?" in page
    assert "Vraag gesteld" in page and "de vraagsteller (via het vragenformulier)" in page
    # The assignee select offers the loket's editors and admins, not its auditor nor beta's editor.
    assignees = re.search(r'<select id="toewijzen-aan".*?</select>', page, re.DOTALL).group(0)
    assert "redacteur-alpha" in assignees and "beheerder-alpha" in assignees
    assert "auditor-alpha" not in assignees and "redacteur-beta" not in assignees
    # The referral select offers the other lokets and the Onderwijsloket, not this loket.
    targets = re.search(r'<select id="verwijs-naar".*?</select>', page, re.DOTALL).group(0)
    assert 'value="beta"' in targets and 'value="onderwijsloket"' in targets and 'value="alpha"' not in targets


def test_inbox_pages_newest_first(client, staff):
    ids = [ask(client, name=f"Vrager {n}", email=f"vrager{n}@example.nl") for n in range(3)]
    login(client)
    html = client.get("/beheer/alpha/vragen/").get_data(as_text=True)
    assert html.index("Vrager 2") < html.index("Vrager 1") < html.index("Vrager 0")
    assert all(f"/beheer/alpha/vragen/{i}" in html for i in ids)
    assert "Pagina 1 van 1" in html


def test_assign_answer_and_close_through_the_screens(client, site, staff):
    question_id = ask(client)
    login(client)
    url = f"/beheer/alpha/vragen/{question_id}"
    token = csrf_of(client.get(url).get_data(as_text=True))

    assigned = client.post(f"{url}/toewijzen", data={"csrf_token": token, "version": "1", "toegewezen_aan": "beheerder-alpha"})
    assert assigned.status_code == 302 and assigned.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert "De vraag is toegewezen aan beheerder-alpha." in page and "Toegewezen aan beheerder-alpha" in page
    assert (row_of(site, question_id)["status"], row_of(site, question_id)["assignee"]) == ("assigned", "beheerder-alpha")
    assert 'name="version" value="2"' in page

    answered = client.post(f"{url}/beantwoorden", data={"csrf_token": token, "version": "2", "antwoord": "Ja, met een herintredingstraject."})
    assert answered.status_code == 302
    assert row_of(site, question_id)["status"] == "answered"
    assert purposes(site) == ["question-received", "question-answered"]
    page = client.get(url).get_data(as_text=True)
    assert "Het antwoord is opgeslagen" in page and "Ja, met een herintredingstraject." in page and "Beantwoord door redacteur-alpha" in page

    closed = client.post(f"{url}/sluiten", data={"csrf_token": token, "version": "3", "reden": "beantwoord"})
    assert closed.status_code == 302
    assert row_of(site, question_id)["status"] == "closed"
    page = client.get(url).get_data(as_text=True)
    assert "De vraag is gesloten." in page and "Gesloten. Reden: beantwoord" in page
    # Who did it, by name: the history shows the user, not an id.
    assert re.search(r"<td>redacteur-alpha</td>\s*<td>Toegewezen aan beheerder-alpha", page)
    # Closed: no more forms to change it, but a FAQ draft can still be made of it.
    assert "/toewijzen" not in page and "/beantwoorden" not in page and "/sluiten" not in page
    assert "Gesloten (1)" in client.get("/beheer/alpha/vragen/?status=gesloten").get_data(as_text=True)

    made = client.post(f"{url}/veelgestelde-vraag", data={"csrf_token": token, "version": "4", "onderwerp": "Herintreden"})
    assert made.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "concept voor een veelgestelde vraag" in page and "Er is een veelgestelde vraag van gemaakt" in page
    faq_url = re.search(r'href="(/beheer/alpha/inhoud/faq/[0-9a-f-]+)"', page).group(1)
    assert client.get(faq_url).status_code == 200


def test_answer_and_close_in_one_step(client, site, staff):
    question_id = ask(client)
    login(client)
    url = f"/beheer/alpha/vragen/{question_id}"
    token = csrf_of(client.get(url).get_data(as_text=True))
    response = client.post(f"{url}/beantwoorden", data={"csrf_token": token, "version": "1", "antwoord": "Ja.", "sluiten": "ja"})
    assert response.status_code == 302
    assert row_of(site, question_id)["status"] == "closed"
    assert "De vraag is gesloten." in client.get(url).get_data(as_text=True)
    assert purposes(site).count("question-answered") == 1


def test_refer_to_beta_moves_the_question(app, client, site, staff):
    question_id = ask(client)
    login(client)
    url = f"/beheer/alpha/vragen/{question_id}"
    token = csrf_of(client.get(url).get_data(as_text=True))
    referred = client.post(f"{url}/doorverwijzen", data={"csrf_token": token, "version": "1", "naar": "beta", "notitie": "vo-vraag"})
    assert referred.status_code == 302 and referred.headers["Location"] == "/beheer/alpha/vragen/"
    inbox = client.get("/beheer/alpha/vragen/?status=alle").get_data(as_text=True)
    assert "doorverwezen naar Beta" in inbox and "Pieter Ploeg" not in inbox
    assert "question-referred" in purposes(site)
    # Its old address tells where it went.
    gone = client.get(url)
    assert gone.status_code == 302 and "niet meer in dit loket" in client.get(gone.headers["Location"]).get_data(as_text=True)

    beta = app.test_client()
    login(beta, "redacteur-beta")
    beta_inbox = beta.get("/beheer/beta/vragen/").get_data(as_text=True)
    assert "Pieter Ploeg" in beta_inbox and f"/beheer/beta/vragen/{question_id}" in beta_inbox
    page = beta.get(f"/beheer/beta/vragen/{question_id}").get_data(as_text=True)
    assert "Doorverwezen van Alpha naar Beta. Notitie: vo-vraag" in page and "Nieuw" in page


def test_refer_to_the_onderwijsloket_keeps_it_here(client, site, staff):
    question_id = ask(client)
    login(client)
    url = f"/beheer/alpha/vragen/{question_id}"
    token = csrf_of(client.get(url).get_data(as_text=True))
    response = client.post(f"{url}/doorverwijzen", data={"csrf_token": token, "version": "1", "naar": "onderwijsloket", "notitie": "Bel 0800-1234."})
    assert response.status_code == 302 and response.headers["Location"] == url
    page = client.get(url).get_data(as_text=True)
    assert "doorverwezen naar het landelijke Onderwijsloket" in page and "Doorverwezen van Alpha naar het landelijke Onderwijsloket" in page
    assert row_of(site, question_id)["status"] == "referred"
    assert "/beantwoorden" not in page and "/sluiten" in page


def test_a_stale_version_shows_the_conflict_and_the_current_state(client, site, staff):
    question_id = ask(client)
    login(client)
    url = f"/beheer/alpha/vragen/{question_id}"
    token = csrf_of(client.get(url).get_data(as_text=True))
    # Someone else assigns it (version 1 → 2) while we type our answer on the page of version 1.
    assert client.post(f"{url}/toewijzen", data={"csrf_token": token, "version": "1", "toegewezen_aan": "beheerder-alpha"}).status_code == 302
    stale = client.post(f"{url}/beantwoorden", data={"csrf_token": token, "version": "1", "antwoord": "Mijn zorgvuldige antwoord."})
    html = stale.get_data(as_text=True)
    assert stale.status_code == 409
    assert "Iemand anders heeft deze vraag intussen gewijzigd" in html and 'role="alert"' in html
    assert "Toegewezen aan <strong>beheerder-alpha</strong>" in html  # the current state
    assert ">Mijn zorgvuldige antwoord.</textarea>" in html  # nothing typed is lost
    assert 'name="version" value="2"' in html and 'name="version" value="1"' not in html
    assert row_of(site, question_id)["status"] == "assigned"
    assert "question-answered" not in purposes(site)


def test_an_empty_answer_is_refused_with_the_field(client, site, staff):
    question_id = ask(client)
    login(client)
    url = f"/beheer/alpha/vragen/{question_id}"
    token = csrf_of(client.get(url).get_data(as_text=True))
    response = client.post(f"{url}/beantwoorden", data={"csrf_token": token, "version": "1", "antwoord": "  "})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in html and 'href="#antwoord-tekst"' in html and 'aria-invalid="true"' in html
    assert "Schrijf een antwoord" in html
    unknown = client.post(f"{url}/toewijzen", data={"csrf_token": token, "version": "1", "toegewezen_aan": "redacteur-beta"})
    assert unknown.status_code == 422 and "Kies een redacteur of beheerder van dit loket." in unknown.get_data(as_text=True)
    assert row_of(site, question_id)["status"] == "new"


def test_a_step_on_a_closed_question_is_refused(client, site, staff):
    question_id = ask(client)
    login(client)
    url = f"/beheer/alpha/vragen/{question_id}"
    token = csrf_of(client.get(url).get_data(as_text=True))
    assert client.post(f"{url}/sluiten", data={"csrf_token": token, "version": "1"}).status_code == 302
    refused = client.post(f"{url}/beantwoorden", data={"csrf_token": token, "version": "2", "antwoord": "Toch nog"})
    assert refused.status_code == 409 and "kan niet meer worden gewijzigd" in refused.get_data(as_text=True)
    faq = client.post(f"{url}/veelgestelde-vraag", data={"csrf_token": token, "version": "2", "onderwerp": "X"})
    assert faq.status_code == 409 and "alleen van een beantwoorde vraag" in faq.get_data(as_text=True)


def test_a_post_without_csrf_is_refused(client, site, staff):
    question_id = ask(client)
    login(client)
    url = f"/beheer/alpha/vragen/{question_id}"
    response = client.post(f"{url}/sluiten", data={"version": "1"})
    assert response.status_code == 400 and "formulier is verlopen" in response.get_data(as_text=True)
    assert row_of(site, question_id)["status"] == "new"


def test_only_editors_and_admins_of_the_loket(app, client, staff):
    question_id = ask(client)
    assert client.get("/beheer/alpha/vragen/").headers["Location"].startswith("/beheer/inloggen")
    login(client, "auditor-alpha")
    assert client.get("/beheer/alpha/vragen/").status_code == 403
    assert client.get(f"/beheer/alpha/vragen/{question_id}").status_code == 403

    admin = app.test_client()
    login(admin, "beheerder-alpha")
    assert admin.get("/beheer/alpha/vragen/").status_code == 200

    beta = app.test_client()
    login(beta, "redacteur-beta")
    assert beta.get("/beheer/alpha/vragen/").status_code == 403
    # Alpha's question is not found through beta's screens, and cannot be changed there.
    assert beta.get(f"/beheer/beta/vragen/{question_id}").status_code == 404
    token = csrf_of(beta.get("/beheer/beta/vragen/").get_data(as_text=True))
    assert beta.post(f"/beheer/beta/vragen/{question_id}/sluiten", data={"csrf_token": token, "version": "1"}).status_code == 404
