"""Search: Dutch stemming, accents, highlights, facets, filters — published content only."""

import pytest

from core.envelope import acting
from core.search import dutch_analyzer


@pytest.mark.parametrize(
    "a, b",
    [("leraren", "leraar"), ("opleidingen", "opleiding"), ("scholen", "school"), ("lessen", "les"), ("klassen", "klas"), ("conciërge", "concierge")],
)
def test_dutch_words_meet_their_forms(a, b):
    stem = lambda word: [t.text for t in dutch_analyzer()(word)]  # noqa: E731
    assert stem(a) == stem(b)


@pytest.fixture
def published(site):
    def publish(type_name, loket, data):
        with acting(actor="cli:test", loket=loket):
            saved = site.content.create(type_name, loket, data)
            site.content.publish(type_name, loket, saved.id)
        site.projections.catch_up()
        return saved

    return publish


def test_leraren_finds_leraar(site, published):
    published("page", "alpha", {"title": "Werken als leraar", "body": "Een leraar staat voor de klas.", "sectors": ["po"]})
    published("route", "alpha", {"title": "Zij-instroom", "kind": "lateral_entry", "body": "Voor wie docent wil worden.", "sectors": ["vo"]})
    result = site.search.search("alpha", "leraren", ["page", "route", "faq"])
    assert [h.title for h in result.hits] == ["Werken als leraar"]
    assert "<mark" in result.hits[0].highlights and "leraar</mark>" in result.hits[0].highlights


def test_facets_filters_and_lokets(site, published):
    published("page", "alpha", {"title": "Onderwijsassistent", "body": "Ondersteunt de leraar.", "sectors": ["po"]})
    published("faq", "alpha", {"question": "Wat doet een onderwijsassistent?", "answer": "Helpen in de klas.", "topic": "Beroepen", "sectors": ["po", "vo"]})
    published("page", "beta", {"title": "Onderwijsassistent vo", "body": "Ook in het vo.", "sectors": ["vo"]})
    result = site.search.search("alpha", "onderwijsassistent", ["page", "route", "faq"])
    assert result.total == 2
    assert result.facets == {"type": {"page": 1, "faq": 1}, "sector": {"po": 2, "vo": 1}}
    assert [h.type for h in site.search.search("alpha", "onderwijsassistent", ["faq"]).hits] == ["faq"]
    assert site.search.search("alpha", "onderwijsassistent", ["page", "faq"], {"sector": ["vo"]}).total == 1
    # Another loket's content is never found.
    assert {h.title for h in site.search.search("beta", "onderwijsassistent", ["page", "faq"]).hits} == {"Onderwijsassistent vo"}


def test_unpublished_and_withdrawn_content_leaves_the_index(site, published):
    saved = published("page", "alpha", {"title": "Vervangingspool", "body": "Invallen."})
    assert site.search.search("alpha", "vervangingspool", ["page"]).total == 1
    with acting(actor="cli:test"):
        site.content.unpublish("page", "alpha", saved.id)
    site.projections.catch_up()
    assert site.search.search("alpha", "vervangingspool", ["page"]).total == 0


def test_the_search_api(client, site, published):
    published("page", "alpha", {"title": "Werken als leraar", "body": "Een leraar staat voor de klas.", "sectors": ["po"]})
    body = client.get("/api/v1/lokets/alpha/search?q=leraren").json
    assert body["total"] == 1 and body["facets"]["type"] == {"page": 1}
    assert body["items"][0]["slug"] == "werken-als-leraar"
    assert client.get("/api/v1/lokets/alpha/search?q=leraren&sector=hbo").status_code == 422
    assert client.get("/api/v1/lokets/alpha/search?q=" + "x" * 201).status_code == 422
    assert client.get("/api/v1/lokets/gamma/search?q=x").status_code == 404
    # An empty query lists everything published, with facets.
    assert client.get("/api/v1/lokets/alpha/search").json["total"] == 1


def test_the_open_searcher_sees_a_delete_only_commit(tmp_path):
    # whoosh's own Searcher.refresh() misses deletions committed without additions; ours must not.
    from eventsourcing.persistence import Tracking

    from core.search import WhooshIndex

    index = WhooshIndex(tmp_path / "search")
    index.upsert({"id": "a", "loket": "alpha", "type": "page", "title": "Leraar", "body": ""})
    index.upsert({"id": "b", "loket": "alpha", "type": "page", "title": "Leraar", "body": ""})
    index.insert_tracking(Tracking("search", 1))
    index.flush()
    assert index.search("alpha", "leraar", ["page"]).total == 2
    index.delete("a")
    index.insert_tracking(Tracking("search", 2))
    index.flush()
    assert index.search("alpha", "leraar", ["page"]).total == 1
    assert [d["id"] for d in index.dump()] == ["b"]
    index.close()
