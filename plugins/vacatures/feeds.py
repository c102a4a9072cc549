"""Findability: a sitemap of the open vacancies for search engines, and Atom feeds of the newest
ones, per loket and per saved filter, for feed readers and job sites.

``GET …/vacatures/sitemap.xml``
    A sitemaps.org ``urlset``: each open vacancy's page with the moment of its last publication
    as ``lastmod``. A sitemap holds at most 50,000 URLs; a loket with more gets a sitemap index
    there instead, whose entries are the pages ``sitemap.xml?page=1``, ``?page=2``, … (oldest
    first, so that a new vacancy lands on the last page rather than shifting every page).

``GET …/vacatures/feed.atom``
    Atom 1.0 (RFC 4287): the 50 newest open vacancies. The public list's filters
    (``?sector=vo&function=leraar``) make it the feed of that saved filter.

A vacancy's page is where the loket's own site shows it: the plugin setting ``public_url``
(``https://voordeklas.nl/vacatures/{slug}``), or else its detail in this API. The XML is built
with ElementTree, so every text is escaped by construction. Each answer has a Last-Modified that
moves with any change to the loket's vacancies or settings (a vacancy leaving counts too); the app
adds the ETag.
"""

from __future__ import annotations

import json
import math
import re
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, request

from core.errors import InvalidInputError, NotFoundError
from core.http import get_site

from . import listing
from .linked_data import page_url
from .schemas import KINDS, SettingsSchema

bp = Blueprint("feeds", __name__)

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
ATOM = "http://www.w3.org/2005/Atom"
#: The sitemaps.org limit of URLs in one sitemap: past it, ``sitemap.xml`` is an index of pages.
SITEMAP_MAX_URLS = 50_000
FEED_SIZE = 50
#: Characters XML 1.0 forbids even escaped; a stray one in a title would break the whole feed.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: The feed's words are Dutch, like the vacancies it carries.
FILTER_LABELS = {
    "sector": "sector",
    "function": "functie",
    "subject": "vak",
    "kind": "soort",
    "region": "regio",
    "school_board": "schoolbestuur",
}
KIND_LABELS = dict(zip(KINDS, ("regulier", "vervanging", "invalpool")))
CATEGORY_SCHEME = "urn:loket:vacatures:"


@bp.get("/sitemap.xml")
def sitemap(loket: str) -> Response:
    """The open vacancies' pages with their last publication; an index of pages past 50,000."""
    site = get_site()
    view = site.projection("vacatures").view
    page = _page_arg()
    total = view.query("SELECT COUNT(*) AS n FROM vacatures_board WHERE loket = ? AND status = 'published'", (loket,))[0]["n"]
    pages = max(1, math.ceil(total / SITEMAP_MAX_URLS))
    if page is None and pages > 1:
        root = _sitemap_index(view, loket)
    else:
        page = page or 1
        if page > pages:
            raise NotFoundError(f"The sitemap of loket '{loket}' has {pages} page(s); there is no page {page}.")
        rows = view.query(
            "SELECT slug, published_at FROM vacatures_board WHERE loket = ? AND status = 'published' "
            "ORDER BY first_published_at, id LIMIT ? OFFSET ?",
            (loket, SITEMAP_MAX_URLS, (page - 1) * SITEMAP_MAX_URLS),
        )
        root = _urlset(rows, _page_url_maker(site, loket))
    return _xml_response(root, "application/xml", _last_modified(site, loket))


@bp.get("/feed.atom")
def atom_feed(loket: str) -> Response:
    """The 50 newest open vacancies (of a saved filter, given as the public list's query parameters)."""
    site = get_site()
    the_loket = site.lokets.get(loket)
    filter = listing.filter_from_args(request.args)
    found = listing.find(site, loket, filter, "newest", limit=FEED_SIZE, with_facets=False)
    self_url = _canonical_url(request.base_url, filter)
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": "nl"})
    _text(feed, "id", self_url)
    description = describe_filter(filter, the_loket.regions)
    _text(feed, "title", f"Vacatures bij {the_loket.name}" + (f": {description}" if description else ""))
    newest = max((row["published_at"] for row in found.rows), default=None)
    _text(feed, "updated", w3c_datetime(newest) if newest else w3c_datetime(datetime.now(timezone.utc).isoformat()))
    _link(feed, "self", self_url, "application/atom+xml")
    list_url = _canonical_url(f"{request.url_root}api/v1/lokets/{loket}/vacatures/vacancies", filter)
    _link(feed, "alternate", list_url, "application/json")
    _text(ET.SubElement(feed, "author"), "name", the_loket.name)
    _text(feed, "generator", "Loket")
    url_of = _page_url_maker(site, loket)
    for row in found.rows:
        _entry(feed, row, json.loads(row["public_json"]), url_of)
    return _xml_response(feed, "application/atom+xml", _last_modified(site, loket))


def describe_filter(filter: dict[str, Any], regions: dict[str, dict[str, Any]]) -> str:
    """A saved filter in Dutch words, e.g. ``sector vo; functie leraar; vanaf 20 uur``."""
    parts = []
    for name, label in FILTER_LABELS.items():
        values = filter.get(name) or []
        if name == "kind":
            values = [KIND_LABELS.get(v, v) for v in values]
        elif name == "region":
            values = [regions.get(v, {}).get("name", v) for v in values]
        if values:
            parts.append(f"{label} {' of '.join(values)}")
    low, high = filter.get("hours_min"), filter.get("hours_max")
    if low is not None and high is not None:
        parts.append(f"{low:g}–{high:g} uur")
    elif low is not None:
        parts.append(f"vanaf {low:g} uur")
    elif high is not None:
        parts.append(f"tot {high:g} uur")
    if filter.get("zij_instroom") is not None:
        parts.append("geschikt voor zij-instromers" if filter["zij_instroom"] else "niet voor zij-instromers")
    if (filter.get("q") or "").strip():
        parts.append(f"zoekterm “{filter['q'].strip()}”")
    return "; ".join(parts)


def w3c_datetime(moment: str) -> str:
    """An ISO moment as a W3C datetime (and RFC 3339 date-time): UTC, to the second."""
    return datetime.fromisoformat(moment).astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


# Sitemap


def _urlset(rows: list[dict[str, Any]], url_of: Any) -> ET.Element:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP})
    for row in rows:
        url = ET.SubElement(urlset, "url")
        ET.SubElement(url, "loc").text = _xml_safe(url_of(row["slug"]))
        ET.SubElement(url, "lastmod").text = w3c_datetime(row["published_at"])
    return urlset


def _sitemap_index(view: Any, loket: str) -> ET.Element:
    """One entry per page of ``SITEMAP_MAX_URLS``, with the newest publication on it."""
    pages = view.query(
        "SELECT (n - 1) / ? + 1 AS page, MAX(published_at) AS lastmod FROM ("
        "SELECT published_at, ROW_NUMBER() OVER (ORDER BY first_published_at, id) AS n "
        "FROM vacatures_board WHERE loket = ? AND status = 'published') AS numbered GROUP BY page ORDER BY page",
        (SITEMAP_MAX_URLS, loket),
    )
    index = ET.Element("sitemapindex", {"xmlns": SITEMAP})
    for page in pages:
        entry = ET.SubElement(index, "sitemap")
        ET.SubElement(entry, "loc").text = f"{request.base_url}?page={page['page']}"
        ET.SubElement(entry, "lastmod").text = w3c_datetime(page["lastmod"])
    return index


def _page_arg() -> int | None:
    raw = request.args.get("page")
    if raw is None:
        return None
    if not raw.isdigit() or int(raw) < 1:
        raise InvalidInputError("The sitemap page is not valid.", {"page": "must be a whole number of 1 or more"})
    return int(raw)


# Atom


def _entry(feed: ET.Element, row: dict[str, Any], item: dict[str, Any], url_of: Any) -> None:
    entry = ET.SubElement(feed, "entry")
    _text(entry, "id", f"urn:uuid:{item['id']}")
    _text(entry, "title", item["title"])
    _text(entry, "updated", w3c_datetime(row["published_at"]))
    _text(entry, "published", w3c_datetime(row["first_published_at"] or row["published_at"]))
    _link(entry, "alternate", url_of(item["slug"]))
    if item.get("schoolBoardName"):  # who wrote it; the loket (the feed's author) published it
        _text(ET.SubElement(entry, "author"), "name", item["schoolBoardName"])
    _text(entry, "summary", _summary(item))
    if item.get("descriptionHtml"):
        _text(entry, "content", item["descriptionHtml"], type="html")
    categories = [("sector", s, s) for s in item.get("sectors") or []]
    categories.append(("function", item.get("function"), item.get("function")))
    categories.append(("kind", item.get("kind"), KIND_LABELS.get(item.get("kind") or "")))
    categories += [("subject", s, s) for s in item.get("subjects") or []]
    for scheme, term, label in categories:
        if term:
            ET.SubElement(entry, "category", {"term": _xml_safe(term), "scheme": CATEGORY_SCHEME + scheme, "label": _xml_safe(label or term)})


def _summary(item: dict[str, Any]) -> str:
    """What a reader sees before opening the vacancy: its summary, where, and until when."""
    where = ", ".join(filter(None, [item.get("schoolName") or item.get("schoolBoardName"), item.get("place")]))
    parts = [item.get("summary") or "", where]
    if item.get("validThrough"):
        day = datetime.fromisoformat(item["validThrough"]).strftime("%d-%m-%Y")
        parts.append(f"Reageren kan tot en met {day}.")
    return " · ".join(part for part in parts if part)


def _canonical_url(base: str, filter: dict[str, Any]) -> str:
    """``base`` with the filter as sorted query parameters: one URL (and feed id) per saved filter."""
    args = []
    for name, value in sorted(listing.filter_as_args(filter).items()):
        for one in sorted(value) if isinstance(value, list) else [value]:
            args.append((name, _arg_text(one)))
    return f"{base}?{urlencode(args)}" if args else base


def _arg_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = _xml_safe(text)
    return element


def _link(parent: ET.Element, rel: str, href: str, type: str | None = None) -> None:
    attributes = {"rel": rel, "href": _xml_safe(href)}
    if type:
        attributes["type"] = type
    ET.SubElement(parent, "link", attributes)


# Shared


def _page_url_maker(site: Any, loket: str) -> Any:
    """slug → the vacancy's page: on the loket's site (``public_url``), else its API detail."""
    settings = SettingsSchema().load(site.lokets.get(loket).settings.get("vacatures", {}))
    api_base = f"{request.url_root}api/v1/lokets/{loket}/vacatures/vacancies/"

    def url_of(slug: str) -> str:
        return page_url(settings["public_url"], slug) or page_url(api_base, slug)

    return url_of


def _last_modified(site: Any, loket: str) -> datetime:
    """The last change that can alter the answer: any vacancy of the loket (closing included),
    or the loket's configuration (its name, ``public_url``)."""
    changed = site.projection("vacatures").view.query("SELECT MAX(updated_at) AS at FROM vacatures_board WHERE loket = ?", (loket,))[0]["at"]
    loket_changed = site.lokets.get(loket).modified_on
    return max(filter(None, [datetime.fromisoformat(changed) if changed else None, loket_changed]))


def _xml_response(root: ET.Element, media_type: str, last_modified: datetime) -> Response:
    # The namespace is the root's plain xmlns attribute: ElementTree's own prefixes are global state.
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    response = Response(body, content_type=f"{media_type}; charset=utf-8")
    response.last_modified = last_modified
    return response


def _xml_safe(text: str) -> str:
    return NOT_XML.sub("", text)


# OpenAPI


def openapi_paths(spec: Any) -> dict[str, Any]:
    """The OpenAPI operations of the sitemap and the Atom feed (relative to the plugin's mount)."""
    from core.config import SECTORS
    from core.content.schemas import PROFESSIONS

    problem = {"$ref": "#/components/schemas/Problem"}

    def answer(description: str, media_type: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"description": description, "content": {media_type: {"schema": schema or {"type": "string"}}}}

    def strings(name: str, enum: tuple[str, ...] | list[str] | None = None) -> dict[str, Any]:
        items: dict[str, Any] = {"type": "string", **({"enum": list(enum)} if enum else {})}
        return {"name": name, "in": "query", "schema": {"type": "array", "items": items}, "explode": True, "description": "Repeat for 'or'"}

    filters = [
        {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 200}, "description": "Full text"},
        strings("sector", SECTORS),
        strings("function", PROFESSIONS),
        strings("subject"),
        strings("kind", KINDS),
        strings("region"),
        strings("schoolBoard"),
        {"name": "hoursMin", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 40}},
        {"name": "hoursMax", "in": "query", "schema": {"type": "number", "minimum": 0, "maximum": 40}},
        {"name": "zijInstroom", "in": "query", "schema": {"type": "boolean"}},
    ]
    tags = ["vacatures"]
    return {
        "/sitemap.xml": {
            "get": {
                "tags": tags,
                "summary": "Sitemap (sitemaps.org) of the open vacancies' pages with lastmod; past 50,000 a sitemap index of ?page=N",
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1}, "description": "A page of a sitemap index"}],
                "responses": {
                    "200": answer("A urlset, or a sitemapindex when there are more than 50,000 vacancies", "application/xml"),
                    "404": answer("No such loket or page, or the plugin is off in this loket", "application/problem+json", problem),
                    "422": answer("The page is not a whole number of 1 or more", "application/problem+json", problem),
                },
            }
        },
        "/feed.atom": {
            "get": {
                "tags": tags,
                "summary": "Atom 1.0 feed of the 50 newest open vacancies; the list's filters make it the feed of a saved filter",
                "parameters": filters,
                "responses": {
                    "200": answer("An Atom feed", "application/atom+xml"),
                    "404": answer("No such loket, or the plugin is off in this loket", "application/problem+json", problem),
                    "422": answer("A filter is not valid; invalidParams names it", "application/problem+json", problem),
                },
            }
        },
    }
