"""The core API: lokets, plugins, health, and one error shape everywhere under /api/."""

import pytest


def test_healthz(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_lokets_are_listed_with_their_plugins(client):
    response = client.get("/api/v1/lokets")
    assert response.status_code == 200
    body = response.json
    assert (body["page"], body["pageSize"], body["total"]) == (1, 20, 2)
    assert [(l["slug"], l["name"], l["plugins"], l["sectors"]) for l in body["items"]] == [
        ("alpha", "Alpha", ["voorbeeld"], ["po"]),
        ("beta", "Beta", [], ["vo", "mbo"]),
    ]
    assert 'rel="first"' in response.headers["Link"]


def test_paging_follows_the_conventions(client):
    page = client.get("/api/v1/lokets?page=2&pageSize=1").json
    assert [l["slug"] for l in page["items"]] == ["beta"]
    assert (page["page"], page["pageSize"], page["total"]) == (2, 1, 2)
    too_big = client.get("/api/v1/lokets?pageSize=101")
    assert too_big.status_code == 422
    assert too_big.json["invalidParams"] == [{"name": "pageSize", "reason": "must be at most 100"}]


def test_one_loket_shows_regions_plugins_and_their_history(client):
    body = client.get("/api/v1/lokets/alpha").json
    assert body["regions"] == [{"id": "po-utrecht", "name": "RAP-regio po Utrecht", "kind": "rap-po", "sectors": ["po"]}]
    [plugin] = body["plugins"]
    assert plugin["name"] == "voorbeeld" and plugin["enabledSince"].endswith("+00:00")
    [entry] = body["pluginHistory"]
    assert (entry["plugin"], entry["change"], entry["actor"]) == ("voorbeeld", "enabled", "config")
    assert len(entry["configSha256"]) == 64


def test_plugins_are_listed_with_where_they_are_on(client):
    plugins = {plugin["name"]: plugin for plugin in client.get("/api/v1/plugins").json["items"]}
    assert sorted(plugins) == ["vacatures", "vervangingspool", "voorbeeld"]
    assert (plugins["voorbeeld"]["version"], plugins["voorbeeld"]["enabledIn"]) == ("0.3.0", ["alpha"])
    assert (plugins["vacatures"]["source"], plugins["vacatures"]["enabledIn"]) == ("builtin", [])


def test_every_get_has_an_etag(client):
    first = client.get("/api/v1/lokets")
    assert first.headers["ETag"]
    again = client.get("/api/v1/lokets", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize(
    "method, path, status, slug",
    [
        ("GET", "/api/v1/nowhere", 404, "not-found"),
        ("GET", "/api/v1/lokets/gamma", 404, "not-found"),
        ("POST", "/api/v1/lokets", 405, "method-not-allowed"),
        ("DELETE", "/api/v1/lokets/alpha", 405, "method-not-allowed"),
        ("GET", "/api/v1/lokets/beta/voorbeeld/greetings", 404, "plugin-disabled"),
        ("POST", "/api/v1/lokets/alpha/voorbeeld/greetings", 401, "not-authenticated"),
    ],
)
def test_every_api_error_is_a_problem(client, method, path, status, slug):
    response = client.open(path, method=method)
    assert response.status_code == status
    assert response.content_type == "application/problem+json"
    body = response.json
    assert body["type"] == f"urn:loket:problem:{slug}"
    assert body["status"] == status and body["title"]


def test_a_crash_under_api_is_a_problem_without_a_trace(app, client):
    @app.get("/api/v1/crash")
    def crash():
        raise RuntimeError("secret internals")

    response = client.get("/api/v1/crash")
    assert response.status_code == 500
    assert response.content_type == "application/problem+json"
    assert "secret internals" not in response.text and "Traceback" not in response.text


def test_tokens_of_one_loket_cannot_act_in_another(client, token):
    from tests.conftest import bearer

    beta_admin = token("beta", "admin")
    response = client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={"text": "x"}, headers=bearer(beta_admin))
    assert response.status_code == 403
    assert response.json["type"] == "urn:loket:problem:permission-denied"
    bad = client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={"text": "x"}, headers={"Authorization": "Bearer loket_x_y"})
    assert bad.status_code == 401 and bad.headers["WWW-Authenticate"] == "Bearer"
