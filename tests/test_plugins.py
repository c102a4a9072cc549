"""The plugin contract, proven with the example plugin installed through its real entry point.

There is one ``test_hook_<name>`` per hook (a test below fails when one is missing).
"""

import sys

import pluggy
import pytest

from core.domain import Loket
from core.envelope import acting
from core.hooks import hookimpl
from core.identity import Principal
from core.plugins import Plugins, get_plugin_manager
from core.site import Site
from tests.conftest import BASE_CONFIG, bearer, run_cli
from tests.test_docs import HOOK_NAMES


@pytest.fixture
def plugins():
    return Plugins()


def test_every_hook_has_a_test():
    missing = [name for name in HOOK_NAMES if not hasattr(sys.modules[__name__], f"test_hook_{name}")]
    assert missing == []


def test_the_example_plugin_is_discovered_through_its_entry_point(plugins):
    assert "voorbeeld" in plugins.names
    info = plugins.info("voorbeeld")
    assert (info.source, info.version) == ("loket-voorbeeld", "0.3.0")
    assert info.description == "Voorbeeld: greetings per loket, implementing every hook of Loket once."
    assert set(info.hooks) == set(HOOK_NAMES)


def test_a_misspelt_hook_implementation_fails_at_start_up():
    class Misspelt:
        @hookimpl
        def menu_item(self, loket):  # should be menu_items
            return []

    pm = get_plugin_manager()
    pm.register(Misspelt(), name="misspelt")
    try:
        with pytest.raises(pluggy.PluginValidationError, match="unknown hook 'menu_item'"):
            pm.check_pending()
    finally:
        pm.unregister(name="misspelt")


def test_a_plugin_switched_off_keeps_its_data_and_shows_it_again(write_config, tmp_path):
    from web import create_app

    url = f"sqlite:///{tmp_path}/events.sqlite"
    site = Site.open(write_config(url=url))
    site.apply_config()
    client = create_app(site).test_client()
    with acting(actor="cli:test"):
        secret = site.identity.create_token("feed", "alpha", "editor")[1]

    # Alpha has the plugin on: a greeting is written and listed.
    assert client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={"text": "Welkom"}, headers=bearer(secret)).status_code == 201
    assert [g["text"] for g in client.get("/api/v1/lokets/alpha/voorbeeld/greetings").json["items"]] == ["Welkom"]
    site.close()

    # The region switches it off: its routes are gone for alpha.
    site = Site.open(write_config(BASE_CONFIG.replace('plugins = ["voorbeeld"]', "plugins = []"), url=url))
    site.apply_config()
    client = create_app(site).test_client()
    response = client.get("/api/v1/lokets/alpha/voorbeeld/greetings")
    assert response.status_code == 404
    assert response.json["type"] == "urn:loket:problem:plugin-disabled"
    site.close()

    # Switched on again, everything is back.
    site = Site.open(write_config(url=url))
    site.apply_config()
    client = create_app(site).test_client()
    assert [g["text"] for g in client.get("/api/v1/lokets/alpha/voorbeeld/greetings").json["items"]] == ["Welkom"]
    history = client.get("/api/v1/lokets/alpha").json["pluginHistory"]
    assert [(h["plugin"], h["change"]) for h in history] == [("voorbeeld", "enabled"), ("voorbeeld", "disabled"), ("voorbeeld", "enabled")]
    site.close()


# One test per hook.


def test_hook_register_aggregates(plugins, site, client, token):
    from loket_voorbeeld.domain import Greeting

    assert Greeting in plugins.collect("register_aggregates")
    client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={"text": "Hoi"}, headers=bearer(token("alpha", "editor")))
    # The plugin's events are in the one global log, with the envelope.
    written = list(site.app.domain_events(Greeting.GreetingWritten))
    assert [(e.text, e.envelope["loket"]) for e in written] == [("Hoi", "alpha")]
    assert written[0].envelope["actor"].startswith("token:")


def test_hook_register_projections(plugins, site, client, token):
    from loket_voorbeeld.projections import GreetingsProjection

    assert GreetingsProjection in plugins.collect("register_projections")
    secret = token("alpha", "editor")
    for text in ("een", "twee"):
        client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={"text": text}, headers=bearer(secret))
    # The core's runner fed the plugin's view, with its own tracked position.
    view = site.projection("voorbeeld").view
    assert [g["text"] for g in view.greetings("alpha")] == ["een", "twee"]
    assert view.position() == site.app.position()
    assert "voorbeeld" in [status.name for status in site.projections.status()]


def test_hook_register_content_types(site, client, token):
    assert "notice" in [t.name for t in site.content_types]
    secret = token("alpha", "editor")
    # The plugin's type gets the generic content API under the plugin's segment.
    created = client.post("/api/v1/lokets/alpha/voorbeeld/notices", json={"title": "Open dag"}, headers=bearer(secret))
    assert created.status_code == 201, created.json
    notice = created.json
    published = client.post(f"/api/v1/lokets/alpha/voorbeeld/notices/{notice['id']}/publish", headers=bearer(secret))
    assert published.json["status"] == "published"
    assert client.get("/api/v1/lokets/alpha/voorbeeld/notices/open-dag").json["title"] == "Open dag"
    assert client.get("/api/v1/lokets/alpha/search?q=open").json["facets"]["type"] == {"notice": 1}
    # Beta has the plugin off: the type is not there, not even in search.
    assert client.get("/api/v1/lokets/beta/voorbeeld/notices").json["type"] == "urn:loket:problem:plugin-disabled"
    assert client.get("/api/v1/lokets/beta/search?type=notice").status_code == 422


def test_hook_content_scope(client, token):
    notices = "/api/v1/lokets/alpha/voorbeeld/notices"
    editor, recruiter = bearer(token("alpha", "editor")), bearer(token("alpha", "recruiter"))
    other = client.post(notices, json={"title": "Van een ander", "tags": ["iemand"]}, headers=editor).json
    own = client.post(notices, json={"title": "Eigen", "tags": ["test recruiter"]}, headers=recruiter)
    assert own.status_code == 201, own.json
    # Outside the scope: refused to write, to read and to move into; lists show only the scope.
    assert client.post(notices, json={"title": "Niet van mij", "tags": ["iemand"]}, headers=recruiter).status_code == 403
    assert client.get(f"{notices}/{other['id']}", headers=recruiter).status_code == 403
    assert client.post(f"{notices}/{other['id']}/publish", headers=recruiter).status_code == 403
    moved = client.patch(f"{notices}/{own.json['id']}", json={"tags": ["iemand"]}, headers={**recruiter, "If-Match": own.headers["ETag"]})
    assert moved.status_code == 403
    listed = client.get(f"{notices}?status=all", headers=recruiter).json
    assert [n["title"] for n in listed["items"]] == ["Eigen"]
    assert client.get(f"{notices}?status=all&tag=iemand", headers=recruiter).json["total"] == 0
    assert client.get(f"{notices}?status=all", headers=editor).json["total"] == 2
    # A recruiter has no say over the core's types.
    assert client.post("/api/v1/lokets/alpha/pages", json={"title": "X"}, headers=recruiter).status_code == 403


def test_hook_settings_schema(write_config, store_url):
    text = BASE_CONFIG + "\n[lokets.alpha.settings.voorbeeld]\nmax_length = 5\n"
    site = Site.open(write_config(text, url=store_url))
    site.apply_config()
    assert site.lokets.get("alpha").settings["voorbeeld"] == {"greeting": "Hallo", "max_length": 5}
    site.close()


def test_hook_api_blueprint(client, token):
    secret = token("alpha", "editor")
    # Writing needs a token with a role in this loket; input is validated.
    assert client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={"text": "Hoi"}).status_code == 401
    assert client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={"text": "Hoi"}, headers=bearer(token("alpha", "auditor"))).status_code == 403
    invalid = client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={}, headers=bearer(secret))
    assert invalid.status_code == 422
    assert invalid.json["invalidParams"] == [{"name": "text", "reason": "Missing data for required field."}]
    created = client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={"text": "Hoi"}, headers=bearer(secret))
    assert created.status_code == 201 and int(created.headers["X-Loket-Position"]) > 0
    # Beta has the plugin off; an unknown loket is a 404 of its own.
    assert client.get("/api/v1/lokets/beta/voorbeeld/greetings").json["type"] == "urn:loket:problem:plugin-disabled"
    assert client.get("/api/v1/lokets/gamma/voorbeeld/greetings").json["type"] == "urn:loket:problem:not-found"


def test_hook_editor_blueprint(client):
    page = client.get("/beheer/alpha/voorbeeld/")
    assert page.status_code == 200 and '<html lang="nl">' in page.text
    assert client.get("/beheer/beta/voorbeeld/").status_code == 404


def test_hook_openapi_paths(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]["/api/v1/lokets/{loket}/voorbeeld/greetings"]) >= {"get", "post", "parameters"}
    assert "Greeting" in spec["components"]["schemas"]


def test_hook_register_commands(site):
    result = run_cli("voorbeeld", "count", "alpha", "--config", str(site.config.path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "alpha: 0 greeting(s)"


def test_hook_menu_items(site):
    editor = Principal(actor="user:x", name="x", roles={"alpha": ("editor",), "beta": ("editor",)})
    assert site.loket_hook("menu_items", "alpha", principal=editor) == [("voorbeeld", [{"label": "Groeten", "href": "/beheer/alpha/voorbeeld/"}])]
    # Beta has the plugin off: no menu item, whatever the role.
    assert site.loket_hook("menu_items", "beta", principal=editor) == []


def test_hook_search_documents(plugins, site, client, token):
    from loket_voorbeeld.domain import Greeting

    client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={"text": "Zoek mij"}, headers=bearer(token("alpha", "editor")))
    [written] = site.app.domain_events(Greeting.GreetingWritten)
    [document] = plugins.collect("search_documents", domain_event=written)
    assert document == {"id": str(written.originator_id), "loket": "alpha", "type": "greeting", "title": "Zoek mij", "body": "Zoek mij"}
    [opened, *_] = site.app.domain_events(Loket.LoketOpened)
    assert plugins.collect("search_documents", domain_event=opened) == []


def test_hook_json_ld(plugins):
    assert plugins.call("voorbeeld", "json_ld", content_type="greeting", item={"text": "Hoi"}) == {
        "@context": "https://schema.org", "@type": "Comment", "text": "Hoi",
    }
    assert plugins.call("voorbeeld", "json_ld", content_type="vacancy", item={}) is None


def test_hook_urgency_signals(client):
    assert client.get("/api/v1/lokets/alpha").json["urgencySignals"] == [
        {"signal": "greetings-wanted", "value": 1, "label": "Groeten gevraagd", "plugin": "voorbeeld"}
    ]
    assert client.get("/api/v1/lokets/beta").json["urgencySignals"] == []


def test_hook_tick(site, client, token):
    from datetime import datetime, timezone

    client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={"text": "Hoi"}, headers=bearer(token("alpha", "editor")))
    assert "voorbeeld: alpha has 1 greeting(s)" in site.tick(datetime.now(timezone.utc))


def test_hook_seed_demo(plugins, site):
    from loket_voorbeeld.domain import Greeting

    # Alpha has the plugin on, beta off: the demo greets alpha only, and only once.
    assert plugins.call("voorbeeld", "seed_demo", site=site) == 1
    assert plugins.call("voorbeeld", "seed_demo", site=site) == 0
    site.projections.catch_up()
    assert [g["text"] for g in site.projection("voorbeeld").view.greetings("alpha")] == ["Welkom bij Alpha!"]
    assert site.projection("voorbeeld").view.greetings("beta") == []
    # Recorded as the system, under the demo's correlation id.
    [written] = site.app.domain_events(Greeting.GreetingWritten)
    assert (written.envelope["actor"], written.envelope["correlation_id"]) == ("system", "demo-seed")
