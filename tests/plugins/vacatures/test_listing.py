"""The public list: every filter, the facet counts, full-text search with Dutch stemming, sorting, paging."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.plugins.vacatures.conftest import LIST, post_vacancy

ALPHA = LIST.format(loket="alpha")


def day(n: int) -> str:
    return (date.today() + timedelta(days=n)).isoformat()


@pytest.fixture
def board(client, editor):
    """Five open vacancies that differ in every filtered field, one draft and one of another loket."""
    made = {
        "groep5": post_vacancy(client, editor, title="Leraar groep 5", validThrough=day(30)),
        "wiskunde": post_vacancy(
            client, editor, title="Docent wiskunde", description="Je geeft lessen wiskunde aan klassen in de bovenbouw.",
            sectors=["vo"], subjects=["wiskunde"], function="leraar", hoursMin=32, hoursMax=40, zijInstroom=False,
            schoolBoard="45678", schoolBoardName="Stichting Voortgezet", region="vo-twente", salaryScale="LC", validThrough=day(10),
        ),
        "engels": post_vacancy(
            client, editor, title="Docent Engels en Duits", sectors=["vo", "mbo"], subjects=["engels", "duits"], hoursMin=8, hoursMax=12,
            zijInstroom=False, schoolBoard="45678", schoolBoardName="Stichting Voortgezet", region="vo-twente", salaryScale="LB",
            validThrough=day(5),
        ),
        "invaller": post_vacancy(
            client, editor, title="Invalleerkracht", kind="substitution", startDate=day(1), endDate=day(60), hoursMin=None, hoursMax=16,
            validThrough=day(20),
        ),
        "conciërge": post_vacancy(
            client, editor, title="Conciërge", function="conciërge", salaryScale="6", hoursMin=20, hoursMax=20, zijInstroom=False,
            description="Beheer van het gebouw.", validThrough=day(50),
        ),
    }
    post_vacancy(client, editor, publish=False, title="Concept wiskunde")
    return made


def titles(client, query: str = "") -> list[str]:
    response = client.get(f"{ALPHA}?{query}")
    assert response.status_code == 200, response.json
    return [item["title"] for item in response.json["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("sector=vo", {"Docent wiskunde", "Docent Engels en Duits"}),
        ("sector=mbo", {"Docent Engels en Duits"}),
        ("sector=po&sector=mbo", {"Leraar groep 5", "Docent Engels en Duits", "Invalleerkracht", "Conciërge"}),
        ("function=conci%C3%ABrge", {"Conciërge"}),
        ("subject=duits", {"Docent Engels en Duits"}),
        ("kind=substitution", {"Invalleerkracht"}),
        ("region=vo-twente", {"Docent wiskunde", "Docent Engels en Duits"}),
        ("schoolBoard=45678", {"Docent wiskunde", "Docent Engels en Duits"}),
        ("zijInstroom=true", {"Leraar groep 5", "Invalleerkracht"}),
        ("zijInstroom=false", {"Docent wiskunde", "Docent Engels en Duits", "Conciërge"}),
        ("hoursMin=30", {"Leraar groep 5", "Docent wiskunde"}),  # reaches 30 hours or more
        ("hoursMax=12", {"Docent Engels en Duits"}),  # starts at 12 hours or less
        ("hoursMin=16&hoursMax=20", {"Invalleerkracht", "Conciërge"}),  # 24–32 starts too high
        ("sector=vo&subject=wiskunde", {"Docent wiskunde"}),
    ],
)
def test_every_filter(client, board, query, expected):
    assert set(titles(client, query)) == expected


def test_a_bad_filter_is_named(client, board):
    response = client.get(f"{ALPHA}?sector=hbo&hoursMin=veel")
    assert response.status_code == 422
    assert {p["name"] for p in response.json["invalidParams"]} == {"sector[0]", "hoursMin"}


def test_facets_count_the_matches(client, board):
    facets = client.get(ALPHA).json["facets"]
    assert facets["sector"] == {"po": 3, "vo": 2, "mbo": 1}
    assert facets["function"] == {"leraar": 4, "conciërge": 1}
    assert facets["subject"] == {"duits": 1, "engels": 1, "wiskunde": 1}
    assert facets["kind"] == {"regular": 4, "substitution": 1}
    assert facets["schoolBoard"] == {"41234": 3, "45678": 2}
    assert facets["zijInstroom"] == {"true": 2}
    narrowed = client.get(f"{ALPHA}?sector=vo").json["facets"]
    assert narrowed["subject"] == {"duits": 1, "engels": 1, "wiskunde": 1}
    assert narrowed["schoolBoard"] == {"45678": 2}


def test_full_text_search_stems_dutch(client, board):
    # "les" and "klas" find "lessen" and "klassen"; "wiskundige" is not in any text.
    assert titles(client, "q=les") == ["Docent wiskunde"]
    assert titles(client, "q=klas") == ["Docent wiskunde"]
    assert titles(client, "q=concierge") == ["Conciërge"]  # accents folded
    assert titles(client, "q=gebouwen") == ["Conciërge"]
    assert titles(client, "q=sterrenkunde") == []
    # Full text and filters together; drafts are never found.
    assert titles(client, "q=wiskunde&sector=po") == []
    assert titles(client, "q=wiskunde") == ["Docent wiskunde"]


def test_relevance_orders_by_score(client, board):
    # The title weighs more than the body.
    found = client.get(f"{ALPHA}?q=wiskunde+engels").json
    assert found["sort"] == "relevance"
    assert set(t["title"] for t in found["items"]) == {"Docent wiskunde", "Docent Engels en Duits"}


def test_sorting(client, board):
    assert titles(client, "sort=closing") == ["Docent Engels en Duits", "Docent wiskunde", "Invalleerkracht", "Leraar groep 5", "Conciërge"]
    assert titles(client, "sort=newest") == ["Conciërge", "Invalleerkracht", "Docent Engels en Duits", "Docent wiskunde", "Leraar groep 5"]
    assert client.get(f"{ALPHA}?sort=salaris").status_code == 422


def test_paging(client, board):
    first = client.get(f"{ALPHA}?sort=closing&pageSize=2")
    assert first.json["total"] == 5
    assert [i["title"] for i in first.json["items"]] == ["Docent Engels en Duits", "Docent wiskunde"]
    assert 'rel="next"' in first.headers["Link"]
    third = client.get(f"{ALPHA}?sort=closing&pageSize=2&page=3").json
    assert [i["title"] for i in third["items"]] == ["Conciërge"]


def test_lokets_do_not_see_each_other(client, board, token):
    assert client.get(LIST.format(loket="beta")).json["total"] == 0


def test_editors_list_working_copies_with_the_generic_list(client, board, editor):
    drafts = client.get(f"{ALPHA}?status=draft", headers=editor).json
    assert [i["title"] for i in drafts["items"]] == ["Concept wiskunde"]
    assert client.get(f"{ALPHA}?status=draft").status_code == 401
