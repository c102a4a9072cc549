"""The vacancy bank in the editor screens (Flask's test client, logged in): the generic content
screens for vacancies, the plugin's own steps (filled, extend, duplicate, withdraw many), recruiters
narrowed to their boards, and the screens gone where the plugin is off."""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

import pytest

from core.envelope import acting
from plugins.vacatures.recruiters import set_boards
from tests.conftest import PASSWORD, csrf_of, login
from tests.plugins.vacatures.conftest import LIST, post_vacancy

ALPHA = "/beheer/alpha/inhoud/vacancy"
STEPS = "/beheer/alpha/vacatures"


@pytest.fixture
def staff(site, people):
    """Besides ``people``: a recruiter of alpha for board 41234, and an editor of gamma (plugin off)."""
    with acting(actor="cli:test"):
        site.identity.add_user("werver", PASSWORD)
        site.identity.grant("werver", "alpha", "recruiter")
        set_boards(site, "alpha", f"user:{site.identity.get_user('werver').id}", ["41234"])
        site.identity.add_user("redacteur-gamma", PASSWORD)
        site.identity.grant("redacteur-gamma", "gamma", "editor")


def form(token: str, **changes: str | list[str]) -> dict:
    """A vacancy as the generic form sends it (the API's names; empty inputs as browsers send them)."""
    data = {
        "csrf_token": token,
        "title": "Leraar groep 7",
        "summary": "Voor 0,6 fte in Zeist",
        "description": "Wij zoeken een **leraar** voor groep 7.",
        "sectors": ["po"],
        "function": "leraar",
        "kind": "regular",
        "schoolBoard": "41234",
        "schoolBoardName": "Stichting Sterk Onderwijs",
        "school": "12AB00",
        "schoolName": "De Regenboog",
        "region": "po-utrecht",
        "place": "Zeist",
        "postcode": "3701 AB",
        "hoursMin": "20",
        "hoursMax": "24",
        "salaryScale": "L10",
        "salaryMin": "3300",
        "salaryMax": "5000",
        "zijInstroom": "ja",
        "applyUrl": "https://werkenbij.example.nl/7",
        "applyEmail": "",
        "contactName": "Anna de Vries",
        "contactEmail": "",
        "contactPhone": "",
        "startDate": "",
        "endDate": "",
        "validThrough": "",
        "externalId": "SSO-7",
        "subjects": "",
        "tags": "",
        "slug": "",
    }
    data.update(changes)
    return data


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.get_data(as_text=True)


def public(client, slug: str):
    return client.get(f"{LIST.format(loket='alpha')}/{slug}")


def in_days(days: int) -> str:
    return (date.today() + timedelta(days=days)).isoformat()


def site_vacancies(client) -> list[str]:
    """The titles of alpha's vacancies in the board read model, whatever their status."""
    view = client.application.extensions["loket.site"].projection("vacatures").view
    return [row["title"] for row in view.query("SELECT title FROM vacatures_board WHERE loket = 'alpha' ORDER BY title", ())]


def test_an_editor_creates_publishes_extends_duplicates_and_fills_a_vacancy(client, staff, site):
    login(client)
    token = csrf_of(page(client, f"{ALPHA}/nieuw"))

    # Created through the generic form: an optional choice left empty and the last day left empty
    # get the defaults (a regular job, the loket's 30 days in alpha).
    created = client.post(f"{ALPHA}/nieuw", data=form(token, kind=""))
    assert created.status_code == 302, created.get_data(as_text=True)
    edit_url = created.headers["Location"]
    item_id = edit_url.rsplit("/", 1)[1]
    draft = client.get(f"{LIST.format(loket='alpha')}/{item_id}", headers={"Authorization": ""})
    assert draft.status_code == 401  # the working copy is not public
    client.post(f"{edit_url}/publiceren", data={"csrf_token": token, "version": "1"})
    published = public(client, "leraar-groep-7")
    assert published.status_code == 200
    assert published.json["validThrough"] == in_days(30) and published.json["zijInstroom"] is True
    assert published.json["applyEmail"] is None and published.json["hoursMin"] == 20 and published.json["kind"] == "regular"

    # The edit screen offers the vacancy's own steps, and the list shows its columns.
    screen = page(client, edit_url)
    for button in ("Vervuld melden", "Verlengen", "Dupliceren"):
        assert f">{button}</button>" in screen
    assert f'action="{STEPS}/{item_id}/verlengen"' in screen
    listing = page(client, f"{ALPHA}/")
    assert "Stichting Sterk Onderwijs" in listing and in_days(30) in listing and f"{ALPHA}/{item_id}" in listing

    # Extend: a day that has passed is refused at the field; a later one goes live at once.
    refused = client.post(f"{STEPS}/{item_id}/verlengen", data={"csrf_token": token, "version": "2", "validThrough": in_days(-1)})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and 'class="error-summary"' in html and 'href="#validThrough"' in html and 'aria-invalid="true"' in html
    extended = client.post(f"{STEPS}/{item_id}/verlengen", data={"csrf_token": token, "version": "2", "validThrough": in_days(60)})
    assert extended.status_code == 302 and extended.headers["Location"] == edit_url
    assert public(client, "leraar-groep-7").json["validThrough"] == in_days(60)
    assert "Verlengd tot en met" in page(client, edit_url)

    # Duplicate: a new draft with the same fields, without the external id, opened to edit.
    copied = client.post(f"{STEPS}/{item_id}/dupliceren", data={"csrf_token": token})
    assert copied.status_code == 302
    copy_url = copied.headers["Location"]
    assert copy_url.startswith(f"{ALPHA}/") and copy_url != edit_url
    original = site.content.item("vacancy", "alpha", UUID(item_id))
    duplicate = site.content.item("vacancy", "alpha", UUID(copy_url.rsplit("/", 1)[1]))
    assert duplicate.status == "draft" and duplicate.fields["external_id"] is None
    same = {k: v for k, v in original.fields.items() if k not in ("external_id", "valid_through")}
    assert {k: v for k, v in duplicate.fields.items() if k not in ("external_id", "valid_through")} == same
    assert "Kopie gemaakt als nieuw concept" in page(client, copy_url)

    # Mark filled, with a version that is stale: refused and told; with the current one: 410 Gone.
    stale = client.post(f"{STEPS}/{item_id}/vervuld", data={"csrf_token": token, "version": "2", "reden": "Aangenomen"}, follow_redirects=True)
    assert "iemand anders heeft deze vacature intussen gewijzigd" in stale.get_data(as_text=True)
    version = site.content.item("vacancy", "alpha", original.id).version
    filled = client.post(f"{STEPS}/{item_id}/vervuld", data={"csrf_token": token, "version": str(version), "reden": "Aangenomen"})
    assert filled.status_code == 302 and filled.headers["Location"] == edit_url
    assert public(client, "leraar-groep-7").status_code == 410
    screen = page(client, edit_url)
    assert "Deze vacature is vervuld" in screen and ">Vervuld melden</button>" not in screen
    assert "Gesloten" in page(client, f"{ALPHA}/?status=closed")


def test_the_form_shows_the_schemas_errors(client, staff):
    login(client)
    token = csrf_of(page(client, f"{ALPHA}/nieuw"))
    refused = client.post(f"{ALPHA}/nieuw", data=form(token, schoolBoard="123", sectors=[]))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    for field in ("veld-schoolBoard", "veld-sectors"):
        assert f'href="#{field}"' in html, field
    # The checks across fields (a way to apply) once each field is right.
    no_way_to_apply = client.post(f"{ALPHA}/nieuw", data=form(token, applyUrl=""))
    assert no_way_to_apply.status_code == 422 and 'href="#veld-applyUrl"' in no_way_to_apply.get_data(as_text=True)
    assert site_vacancies(client) == []


def test_bulk_withdraw_takes_the_chosen_and_reports_a_stale_one(client, staff, editor, site):
    titles = ("Leraar groep 3", "Conciërge", "Onderwijsassistent", "Leraar groep 8")
    vacancies = {title: post_vacancy(client, editor, title=title, externalId=None) for title in titles}
    # Someone changes one after the screen was opened (version 2 → 3).
    changed = vacancies["Onderwijsassistent"]
    client.patch(f"{LIST.format(loket='alpha')}/{changed['id']}", json={"summary": "Nieuw"}, headers={**editor, "If-Match": '"2"'})

    login(client)
    screen = page(client, f"{STEPS}/intrekken")
    token = csrf_of(screen)
    for title in titles:
        assert f">{title}</label>" in screen
    assert "Vacatures intrekken" in screen.split("</nav>")[0]  # the menu entry of the plugin

    # Nothing chosen: the error at the list, nothing withdrawn.
    nothing = client.post(f"{STEPS}/intrekken", data={"csrf_token": token, "reden": "Formatie rond"})
    assert nothing.status_code == 422 and 'href="#kies-vacatures"' in nothing.get_data(as_text=True)

    chosen = [vacancies[t] for t in ("Leraar groep 3", "Conciërge", "Onderwijsassistent")]
    data = {"csrf_token": token, "reden": "Formatie rond", "vacature": [v["id"] for v in chosen]}
    data |= {f"versie-{v['id']}": "2" for v in chosen}
    done = client.post(f"{STEPS}/intrekken", data=data, follow_redirects=True)
    html = done.get_data(as_text=True)
    assert "Ingetrokken: 2." in html and "“Onderwijsassistent” is intussen gewijzigd" in html
    listed = client.get(LIST.format(loket="alpha")).json
    assert sorted(v["title"] for v in listed["items"]) == ["Leraar groep 8", "Onderwijsassistent"]
    for title in ("Leraar groep 3", "Conciërge"):
        row = site.content_view.get_row(vacancies[title]["id"])
        assert row["status"] == "withdrawn"
        assert site.content.history("vacancy", "alpha", UUID(row["id"]))[-1]["note"] == "Formatie rond"


def test_a_recruiter_manages_only_their_boards_vacancies(client, staff, editor, site):
    ours = post_vacancy(client, editor, title="Leraar groep 5", externalId="A-1")
    theirs = post_vacancy(client, editor, title="Docent wiskunde", schoolBoard="59999", schoolBoardName="Ander Bestuur", externalId="B-1")
    login(client, "werver")

    # The menu names vacancies and the plugin's screen, no other type; the overview only ours.
    overview = page(client, "/beheer/alpha/")
    menu = overview.split("</nav>")[0]
    assert f'href="{ALPHA}/"' in menu and f'href="{STEPS}/intrekken"' in menu
    for other in ("page", "route", "faq", "activity"):
        assert f"/inhoud/{other}/" not in menu, other
        assert client.get(f"/beheer/alpha/inhoud/{other}/").status_code == 403, other
    assert "Leraar groep 5" in overview and "Docent wiskunde" not in overview

    # The list shows only their board's vacancies, even when asked for another status or sector.
    for query in ("", "?status=published", "?sector=po"):
        listing = page(client, f"{ALPHA}/{query}")
        assert "Leraar groep 5" in listing and "Docent wiskunde" not in listing, query

    # Another board's vacancy: no screen, no step, not in the bulk list, not withdrawn by force.
    token = csrf_of(overview)
    assert client.get(f"{ALPHA}/{theirs['id']}").status_code == 403
    assert client.get(f"{ALPHA}/{theirs['id']}/geschiedenis").status_code == 403
    assert client.post(f"{ALPHA}/{theirs['id']}", data=form(token, schoolBoard="41234")).status_code == 403
    assert client.post(f"{ALPHA}/{theirs['id']}/offline", data={"csrf_token": token}).status_code == 403
    for step in ("vervuld", "verlengen", "dupliceren"):
        assert client.post(f"{STEPS}/{theirs['id']}/{step}", data={"csrf_token": token, "validThrough": in_days(9)}).status_code == 403, step
    bulk = page(client, f"{STEPS}/intrekken")
    assert "Leraar groep 5" in bulk and "Docent wiskunde" not in bulk
    forced = client.post(f"{STEPS}/intrekken", data={"csrf_token": token, "vacature": [theirs["id"]], f"versie-{theirs['id']}": "2"}, follow_redirects=True)
    assert "valt buiten wat je mag beheren" in forced.get_data(as_text=True)
    assert public(client, theirs["slug"]).status_code == 200

    # A new vacancy for another board is refused at the field; for their own board it is made.
    new_form = page(client, f"{ALPHA}/nieuw")
    assert "Je beheert hier: 41234." in new_form
    refused = client.post(f"{ALPHA}/nieuw", data=form(token, schoolBoard="59999", externalId=""))
    html = refused.get_data(as_text=True)
    assert refused.status_code == 403 and 'href="#veld-schoolBoard"' in html and "valt buiten wat je hier mag beheren" in html
    # Moving their own vacancy to another board is refused the same way.
    moved = client.post(f"{ALPHA}/{ours['id']}", data=form(token, schoolBoard="59999", version="2", externalId="A-1"))
    assert moved.status_code == 403 and "valt buiten wat je hier mag beheren" in moved.get_data(as_text=True)
    assert site_vacancies(client) == ["Docent wiskunde", "Leraar groep 5"]
    made = client.post(f"{ALPHA}/nieuw", data=form(token, externalId=""))
    assert made.status_code == 302

    # Their own vacancy: opened, filled.
    assert client.get(f"{ALPHA}/{ours['id']}").status_code == 200
    assert client.post(f"{STEPS}/{ours['id']}/vervuld", data={"csrf_token": token, "version": "2"}).status_code == 302
    assert public(client, ours["slug"]).status_code == 410


def test_the_plugins_screens_are_gone_where_it_is_off(client, staff, site):
    login(client, "redacteur-gamma")
    token = csrf_of(page(client, "/beheer/gamma/"))
    assert "/vacatures/" not in page(client, "/beheer/gamma/").split("</nav>")[0]
    uuid = "00000000-0000-4000-8000-000000000000"
    assert client.get("/beheer/gamma/vacatures/intrekken").status_code == 404
    assert client.post("/beheer/gamma/vacatures/intrekken", data={"csrf_token": token, "vacature": [uuid]}).status_code == 404
    for step in ("vervuld", "verlengen", "dupliceren"):
        assert client.post(f"/beheer/gamma/vacatures/{uuid}/{step}", data={"csrf_token": token}).status_code == 404, step
    assert client.get("/beheer/gamma/inhoud/vacancy/").status_code == 404
    assert client.get("/beheer/gamma/inhoud/vacancy/nieuw").status_code == 404


def test_an_auditor_reads_vacancies_but_gets_no_steps(client, staff, editor):
    vacancy = post_vacancy(client, editor)
    login(client, "auditor-alpha")
    assert "Leraar groep 5" in page(client, f"{ALPHA}/")
    screen = page(client, f"{ALPHA}/{vacancy['id']}")
    assert "Vervuld melden" not in screen and "Dupliceren" not in screen
    token = csrf_of(screen)
    assert client.post(f"{STEPS}/{vacancy['id']}/vervuld", data={"csrf_token": token}).status_code == 403
    assert client.get(f"{STEPS}/intrekken").status_code == 403
