"""The sitemap and the Atom feeds of the vacancy bank, parsed as a search engine and a feed reader
would: with xml.etree, and with feedparser for the feeds."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from uuid import UUID
from xml.etree import ElementTree as ET

import feedparser
import pytest

from core.config import load_config
from core.envelope import acting
from plugins.vacatures import feeds, lifecycle
from tests.plugins.vacatures.conftest import CONFIG, LIST, post_vacancy

SITEMAP = "/api/v1/lokets/{loket}/vacatures/sitemap.xml"
FEED = "/api/v1/lokets/{loket}/vacatures/feed.atom"
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
A = "{http://www.w3.org/2005/Atom}"
#: W3C Datetime (https://www.w3.org/TR/NOTE-datetime), complete date plus time and zone.
W3C_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")


def detail_url(slug: str, loket: str = "alpha") -> str:
    return f"http://localhost/api/v1/lokets/{loket}/vacatures/vacancies/{slug}"


def sitemap_of(client, loket: str = "alpha", **args) -> ET.Element:
    response = client.get(SITEMAP.format(loket=loket), query_string=args)
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/xml"
    return ET.fromstring(response.data)


def locs(root: ET.Element) -> list[str]:
    return [url.findtext(f"{SM}loc") for url in root.findall(f"{SM}url")]


def feed_of(client, loket: str = "alpha", **args) -> tuple[ET.Element, bytes]:
    response = client.get(FEED.format(loket=loket), query_string=args)
    assert response.status_code == 200, response.data
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.data), response.data


def apply_settings(site, write_config, tmp_path, public_url: str) -> None:
    """Change alpha's plugin settings the way ``loket config apply`` does: a new file, applied."""
    text = CONFIG.replace("warn_days_before = 5\n", f'warn_days_before = 5\npublic_url = "{public_url}"\n')
    path = write_config(text, url=f"sqlite:///{tmp_path}/store/events.sqlite", name="changed.toml")
    site.lokets.apply_config(load_config(path, site.plugins))


# Sitemap


def test_sitemap_lists_the_open_vacancies_only(client, editor, site):
    # Three open vacancies, one draft, one filled, one expired, one withdrawn.
    open_ones = [post_vacancy(client, editor, title=f"Leraar groep {n}") for n in (3, 4, 5)]
    post_vacancy(client, editor, publish=False, title="Nog een concept")
    filled = post_vacancy(client, editor, title="Al vervuld")
    soon = post_vacancy(client, editor, title="Bijna voorbij", validThrough=(date.today() + timedelta(days=1)).isoformat())
    withdrawn = post_vacancy(client, editor, title="Ingetrokken")
    gone = client.delete(f"{LIST.format(loket='alpha')}/{withdrawn['id']}", headers={**editor, "If-Match": f'"{withdrawn["version"]}"'})
    assert gone.status_code < 300, gone.json
    with acting(actor="cli:test", loket="alpha"):
        lifecycle.fill(site, "alpha", UUID(filled["id"]))
    assert lifecycle.expire_due(site, datetime.now(timezone.utc) + timedelta(days=3)) == [f"alpha: expired vacancy {soon['slug']}"]
    site.projections.catch_up()

    # The sitemap is a sitemaps.org urlset with exactly the open ones, at their API detail.
    root = sitemap_of(client)
    assert root.tag == f"{SM}urlset"
    assert sorted(locs(root)) == sorted(detail_url(v["slug"]) for v in open_ones)
    for url in root.findall(f"{SM}url"):
        # lastmod is a W3C datetime: the moment of the vacancy's last publication.
        lastmod = url.findtext(f"{SM}lastmod")
        assert W3C_DATETIME.match(lastmod), lastmod
        slug = url.findtext(f"{SM}loc").rsplit("/", 1)[1]
        published = client.get(f"{LIST.format(loket='alpha')}/{slug}").json["publishedAt"]
        assert abs(datetime.fromisoformat(lastmod) - datetime.fromisoformat(published)) < timedelta(seconds=1)


def test_sitemap_points_at_the_lokets_own_site(client, editor, site, write_config, tmp_path):
    item = post_vacancy(client, editor)
    apply_settings(site, write_config, tmp_path, "https://voordeklas.example/vacatures/{slug}?bron=loket&x=1")
    root = sitemap_of(client)
    assert locs(root) == [f"https://voordeklas.example/vacatures/{item['slug']}?bron=loket&x=1"]
    # The & is escaped in the bytes (ElementTree does it), so the XML stays well-formed.
    assert b"?bron=loket&amp;x=1" in client.get(SITEMAP.format(loket="alpha")).data


def test_a_republished_vacancy_gets_a_new_lastmod(client, editor):
    item = post_vacancy(client, editor)
    before = sitemap_of(client).find(f"{SM}url").findtext(f"{SM}lastmod")
    # Extend the last day: that republishes it.
    new_day = (date.today() + timedelta(days=40)).isoformat()
    changed = client.put(
        f"{LIST.format(loket='alpha')}/{item['id']}",
        json={**_input_of(client, editor, item["id"]), "validThrough": new_day},
        headers={**editor, "If-Match": f'"{item["version"]}"'},
    )
    assert changed.status_code == 200, changed.json
    assert client.post(f"{LIST.format(loket='alpha')}/{item['id']}/publish", headers=editor).status_code == 200
    after = sitemap_of(client).find(f"{SM}url").findtext(f"{SM}lastmod")
    assert datetime.fromisoformat(after) >= datetime.fromisoformat(before)
    detail = client.get(f"{LIST.format(loket='alpha')}/{item['slug']}").json
    assert abs(datetime.fromisoformat(after) - datetime.fromisoformat(detail["publishedAt"])) < timedelta(seconds=1)


def _input_of(client, headers, item_id: str) -> dict:
    """The working copy's fields as the API takes them back."""
    copy = client.get(f"{LIST.format(loket='alpha')}/{item_id}", headers=headers).json
    keep = ("title", "summary", "description", "sectors", "schoolBoard", "schoolBoardName", "school", "schoolName", "function",
            "kind", "region", "place", "postcode", "hoursMin", "hoursMax", "salaryScale", "salaryMin", "salaryMax",
            "zijInstroom", "applyUrl", "contactName", "contactEmail", "validThrough")
    return {name: copy[name] for name in keep}


def test_past_50000_the_sitemap_is_an_index_of_pages(client, editor, monkeypatch):
    # The limit, made small so that three vacancies overflow it.
    monkeypatch.setattr(feeds, "SITEMAP_MAX_URLS", 2)
    items = [post_vacancy(client, editor, title=f"Vacature {n}") for n in range(3)]

    index = sitemap_of(client)
    assert index.tag == f"{SM}sitemapindex"
    pages = [entry.findtext(f"{SM}loc") for entry in index.findall(f"{SM}sitemap")]
    assert pages == [f"http://localhost{SITEMAP.format(loket='alpha')}?page={n}" for n in (1, 2)]
    assert all(W3C_DATETIME.match(entry.findtext(f"{SM}lastmod")) for entry in index.findall(f"{SM}sitemap"))

    # Each page is a urlset; together they hold every vacancy once, oldest first.
    first, second = (sitemap_of(client, page=n) for n in (1, 2))
    assert first.tag == second.tag == f"{SM}urlset"
    assert locs(first) + locs(second) == [detail_url(item["slug"]) for item in items]

    # A page past the end is 404, a page that is not a number 422.
    assert client.get(SITEMAP.format(loket="alpha"), query_string={"page": 3}).status_code == 404
    wrong = client.get(SITEMAP.format(loket="alpha"), query_string={"page": "0"})
    assert wrong.status_code == 422 and wrong.json["invalidParams"][0]["name"] == "page"


def test_an_empty_sitemap_is_still_a_valid_urlset(client):
    root = sitemap_of(client, loket="beta")
    assert root.tag == f"{SM}urlset" and locs(root) == []


def test_sitemap_answers_if_modified_since(client, editor):
    post_vacancy(client, editor)
    response = client.get(SITEMAP.format(loket="alpha"))
    assert response.last_modified is not None
    again = client.get(SITEMAP.format(loket="alpha"), headers={"If-Modified-Since": response.headers["Last-Modified"]})
    assert again.status_code == 304


@pytest.mark.parametrize("path", [SITEMAP, FEED])
def test_plugin_off_is_a_404_problem(client, path):
    response = client.get(path.format(loket="gamma"))
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json["type"] == "urn:loket:problem:plugin-disabled"


# Atom


def test_feed_has_what_rfc_4287_requires(client, editor):
    items = [post_vacancy(client, editor, title=f"Leraar groep {n}") for n in (1, 2, 3)]
    root, data = feed_of(client)

    # The feed: id, title, updated, author, a self link; in Atom's namespace.
    assert root.tag == f"{A}feed"
    assert root.findtext(f"{A}id") == "http://localhost" + FEED.format(loket="alpha")
    assert root.findtext(f"{A}title") == "Vacatures bij Alpha"
    assert W3C_DATETIME.match(root.findtext(f"{A}updated"))
    assert root.findtext(f"{A}author/{A}name") == "Alpha"
    self_link = next(link for link in root.findall(f"{A}link") if link.get("rel") == "self")
    assert self_link.get("href") == root.findtext(f"{A}id") and self_link.get("type") == "application/atom+xml"

    # Each entry: id, title, updated, published, a link to the page; newest first.
    entries = root.findall(f"{A}entry")
    assert [e.findtext(f"{A}id") for e in entries] == [f"urn:uuid:{item['id']}" for item in reversed(items)]
    for entry, item in zip(entries, reversed(items)):
        assert entry.findtext(f"{A}title") == item["title"]
        assert W3C_DATETIME.match(entry.findtext(f"{A}updated")) and W3C_DATETIME.match(entry.findtext(f"{A}published"))
        assert entry.find(f"{A}link").get("href") == detail_url(item["slug"])
        assert entry.findtext(f"{A}summary").startswith("Voor 0,8 fte in Zeist")
        terms = {(c.get("scheme"), c.get("term")) for c in entry.findall(f"{A}category")}
        assert {("urn:loket:vacatures:sector", "po"), ("urn:loket:vacatures:function", "leraar"), ("urn:loket:vacatures:kind", "regular")} <= terms
    # The feed's updated is its newest entry's.
    assert root.findtext(f"{A}updated") == entries[0].findtext(f"{A}updated")

    # A feed reader agrees: a well-formed Atom 1.0 feed.
    parsed = feedparser.parse(data)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert [e.id for e in parsed.entries] == [f"urn:uuid:{item['id']}" for item in reversed(items)]
    assert parsed.entries[0].link == detail_url(items[-1]["slug"])


def test_a_filter_makes_the_feed_of_that_saved_filter(client, editor):
    post_vacancy(client, editor, title="Juf groep 3")
    vo = post_vacancy(client, editor, title="Docent wiskunde", sectors=["vo"], subjects=["wiskunde"], salaryScale="LB")

    root, _ = feed_of(client, sector="vo")
    assert [e.findtext(f"{A}id") for e in root.findall(f"{A}entry")] == [f"urn:uuid:{vo['id']}"]
    assert root.findtext(f"{A}title") == "Vacatures bij Alpha: sector vo"
    # Its id and self link name the filter, so each saved filter is a feed of its own.
    assert root.findtext(f"{A}id") == "http://localhost" + FEED.format(loket="alpha") + "?sector=vo"
    unfiltered, _ = feed_of(client)
    assert len(unfiltered.findall(f"{A}entry")) == 2

    # The same filter in another order or spelling is the same feed.
    one, _ = feed_of(client, sector=["vo", "po"], hoursMin="20.0", zijInstroom="True", kind="substitution")
    other, _ = feed_of(client, kind="substitution", zijInstroom="true", hoursMin="20", sector=["po", "vo"])
    assert one.findtext(f"{A}id") == other.findtext(f"{A}id")
    assert one.findtext(f"{A}title") == "Vacatures bij Alpha: sector vo of po; soort vervanging; vanaf 20 uur; geschikt voor zij-instromers"


def test_a_wrong_filter_is_a_422_problem(client):
    response = client.get(FEED.format(loket="alpha"), query_string={"sector": "hbo"})
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


def test_html_content_is_escaped_and_sanitised(client, editor):
    post_vacancy(client, editor, title="Leraar <b>groep</b> 5\x0b & meer", description="<script>alert('x')</script> Wij zoeken **jou**.")
    root, data = feed_of(client)

    # No markup of the vacancy reaches the XML unescaped: no element of its own, no script.
    assert b"<script" not in data and b"<b>" not in data
    entry = root.find(f"{A}entry")
    assert entry.findtext(f"{A}title") == "Leraar <b>groep</b> 5 & meer"  # text, with the control character dropped
    content = entry.find(f"{A}content")
    assert content.get("type") == "html"
    assert "<strong>jou</strong>" in content.text  # the sanitised HTML, as escaped text
    assert "<script" not in content.text  # the renderer left it as words, not as a tag
    assert not feedparser.parse(data).bozo


def test_feed_holds_the_newest_50(client, editor, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_SIZE", 2)
    items = [post_vacancy(client, editor, title=f"Vacature {n}") for n in range(3)]
    root, _ = feed_of(client)
    assert [e.findtext(f"{A}id") for e in root.findall(f"{A}entry")] == [f"urn:uuid:{item['id']}" for item in items[:0:-1]]


def test_an_empty_feed_is_still_valid(client):
    root, data = feed_of(client, loket="beta")
    assert root.findall(f"{A}entry") == []
    assert W3C_DATETIME.match(root.findtext(f"{A}updated"))
    assert not feedparser.parse(data).bozo


def test_feed_entries_link_to_the_lokets_site(client, editor, site, write_config, tmp_path):
    item = post_vacancy(client, editor)
    apply_settings(site, write_config, tmp_path, "https://voordeklas.example/vacatures/")
    root, _ = feed_of(client)
    assert root.find(f"{A}entry/{A}link").get("href") == f"https://voordeklas.example/vacatures/{item['slug']}"


def test_openapi_paths_describe_both_routes():
    paths = feeds.openapi_paths(spec=None)
    assert set(paths) == {"/sitemap.xml", "/feed.atom"}
    assert "application/atom+xml" in paths["/feed.atom"]["get"]["responses"]["200"]["content"]
    names = {p["name"] for p in paths["/feed.atom"]["get"]["parameters"]}
    assert names == {"q", "sector", "function", "subject", "kind", "region", "schoolBoard", "hoursMin", "hoursMax", "zijInstroom"}
