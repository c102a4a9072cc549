"""The content API for every core type: lifecycle, scheduling, revert, validation, concurrency,
idempotency, caching, tenant isolation — and drafts never public."""

from datetime import datetime, timedelta, timezone

import pytest

from tests.conftest import bearer

PAGE = {"title": "Leraar basisonderwijs", "summary": "Werken met kinderen", "body": "De **leraar** staat voor de klas.", "sectors": ["po"], "professions": ["leraar"], "audiences": ["zij-instromers"], "tags": ["beroep"]}
ROUTE = {
    "title": "Zij-instroom po",
    "kind": "lateral_entry",
    "summary": "Leraar worden naast je baan",
    "body": "Je **werkt** en leert tegelijk.",
    "sectors": ["po"],
    "duration": "2 jaar",
    "durationMonths": 24,
    "cost": "betaald door de school",
    "costEuros": 0,
    "conditions": ["een afgeronde hbo- of wo-opleiding"],
    "steps": [{"title": "Geschiktheidsonderzoek", "description": "Een assessment"}],
    "onderwijsloketUrl": "https://www.onderwijsloket.com/",
}
FAQ = {"question": "Wat verdien ik?", "answer": "Dat hangt af van de **schaal**.", "topic": "Salaris", "sectors": ["po"]}
TYPES = [("pages", PAGE, "title"), ("routes", ROUTE, "title"), ("faq", FAQ, "question")]


@pytest.fixture
def editor(token):
    return bearer(token("alpha", "editor"))


def create(client, headers, plural, data, loket="alpha"):
    response = client.post(f"/api/v1/lokets/{loket}/{plural}", json=data, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


@pytest.mark.parametrize("plural, data, title_field", TYPES)
def test_the_lifecycle_of_every_type(client, editor, plural, data, title_field):
    base = f"/api/v1/lokets/alpha/{plural}"

    # Drafting: the working copy is there for editors, nothing is public.
    item = create(client, editor, plural, data)
    assert (item["status"], item["version"]) == ("draft", 1)
    assert client.get(base).json["total"] == 0
    assert client.get(f"{base}/{item['slug']}").status_code == 404

    # Publishing makes it public, pre-rendered, with Markdown as sanitised HTML.
    published = client.post(f"{base}/{item['id']}/publish", headers=editor)
    assert published.status_code == 200 and published.json["status"] == "published"
    public = client.get(f"{base}/{item['slug']}").json
    assert public[title_field] == data[title_field]
    assert "<strong>" in public.get("bodyHtml", public.get("answerHtml", ""))
    assert public["jsonLd"]["@context"] == "https://schema.org"
    assert "status" not in public and "version" not in public

    # Revising the working copy leaves the public copy alone until it is published again.
    changed = client.patch(f"{base}/{item['id']}", json={title_field: "Nieuw"}, headers={**editor, "If-Match": published.headers["ETag"]})
    assert changed.status_code == 200 and changed.json[title_field] == "Nieuw"
    assert client.get(f"{base}/{item['slug']}").json[title_field] == data[title_field]
    client.post(f"{base}/{item['id']}/publish", headers=editor)
    assert client.get(f"{base}/{item['slug']}").json[title_field] == "Nieuw"

    # Publishing again without changes is refused: there is nothing to publish.
    again = client.post(f"{base}/{item['id']}/publish", headers=editor)
    assert again.status_code == 409

    # Unpublishing takes it out; withdrawing deletes it from every list; history stays.
    assert client.post(f"{base}/{item['id']}/unpublish", headers=editor).json["status"] == "unpublished"
    assert client.get(f"{base}/{item['slug']}").status_code == 404
    current = client.get(f"{base}/{item['id']}", headers=editor)
    withdrawn = client.delete(f"{base}/{item['id']}", headers={**editor, "If-Match": current.headers["ETag"]})
    assert withdrawn.json["status"] == "withdrawn"
    history = client.get(f"{base}/{item['id']}/history", headers=editor).json["items"]
    assert [h["event"] for h in history] == ["Drafted", "Published", "Revised", "Published", "Unpublished", "Withdrawn"]
    assert {h["actor"] for h in history} == {history[0]["actor"]} and history[0]["actor"].startswith("token:")

    # The slug is free again.
    assert create(client, editor, plural, data)["slug"] == item["slug"]


def test_slugs_are_unique_per_loket_and_type(client, editor, token):
    first = create(client, editor, "pages", PAGE)
    second = create(client, editor, "pages", PAGE)
    assert (first["slug"], second["slug"]) == ("leraar-basisonderwijs", "leraar-basisonderwijs-2")
    taken = client.post("/api/v1/lokets/alpha/pages", json={**PAGE, "slug": "leraar-basisonderwijs"}, headers=editor)
    assert taken.status_code == 422
    assert taken.json["invalidParams"] == [{"name": "slug", "reason": "is already used by another page in this loket"}]
    # Another type, or another loket, may use the same slug.
    assert create(client, editor, "routes", {**ROUTE, "slug": "leraar-basisonderwijs"})["slug"] == "leraar-basisonderwijs"
    other = bearer(token("beta", "editor"))
    assert create(client, other, "pages", PAGE, loket="beta")["slug"] == "leraar-basisonderwijs"


@pytest.mark.parametrize(
    "plural, data, field, reason",
    [
        ("pages", {}, "title", "missing data for required field"),
        ("pages", {**PAGE, "title": ""}, "title", "length must be between 1 and 200"),
        ("pages", {**PAGE, "sectors": ["hbo"]}, "sectors[0]", "must be one of: po, vo, mbo"),
        ("pages", {**PAGE, "professions": ["piloot"]}, "professions[0]", "must be one of"),
        ("pages", {**PAGE, "slug": "Met Spaties"}, "slug", "use lowercase letters"),
        ("pages", {**PAGE, "colour": "red"}, "colour", "unknown key"),
        ("routes", {**ROUTE, "kind": "toverschool"}, "kind", "must be one of"),
        ("routes", {**ROUTE, "durationMonths": 0}, "durationMonths", "greater than or equal to 1"),
        ("routes", {**ROUTE, "onderwijsloketUrl": "http://example.com"}, "onderwijsloketUrl", "not a valid url"),
        ("routes", {**ROUTE, "steps": [{"description": "zonder titel"}]}, "steps[0].title", "missing data for required field"),
        ("faq", {**FAQ, "topic": "  "}, "topic", "must not be blank"),
        ("faq", {"question": "Alleen een vraag?"}, "answer", "missing data for required field"),
    ],
)
def test_each_validation_error_names_the_field(client, editor, plural, data, field, reason):
    response = client.post(f"/api/v1/lokets/alpha/{plural}", json=data, headers=editor)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    params = {p["name"]: p["reason"] for p in response.json["invalidParams"]}
    assert field in params and reason in params[field], params
    assert client.get(f"/api/v1/lokets/alpha/{plural}?status=all", headers=editor).json["total"] == 0


def test_changes_need_if_match_and_stale_versions_are_refused(client, editor):
    item = create(client, editor, "pages", PAGE)
    url = f"/api/v1/lokets/alpha/pages/{item['id']}"

    # Without If-Match: 428.
    missing = client.patch(url, json={"title": "A"}, headers=editor)
    assert missing.status_code == 428 and missing.json["type"] == "urn:loket:problem:precondition-required"
    assert client.delete(url, headers=editor).status_code == 428

    # Two editors read version 1; the first saves, the second is refused with 412 and the current ETag.
    first = client.patch(url, json={"title": "Eerste"}, headers={**editor, "If-Match": '"1"'})
    assert first.status_code == 200 and first.headers["ETag"] == '"2"'
    second = client.patch(url, json={"title": "Tweede"}, headers={**editor, "If-Match": '"1"'})
    assert second.status_code == 412 and second.headers["ETag"] == '"2"'
    assert client.get(url, headers=editor).json["title"] == "Eerste"
    assert client.patch(url, json={"title": "Tweede"}, headers={**editor, "If-Match": "nonsense"}).status_code == 422


def test_put_replaces_and_patch_merges(client, editor):
    item = create(client, editor, "pages", PAGE)
    url = f"/api/v1/lokets/alpha/pages/{item['id']}"
    merged = client.patch(url, json={"summary": "Kort"}, headers={**editor, "If-Match": '"1"'}).json
    assert (merged["title"], merged["summary"], merged["tags"]) == (PAGE["title"], "Kort", ["beroep"])
    replaced = client.put(url, json={"title": "Alleen een titel"}, headers={**editor, "If-Match": '"2"'}).json
    assert (replaced["title"], replaced["summary"], replaced["tags"]) == ("Alleen een titel", "", [])


def test_an_idempotent_post_acts_once(client, editor):
    headers = {**editor, "Idempotency-Key": "a1b2c3"}
    first = client.post("/api/v1/lokets/alpha/pages", json=PAGE, headers=headers)
    again = client.post("/api/v1/lokets/alpha/pages", json=PAGE, headers=headers)
    assert first.status_code == again.status_code == 201
    assert first.json["id"] == again.json["id"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert client.get("/api/v1/lokets/alpha/pages?status=all", headers=editor).json["total"] == 1
    # The same key for another request is refused.
    other = client.post("/api/v1/lokets/alpha/pages", json={**PAGE, "title": "Anders"}, headers=headers)
    assert other.status_code == 422 and other.json["invalidParams"][0]["name"] == "Idempotency-Key"


def test_get_has_an_etag_and_if_none_match_gives_304(client, editor):
    item = create(client, editor, "pages", PAGE)
    client.post(f"/api/v1/lokets/alpha/pages/{item['id']}/publish", headers=editor)
    for url, headers in ((f"/api/v1/lokets/alpha/pages/{item['slug']}", {}), ("/api/v1/lokets/alpha/pages", {}), (f"/api/v1/lokets/alpha/pages/{item['id']}", editor)):
        first = client.get(url, headers=headers)
        assert first.headers["ETag"]
        assert client.get(url, headers={**headers, "If-None-Match": first.headers["ETag"]}).status_code == 304


def test_a_token_of_one_loket_can_neither_read_drafts_of_nor_write_to_another(client, token, editor):
    item = create(client, editor, "pages", PAGE)
    beta_admin = bearer(token("beta", "admin"))
    # Reading alpha's drafts with beta's token: refused, by list and by id.
    assert client.get("/api/v1/lokets/alpha/pages?status=draft", headers=beta_admin).status_code == 403
    assert client.get(f"/api/v1/lokets/alpha/pages/{item['id']}", headers=beta_admin).status_code == 403
    # Writing to alpha: refused.
    assert client.post("/api/v1/lokets/alpha/pages", json=PAGE, headers=beta_admin).status_code == 403
    assert client.post(f"/api/v1/lokets/alpha/pages/{item['id']}/publish", headers=beta_admin).status_code == 403
    # Reaching alpha's item through beta's URL: it does not exist there.
    assert client.get(f"/api/v1/lokets/beta/pages/{item['id']}", headers=beta_admin).status_code == 404
    assert client.post(f"/api/v1/lokets/beta/pages/{item['id']}/publish", headers=beta_admin).status_code == 404
    assert client.get(f"/api/v1/lokets/alpha/pages/{item['id']}", headers=editor).json["status"] == "draft"
    # An anonymous reader gets no drafts at all.
    assert client.get("/api/v1/lokets/alpha/pages?status=draft").status_code == 401


def test_drafts_are_never_in_the_public_api(client, editor):
    draft = create(client, editor, "pages", {**PAGE, "title": "Geheim concept over leraren"})
    live = create(client, editor, "pages", {**PAGE, "title": "Openbaar over leraren"})
    client.post(f"/api/v1/lokets/alpha/pages/{live['id']}/publish", headers=editor)
    listed = client.get("/api/v1/lokets/alpha/pages").json["items"]
    assert [i["title"] for i in listed] == ["Openbaar over leraren"]
    assert client.get(f"/api/v1/lokets/alpha/pages/{draft['slug']}").status_code == 404
    assert client.get(f"/api/v1/lokets/alpha/pages/{draft['id']}").status_code == 401
    found = client.get("/api/v1/lokets/alpha/search?q=leraren").json
    assert [h["title"] for h in found["items"]] == ["Openbaar over leraren"]
    # A published item's unpublished edits are not public either.
    client.patch(f"/api/v1/lokets/alpha/pages/{live['id']}", json={"title": "Nog niet klaar"}, headers={**editor, "If-Match": '"2"'})
    assert client.get("/api/v1/lokets/alpha/search?q=klaar").json["total"] == 0
    assert client.get(f"/api/v1/lokets/alpha/pages/{live['slug']}").json["title"] == "Openbaar over leraren"


def test_lists_filter_sort_and_page(client, editor):
    for title, sectors, tag in (("Bravo", ["po"], "a"), ("Alfa", ["vo"], "b"), ("Charlie", ["po", "vo"], "a")):
        item = create(client, editor, "pages", {**PAGE, "title": title, "sectors": sectors, "tags": [tag]})
        client.post(f"/api/v1/lokets/alpha/pages/{item['id']}/publish", headers=editor)
    titles = lambda query: [i["title"] for i in client.get(f"/api/v1/lokets/alpha/pages{query}").json["items"]]  # noqa: E731
    assert titles("") == ["Alfa", "Bravo", "Charlie"]
    assert titles("?sort=-title") == ["Charlie", "Bravo", "Alfa"]
    assert titles("?sector=po") == ["Bravo", "Charlie"]
    assert titles("?sector=po&tag=a") == ["Bravo", "Charlie"]
    assert titles("?tag=b") == ["Alfa"]
    page = client.get("/api/v1/lokets/alpha/pages?pageSize=2&page=2")
    assert [i["title"] for i in page.json["items"]] == ["Charlie"] and page.json["total"] == 3
    assert 'rel="prev"' in page.headers["Link"]
    assert client.get("/api/v1/lokets/alpha/pages?sort=colour").status_code == 422


def test_faq_is_grouped_by_topic(client, editor):
    for question, topic in (("Hoe lang duurt het?", "Opleiding"), ("Wat verdien ik?", "Salaris"), ("Waar begin ik?", "Opleiding")):
        item = create(client, editor, "faq", {**FAQ, "question": question, "topic": topic})
        client.post(f"/api/v1/lokets/alpha/faq/{item['id']}/publish", headers=editor)
    items = client.get("/api/v1/lokets/alpha/faq?sort=topic").json["items"]
    assert [(i["topic"], i["question"]) for i in items][0][0] == "Opleiding"
    assert [i["question"] for i in client.get("/api/v1/lokets/alpha/faq?topic=Salaris").json["items"]] == ["Wat verdien ik?"]


def test_revert_restores_an_earlier_version_as_a_new_one(client, editor):
    item = create(client, editor, "routes", ROUTE)
    url = f"/api/v1/lokets/alpha/routes/{item['id']}"
    client.patch(url, json={"title": "Verkeerd", "durationMonths": 99}, headers={**editor, "If-Match": '"1"'})
    reverted = client.post(f"{url}/revert", json={"toVersion": 1}, headers=editor)
    assert reverted.status_code == 200
    assert (reverted.json["title"], reverted.json["durationMonths"], reverted.json["version"]) == ("Zij-instroom po", 24, 3)
    history = client.get(f"{url}/history", headers=editor).json["items"]
    assert [h["event"] for h in history] == ["Drafted", "Revised", "Reverted"]
    assert client.post(f"{url}/revert", json={"toVersion": 3}, headers=editor).status_code == 422
    assert client.post(f"{url}/revert", json={"toVersion": "1"}, headers=editor).status_code == 422


def test_scheduled_publication_is_carried_out_by_the_tick(site, client, editor):
    item = create(client, editor, "pages", PAGE)
    url = f"/api/v1/lokets/alpha/pages/{item['id']}"
    now = datetime.now(timezone.utc)
    publish_at, unpublish_at = now + timedelta(hours=1), now + timedelta(hours=2)

    # Plan it; nothing happens before the moment comes.
    planned = client.post(f"{url}/schedule", json={"publishAt": publish_at.isoformat(), "unpublishAt": unpublish_at.isoformat()}, headers=editor)
    assert planned.status_code == 200 and planned.json["publishAt"]
    assert site.tick(now) == []
    assert client.get("/api/v1/lokets/alpha/pages").json["total"] == 0

    # At publishAt the tick publishes it, as system, caused by the plan.
    assert site.tick(publish_at + timedelta(seconds=1)) == ["alpha: published page leraar-basisonderwijs"]
    site.projections.catch_up()
    assert client.get("/api/v1/lokets/alpha/pages").json["total"] == 1
    events = list(site.app.events.get(__import__("uuid").UUID(item["id"])))
    assert events[-1].envelope["actor"] == "system"
    assert events[-1].envelope["causation_id"] == f"{item['id']}/2"

    # At unpublishAt it goes offline again; a second tick finds nothing.
    assert site.tick(unpublish_at + timedelta(seconds=1)) == ["alpha: unpublished page leraar-basisonderwijs"]
    site.projections.catch_up()
    assert site.tick(unpublish_at + timedelta(minutes=1)) == []
    assert client.get("/api/v1/lokets/alpha/pages").json["total"] == 0


@pytest.mark.parametrize(
    "plan, field",
    [
        ({"publishAt": "2026-03-01T09:00:00"}, "publishAt"),
        ({"publishAt": "morgen"}, "publishAt"),
        ({"publishAt": "2026-03-02T09:00:00+01:00", "unpublishAt": "2026-03-01T09:00:00+01:00"}, "unpublishAt"),
        ({"when": "soon"}, "when"),
    ],
)
def test_bad_plans_are_refused(client, editor, plan, field):
    item = create(client, editor, "pages", PAGE)
    response = client.post(f"/api/v1/lokets/alpha/pages/{item['id']}/schedule", json=plan, headers=editor)
    assert response.status_code == 422
    assert field in [p["name"] for p in response.json["invalidParams"]]


def test_writes_are_read_back_at_once_with_their_position(client, editor, site):
    response = client.post("/api/v1/lokets/alpha/pages", json=PAGE, headers=editor)
    position = int(response.headers["X-Loket-Position"])
    assert position == site.app.position()
    listed = client.get("/api/v1/lokets/alpha/pages?status=draft", headers=editor)
    assert int(listed.headers["X-Loket-Position"]) >= position
    assert listed.json["total"] == 1


def test_cors_for_configured_origins_only(write_config, tmp_path):
    from core.site import Site
    from tests.conftest import BASE_CONFIG
    from web import create_app

    text = BASE_CONFIG.replace("[[regions]]", '[api]\ncors_origins = ["https://www.voordeklas.nl"]\n\n[[regions]]', 1)
    site = Site.open(write_config(text))
    site.apply_config()
    client = create_app(site).test_client()
    allowed = client.get("/api/v1/lokets", headers={"Origin": "https://www.voordeklas.nl"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://www.voordeklas.nl"
    assert "X-Loket-Position" in allowed.headers["Access-Control-Expose-Headers"]
    preflight = client.options("/api/v1/lokets/alpha/pages", headers={"Origin": "https://www.voordeklas.nl", "Access-Control-Request-Method": "POST"})
    assert "If-Match" in preflight.headers["Access-Control-Allow-Headers"]
    other = client.get("/api/v1/lokets", headers={"Origin": "https://evil.example"})
    assert "Access-Control-Allow-Origin" not in other.headers
    site.close()
