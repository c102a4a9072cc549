"""The substitute pool's editor screens in a real Chromium against a real `loket serve`, alpha with
the plugin on: a coordinator lets a board and a school take part, adds a substitute (whose link is
shown once), approves them, opens a request, reads the candidates with their reasons and cancels —
with axe-core on the overview, the substitute's page and the request's page, and the whole flow
again with JavaScript switched off."""

import re
from datetime import date, timedelta
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import PAGE_TIMEOUT_MS, PASSWORD, axe_violations, login
from tests.conftest import BASE_CONFIG, IN_CI

try:
    from playwright.sync_api import expect
except ImportError:  # without CI: skip with the reason; with CI=true the browser tests must run
    if IN_CI:
        raise
    pytest.skip("the Python package playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

pytestmark = pytest.mark.browser

CONFIG = BASE_CONFIG.replace('plugins = ["voorbeeld"]', 'plugins = ["voorbeeld", "vervangingspool"]')
BOARD, BOARD_NAME = "41234", "Stichting Sterk Onderwijs"
SCHOOL, SCHOOL_NAME = "12AB00", "De Regenboog"
REQUEST_PATH = re.compile(r"^/beheer/alpha/vervangingspool/aanvragen/[0-9a-f-]{36}$")


@pytest.fixture
def server_config() -> str:
    """The browser tests' server, with alpha's plugin switched on."""
    return CONFIG


def next_weekday() -> date:
    day = date.today() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def path_of(page) -> str:
    return urlparse(page.url).path


def click(page, button: str):
    """Click the button with exactly this name and wait for the page it leads to."""
    with page.expect_navigation(timeout=PAGE_TIMEOUT_MS) as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    return navigation.value


def flash(page, text: str):
    return page.locator("p.flash").filter(has_text=text)


def run_the_pool(page, base: str, axe_script: str | None = None):
    """The coordinator's flow; with ``axe_script``, axe-core checks the screens on the way."""

    def accessible():
        if axe_script:
            assert axe_violations(page, axe_script) == [], page.url

    login(page, base, "redacteur-alpha", PASSWORD)

    # The menu leads to the pool's overview: nothing running yet.
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Vervangingspool", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vervangingspool")
    expect(page.get_by_text("Er zijn geen lopende aanvragen.")).to_be_visible()
    accessible()

    # A board joins, then one of its schools.
    page.get_by_role("link", name="Besturen en scholen", exact=True).first.click()
    page.get_by_label(re.compile(r"^Bestuursnummer")).fill(BOARD)
    page.get_by_label(re.compile(r"^Naam van het bestuur")).fill(BOARD_NAME)
    click(page, "Bestuur laten meedoen")
    expect(flash(page, f"{BOARD_NAME} doet mee aan de pool.")).to_be_visible()
    page.get_by_role("link", name="Nieuwe school", exact=True).click()
    page.get_by_label(re.compile(r"^BRIN-nummer")).fill(SCHOOL)
    page.get_by_label(re.compile(r"^Naam van de school")).fill(SCHOOL_NAME)
    page.get_by_label("Breedtegraad", exact=True).fill("52,09")
    page.get_by_label("Lengtegraad", exact=True).fill("5,23")
    click(page, "School opslaan")
    expect(flash(page, f"{SCHOOL_NAME} is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("link", name=SCHOOL_NAME, exact=True)).to_be_visible()

    # A new substitute, available every weekday; their own link is shown once.
    page.get_by_role("link", name="Nieuwe invaller", exact=True).first.click()
    page.get_by_label(re.compile(r"^Naam")).first.fill("Anna de Vries")
    page.get_by_label(re.compile(r"^E-mailadres")).fill("anna@example.nl")
    page.get_by_role("group", name=re.compile(r"^Sectoren")).get_by_label("po", exact=True).check()
    page.get_by_label("Bevoegd in het po (pabo)", exact=True).check()
    for day in ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag"):
        page.get_by_label(f"{day} ochtend", exact=True).check()
        page.get_by_label(f"{day} middag", exact=True).check()
    page.get_by_role("group", name="Woonplek").get_by_label("Breedtegraad", exact=True).fill("52.09")
    page.get_by_role("group", name="Woonplek").get_by_label("Lengtegraad", exact=True).fill("5.12")
    click(page, "Invaller toevoegen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anna de Vries")
    link = page.get_by_label("Link voor de invaller", exact=True).input_value()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/v1/lokets/alpha/vervangingspool/me\?token=[0-9a-f]{32}\.\S+", link)
    expect(page.get_by_text("Deze links zie je maar één keer.")).to_be_visible()
    calendar = page.get_by_label("Agenda-abonnement (ICS) voor de invaller", exact=True).input_value()
    # Both open the substitute's own page and feed (the plugin's API) as they are.
    assert page.request.get(link).ok and "BEGIN:VCALENDAR" in page.request.get(calendar).text()
    accessible()

    # Approved by the board; the link is not shown again.
    click(page, f"Goedkeuren voor {BOARD_NAME}")
    expect(flash(page, "Goedgekeurd.")).to_be_visible()
    member_url = page.url
    assert re.match(r"^/beheer/alpha/vervangingspool/invallers/[0-9a-f-]{36}$", path_of(page)), page.url
    expect(page.get_by_label("Link voor de invaller", exact=True)).to_have_count(0)
    expect(page.get_by_role("row", name=re.compile(BOARD_NAME))).to_contain_text("goedgekeurd")

    # A request with a medical note is refused at its field, with the summary; then sent without.
    day = next_weekday()
    page.get_by_role("link", name="Nieuwe aanvraag", exact=True).first.click()
    page.get_by_label(re.compile(r"^School")).select_option(SCHOOL)
    page.get_by_label("Groep of klas", exact=True).fill("groep 5")
    page.get_by_label("Notities voor de invaller", exact=True).fill("Juf is ziek")
    page.get_by_label("Datum 1", exact=True).fill(day.isoformat())
    page.get_by_label("ochtend op datum 1", exact=True).check()
    page.get_by_label("middag op datum 1", exact=True).check()
    click(page, "Aanvraag versturen")
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("Notities voor de invaller: geen medische informatie")
    expect(page.get_by_label("Notities voor de invaller", exact=True)).to_have_attribute("aria-invalid", "true")
    accessible()
    page.get_by_label("Notities voor de invaller", exact=True).fill("Methode Pluspunt, les 4.")
    click(page, "Aanvraag versturen")
    assert REQUEST_PATH.match(path_of(page)), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Aanvraag van {SCHOOL_NAME}")

    # Offered to her at once; she is the first candidate, with the reasons for it.
    candidates = page.locator("ol.candidates > li")
    expect(candidates).to_have_count(1)
    expect(candidates.first).to_contain_text("Anna de Vries")
    expect(candidates.first).to_contain_text("Bevoegdheid: bevoegd po (+40)")
    expect(candidates.first).to_contain_text("Beschikbaarheid: beschikbaar op 2 van 2 dagdelen (+20)")
    expect(candidates.first).to_contain_text("al gevraagd: wacht op antwoord")
    expect(page.locator("#dagdelen").locator("xpath=..").get_by_role("cell", name="aangeboden", exact=True)).to_have_count(2)
    accessible()
    request_url = page.url

    # Cancelled by the school, with a reason.
    page.get_by_label(re.compile(r"^Reden")).fill("Leerkracht is terug")
    click(page, "Aanvraag annuleren")
    assert page.url == request_url
    expect(flash(page, "De aanvraag is geannuleerd.")).to_be_visible()
    expect(page.locator("#dagdelen").locator("xpath=..").get_by_role("cell", name="geannuleerd", exact=True)).to_have_count(2)
    expect(page.get_by_role("button", name="Aanvraag annuleren", exact=True)).to_have_count(0)

    # The substitute's page lists nothing booked; the overview nothing running.
    page.goto(member_url)
    expect(page.get_by_text("Nog niet ingeroosterd.")).to_be_visible()
    page.get_by_role("link", name="Vervangingspool", exact=True).first.click()
    expect(page.get_by_text("Er zijn geen lopende aanvragen.")).to_be_visible()


def test_a_coordinator_runs_the_pool_and_every_screen_is_accessible(loket_server, page, axe_script):
    run_the_pool(page, loket_server.base_url, axe_script)


def test_the_same_flow_without_javascript(loket_server, page_without_js):
    run_the_pool(page_without_js, loket_server.base_url)
