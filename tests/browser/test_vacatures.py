"""The vacancy bank's screens in a real Chromium against a real `loket serve` with the plugin on:
create a vacancy through the generic form, publish it, mark it filled (its public page then answers
410 Gone); the vacancy screens checked with axe; and the same flow without JavaScript."""

import re
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import PAGE_TIMEOUT_MS, PASSWORD, axe_violations, login
from tests.conftest import IN_CI
from tests.plugins.vacatures.conftest import CONFIG

try:
    from playwright.sync_api import expect
except ImportError:  # without CI: skip with the reason; with CI=true the browser tests must run
    if IN_CI:
        raise
    pytest.skip("the Python package playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

pytestmark = pytest.mark.browser

ITEM_PATH = re.compile(r"^/beheer/alpha/inhoud/vacancy/(?P<id>[0-9a-f-]{36})$")
API = "/api/v1/lokets/alpha/vacatures/vacancies"


@pytest.fixture
def server_config() -> str:
    """The browser tests' server, with alpha's plugin switched on."""
    return CONFIG


# Helpers


def path_of(page) -> str:
    return urlparse(page.url).path


def click(page, button: str):
    """Click the button with exactly this name; the response of the page the browser ends up on."""
    with page.expect_navigation(timeout=PAGE_TIMEOUT_MS) as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    return navigation.value


def flash(page, text: str):
    return page.locator("p.flash").filter(has_text=text)


def create_vacancy(page, base: str, title: str) -> str:
    """Fill in the generic form of a new vacancy and save it; the path of its edit screen."""
    response = page.goto(f"{base}/beheer/alpha/inhoud/vacancy/nieuw")
    assert response.status == 200, f"new vacancy form: {response.status}"
    page.locator("#veld-title").fill(title)
    page.locator("#veld-summary").fill("Voor 0,8 fte in Zeist.")
    page.locator("#veld-description").fill("Wij zoeken een **enthousiaste** leraar.")
    page.get_by_role("group", name="Sectoren").get_by_label("po", exact=True).check()
    page.locator("#veld-function").select_option("leraar")
    page.locator("#veld-schoolBoard").fill("41234")
    page.locator("#veld-schoolBoardName").fill("Stichting Sterk Onderwijs")
    page.locator("#veld-place").fill("Zeist")
    page.locator("#veld-applyUrl").fill("https://werkenbij.example.nl/5")
    response = click(page, "Opslaan")
    assert response.status == 200, f"saving the new vacancy answered {response.status}: {page.locator('main').inner_text()}"
    assert ITEM_PATH.match(path_of(page)), f"after saving the browser is at {page.url}"
    expect(flash(page, "Opgeslagen.")).to_be_visible()
    return path_of(page)


def publish_and_fill(page, base: str, edit_path: str, slug: str) -> None:
    click(page, "Publiceren")
    assert path_of(page) == edit_path
    expect(flash(page, "Gepubliceerd.")).to_be_visible()
    assert page.request.get(f"{base}{API}/{slug}", headers={"Cookie": ""}).status == 200

    page.get_by_label("Toelichting (niet verplicht)", exact=True).fill("Aangenomen: een zij-instromer.")
    click(page, "Vervuld melden")
    assert path_of(page) == edit_path
    expect(flash(page, "Gemeld als vervuld.")).to_be_visible()
    expect(page.locator("main p.meta").first).to_contain_text("Gesloten")
    expect(page.get_by_role("button", name="Vervuld melden", exact=True)).to_have_count(0)
    gone = page.request.get(f"{base}{API}/{slug}", headers={"Cookie": ""})
    assert gone.status == 410, gone.text()


def test_an_editor_publishes_and_fills_a_vacancy_on_accessible_screens(loket_server, page, axe_script):
    base = loket_server.base_url
    login(page, base, "redacteur-alpha", PASSWORD)
    page.goto(f"{base}/beheer/alpha/inhoud/vacancy/nieuw")
    assert axe_violations(page, axe_script) == [], "new vacancy form"

    edit_path = create_vacancy(page, base, "Leraar groep 5")
    assert axe_violations(page, axe_script) == [], "a vacancy's edit screen with its own steps"
    publish_and_fill(page, base, edit_path, "leraar-groep-5")

    # A day that has passed: the step's own page names the error at its field.
    item_id = ITEM_PATH.match(edit_path)["id"]
    page.goto(f"{base}/beheer/alpha/vacatures/{item_id}/verlengen")
    page.get_by_label("Nieuwe laatste dag", exact=True).fill("2020-01-31")
    assert click(page, "Verlengen").status == 422
    summary = page.get_by_role("alert")
    expect(summary.get_by_role("link", name=re.compile("^Nieuwe laatste dag: kies een dag vanaf vandaag"))).to_have_count(1)
    assert axe_violations(page, axe_script) == [], "the extend step with an error"

    for path in ("/beheer/alpha/inhoud/vacancy/", "/beheer/alpha/vacatures/intrekken"):
        assert page.goto(base + path).status == 200, path
        assert axe_violations(page, axe_script) == [], path
    # The list shows the closed vacancy with its board.
    page.goto(f"{base}/beheer/alpha/inhoud/vacancy/?status=closed")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="Leraar groep 5", exact=True))
    expect(row).to_contain_text("Stichting Sterk Onderwijs")
    expect(row).to_contain_text("Gesloten")


def test_the_same_without_javascript(loket_server, page_without_js):
    base = loket_server.base_url
    page = page_without_js
    login(page, base, "redacteur-alpha", PASSWORD)
    edit_path = create_vacancy(page, base, "Conciërge")
    publish_and_fill(page, base, edit_path, "concierge")
