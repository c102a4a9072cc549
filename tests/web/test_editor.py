"""The editor screens through Flask's test client (the browser tests drive the same screens in
Chromium): login, CSRF, tenant isolation, the generic content screens, conflicts, history."""

import re


from core.envelope import acting

from tests.conftest import PASSWORD, csrf_of, login  # noqa: F401 - shared with the other screen tests


def test_login_lands_on_the_dashboard_with_a_safe_cookie(client, people):
    page = client.get("/beheer/inloggen").get_data(as_text=True)
    assert '<html lang="nl">' in page and 'for="gebruikersnaam"' in page and "<script" not in page
    response = login(client)
    assert response.headers["Location"] == "/beheer/alpha/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    dashboard = client.get("/beheer/alpha/").get_data(as_text=True)
    assert "<h1>Alpha</h1>" in dashboard and "voorbeeld" in dashboard


def test_a_wrong_password_and_then_a_pause(client, people):
    token = csrf_of(client.get("/beheer/inloggen").get_data(as_text=True))
    for _ in range(5):
        wrong = client.post("/beheer/inloggen", data={"csrf_token": token, "gebruikersnaam": "redacteur-alpha", "wachtwoord": "fout"})
        assert wrong.status_code == 401 and "Onbekende gebruikersnaam of onjuist wachtwoord" in wrong.get_data(as_text=True)
    paused = client.post("/beheer/inloggen", data={"csrf_token": token, "gebruikersnaam": "redacteur-alpha", "wachtwoord": PASSWORD})
    assert paused.status_code == 429 and "Te veel mislukte pogingen" in paused.get_data(as_text=True)


def test_screens_need_a_login_and_a_role_in_the_loket(client, people):
    assert client.get("/beheer/alpha/").headers["Location"].startswith("/beheer/inloggen")
    login(client)
    assert client.get("/beheer/beta/").status_code == 403
    assert client.get("/beheer/beta/inhoud/page/").status_code == 403
    assert client.get("/beheer/gamma/").status_code == 403


def test_a_forged_post_is_refused(client, people):
    login(client)
    forged = client.post("/beheer/alpha/inhoud/page/nieuw", data={"title": "Vals"})
    assert forged.status_code == 400 and "formulier is verlopen" in forged.get_data(as_text=True)
    assert client.post("/beheer/uitloggen").status_code == 400


def test_create_publish_and_see_it_in_the_api(client, people):
    login(client)
    form = client.get("/beheer/alpha/inhoud/page/nieuw").get_data(as_text=True)
    token = csrf_of(form)

    # An empty title: inline error and a summary at the top; nothing saved.
    invalid = client.post("/beheer/alpha/inhoud/page/nieuw", data={"csrf_token": token, "title": ""})
    html = invalid.get_data(as_text=True)
    assert invalid.status_code == 422 and 'class="error-summary"' in html and 'href="#veld-title"' in html and 'aria-invalid="true"' in html

    created = client.post(
        "/beheer/alpha/inhoud/page/nieuw",
        data={"csrf_token": token, "title": "Werken als leraar", "summary": "Kort", "body": "Over **leraren**.", "sectors": ["po", "vo"], "tags": "beroep, po"},
    )
    assert created.status_code == 302
    edit_url = created.headers["Location"]
    item_id = edit_url.rsplit("/", 1)[1]
    published = client.post(f"{edit_url}/publiceren", data={"csrf_token": token, "version": "1"})
    assert published.status_code == 302
    public = client.get("/api/v1/lokets/alpha/pages/werken-als-leraar").json
    assert public["sectors"] == ["po", "vo"] and public["tags"] == ["beroep", "po"] and "<strong>leraren</strong>" in public["bodyHtml"]
    assert client.get(edit_url).get_data(as_text=True).count("Gepubliceerd") >= 1
    listing = client.get("/beheer/alpha/inhoud/page/?q=leraar").get_data(as_text=True)
    assert f"/beheer/alpha/inhoud/page/{item_id}" in listing


def test_a_stale_save_is_refused_with_both_versions_shown(client, people, site):
    login(client)
    token = csrf_of(client.get("/beheer/alpha/inhoud/page/nieuw").get_data(as_text=True))
    edit_url = client.post("/beheer/alpha/inhoud/page/nieuw", data={"csrf_token": token, "title": "Eerste titel"}).headers["Location"]

    # Someone else saves first (version 1 → 2).
    first = client.post(edit_url, data={"csrf_token": token, "version": "1", "title": "Titel van de ander"})
    assert first.status_code == 302
    # Our save names version 1: refused, nothing lost, both shown.
    ours = client.post(edit_url, data={"csrf_token": token, "version": "1", "title": "Mijn titel"})
    html = ours.get_data(as_text=True)
    assert ours.status_code == 409
    assert "Titel van de ander" in html and "Mijn titel" in html and "Mijn versie toch opslaan" in html
    assert 'name="version" value="2"' in html
    # Saving deliberately over the current version works.
    assert client.post(edit_url, data={"csrf_token": token, "version": "2", "title": "Mijn titel"}).status_code == 302


def test_history_diff_and_restore(client, people):
    login(client)
    token = csrf_of(client.get("/beheer/alpha/inhoud/page/nieuw").get_data(as_text=True))
    edit_url = client.post("/beheer/alpha/inhoud/page/nieuw", data={"csrf_token": token, "title": "Oud"}).headers["Location"]
    client.post(edit_url, data={"csrf_token": token, "version": "1", "title": "Nieuw"})
    history = client.get(f"{edit_url}/geschiedenis?van=1&naar=2").get_data(as_text=True)
    assert "Drafted" in history and "Revised" in history and "gewijzigd" in history
    assert "<pre>Oud</pre>" in history and "<pre>Nieuw</pre>" in history
    restored = client.post(f"{edit_url}/terugzetten", data={"csrf_token": token, "naar": "1"})
    assert restored.status_code == 302
    assert 'value="Oud"' in client.get(edit_url).get_data(as_text=True)


def test_an_auditor_reads_but_cannot_change(client, people):
    login(client, "auditor-alpha")
    assert client.get("/beheer/alpha/inhoud/page/").status_code == 200
    token = csrf_of(client.get("/beheer/alpha/").get_data(as_text=True))
    assert client.post("/beheer/alpha/inhoud/page/nieuw", data={"csrf_token": token, "title": "X"}).status_code == 403


def test_logout_ends_the_session(client, people):
    login(client)
    token = csrf_of(client.get("/beheer/alpha/").get_data(as_text=True))
    assert "Je bent uitgelogd" in client.post("/beheer/uitloggen", data={"csrf_token": token}, follow_redirects=True).get_data(as_text=True)
    assert client.get("/beheer/alpha/").status_code == 302


def test_every_content_type_has_working_screens(client, people, site):
    login(client)
    for content_type in site.content_types.for_loket(["voorbeeld"]):
        assert client.get(f"/beheer/alpha/inhoud/{content_type.name}/").status_code == 200, content_type.name
        assert client.get(f"/beheer/alpha/inhoud/{content_type.name}/nieuw").status_code == 200, content_type.name


def test_opening_an_item_shows_who_else_is_editing_it(client, people, site, app):
    from core.content.locks import EditLock

    with acting(actor="cli:test"):
        site.identity.add_user("redacteur-twee", PASSWORD)
        site.identity.grant("redacteur-twee", "alpha", "editor")
    login(client)
    token = csrf_of(client.get("/beheer/alpha/inhoud/page/nieuw").get_data(as_text=True))
    edit_url = client.post("/beheer/alpha/inhoud/page/nieuw", data={"csrf_token": token, "title": "Samen"}).headers["Location"]
    assert "bewerkt dit item" not in client.get(edit_url).get_data(as_text=True)

    # A second editor opens it: they see who has it, and may take it over (recorded).
    other = app.test_client()
    login(other, "redacteur-twee")
    page = other.get(edit_url).get_data(as_text=True)
    assert "redacteur-alpha bewerkt dit item" in page and "Bewerken overnemen" in page
    other.post(f"{edit_url}/overnemen", data={"csrf_token": csrf_of(page)})
    assert "redacteur-twee bewerkt dit item" in client.get(edit_url).get_data(as_text=True)
    lock_events = [type(e).__name__ for e in site.app.events.get(EditLock.create_id(__import__("uuid").UUID(edit_url.rsplit("/", 1)[1])))]
    assert lock_events == ["EditingStarted", "EditingTakenOver"]


def test_approval_through_the_screens(write_config, store_url):
    from core.site import Site
    from tests.conftest import BASE_CONFIG
    from web import create_app

    site = Site.open(write_config(BASE_CONFIG.replace('plugins = ["voorbeeld"]', 'plugins = ["voorbeeld"]\napproval = ["page"]'), url=store_url))
    site.apply_config()
    with acting(actor="cli:test"):
        for name in ("auteur", "tweede"):
            site.identity.add_user(name, PASSWORD)
            site.identity.grant(name, "alpha", "editor")
    app = create_app(site)
    author, reviewer = app.test_client(), app.test_client()
    login(author, "auteur")
    login(reviewer, "tweede")
    token = csrf_of(author.get("/beheer/alpha/inhoud/page/nieuw").get_data(as_text=True))
    edit_url = author.post("/beheer/alpha/inhoud/page/nieuw", data={"csrf_token": token, "title": "Ter goedkeuring"}).headers["Location"]
    author.post(f"{edit_url}/publiceren", data={"csrf_token": token})
    assert "tweede redacteur" in author.get(edit_url).get_data(as_text=True)
    author.post(f"{edit_url}/aanbieden", data={"csrf_token": token, "opmerking": "graag"})
    dashboard = reviewer.get("/beheer/alpha/").get_data(as_text=True)
    assert "Ter goedkeuring" in dashboard.split("Wacht op goedkeuring")[1]
    reviewer_token = csrf_of(dashboard)
    reviewer.post(f"{edit_url}/goedkeuren", data={"csrf_token": reviewer_token, "opmerking": "akkoord"})
    author.post(f"{edit_url}/publiceren", data={"csrf_token": token})
    assert author.get("/api/v1/lokets/alpha/pages/ter-goedkeuring").status_code == 200
    site.close()


def test_forgot_password_through_the_outbox(mail_site, smtp):
    from web import create_app

    with acting(actor="cli:test"):
        mail_site.identity.add_user("vergeetachtig", PASSWORD)
        mail_site.identity.grant("vergeetachtig", "alpha", "editor")
        mail_site.identity.set_email("vergeetachtig", "vergeet@example.nl")
    client = create_app(mail_site).test_client()
    token = csrf_of(client.get("/beheer/wachtwoord-vergeten").get_data(as_text=True))

    # Unknown names and known ones get the same answer; only a known one with an address gets mail.
    for name in ("niemand", "vergeetachtig"):
        answer = client.post("/beheer/wachtwoord-vergeten", data={"csrf_token": token, "gebruikersnaam": name}, follow_redirects=True)
        assert "Als er een e-mailadres bij dit account hoort" in answer.get_data(as_text=True)
    mail_site.projections.catch_up()
    mail_site.outbox.send_due(__import__("datetime").datetime.now(__import__("datetime").timezone.utc))
    [message] = smtp.messages
    assert message["To"] == "vergeet@example.nl"
    link = re.search(r"(/beheer/wachtwoord-herstellen/\S+)", message.get_content()).group(1)

    # The link sets a new password once; mismatches and short ones are refused; then it is used up.
    assert client.post(link, data={"csrf_token": token, "wachtwoord": "nieuw-wachtwoord-1", "herhaling": "anders"}).status_code == 422
    assert client.post(link, data={"csrf_token": token, "wachtwoord": "kort", "herhaling": "kort"}).status_code == 422
    done = client.post(link, data={"csrf_token": token, "wachtwoord": "nieuw-wachtwoord-1", "herhaling": "nieuw-wachtwoord-1"}, follow_redirects=True)
    assert "Je wachtwoord is gewijzigd" in done.get_data(as_text=True)
    assert client.get(link).status_code == 400
    assert login(client, "vergeetachtig", "nieuw-wachtwoord-1").status_code == 302
