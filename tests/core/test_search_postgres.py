"""Search in PostgreSQL (``[search] engine = "postgres"``): the index itself, the projection that feeds
it, and the same answers as whoosh on the same content wherever ranking is not involved.

The search tests of tests/core/test_search.py run here too, against the PostgreSQL engine: they are
imported below, and this module's ``site`` fixture gives them a site that searches in PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from core.config import ConfigError, load_config
from core.envelope import acting
from core.plugins import Plugins
from core.search_postgres import PostgresSearchIndex, expand_tsquery, fold, stem_variants
from core.store import parse_store_url
from eventsourcing.persistence import Tracking
from tests.conftest import BASE_CONFIG, PG_DSN, bearer, run_cli
from tests.core.test_projections import dump, make_history
from tests.core.test_search import (  # noqa: F401 - collected here again, with this module's site
    published,
    test_facets_filters_and_lokets,
    test_leraren_finds_leraar,
    test_the_search_api,
    test_unpublished_and_withdrawn_content_leaves_the_index,
)

pytestmark = pytest.mark.postgres

POSTGRES_SEARCH = '[search]\nengine = "postgres"\n\n'


def with_engine(config: str, engine: str, data_dir: str = "data") -> str:
    """``config`` with ``[search] engine`` and ``[data] dir`` set (both top-level tables)."""
    return f'[search]\nengine = "{engine}"\n\n[data]\ndir = "{data_dir}"\n\n' + config


@pytest.fixture
def site(write_config, pg_url):
    """The base site on PostgreSQL, searching in PostgreSQL."""
    from core.site import Site

    site = Site.open(write_config(with_engine(BASE_CONFIG, "postgres"), url=pg_url))
    site.apply_config()
    yield site
    site.close()


@pytest.fixture
def index(pg_url):
    index = PostgresSearchIndex(parse_store_url(pg_url, Path(".")))
    yield index
    index.close()


def doc(id: str, title: str, body: str = "", loket: str = "alpha", type: str = "page", sector: str = "", tag: str = "") -> dict:
    """A document as the search projection hands it over (sectors and tags comma-separated)."""
    return {"id": id, "loket": loket, "type": type, "slug": id, "title": title, "body": body, "sector": sector, "tag": tag}


def fill(index: PostgresSearchIndex, *documents: dict, position: int = 1) -> None:
    for document in documents:
        index.upsert(document)
    index.insert_tracking(Tracking("search", position))
    index.flush()


def ids(index, text, types=("page", "faq", "route"), **kwargs) -> set[str]:
    return {hit.id for hit in index.search("alpha", text, list(types), **kwargs).hits}


# Configuration


def test_the_engine_is_chosen_in_the_configuration(write_config, pg_url, tmp_path):
    plugins = Plugins()
    assert load_config(write_config(), plugins).search_engine == "whoosh"  # the default
    assert load_config(write_config(POSTGRES_SEARCH + BASE_CONFIG, url=pg_url), plugins).search_engine == "postgres"
    with pytest.raises(ConfigError) as raised:
        load_config(write_config(POSTGRES_SEARCH + BASE_CONFIG, url="sqlite:///data/events.sqlite"), plugins)
    assert [str(p).replace(f"{tmp_path}/", "") for p in raised.value.problems] == [
        "loket.toml: search.engine: 'postgres' searches in the store's PostgreSQL database, but [store] url is "
        'sqlite:///data/events.sqlite; use a postgresql:// store URL, or engine = "whoosh"'
    ]
    with pytest.raises(ConfigError) as raised:
        load_config(write_config('[search]\nengine = "elastic"\n\n' + BASE_CONFIG), plugins)
    assert [str(p).replace(f"{tmp_path}/", "") for p in raised.value.problems] == ["loket.toml: search.engine: must be whoosh or postgres"]


# The query side, without the database


def test_stems_meet_their_doubled_and_undoubled_forms():
    # PostgreSQL's Snowball stems: les, less (lessen); klas, klass (klassen); lerar (leraar, leraren).
    assert stem_variants("les") == stem_variants("less") == ["les", "less"]
    assert stem_variants("klass") == ["klas", "klass"]
    assert stem_variants("lerar") == ["lerar", "lerarr"]
    assert stem_variants("ga") == ["ga"] and stem_variants("ass") == ["ass", "asss"] and stem_variants("zee") == ["zee"]
    assert expand_tsquery("'les' <-> 'o''neil' & !'zee'") == "('les' | 'less') <-> ('o''neil' | 'o''neill') & !'zee'"
    assert fold("Conciërge in de crèche, één façade") == "Concierge in de creche, een facade"


# The index


@pytest.mark.parametrize(
    "word, found_by",
    [
        ("leraren", "leraar"),
        ("opleidingen", "opleiding"),
        ("scholen", "school"),
        ("lessen", "les"),
        ("klassen", "klas"),
        ("gebouwen", "gebouw"),
        ("conciërge", "concierge"),
        ("crèche", "creche"),
        ("façade", "facade"),
    ],
)
def test_a_word_is_found_by_its_dutch_forms_and_without_accents(index, word, found_by):
    fill(index, doc("a", "Over het werk", f"Hier staat {word} in de tekst."), doc("b", "Iets anders", "Niets."))
    assert ids(index, found_by) == {"a"}
    assert ids(index, word) == {"a"}
    assert ids(index, word.upper()) == {"a"}


def test_highlights_are_escaped_html_with_only_mark_as_markup(index):
    fill(
        index,
        doc("a", "Lesgeven", "Je geeft <script>alert('x')</script> lessen & meer aan klassen in de bovenbouw."),
        doc("b", "Klassen <b>groot</b>", "Niets over het onderwerp."),
        doc("c", "Kinderopvang", "Werken in een crèche."),
    )
    body = index.search("alpha", "lessen", ["page"]).hits[0].highlights
    assert "<mark>lessen</mark>" in body and "&lt;script&gt;" in body and "&amp;" in body
    assert body.replace("<mark>", "").replace("</mark>", "").count("<") == 0
    # A word found only in the title: the title, highlighted, as whoosh does.
    title_only = {h.id: h.highlights for h in index.search("alpha", "klas", ["page"]).hits}
    assert title_only["b"] == "<mark>Klassen</mark> &lt;b&gt;groot&lt;/b&gt;"
    assert "<mark>klassen</mark>" in title_only["a"]
    # A word found through accent folding is marked in the original text (with unaccent, as here).
    if "unaccent" in index.headline_config:
        assert "<mark>crèche</mark>" in index.search("alpha", "creche", ["page"]).hits[0].highlights
    # No text: everything, without highlights.
    assert {h.highlights for h in index.search("alpha", "", ["page"]).hits} == {""}


def test_words_are_ored_phrases_kept_and_whooshs_operators_understood(index):
    fill(
        index,
        doc("wiskunde", "Docent wiskunde", "Lessen wiskunde in de bovenbouw."),
        doc("engels", "Docent Engels", "Lessen Engels voor de klas: the basics."),
        doc("klas", "Voor de klas", "Staan voor de klas als leraar."),
    )
    assert ids(index, "wiskunde engels") == {"wiskunde", "engels"}  # OR, as whoosh's parser here
    assert ids(index, "wiskunde OR engels") == {"wiskunde", "engels"}
    assert ids(index, "docent AND engels") == {"engels"}
    assert ids(index, "wiskunde NOT engels") == {"wiskunde", "klas"}  # wiskunde, or not engels
    assert ids(index, "NOT docent") == {"klas"}
    assert ids(index, '"lessen wiskunde"') == {"wiskunde"}
    assert ids(index, '"bovenbouw wiskunde"') == set()
    # Stop words and one-letter words alone look for nothing (whoosh's stop filter drops both).
    assert ids(index, "de het") == set() and ids(index, "a") == set() and ids(index, "AND") == set()
    assert ids(index, "the") == set()  # whoosh's Dutch stop list has English words too
    assert index.search("alpha", "de", ["page"]).total == 0
    # Ranked: the title weighs more than the body.
    assert index.ranked_ids("alpha", "wiskunde klas", ["page"], 10)[0] in {"wiskunde", "klas"}
    assert index.ranked_ids("alpha", "leraar", ["page"], 10) == ["klas"]
    assert index.ranked_ids("alpha", "", ["page"], 10) == [] and index.ranked_ids("alpha", "klas", [], 10) == []
    assert len(index.ranked_ids("alpha", "lessen", ["page"], 1)) == 1


def test_facets_filters_lokets_types_and_paging(index):
    fill(
        index,
        doc("p1", "Leraar po", sector="po", tag="Beroep,werk"),
        doc("p2", "Leraar vo", sector="vo,mbo"),
        doc("f1", "Wat verdient een leraar?", type="faq", sector="po,vo"),
        doc("f2", "Leraar zonder sector", type="faq"),
        doc("b1", "Leraar in beta", loket="beta", sector="po"),
    )
    result = index.search("alpha", "leraar", ["page", "faq"])
    assert result.total == 4
    # Per type and per sector; a document without a sector counts under None, as whoosh's facets do.
    assert result.facets == {"type": {"page": 2, "faq": 2}, "sector": {"po": 2, "vo": 2, "mbo": 1, None: 1}}
    assert ids(index, "leraar", ["faq"]) == {"f1", "f2"}
    assert ids(index, "leraar", filters={"sector": ["vo"]}) == {"p2", "f1"}
    assert ids(index, "leraar", filters={"sector": ["mbo", "po"]}) == {"p1", "p2", "f1"}
    # Tags are lowercased when indexed, and the filter's values are taken as given (as in whoosh).
    assert ids(index, "", filters={"tag": ["beroep"]}) == {"p1"} and ids(index, "", filters={"tag": ["Beroep"]}) == set()
    assert index.search("alpha", "leraar", []).total == 0
    assert {h.id for h in index.search("beta", "leraar", ["page"]).hits} == {"b1"}
    with pytest.raises(ValueError):
        index.search("alpha", "leraar", ["page"], {"colour": ["red"]})
    # Pages of two: the same total on each, together every match once; past the end, nothing.
    pages = [index.search("alpha", "leraar", ["page", "faq"], page=n, page_size=2) for n in (1, 2, 3)]
    assert [p.total for p in pages] == [4, 4, 4]
    assert [len(p.hits) for p in pages] == [2, 2, 0]
    assert {h.id for p in pages for h in p.hits} == {"p1", "p2", "f1", "f2"}
    assert pages[0].facets == pages[1].facets == result.facets


def test_the_batch_and_the_position_are_written_together(index, pg_url):
    index.upsert(doc("a", "Leraar"))
    index.insert_tracking(Tracking("search", 7))
    # Not yet written: another process (another index on the same schema) sees neither.
    other = PostgresSearchIndex(parse_store_url(pg_url, Path(".")))
    try:
        assert other.position() == 0 and other.search("alpha", "leraar", ["page"]).total == 0
        assert index.position() == 7  # this one knows where it is
        index.flush()
        assert other.position() == 7 and other.search("alpha", "leraar", ["page"]).total == 1
        assert other.dump()[0]["position"] == 7  # the event that last wrote the document
        # A process that crashed before its commit replays the same events: nothing doubles.
        other.upsert(doc("a", "Leraar"))
        other.insert_tracking(Tracking("search", 8))
        other.flush()
        assert len(index.dump()) == 1 and index.position() == 8
        # A process behind another (its batch at 8, the stored position already there) writes
        # nothing: the other applied the same events.
        index.upsert(doc("a", "Iets anders"))
        index.delete("b")
        index.insert_tracking(Tracking("search", 8))
        index.flush()
        assert index.dump()[0]["title"] == "Leraar" and index.position() == 8
        # The position moves on past events without documents too.
        index.record_position(12)
        assert other.position() == 12
    finally:
        other.close()


def test_drop_empties_the_index_and_forgets_its_position(index):
    fill(index, doc("a", "Leraar"), position=3)
    index.drop()
    assert index.position() == 0 and index.dump() == [] and index.search("alpha", "", ["page"]).total == 0
    fill(index, doc("a", "Leraar"), position=3)
    assert index.position() == 3 and len(index.dump()) == 1


def test_the_tables_are_in_the_stores_schema(index, pg_url):
    schema = pg_url.rsplit("schema=", 1)[1]
    with psycopg.connect(PG_DSN) as conn:
        tables = {row[0] for row in conn.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (schema,))}
    assert {"search_documents", "search_tracking"} <= tables


# The projection on a site


def test_the_projection_follows_the_log_and_a_rebuild_changes_nothing(site):
    make_history(site)
    view = site.projection("search").view
    assert isinstance(view, PostgresSearchIndex) and site.search is view
    assert view.position() == site.app.position()
    live = dump(site)
    # Unpublished and withdrawn pages are not in it; the published ones are, with their state now.
    assert sorted(d["title"] for d in live["search"]) == ["Gewijzigd", "Hoe lang?", "Leraar basisonderwijs", "Pagina 3", "Zij-instroom"]
    assert site.projections.rebuild() > 0
    assert dump(site) == live
    assert view.position() == site.app.position()


def test_loket_projections_rebuild_rebuilds_it(site):
    make_history(site)
    live = dump(site)["search"]
    site.close()
    result = run_cli("projections", "rebuild", "--config", str(site.config.path))
    assert result.returncode == 0, result.stderr
    from core.site import Site

    again = Site.open(site.config.path)
    try:
        assert again.projection("search").view.dump() == live
        assert {s.name: s.lag for s in again.projections.status()}["search"] == 0
    finally:
        again.close()


# The same answers as whoosh, on the same content


@pytest.fixture
def twins(write_config, pg_url, tmp_path):
    """Two sites on one PostgreSQL store: one searching with whoosh, one in PostgreSQL; each with
    its own read models. Content is written through the first; both catch up."""
    from core.site import Site
    from web import create_app

    def make(config: str):
        sites = []
        for engine in ("whoosh", "postgres"):
            sites.append(Site.open(write_config(with_engine(config, engine, f"data-{engine}"), url=pg_url, name=f"{engine}.toml")))
        sites[0].apply_config()
        made.extend(sites)
        return sites, [create_app(s, {"TESTING": True}).test_client() for s in sites]

    made: list = []
    yield make
    for site in made:
        site.close()


def answer(client, url: str) -> dict:
    """What ranking does not decide: status, total, facets, and the hits as a set."""
    response = client.get(url)
    body = response.json
    if response.status_code != 200:
        return {"status": response.status_code}
    return {
        "total": body["total"],
        "facets": body["facets"],
        # Highlights differ in their fragments and tags (whoosh: <mark class="match term0">).
        "hits": {(h["id"], h["type"], h["slug"], h["title"], "<mark" in h["highlights"]) for h in body["items"]},
    }


CONTENT = [
    ("page", "alpha", {"title": "Werken als leraar", "body": "Een leraar staat voor de klas en geeft lessen.", "sectors": ["po"]}),
    ("page", "alpha", {"title": "Onderwijsassistent", "body": "Ondersteunt de leraar in grote klassen.", "sectors": ["po", "vo"]}),
    ("page", "alpha", {"title": "De conciërge", "body": "Beheert het gebouw van de school.", "sectors": ["vo"]}),
    ("page", "alpha", {"title": "Opleidingen", "body": "Scholen en opleidingen voor wie les wil geven."}),
    ("faq", "alpha", {"question": "Hoe word ik leraar?", "answer": "Via een opleiding of zij-instroom.", "topic": "Beroepen", "sectors": ["mbo"]}),
    ("faq", "alpha", {"question": "Wat verdient een docent?", "answer": "Dat hangt af van de schaal.", "topic": "Salaris"}),
    ("route", "alpha", {"title": "Zij-instroom", "kind": "lateral_entry", "body": "Voor wie docent wil worden naast het werk.", "sectors": ["vo", "mbo"]}),
    ("page", "beta", {"title": "Leraar in Twente", "body": "Lessen geven in het vo.", "sectors": ["vo"]}),
]

QUERIES = [
    "", "leraar", "leraren", "les", "lessen", "klas", "klassen", "conciërge", "concierge", "gebouwen", "scholen", "school",
    "opleiding", "opleidingen", "docent", "zij-instroom", "leraar klas", "leraar AND klas", "leraar NOT klas", '"voor de klas"',
    "xyzzy", "de", "onderwijsassistent",
]


def test_the_search_api_gives_the_same_answers_on_both_engines(twins):
    (whoosh_site, pg_site), (whoosh, postgres) = twins(BASE_CONFIG)
    saved = []
    for type_name, loket, data in CONTENT:
        with acting(actor="cli:test", loket=loket):
            item = whoosh_site.content.create(type_name, loket, data)
            whoosh_site.content.publish(type_name, loket, item.id)
            saved.append(item)
        # A draft: never found.
    with acting(actor="cli:test", loket="alpha"):
        whoosh_site.content.create("page", "alpha", {"title": "Concept over leraren", "body": "Nog niet klaar."})
        whoosh_site.content.unpublish("page", "alpha", saved[3].id)  # Opleidingen: gone again
    for site in (whoosh_site, pg_site):
        site.projections.catch_up()
    urls = [f"/api/v1/lokets/alpha/search?{urlencode({'q': q, 'pageSize': 100})}" for q in QUERIES]
    urls += [
        "/api/v1/lokets/alpha/search?q=leraar&sector=po&pageSize=100",
        "/api/v1/lokets/alpha/search?q=leraar&sector=vo&sector=mbo&pageSize=100",
        "/api/v1/lokets/alpha/search?q=leraar&type=faq&pageSize=100",
        "/api/v1/lokets/alpha/search?sector=vo&pageSize=100",
        "/api/v1/lokets/beta/search?q=lessen&pageSize=100",
        "/api/v1/lokets/alpha/search?q=leraar&sector=hbo",
    ]
    for url in urls:
        assert answer(postgres, url) == answer(whoosh, url), url
    # Something was found, and the cases above mean something.
    assert answer(postgres, "/api/v1/lokets/alpha/search?q=klas&pageSize=100")["total"] == 2
    assert answer(postgres, "/api/v1/lokets/alpha/search?q=concierge")["total"] == 1
    # Paging: the same totals, and the pages together hold every match once, on both engines.
    for client in (whoosh, postgres):
        pages = [client.get(f"/api/v1/lokets/alpha/search?q=leraar+docent&pageSize=2&page={n}").json for n in (1, 2, 3)]
        assert [p["total"] for p in pages] == [5, 5, 5]
        assert len({h["id"] for p in pages for h in p["items"]}) == 5


def test_the_vacancy_list_gives_the_same_answers_on_both_engines(twins):
    from tests.plugins.vacatures.conftest import CONFIG, LIST, post_vacancy

    (whoosh_site, pg_site), (whoosh, postgres) = twins(CONFIG)
    with acting(actor="cli:test"):
        secret = whoosh_site.identity.create_token("test editor", "alpha", "editor")[1]
    editor = bearer(secret)
    post_vacancy(whoosh, editor, title="Leraar groep 5")
    post_vacancy(
        whoosh, editor, title="Docent wiskunde", description="Je geeft lessen wiskunde aan klassen in de bovenbouw.", sectors=["vo"],
        region="vo-twente", salaryScale="LC",
    )
    post_vacancy(whoosh, editor, title="Docent Engels en Duits", sectors=["vo", "mbo"], region="vo-twente", salaryScale="LB")
    post_vacancy(whoosh, editor, title="Conciërge", function="conciërge", salaryScale="6", description="Beheer van het gebouw.")
    post_vacancy(whoosh, editor, publish=False, title="Concept wiskunde")
    pg_site.projections.catch_up()
    alpha = LIST.format(loket="alpha")
    queries = ["les", "klas", "klassen", "concierge", "gebouwen", "wiskunde", "wiskunde engels", "leraar", "sterrenkunde"]
    for query in [urlencode({"q": q}) for q in queries] + ["q=wiskunde&sector=po", "q=docent&sector=vo"]:
        got = {engine: client.get(f"{alpha}?{query}&pageSize=100") for engine, client in (("whoosh", whoosh), ("postgres", postgres))}
        assert got["postgres"].status_code == got["whoosh"].status_code == 200, query
        pick = lambda r: (r.json["total"], sorted(i["title"] for i in r.json["items"]), r.json["facets"])  # noqa: E731
        assert pick(got["postgres"]) == pick(got["whoosh"]), query
    assert sorted(i["title"] for i in postgres.get(f"{alpha}?q=wiskunde+engels").json["items"]) == ["Docent Engels en Duits", "Docent wiskunde"]
