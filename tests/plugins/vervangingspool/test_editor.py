"""The substitute pool's editor screens through Flask's test client, logged in as alpha's editor
(the pool coordinator): boards and schools, a new substitute and their link shown once, availability,
approval, a request with its ranked candidates and their reasons, offering again, cancelling; input
errors inline with the summary, refusals as flash messages; CSRF, other lokets, plugin off."""

from __future__ import annotations

import re
from uuid import UUID

import pytest

from core.envelope import acting
from tests.conftest import csrf_of, login
from tests.plugins.vervangingspool.conftest import BOARD_A, BOARD_B, MONDAY, SCHOOL_1, SCHOOL_2, add_member
from tests.plugins.vervangingspool.conftest import offers_to

POOL = "/beheer/alpha/vervangingspool"
LINK = re.compile(r'id="invaller-link" type="text" readonly value="([^"]+)"')


def html(response) -> str:
    return response.get_data(as_text=True)


def token_of(client) -> str:
    return csrf_of(html(client.get(f"{POOL}/")))


def post(client, path: str, data: dict, **kwargs):
    return client.post(f"{POOL}{path}", data={"csrf_token": token_of(client), **data}, **kwargs)


def flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash[^"]*" role="\w+">([^<]*)</p>', page)


def new_member(client, name="Anna de Vries", **fields):
    data = {
        "naam": name, "email": "anna@example.nl", "telefoon": "06-12345678",
        "sector": ["po"], "po-bevoegd": "ja", "huis-lat": "52,09", "huis-lon": "5,12", "max-afstand": "40",
        **fields,
    }
    return post(client, "/invallers/nieuw", data)


@pytest.fixture
def coordinator(client, people, pool):
    """The test client, logged in as alpha's editor, with alpha's boards and schools in place."""
    login(client)
    return client


def test_a_coordinator_runs_the_pool_from_the_screens(coordinator, site, pool):
    client = coordinator

    # The overview: nothing running yet, no script needed; the menu leads there.
    overview = client.get(f"{POOL}/")
    assert overview.status_code == 200 and overview.headers["Cache-Control"] == "no-store"
    assert "<h1>Vervangingspool</h1>" in html(overview) and "<script" not in html(overview)
    assert f'href="{POOL}/"' in html(client.get("/beheer/alpha/"))
    assert "Er zijn geen lopende aanvragen." in html(overview)

    # A new substitute without any availability yet: the page shows their own link, once.
    created = new_member(client)
    page = html(created)
    assert created.status_code == 200 and "Deze links zie je maar één keer." in page
    link = LINK.search(page).group(1)
    assert link.startswith("http://127.0.0.1:8080/api/v1/lokets/alpha/vervangingspool/me?token=")
    member_id = re.search(rf'action="{POOL}/invallers/([0-9a-f-]{{36}})/profiel"', page).group(1)
    member = pool.member_by_token("alpha", link.split("token=", 1)[1])  # the link holds the real secret
    assert str(member.id) == member_id and member.name.shown() == "Anna de Vries"
    assert member.profile["home"] == [52.09, 5.12] and member.profile["availability"] == {d: [] for d in ("mon", "tue", "wed", "thu", "fri")}
    again = html(client.get(f"{POOL}/invallers/{member_id}"))
    assert "Anna de Vries" in again and link not in again and "Deze links zie je maar één keer." not in again
    listing = html(client.get(f"{POOL}/invallers/"))
    assert "Anna de Vries" in listing and "nog geen besluit" in listing

    # Availability: Mondays and Tuesdays, in the weekly grid; the version read goes along.
    saved = post(client, f"/invallers/{member_id}/profiel", {
        "version": str(member.version), "sector": ["po"], "po-bevoegd": "ja", "huis-lat": "52.09", "huis-lon": "5.12",
        "max-afstand": "40", "beschikbaar": ["mon:morning", "mon:afternoon", "tue:morning"], f"school-{SCHOOL_2}": "nooit",
        "vak-0": "", "graad-0": "",
    })
    assert saved.status_code == 302 and "Het profiel is opgeslagen." in flashes(html(client.get(saved.headers["Location"])))
    member = pool.member("alpha", UUID(member_id))
    assert member.profile["availability"]["mon"] == ["morning", "afternoon"] and member.profile["availability"]["tue"] == ["morning"]
    assert member.profile["excluded_schools"] == [SCHOOL_2]
    grid = html(client.get(f"{POOL}/invallers/{member_id}"))
    assert re.search(r'name="beschikbaar" value="mon:afternoon" checked', grid) and not re.search(r'value="wed:morning" checked', grid)

    # Approved by board A (school 1's board); board B still undecided.
    approved = post(client, f"/invallers/{member_id}/goedkeuring", {"bestuur": BOARD_A, "besluit": "goedkeuren", "notitie": "gesprek gehad"})
    assert approved.status_code == 302
    assert pool.member("alpha", UUID(member_id)).approvals == {BOARD_A: True}

    # An exception: not available on Monday afternoon.
    exception = post(client, f"/invallers/{member_id}/uitzonderingen", {
        "uitzondering-datum": MONDAY.isoformat(), "uitzondering-dagdeel": ["afternoon"], "uitzondering-beschikbaar": "nee",
    })
    assert exception.status_code == 302
    assert pool.member("alpha", UUID(member_id)).exceptions == {f"{MONDAY}:afternoon": False}

    # A request for Monday, morning and afternoon: saved, and offered at once.
    opened = post(client, "/aanvragen/nieuw", {
        "school": SCHOOL_1, "groep": "groep 5", "notities": "Methode Pluspunt, les 4.",
        "dag-0": MONDAY.isoformat(), "morning-0": "ja", "afternoon-0": "ja",
    })
    assert opened.status_code == 302
    request_url = opened.headers["Location"]
    request_id = request_url.rsplit("/", 1)[1]
    page = html(client.get(request_url))
    assert "De Regenboog" in page and "Methode Pluspunt, les 4." in page

    # The candidates with their reasons: qualified, available on one of the two day-parts, near.
    candidates = page.split('id="kandidaten"', 1)[1]
    assert "Anna de Vries" in candidates
    assert "Bevoegdheid: bevoegd po (+40)" in candidates
    assert "Beschikbaarheid: beschikbaar op 1 van 2 dagdelen (+10)" in candidates
    assert "Afstand: 8 km van huis" in candidates
    assert "al gevraagd: wacht op antwoord" in candidates
    parts_table = page.split('id="dagdelen"', 1)[1].split("</table>", 1)[0]
    assert parts_table.count("aangeboden") == 1 and parts_table.count(">open<") == 1

    # Offering again while the offer is out: refused, told why.
    again = post(client, f"/aanvragen/{request_id}/aanbieden", {})
    assert again.status_code == 302
    assert any("er staat nog een aanbieding open" in text for text in flashes(html(client.get(request_url))))

    # She accepts through her e-mail's link; the day-part shows her as its substitute.
    with acting(actor="test", loket="alpha"):
        assert pool.answer("alpha", offers_to(site, "Anna")[0], True)["status"] == "accepted"
    page = html(client.get(request_url))
    parts_table = page.split('id="dagdelen"', 1)[1].split("</table>", 1)[0]
    assert "vervuld" in parts_table and "Anna de Vries" in parts_table
    assert f"/invallers/{member_id}" in parts_table
    overview = html(client.get(f"{POOL}/"))
    assert "De Regenboog" in overview and "vervuld" in overview

    # She gives the morning back: open again, with the reason.
    given_back = post(client, f"/aanvragen/{request_id}/dagdelen-annuleren", {
        "dagdeel": [f"{MONDAY}:morning"], "door": "substitute", "dagdeel-reden": "Eigen school belt",
    })
    assert given_back.status_code == 302
    page = html(client.get(request_url))
    assert "teruggegeven door de invaller: Eigen school belt" in page
    assert pool.request("alpha", UUID(request_id)).parts[f"{MONDAY}:morning"]["status"] == "open"

    # The school cancels the request; cancelling again is refused with a message, not an error page.
    cancelled = post(client, f"/aanvragen/{request_id}/annuleren", {"annuleer-reden": "Leerkracht is terug"})
    assert cancelled.status_code == 302
    page = html(client.get(request_url))
    assert "De aanvraag is geannuleerd." in flashes(page) and "Leerkracht is terug" in page
    assert {p["status"] for p in pool.request("alpha", UUID(request_id)).parts.values()} == {"cancelled"}
    twice = post(client, f"/aanvragen/{request_id}/annuleren", {"annuleer-reden": "Nog eens"})
    assert twice.status_code == 302
    assert any(text.startswith("Niet geannuleerd") for text in flashes(html(client.get(request_url))))
    assert request_id in html(client.get(f"{POOL}/aanvragen/"))


def test_boards_and_schools_with_preferred_and_excluded_substitutes(coordinator, pool):
    client = coordinator
    anna, bram = add_member(pool, "Anna"), add_member(pool, "Bram")

    # A board number that is not one: at its field, with the summary.
    wrong = post(client, "/besturen", {"bestuur": "123", "naam": "Stichting Nieuw"})
    page = html(wrong)
    assert wrong.status_code == 422 and 'class="error-summary"' in page and 'href="#bestuur-nummer"' in page
    assert "geef het bestuursnummer van DUO: vijf cijfers" in page and 'aria-invalid="true"' in page
    joined = post(client, "/besturen", {"bestuur": "49999", "naam": "Stichting Nieuw"})
    assert joined.status_code == 302 and "49999" in pool.pool("alpha").boards

    # A new school: Bram first, Anna second; then Anna excluded instead.
    form = html(client.get(f"{POOL}/scholen/nieuw"))
    assert 'for="voorkeur-' in form and "Anna" in form
    saved = post(client, "/scholen", {
        "brin": "78GH00", "naam": "De Vlinder", "bestuur": "49999", "sector": "po", "lat": "52,1", "lon": "5,2",
        f"voorkeur-{bram}": "1", f"voorkeur-{anna}": "2",
    })
    assert saved.status_code == 302
    school = pool.pool("alpha").schools["78GH00"]
    assert school["preferred"] == [bram, anna] and school["excluded"] == [] and school["location"] == [52.1, 5.2]
    edit = html(client.get(f"{POOL}/scholen/78GH00"))
    assert f'name="voorkeur-{bram}" type="number" min="1" max="99" inputmode="numeric" value="1"' in edit
    taken = post(client, "/scholen", {"brin": "78GH00", "naam": "Andere school", "bestuur": "49999", "sector": "po"})
    assert taken.status_code == 422 and 'href="#school-brin"' in html(taken) and pool.pool("alpha").schools["78GH00"]["name"] == "De Vlinder"
    both = post(client, "/scholen", {"bestaand": "ja", "brin": "78GH00", "naam": "De Vlinder", "bestuur": "49999", "sector": "po",
                                     f"voorkeur-{anna}": "1", f"uitgesloten-{anna}": "ja"})
    assert both.status_code == 422 and 'href="#school-invallers"' in html(both)
    changed = post(client, "/scholen", {"bestaand": "ja", "brin": "78GH00", "naam": "De Vlinder", "bestuur": "49999", "sector": "po",
                                        f"voorkeur-{bram}": "1", f"uitgesloten-{anna}": "ja"})
    assert changed.status_code == 302
    assert pool.pool("alpha").schools["78GH00"]["excluded"] == [anna]

    # A board leaves: shown as no longer taking part.
    left = post(client, "/besturen/49999/verlaten", {})
    assert left.status_code == 302 and not pool.pool("alpha").boards["49999"]["active"]
    assert "Doet niet meer mee" in html(client.get(f"{POOL}/besturen"))


def test_input_errors_come_back_at_their_fields(coordinator, pool):
    client = coordinator

    # A substitute without a name and without a sector: nothing saved.
    wrong = new_member(client, name="", sector=[])
    page = html(wrong)
    assert wrong.status_code == 422 and 'href="#invaller-naam"' in page and 'href="#profiel-sector"' in page
    assert "kies er minstens één" in page and "Deze link" not in page
    assert pool.view.query("SELECT COUNT(*) AS n FROM pool_members")[0]["n"] == 0

    # A request that names a medical reason and a date without a day-part: both at their fields,
    # and what was typed stays.
    wrong = post(client, "/aanvragen/nieuw", {"school": SCHOOL_1, "groep": "groep 7", "notities": "Juf is ziek", "dag-0": MONDAY.isoformat()})
    page = html(wrong)
    assert wrong.status_code == 422 and 'href="#aanvraag-dagdelen"' in page
    assert 'value="groep 7"' in page and f'value="{MONDAY.isoformat()}"' in page
    wrong = post(client, "/aanvragen/nieuw", {"school": SCHOOL_1, "notities": "Juf is ziek", "dag-0": MONDAY.isoformat(), "morning-0": "ja"})
    page = html(wrong)
    assert wrong.status_code == 422 and 'href="#aanvraag-notities"' in page and "geen medische informatie" in page
    assert 'id="aanvraag-notities" name="notities" rows="4" maxlength="1000" aria-describedby="aanvraag-notities-hint aanvraag-notities-fout" aria-invalid="true"' in page
    assert pool.view.query("SELECT COUNT(*) AS n FROM pool_requests")[0]["n"] == 0

    # "More dates" shows more rows and keeps what was typed, without sending the request.
    more = post(client, "/aanvragen/nieuw", {"school": SCHOOL_1, "groep": "groep 3", "actie": "meer-dagen"})
    page = html(more)
    assert more.status_code == 200 and 'id="dag-9"' in page and 'value="groep 3"' in page and 'class="error-summary"' not in page

    # An exception without a date or a day-part.
    member_id = add_member(pool, "Anna")
    wrong = post(client, f"/invallers/{member_id}/uitzonderingen", {"uitzondering-beschikbaar": "nee"})
    assert wrong.status_code == 422 and 'href="#uitzondering-datum"' in html(wrong) and 'href="#uitzondering-dagdeel"' in html(wrong)


def test_refusals_are_flash_messages_and_a_forged_post_is_refused(coordinator, pool):
    client = coordinator
    member_id = add_member(pool, "Anna")
    version = pool.member("alpha", UUID(member_id)).version

    # Someone else changed the profile meanwhile: not saved, told so.
    with acting(actor="test", loket="alpha"):
        pool.change_profile("alpha", UUID(member_id), {"groups": ["groep 1-2"]})
    stale = post(client, f"/invallers/{member_id}/profiel", {"version": str(version), "sector": ["vo"]})
    assert stale.status_code == 302
    assert any("iemand anders heeft dit intussen gewijzigd" in text for text in flashes(html(client.get(stale.headers["Location"]))))
    assert pool.member("alpha", UUID(member_id)).profile["sectors"] == ["po"]

    # Cancelling a day-part nobody has filled (409 in the API): a message on the request's page.
    opened = post(client, "/aanvragen/nieuw", {"school": SCHOOL_1, "dag-0": MONDAY.isoformat(), "morning-0": "ja"})
    request_id = opened.headers["Location"].rsplit("/", 1)[1]
    refused = post(client, f"/aanvragen/{request_id}/dagdelen-annuleren", {"dagdeel": [f"{MONDAY}:morning"], "door": "school", "dagdeel-reden": "x"})
    assert refused.status_code == 302
    assert any(text.startswith("Niet geannuleerd: alleen vervulde dagdelen") for text in flashes(html(client.get(refused.headers["Location"]))))

    # A substitute who left cannot come back.
    assert post(client, f"/invallers/{member_id}/status", {"status": "left", "reden": "verhuisd"}).status_code == 302
    back = post(client, f"/invallers/{member_id}/status", {"status": "active"})
    assert any(text.startswith("Niet gewijzigd") for text in flashes(html(client.get(back.headers["Location"]))))
    assert pool.member("alpha", UUID(member_id)).status == "left"

    # A forged post (no form token) is refused before anything happens.
    forged = client.post(f"{POOL}/invallers/{member_id}/profiel", data={"sector": ["mbo"]})
    assert forged.status_code == 400 and "formulier is verlopen" in html(forged)
    assert client.post(f"{POOL}/aanvragen/nieuw", data={"school": SCHOOL_1}).status_code == 400
    assert pool.member("alpha", UUID(member_id)).profile["sectors"] == ["po"]


def test_another_lokets_editor_and_an_auditor_stay_out(client, people, pool):
    member_id = add_member(pool, "Anna")

    # Beta's editor: no way into alpha's pool, not even with a valid form token of their own.
    login(client, "redacteur-beta")
    token = csrf_of(html(client.get("/beheer/beta/vervangingspool/")))
    for path in ("/", "/invallers/", f"/invallers/{member_id}", "/besturen", "/aanvragen/nieuw"):
        assert client.get(f"{POOL}{path}").status_code == 403, path
    sneaky = client.post(f"{POOL}/invallers/{member_id}/status", data={"csrf_token": token, "status": "paused"})
    assert sneaky.status_code == 403 and pool.member("alpha", UUID(member_id)).status == "active"
    # Their own loket's pool does not know alpha's substitute.
    assert client.get(f"/beheer/beta/vervangingspool/invallers/{member_id}").status_code == 404

    # Alpha's auditor may read the log, not run the pool (it holds personal data).
    client.post("/beheer/uitloggen", data={"csrf_token": token})
    login(client, "auditor-alpha")
    assert client.get(f"{POOL}/").status_code == 403


def test_the_pool_is_not_there_where_the_plugin_is_off(client, people, site, pool):
    with acting(actor="cli:test"):
        site.identity.grant("redacteur-alpha", "gamma", "editor")
    login(client)
    assert client.get("/beheer/gamma/").status_code == 200
    assert "/beheer/gamma/vervangingspool/" not in html(client.get("/beheer/gamma/"))
    for path in ("/", "/invallers/", "/aanvragen/nieuw"):
        assert client.get(f"/beheer/gamma/vervangingspool{path}").status_code == 404, path
    token = csrf_of(html(client.get("/beheer/gamma/")))
    assert client.post("/beheer/gamma/vervangingspool/besturen", data={"csrf_token": token, "bestuur": BOARD_B, "naam": "X"}).status_code == 404

