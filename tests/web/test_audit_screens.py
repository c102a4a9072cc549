"""The auditor's screens: the log, an item's timeline and state as of a moment, the loket's growth
(table and server-drawn chart), the access log — read only, for auditors of the loket only."""

from core.envelope import acting
from tests.conftest import PASSWORD, csrf_of, login


def test_an_auditor_browses_the_record(client, site):
    with acting(actor="cli:test", loket="alpha"):
        for name, role in (("controleur", "auditor"), ("redacteur", "editor")):
            site.identity.add_user(name, PASSWORD)
            site.identity.grant(name, "alpha", role)
        page = site.content.create("page", "alpha", {"title": "Te controleren"})
        site.content.publish("page", "alpha", page.id)
        site.helpdesk.ask("alpha", {"name": "Geheime Vrager", "email": "geheim@example.nl", "question": "Een vraag?", "consent": True})
    site.projections.catch_up()

    login(client, "controleur")
    log = client.get("/audit/alpha/?soort=page").get_data(as_text=True)
    assert "Page.Drafted" in log and "Page.Published" in log and "Geheime" not in log
    assert "Page.Drafted" not in client.get("/audit/alpha/?soort=route").get_data(as_text=True)
    assert client.get("/audit/alpha/?van=gisteren").status_code == 422

    item = client.get(f"/audit/alpha/item/{page.id}").get_data(as_text=True)
    assert "Te controleren" in item and "Published" in item
    compared = client.get(f"/audit/alpha/item/{page.id}?van=1&naar=2").get_data(as_text=True)
    assert "<code>status</code>" in compared and "published" in compared
    growth = client.get("/audit/alpha/groei").get_data(as_text=True)
    assert '<svg role="img"' in growth and "PluginEnabled voorbeeld" in growth and "RegionJoined po-utrecht" in growth
    assert client.get("/audit/alpha/toegang").status_code == 200
    assert client.get("/audit/").headers["Location"].endswith("/audit/alpha/")
    # Read only: the auditor's screens have no forms that change anything, and content forms refuse.
    token = csrf_of(client.get("/beheer/alpha/").get_data(as_text=True))
    assert client.post("/beheer/alpha/inhoud/page/nieuw", data={"csrf_token": token, "title": "x"}).status_code == 403
    assert client.get("/audit/beta/").status_code == 403


def test_an_editor_is_not_an_auditor(client, site):
    with acting(actor="cli:test"):
        site.identity.add_user("redacteur", PASSWORD)
        site.identity.grant("redacteur", "alpha", "editor")
    login(client, "redacteur")
    assert client.get("/audit/alpha/").status_code == 403
    assert client.get("/audit/").status_code == 403
