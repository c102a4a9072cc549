"""``GET /api/``: the API reference for people, rendered from the OpenAPI document without JavaScript
or anything from elsewhere, accessible (WCAG 2.1 AA), and robust against any spec."""

from __future__ import annotations

import copy
import re
from html.parser import HTMLParser

import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")


class Page(HTMLParser):
    """The parts of a page the tests look at: every start tag, the headings with their text, and
    the text of each ``<nav>``."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[tuple[int, str | None, str]] = []  # (level, id, text)
        self._heading: list | None = None
        self.nav_text = ""
        self._in_nav = 0
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), attributes.get("id"), ""]
        if tag == "nav":
            self._in_nav += 1

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading:
            level, anchor, text = self._heading
            self.headings.append((level, anchor, " ".join(text.split())))
            self._heading = None
        if tag == "nav":
            self._in_nav -= 1

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[2] += data
        if self._in_nav:
            self.nav_text += data

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attributes for name, attributes in self.tags if name == tag]

    @property
    def ids(self) -> list[str]:
        return [attributes["id"] for _, attributes in self.tags if attributes.get("id")]


def get_page(client) -> tuple[str, Page]:
    response = client.get("/api/")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    return text, Page(text)


def check_structure(text: str, page: Page) -> None:
    """What every rendering must hold, whatever the spec: one h1 first, no skipped heading levels,
    unique ids, working in-page links, column headers, and nothing executable or from elsewhere."""
    levels = [level for level, _, _ in page.headings]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading level skips from h{before} to h{after}"
    assert len(page.ids) == len(set(page.ids)), "ids must be unique"
    for anchor in page.all("a"):
        href = anchor.get("href") or ""
        assert not href.lower().startswith(("javascript:", "data:"))
        if href.startswith("#"):
            assert href[1:] in page.ids, f"in-page link to a missing id: {href}"
    for th in page.all("th"):
        assert th.get("scope") == "col"
    assert "<script" not in text.lower()
    assert not any(name in ("script", "iframe", "object", "embed", "img", "style") for name, _ in page.tags)
    for name, attributes in page.tags:
        assert "style" not in attributes and not any(key.startswith("on") for key in attributes)
        if name != "a":  # a link in text may go anywhere; an asset may not
            for key in ("href", "src", "srcset", "action"):
                assert not re.match(r"\s*(https?:)?//", attributes.get(key) or "", re.I), (name, attributes)


# The real app, over the real spec


def test_the_page_is_dutch_html_with_a_skip_link(client):
    response = client.get("/api/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    text, page = get_page(client)
    assert '<html lang="nl">' in text
    [html] = page.all("html")
    assert html["lang"] == "nl"
    first_link = next(attributes for name, attributes in page.tags if name == "a")
    assert first_link["href"] == "#hoofdinhoud" and "Direct naar de inhoud" in text
    [main] = page.all("main")
    assert main["id"] == "hoofdinhoud"
    assert page.all("nav") and page.all("section")
    assert page.headings[0][:1] == (1,) and page.headings[0][2] == "Loket API"
    check_structure(text, page)


def test_the_intro_explains_the_conventions(client):
    text, _ = get_page(client)
    for words in (
        "headless API van een regionaal loket",
        "geen login",
        "Authorization: Bearer &lt;token&gt;",
        "application/problem+json",
        "<code>page</code>",
        "<code>pageSize</code>",
        "<code>total</code>",
        "<code>Link</code>",
        "<code>ETag</code>",
        "<code>If-None-Match</code>",
        "<code>If-Match</code>",
        "412",
        "428",
        "<code>Idempotency-Key</code>",
    ):
        assert words in text, words
    assert '<a href="/api/v1/openapi.json">' in text


def test_every_path_and_operation_of_the_served_spec_is_on_the_page(client):
    spec = client.get("/api/v1/openapi.json").json
    text, page = get_page(client)
    assert "/api/v1/lokets/{loket}/voorbeeld/greetings" in spec["paths"]  # the example plugin's
    h3 = {heading_text: anchor for level, anchor, heading_text in page.headings if level == 3}
    for path, item in spec["paths"].items():
        assert str(escape(path)) in text
        for method in HTTP_METHODS:
            if method in item:
                anchor = h3.get(f"{method.upper()} {path}")
                assert anchor, f"no heading for {method.upper()} {path}"
                assert f'href="#{anchor}"' in text  # listed in the table of contents
                if item[method].get("summary"):
                    assert str(escape(item[method]["summary"])) in text
    for name in spec.get("components", {}).get("schemas", {}):
        assert f"<code>{escape(name)}</code>" in text
    check_structure(text, page)


def test_anchors_are_stable(client):
    _, page = get_page(client)
    assert "get-api-v1-lokets" in page.ids
    assert "get-api-v1-lokets-loket-voorbeeld-greetings" in page.ids
    assert "post-api-v1-lokets-loket-voorbeeld-greetings" in page.ids
    assert "schema-problem" in page.ids


def test_operations_are_described_under_their_first_tag_or_algemeen(client):
    spec = client.get("/api/v1/openapi.json").json
    _, page = get_page(client)
    group_of = {}  # h3 text -> the h2 it is under
    current = None
    for level, _, heading_text in page.headings:
        if level == 2:
            current = heading_text
        elif level == 3:
            group_of[heading_text] = current
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                expected = (item[method].get("tags") or ["Algemeen"])[0]
                assert group_of[f"{method.upper()} {path}"] == expected
                assert expected in page.nav_text


def test_refs_link_to_the_schemas_section(client):
    spec = client.get("/api/v1/openapi.json").json
    text, page = get_page(client)
    assert (2, "schemas", "Schema's") in page.headings
    schema_headings = [heading_text for level, anchor, heading_text in page.headings if level == 3 and anchor.startswith("schema-")]
    assert sorted(schema_headings) == sorted(spec["components"]["schemas"])
    assert '<a href="#schema-problem">Problem</a>' in text  # an error answer's schema, by name
    assert "<code>invalidParams[].reason</code>" in text  # an inline nested object, flattened


def test_the_stylesheet_is_local_and_served(client):
    text, page = get_page(client)
    stylesheets = [link for link in page.all("link") if link.get("rel") == "stylesheet"]
    assert [link["href"] for link in stylesheets] == ["/static/loket/loket.css"]
    css = client.get("/static/loket/loket.css")
    assert css.status_code == 200
    assert css.mimetype == "text/css"
    body = css.get_data(as_text=True)
    assert ":focus" in body and "outline" in body
    assert "@import" not in body and "url(" not in body and "@font-face" not in body
    css.close()


def test_spec_text_is_escaped(app, client):
    spec = copy.deepcopy(app.extensions["loket.openapi"])
    evil = '<script>alert("x")</script>'
    spec["info"]["description"] = f"Intro {evil}"
    spec["tags"] = [{"name": f"Tag {evil}", "description": f"Over {evil}"}]
    operation = spec["paths"]["/api/v1/lokets"]["get"]
    operation["description"] = f"Beschrijving {evil}"
    operation["summary"] = f"Samenvatting {evil}"
    operation["tags"] = [f"Tag {evil}"]
    operation["parameters"][0]["description"] = f"Param {evil}"
    operation["responses"]["200"]["description"] = f"Antwoord {evil}"
    spec["components"]["schemas"][f"Evil{evil}"] = {"type": "object", "description": evil, "properties": {evil: {"type": "string", "description": evil}}}
    spec["paths"][f"/api/v1/{evil}"] = {"get": {"responses": {"200": {"description": "ok"}}}}
    app.extensions["loket.openapi"] = spec

    text, page = get_page(client)
    assert "<script" not in text.lower()
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text
    assert "Samenvatting &lt;script&gt;" in text and "Param &lt;script&gt;" in text
    check_structure(text, page)


# A spec of every shape; the page reads nothing but the spec, so a bare app serves it


def bare_client(spec):
    """A client of an app with just the reference page (and the OpenAPI route it links to)."""
    from web import apidocs, openapi

    app = Flask("loket-apidocs-test")
    app.register_blueprint(openapi.bp)
    app.register_blueprint(apidocs.bp)
    app.extensions["loket.openapi"] = spec
    return app.test_client()



RICH_SPEC = {
    "openapi": "3.1.0",
    "info": {"title": "Loket API", "version": "2", "description": "Eerste alinea.\n\nTweede alinea."},
    "tags": [{"name": "Nieuws", "description": "Berichten van het loket."}, {"name": "Ongebruikt"}],
    "paths": {
        "/nieuws": {
            "parameters": [{"$ref": "#/components/parameters/Loket"}],
            "get": {
                "tags": ["Nieuws"],
                "summary": "Lijst van berichten",
                "parameters": [{"name": "sector", "in": "query", "schema": {"type": "string", "enum": ["po", "vo"]}, "description": "Filter"}],
                "responses": {
                    "200": {"description": "Een pagina", "content": {"application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/Bericht"}}}}},
                    "default": {"$ref": "#/components/responses/Fout"},
                },
            },
            "post": {
                "tags": ["Nieuws", "Redactie"],
                "summary": "Schrijf een bericht",
                "security": [{"bearer": []}],
                "requestBody": {"$ref": "#/components/requestBodies/NieuwBericht"},
                "responses": {"201": {"description": "Geschreven", "headers": {"ETag": {"schema": {"type": "string"}}}}},
            },
        },
        "/zoeken": {
            "get": {
                "summary": "Zoek",
                "deprecated": True,
                "responses": {"200": {"description": "Treffers", "content": {"application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/Bericht"}, {"$ref": "#/components/schemas/Pagina"}]}}}}},
            }
        },
        "/leeg": {},
        "/kapot": {"get": "geen operatie", "put": {"responses": None, "parameters": [None, 3, {"$ref": "#/nergens"}]}},
    },
    "components": {
        "parameters": {"Loket": {"name": "loket", "in": "path", "required": True, "schema": {"type": "string"}, "description": "De slug van het loket"}},
        "requestBodies": {
            "NieuwBericht": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Bericht"}}}},
        },
        "responses": {"Fout": {"description": "Een fout", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}},
        "schemas": {
            "Bericht": {
                "type": "object",
                "description": "Een nieuwsbericht.",
                "required": ["titel"],
                "properties": {
                    "titel": {"type": "string", "maxLength": 120, "description": "De kop"},
                    "auteur": {"$ref": "#/components/schemas/Auteur"},
                    "labels": {"type": "array", "items": {"$ref": "#/components/schemas/Label"}},
                    "status": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                },
            },
            "Auteur": {"type": "object", "properties": {"naam": {"type": "string"}}},
            "Label": {"type": "string", "enum": ["urgent", "nieuw"]},
            "Pagina": {"allOf": [{"$ref": "#/components/schemas/Bericht"}, {"type": "object", "properties": {"pad": {"type": "string"}}}]},
            "Problem": {"type": "object", "properties": {"title": {"type": "string"}}},
            "Lus": {"$ref": "#/components/schemas/Lus"},
        },
    },
}


@pytest.fixture
def rich():
    return get_page(bare_client(copy.deepcopy(RICH_SPEC)))


def test_operations_are_grouped_by_tag_with_algemeen_for_the_rest(rich):
    text, page = rich
    h2 = [heading_text for level, _, heading_text in page.headings if level == 2]
    assert h2 == ["Inhoudsopgave", "Afspraken voor de hele API", "Nieuws", "Redactie", "Algemeen", "Schema's"]  # "Ongebruikt" has nothing
    assert "Berichten van het loket." in text
    assert "<p lang=\"en\">Eerste alinea.</p>" in text and "<p lang=\"en\">Tweede alinea.</p>" in text
    # An operation with two tags is described once, under its first, and linked from the second.
    assert [anchor for level, anchor, _ in page.headings if level == 3 and anchor.startswith("post-")] == ["post-nieuws"]
    assert text.count('href="#post-nieuws"') == 3  # twice in the table of contents, once under Redactie
    check_structure(text, page)


def test_refs_are_resolved_into_tables(rich):
    text, _ = rich
    # A $ref parameter at path level, merged with the operation's own.
    assert "<code>loket</code>" in text and "De slug van het loket" in text
    assert 'string, toegestaan: &#34;po&#34;, &#34;vo&#34;' in text
    # A $ref request body to a $ref schema: a table of its properties.
    assert "Inhoud van het verzoek" in text and "Verplicht." in text
    assert "<code>titel</code>" in text and "De kop" in text and "hoogstens 120 tekens" in text
    assert '<a href="#schema-auteur">Auteur</a>' in text
    # Arrays of refs, oneOf/anyOf and allOf in words.
    assert 'array van <a href="#schema-bericht">Bericht</a>' in text
    assert 'array van <a href="#schema-label">Label</a>' in text
    assert 'een van: <a href="#schema-bericht">Bericht</a> of <a href="#schema-pagina">Pagina</a>' in text
    assert "een van: string of null" in text
    # A $ref response, and a response without content.
    assert "<code>default</code>" in text and "Een fout" in text and "<code>application/problem+json</code>" in text
    assert "Geschreven" in text
    # allOf properties are merged; a circular $ref does not hang.
    pagina = text[text.index('id="schema-pagina"'):]
    assert "<code>pad</code>" in pagina and "<code>titel</code>" in pagina.split('id="schema-problem"')[0]
    assert 'id="schema-lus"' in text
    # Facts: login and deprecation.
    assert "Inloggen vereist (bearer)." in text and "Verouderd" in text


@pytest.mark.parametrize(
    "spec",
    [
        {},
        None,
        {"paths": None, "components": None, "info": None, "tags": None},
        {"paths": {"/x": None, "/y": [], "/z": {"get": {}}}},
        {"paths": {"/x": {"get": {"tags": "not a list", "parameters": {"a": 1}, "responses": []}}}},
        {"info": {"title": 3, "version": None}, "components": {"schemas": {"A": None, "B": True, 5: {}}}},
    ],
    ids=["empty", "none", "nulls", "odd-path-items", "odd-operation", "odd-components"],
)
def test_any_spec_renders(spec):
    text, page = get_page(bare_client(spec))
    check_structure(text, page)


# Any JSON-shaped spec renders

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)
schema_like = st.recursive(
    st.fixed_dictionaries({}, optional={"type": st.sampled_from(["string", "object", "array", "null"]) | st.lists(st.sampled_from(["string", "null"])), "$ref": st.sampled_from(["#/components/schemas/A", "#/components/schemas/B", "#/x", "elders.json"]), "description": st.text(max_size=8)}),
    lambda children: st.fixed_dictionaries({}, optional={
        "properties": st.dictionaries(st.text(max_size=5), children, max_size=3),
        "items": children,
        "oneOf": st.lists(children, max_size=3),
        "allOf": st.lists(children, max_size=2),
        "required": st.lists(st.text(max_size=5), max_size=2),
        "additionalProperties": children | st.booleans(),
    }),
    max_leaves=10,
)
operation_like = st.fixed_dictionaries({}, optional={
    "tags": st.lists(st.text(max_size=6), max_size=2) | json_values,
    "summary": st.text(max_size=10) | json_values,
    "parameters": st.lists(st.fixed_dictionaries({"name": st.text(max_size=5), "in": st.sampled_from(["path", "query", "header"])}, optional={"schema": schema_like}) | json_values, max_size=3),
    "requestBody": st.fixed_dictionaries({}, optional={"content": st.dictionaries(st.text(max_size=10), st.fixed_dictionaries({}, optional={"schema": schema_like}), max_size=2)}) | json_values,
    "responses": st.dictionaries(st.text(max_size=3), st.fixed_dictionaries({}, optional={"description": st.text(max_size=5), "content": st.dictionaries(st.text(max_size=5), st.fixed_dictionaries({"schema": schema_like}), max_size=2)}) | json_values, max_size=3),
})
spec_like = st.fixed_dictionaries({}, optional={
    "info": st.fixed_dictionaries({}, optional={"title": st.text(max_size=8), "version": json_values}) | json_values,
    "tags": st.lists(st.fixed_dictionaries({"name": st.text(max_size=6)}) | json_values, max_size=3),
    "paths": st.dictionaries(st.text(max_size=12), st.dictionaries(st.sampled_from([*HTTP_METHODS, "parameters", "summary", "$ref"]), operation_like | json_values, max_size=3) | json_values, max_size=4),
    "components": st.fixed_dictionaries({}, optional={"schemas": st.dictionaries(st.sampled_from(["A", "B", "C d"]), schema_like, max_size=3)}),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=spec_like)
def test_any_json_shaped_spec_renders(spec):
    text, page = get_page(bare_client(spec))
    check_structure(text, page)


def test_the_specs_english_text_is_marked_as_english(client):
    html = client.get("/api/").get_data(as_text=True)
    assert '<p class="summary" lang="en">List the open lokets</p>' in html
