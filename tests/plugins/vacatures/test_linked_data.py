"""The JobPosting JSON-LD of a vacancy's detail, read the way a search engine reads it: expanded by a
real JSON-LD processor (pyld), with schema.org's context served locally, never fetched."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest
from pyld import jsonld

from core.envelope import acting
from plugins.vacatures import lifecycle
from plugins.vacatures.linked_data import job_posting, occupational_category, page_url
from tests.plugins.vacatures.conftest import LIST, post_vacancy

S = "https://schema.org/"
#: What https://schema.org serves as a context, reduced to what matters for expansion here.
SCHEMA_ORG_CONTEXT = {"@context": {"@vocab": S}}
REQUIRED = ("title", "description", "datePosted", "hiringOrganization", "jobLocation")
RECOMMENDED = ("validThrough", "employmentType", "baseSalary", "identifier", "directApply", "occupationalCategory")


class LocalLoader:
    """A JSON-LD document loader that knows schema.org's context and refuses everything else."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def __call__(self, url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
        self.asked.append(url)
        if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
            raise AssertionError(f"the test would have fetched {url}")
        return {"contentType": "application/ld+json", "contextUrl": None, "documentUrl": url, "document": SCHEMA_ORG_CONTEXT}


def expand(document: dict[str, Any]) -> dict[str, Any]:
    """The expanded node of one JobPosting (pyld; the context from the local loader)."""
    loader = LocalLoader()
    expanded = jsonld.expand(document, {"documentLoader": loader})
    assert loader.asked == ["https://schema.org"]
    assert len(expanded) == 1
    return expanded[0]


def values(node: dict[str, Any], name: str) -> list[Any]:
    return [v.get("@value", v) for v in node.get(S + name, [])]


def one(node: dict[str, Any], name: str) -> Any:
    found = values(node, name)
    assert len(found) == 1, f"{name}: {found}"
    return found[0]


def detail(client, slug: str) -> dict[str, Any]:
    response = client.get(f"{LIST.format(loket='alpha')}/{slug}")
    assert response.status_code == 200, response.json
    return response.json


def test_detail_json_ld_expands_with_every_required_property(client, editor):
    item = post_vacancy(client, editor)
    posting = expand(detail(client, item["slug"])["jsonLd"])

    assert posting["@type"] == [S + "JobPosting"]
    for name in REQUIRED + RECOMMENDED:
        assert S + name in posting, f"missing {name}"

    # Required: title, HTML description, when posted, who hires, where (with the country).
    assert one(posting, "title") == "Leraar groep 5"
    assert "<strong>enthousiaste</strong>" in one(posting, "description")
    assert datetime.fromisoformat(one(posting, "datePosted")).tzinfo is not None
    organisation = one(posting, "hiringOrganization")
    assert one(organisation, "name") == "De Regenboog"
    assert one(one(organisation, "parentOrganization"), "name") == "Stichting Sterk Onderwijs"
    place = one(posting, "jobLocation")
    assert place["@type"] == [S + "Place"]
    address = one(place, "address")
    assert address["@type"] == [S + "PostalAddress"]
    assert one(address, "addressCountry") == "NL"
    assert one(address, "addressLocality") == "Zeist" and one(address, "postalCode") == "3701 AB"

    # Recommended: the last day ends in Dutch time; a salary range per month in euros.
    last_day = datetime.fromisoformat(one(posting, "validThrough"))
    assert last_day.date() == date.today() + timedelta(days=20) and last_day.utcoffset() in (timedelta(hours=1), timedelta(hours=2))
    salary = one(posting, "baseSalary")
    assert one(salary, "currency") == "EUR"
    assert {one(one(salary, "value"), k) for k in ("minValue", "maxValue", "unitText")} == {3300, 5000, "MONTH"}
    assert one(one(posting, "identifier"), "value") == item["id"]
    assert one(posting, "directApply") is False
    assert one(posting, "occupationalCategory") == "2341"
    assert values(posting, "employmentType") == ["PART_TIME"]


def test_every_statement_is_in_schema_org(client, editor):
    """As RDF, every property is a schema.org IRI: no term fell outside the vocabulary."""
    item = post_vacancy(client, editor)
    loader = LocalLoader()
    quads = jsonld.to_rdf(detail(client, item["slug"])["jsonLd"], {"documentLoader": loader, "format": "application/n-quads"})
    predicates = {line.split(" ")[1] for line in quads.splitlines()}
    assert predicates - {"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"}
    assert all(p.startswith(f"<{S}") or p.endswith("22-rdf-syntax-ns#type>") for p in predicates), predicates


@pytest.mark.parametrize(
    ("changes", "category"),
    [
        ({}, "2341"),
        ({"sectors": ["vo"], "subjects": ["wiskunde"], "salaryScale": "LB"}, "2330"),
        ({"sectors": ["mbo"], "salaryScale": "LB"}, "2320"),
        ({"function": "onderwijsassistent", "salaryScale": "8"}, "5312"),
        ({"function": "schoolleider", "salaryScale": "14"}, "1345"),
    ],
)
def test_occupational_category_is_the_isco_08_group(client, editor, changes, category):
    item = post_vacancy(client, editor, **changes)
    assert one(expand(detail(client, item["slug"])["jsonLd"]), "occupationalCategory") == category


def test_isco_groups_of_the_functions():
    assert occupational_category("leraar", ["po"]) == "2341"
    assert occupational_category("vakleerkracht", ["vo", "po"]) == "2330"  # the first sector named
    assert occupational_category("lerarenondersteuner", ["vo"]) == "5312"
    assert occupational_category("leraar", []) is None


def test_substitution_is_temporary(client, editor):
    item = post_vacancy(client, editor, kind="substitution", startDate="2030-01-06", endDate="2030-03-27", hoursMin=None, hoursMax=None)
    posting = expand(detail(client, item["slug"])["jsonLd"])
    assert values(posting, "employmentType") == ["TEMPORARY"]
    assert one(posting, "jobStartDate") == "2030-01-06"


def test_base_salary_only_with_a_range(client, editor):
    item = post_vacancy(client, editor, salaryMin=None, salaryMax=None)
    posting = expand(detail(client, item["slug"])["jsonLd"])
    assert S + "baseSalary" not in posting
    assert S + "title" in posting


def test_unknown_facts_are_left_out_not_guessed():
    item = {"id": "v1", "title": "Conciërge", "kind": "regular", "function": "conciërge", "sectors": ["po"], "schoolBoardName": "Stichting",
            "region": "po-utrecht", "publishedAt": "2026-03-01T10:15:30.123456+00:00"}
    posting = job_posting(item)
    assert "employmentType" not in posting  # a regular job without hours: no "OTHER"
    assert "addressRegion" not in posting["jobLocation"]["address"]  # a RAP region is not a province
    assert posting["occupationalCategory"] == "5153"
    assert posting["datePosted"] == "2026-03-01T10:15:30+00:00"
    # The first publication counts, once the public JSON carries it.
    assert job_posting({**item, "firstPublishedAt": "2026-02-01T09:00:00+00:00"})["datePosted"] == "2026-02-01T09:00:00+00:00"


def test_url_is_the_page_on_the_lokets_site():
    assert page_url("https://voordeklas.example/vacatures/{slug}", "leraar-groep-5") == "https://voordeklas.example/vacatures/leraar-groep-5"
    assert page_url("https://voordeklas.example/vacatures", "leraar-groep-5") == "https://voordeklas.example/vacatures/leraar-groep-5"
    assert page_url("", "leraar-groep-5") is None
    item = {"id": "v1", "title": "Leraar", "schoolBoardName": "Stichting", "publishedAt": "2026-03-01T10:15:30+00:00"}
    assert one(expand(job_posting(item, url="https://voordeklas.example/v/1")), "url") == "https://voordeklas.example/v/1"


def test_a_filled_vacancy_is_gone_with_its_json_ld(client, editor, site):
    item = post_vacancy(client, editor)
    assert "jsonLd" in detail(client, item["slug"])
    with acting(actor="cli:test", loket="alpha"):
        lifecycle.fill(site, "alpha", UUID(item["id"]))
    site.projections.catch_up()

    response = client.get(f"{LIST.format(loket='alpha')}/{item['slug']}")
    assert response.status_code == 410
    assert response.content_type == "application/problem+json"
    assert response.json["type"] == "urn:loket:problem:gone"
    assert "jsonLd" not in response.json
    assert client.get(LIST.format(loket="alpha")).json["items"] == []
