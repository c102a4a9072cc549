"""Editing content in the /beheer screens, in a real Chromium against a real `loket serve`: create,
publish and plan a page; two people on one item; history and restore; forged posts and other
lokets' items; accessibility of every editing screen; and the whole flow without JavaScript."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse
from zoneinfo import ZoneInfo

import pytest

from tests.browser.conftest import PAGE_TIMEOUT_MS, PASSWORD, axe_violations, login
from tests.conftest import IN_CI

try:
    from playwright.sync_api import expect
except ImportError:  # without CI: skip with the reason; with CI=true the browser tests must run
    if IN_CI:
        raise
    pytest.skip("the Python package playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

pytestmark = pytest.mark.browser

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
# The title input's accessible name is "Titel (verplicht)": the "*" is aria-hidden.
TITLE = re.compile(r"^Titel\b")
ITEM_PATH = re.compile(r"^/beheer/(?P<loket>[a-z0-9-]+)/inhoud/page/(?P<id>[0-9a-f-]{36})$")
CONFLICT = "Iemand anders heeft dit item gewijzigd"


# Helpers


def path_of(page) -> str:
    return urlparse(page.url).path


def click(page, button: str):
    """Click the button with exactly this name and wait for the page it leads to; that response
    (after redirects: the page the browser ends up on)."""
    with page.expect_navigation(timeout=PAGE_TIMEOUT_MS) as navigation:
        page.get_by_role("button", name=button, exact=True).click()
    return navigation.value


def flash(page, text: str):
    """The status message (or alert) shown after a step."""
    return page.locator("p.flash").filter(has_text=text)


def fill_page_form(page, *, title=None, summary=None, body=None, slug=None, sectors=()):
    if title is not None:
        page.get_by_label(TITLE).fill(title)
    if summary is not None:
        page.get_by_label("Samenvatting", exact=True).fill(summary)
    if body is not None:
        page.get_by_label("Tekst", exact=True).fill(body)
    if slug is not None:
        page.get_by_label("Slug (in de webadres)", exact=True).fill(slug)
    for sector in sectors:
        page.get_by_role("group", name="Sectoren").get_by_label(sector, exact=True).check()


def create_page(page, base: str, loket: str = "alpha", **fields) -> str:
    """Create a page through the form; the path of its edit screen (where the browser is then)."""
    response = page.goto(f"{base}/beheer/{loket}/inhoud/page/nieuw")
    assert response.status == 200, f"new page form: {response.status}"
    fill_page_form(page, **fields)
    response = click(page, "Opslaan")
    assert response.status == 200, f"saving the new page answered {response.status}"
    assert ITEM_PATH.match(path_of(page)), f"after saving the browser is at {page.url}, not an item's edit screen"
    expect(flash(page, "Opgeslagen.")).to_be_visible()
    return path_of(page)


def status_line(page):
    return page.locator("main p.meta").first


@pytest.fixture
def person(browser, loket_server):
    """Another person in another browser context (own cookies), logged in: ``person("beheerder")``."""
    contexts = []

    def log_in_as(username: str):
        context = browser.new_context(java_script_enabled=True, bypass_csp=True)
        context.set_default_timeout(PAGE_TIMEOUT_MS)
        context.set_default_navigation_timeout(PAGE_TIMEOUT_MS)
        contexts.append(context)
        other = context.new_page()
        login(other, loket_server.base_url, username, PASSWORD)
        assert path_of(other).startswith("/beheer/"), f"{username} did not get in: {other.url}"
        return other

    try:
        yield log_in_as
    finally:
        for context in contexts:
            context.close()


# 1. Create, publish, see it in the API, plan taking it offline


def test_an_editor_creates_publishes_and_plans_a_page(loket_server, page):
    base = loket_server.base_url
    login(page, base, "redacteur-alpha", PASSWORD)
    assert path_of(page) == "/beheer/alpha/"

    body = "## Waarom het onderwijs\n\nHet is **mooi** werk met [kinderen](https://example.org/).\n\n- uitdagend\n- zinvol\n"
    edit_path = create_page(
        page, base, title="Werken in het primair onderwijs", summary="Alles over werken op de basisschool.",
        body=body, slug="werken-in-het-po", sectors=["po"],
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Werken in het primair onderwijs")
    expect(status_line(page)).to_contain_text("Concept")
    expect(page.get_by_label("Tekst", exact=True)).to_have_value(body)
    expect(page.get_by_role("group", name="Sectoren").get_by_label("po", exact=True)).to_be_checked()
    # A draft is not public.
    assert page.request.get(f"{base}/api/v1/lokets/alpha/pages/werken-in-het-po").status == 404

    click(page, "Publiceren")
    assert path_of(page) == edit_path
    expect(flash(page, "Gepubliceerd.")).to_be_visible()
    expect(status_line(page)).to_contain_text("Gepubliceerd")

    # The public API (no login needed) serves it, with the Markdown rendered to HTML.
    public = page.request.get(f"{base}/api/v1/lokets/alpha/pages/werken-in-het-po", headers={"Cookie": ""})
    assert public.status == 200, public.text()
    item = public.json()
    assert item["title"] == "Werken in het primair onderwijs"
    assert item["summary"] == "Alles over werken op de basisschool."
    assert item["sectors"] == ["po"]
    # Browsers submit a textarea's line breaks as CRLF (HTML standard); the screens currently store
    # them as sent, so the API serves "\r\n" where API-written items have "\n" (reported).
    assert item["body"].replace("\r\n", "\n") == body
    html = item["bodyHtml"]
    assert re.search(r"<h2[^>]*>Waarom het onderwijs</h2>", html), html
    assert "<strong>mooi</strong>" in html, html
    assert re.search(r'<a href="https://example.org/"[^>]*>kinderen</a>', html), html
    assert re.search(r"<li>uitdagend</li>\s*<li>zinvol</li>", html), html

    # Plan taking it offline in a month, in Dutch local time.
    offline_local = (datetime.now(AMSTERDAM) + timedelta(days=30)).replace(hour=17, minute=30, second=0, microsecond=0)
    page.get_by_label("Offline halen op", exact=True).fill(offline_local.strftime("%Y-%m-%dT%H:%M"))
    click(page, "Inplannen")
    assert path_of(page) == edit_path
    expect(flash(page, "Ingepland.")).to_be_visible()
    # The form shows the plan back in local time.
    expect(page.get_by_label("Offline halen op", exact=True)).to_have_value(offline_local.strftime("%Y-%m-%dT%H:%M"))
    expect(status_line(page)).to_contain_text("Gepubliceerd")  # still online until then

    page.goto(f"{base}/beheer/alpha/")
    planned = page.get_by_role("region", name="Gepland")
    expect(planned.get_by_role("link", name="Werken in het primair onderwijs")).to_have_count(1)
    in_utc = offline_local.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    expect(planned).to_contain_text(f"Offline halen op {in_utc} UTC")
    # The planned page is still public.
    assert page.request.get(f"{base}/api/v1/lokets/alpha/pages/werken-in-het-po").status == 200


# 2. Two people on one item


def test_a_stale_save_is_refused_with_both_versions_and_can_then_be_saved_deliberately(loket_server, page, person):
    base = loket_server.base_url
    login(page, base, "redacteur-alpha", PASSWORD)
    edit_path = create_page(page, base, title="Samen bewerken", body="Eerste tekst.", slug="samen-bewerken")
    # redacteur-alpha has the item open (the edit screen after saving). beheerder opens it too.
    other = person("beheerder")
    other.goto(base + edit_path)
    notice = other.get_by_role("status").filter(has_text="bewerkt dit item")
    expect(notice).to_contain_text("redacteur-alpha bewerkt dit item")
    expect(notice.get_by_role("button", name="Bewerken overnemen", exact=True)).to_have_count(1)

    # The first person saves a change.
    page.get_by_label("Tekst", exact=True).fill("Tekst van redacteur-alpha.")
    click(page, "Opslaan")
    expect(flash(page, "Opgeslagen.")).to_be_visible()

    # The second person, still on version 1, saves their own change: refused, both versions shown.
    other.get_by_label("Tekst", exact=True).fill("Tekst van beheerder.")
    response = click(other, "Opslaan")
    assert response.status == 409
    assert path_of(other) == edit_path
    conflict = other.locator("div.conflict")
    expect(conflict).to_have_attribute("role", "alert")
    expect(conflict).to_contain_text(CONFLICT)
    table = conflict.get_by_role("table")
    expect(table.get_by_role("columnheader", name="Jouw versie")).to_have_count(1)
    # The header names who made the current version; the screens currently show the event's actor
    # id ("user:<uuid>") there rather than "redacteur-alpha" (reported), so only the version is pinned.
    expect(table.get_by_role("columnheader", name=re.compile(r"^Huidige versie \(.+, versie 2\)$"))).to_have_count(1)
    row = table.get_by_role("row").filter(has=other.get_by_role("rowheader", name=re.compile(r"^Tekst\b")))
    expect(row.get_by_role("cell")).to_have_text(["Tekst van beheerder.", "Tekst van redacteur-alpha."])
    # Nothing lost: the form still holds the second person's text; nothing of theirs was saved.
    expect(other.get_by_label("Tekst", exact=True)).to_have_value("Tekst van beheerder.")
    expect(other.get_by_role("button", name="Opslaan", exact=True)).to_have_count(0)
    page.reload()
    expect(page.get_by_label("Tekst", exact=True)).to_have_value("Tekst van redacteur-alpha.")

    # Having seen both, the second person saves deliberately.
    response = click(other, "Mijn versie toch opslaan")
    assert response.status == 200
    assert path_of(other) == edit_path
    expect(flash(other, "Opgeslagen.")).to_be_visible()
    expect(other.locator("div.conflict")).to_have_count(0)
    expect(other.get_by_label("Tekst", exact=True)).to_have_value("Tekst van beheerder.")
    expect(status_line(other)).to_contain_text("Versie 3")

    # Both changes are in the history: version 2 by redacteur-alpha, version 3 by beheerder.
    other.goto(f"{base}{edit_path}/geschiedenis")
    rows = other.get_by_role("table").first.get_by_role("row")
    expect(rows).to_have_count(4)  # header + 3 versions
    who = [actor_in_history(rows.nth(n)) for n in (1, 2, 3)]
    assert who[0] and who[0] == who[1] != who[2], who


def actor_in_history(row) -> str:
    """The "Wie" cell of a row of the history table (currently "user:<uuid>", not the user name)."""
    return row.get_by_role("cell").nth(3).inner_text().strip()


def test_someone_else_can_take_over_editing(loket_server, page, person):
    base = loket_server.base_url
    login(page, base, "redacteur-alpha", PASSWORD)
    edit_path = create_page(page, base, title="Overnemen", slug="overnemen")
    other = person("beheerder")
    other.goto(base + edit_path)
    expect(other.get_by_role("status").filter(has_text="redacteur-alpha bewerkt dit item")).to_have_count(1)
    click(other, "Bewerken overnemen")
    assert path_of(other) == edit_path
    expect(flash(other, "Je bewerkt dit item nu.")).to_be_visible()
    expect(other.get_by_text("redacteur-alpha bewerkt dit item")).to_have_count(0)
    # And now the first person sees that the second one is editing.
    page.reload()
    expect(page.get_by_role("status").filter(has_text="beheerder bewerkt dit item")).to_have_count(1)


# 3. History: compare and restore


def test_an_earlier_version_is_compared_and_restored_from_the_history(loket_server, page):
    base = loket_server.base_url
    login(page, base, "redacteur-alpha", PASSWORD)
    edit_path = create_page(page, base, title="Versie een", body="Tekst een.", slug="versies")
    for title, body in (("Versie twee", "Tekst twee."), ("Versie drie", "Tekst drie.")):
        fill_page_form(page, title=title, body=body)
        click(page, "Opslaan")
        expect(flash(page, "Opgeslagen.")).to_be_visible()
    expect(status_line(page)).to_contain_text("Versie 3")

    with page.expect_navigation():
        page.get_by_role("link", name="Geschiedenis", exact=True).click()
    assert path_of(page) == f"{edit_path}/geschiedenis"
    expect(page.get_by_role("heading", level=1)).to_have_text("Geschiedenis van Versie drie")
    versions = page.get_by_role("table").first.get_by_role("row")
    expect(versions).to_have_count(4)
    expect(versions.nth(1).get_by_role("cell").nth(1)).to_have_text("Drafted")
    who = {actor_in_history(versions.nth(n)) for n in (1, 2, 3)}
    assert len(who) == 1 and "" not in who, who

    # Compare version 1 with version 3.
    page.get_by_label("Van versie", exact=True).fill("1")
    page.get_by_label("Naar versie", exact=True).fill("3")
    click(page, "Vergelijken")
    diff = page.locator("table.diff")
    expect(diff.get_by_role("columnheader")).to_have_text(["Veld", "Versie 1", "Versie 3"])
    title_row = diff.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(r"^Titel\b")))
    expect(title_row).to_have_class(re.compile(r"\bchanged\b"))
    expect(title_row.get_by_role("cell")).to_have_text(["Versie een", "Versie drie"])
    body_row = diff.get_by_role("row").filter(has=page.get_by_role("rowheader", name=re.compile(r"^Tekst\b")))
    expect(body_row.get_by_role("cell")).to_have_text(["Tekst een.", "Tekst drie."])
    slug_row = diff.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Slug", exact=True))
    expect(slug_row).not_to_have_class(re.compile(r"\bchanged\b"))

    # Restore version 1: a new version 4 with version 1's fields.
    expect(page.get_by_role("button", name=re.compile(r"^Deze versie terugzetten"))).to_have_count(2)  # 1 and 2
    click(page, "Deze versie terugzetten (1)")
    assert path_of(page) == edit_path
    expect(flash(page, "Versie 1 is teruggezet als nieuwe versie.")).to_be_visible()
    expect(page.get_by_label(TITLE)).to_have_value("Versie een")
    expect(page.get_by_label("Tekst", exact=True)).to_have_value("Tekst een.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Versie een")
    expect(status_line(page)).to_contain_text("Versie 4")


# 4. Forged posts and other lokets


def test_a_forged_post_is_refused_and_creates_nothing(loket_server, page):
    base = loket_server.base_url
    login(page, base, "redacteur-alpha", PASSWORD)
    forged = page.request.post(f"{base}/beheer/alpha/inhoud/page/nieuw", form={"title": "x"})
    assert forged.status == 400
    forged = page.request.post(f"{base}/beheer/alpha/inhoud/page/nieuw", form={"title": "x", "csrf_token": "verzonnen"})
    assert forged.status == 400
    page.goto(f"{base}/beheer/alpha/inhoud/page/")
    expect(page.get_by_text("Geen items gevonden.", exact=True)).to_have_count(1)

    # Actions on an existing item too.
    edit_path = create_page(page, base, title="Niet zomaar publiceren", slug="niet-zomaar")
    forged = page.request.post(f"{base}{edit_path}/publiceren", form={"version": "1"})
    assert forged.status == 400
    forged = page.request.post(f"{base}{edit_path}", form={"title": "Overschreven", "version": "1"})
    assert forged.status == 400
    page.reload()
    expect(status_line(page)).to_contain_text("Concept")
    expect(page.get_by_label(TITLE)).to_have_value("Niet zomaar publiceren")


def test_an_editor_of_alpha_cannot_reach_betas_screens_or_items(loket_server, page, person):
    base = loket_server.base_url
    beta = person("redacteur-beta")
    assert path_of(beta) == "/beheer/beta/"
    beta_path = create_page(beta, base, loket="beta", title="Alleen voor beta", slug="alleen-voor-beta")
    item_id = ITEM_PATH.match(beta_path)["id"]

    login(page, base, "redacteur-alpha", PASSWORD)
    assert path_of(page) == "/beheer/alpha/"
    for path in (
        "/beheer/beta/",
        "/beheer/beta/inhoud/page/",
        "/beheer/beta/inhoud/page/nieuw",
        f"/beheer/beta/inhoud/page/{item_id}",
        f"/beheer/beta/inhoud/page/{item_id}/geschiedenis",
        f"/beheer/alpha/inhoud/page/{item_id}",  # beta's item through alpha's screens
        f"/beheer/alpha/inhoud/page/{item_id}/geschiedenis",
    ):
        response = page.goto(base + path)
        assert response.status in (403, 404), f"{path}: {response.status}"
        expect(page.get_by_text("Alleen voor beta")).to_have_count(0)

    # Even with a valid CSRF token of their own session, alpha cannot act on beta's item.
    page.goto(f"{base}/beheer/alpha/")
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    for path in (f"/beheer/beta/inhoud/page/{item_id}/publiceren", f"/beheer/alpha/inhoud/page/{item_id}/publiceren",
                 f"/beheer/alpha/inhoud/page/{item_id}"):
        response = page.request.post(base + path, form={"csrf_token": token, "version": "1", "title": "Gekaapt"}, max_redirects=0)
        assert response.status in (403, 404), f"POST {path}: {response.status}"
    # Beta's item is untouched.
    beta.reload()
    expect(status_line(beta)).to_contain_text("Concept")
    expect(status_line(beta)).to_contain_text("Versie 1")
    expect(beta.get_by_label(TITLE)).to_have_value("Alleen voor beta")


# 5. Accessibility of every editing screen


def test_the_editing_screens_have_no_serious_accessibility_violations(loket_server, page, axe_script):
    base = loket_server.base_url
    found: dict[str, list] = {}

    page.goto(f"{base}/beheer/inloggen")
    found["login"] = axe_violations(page, axe_script)

    login(page, base, "redacteur-alpha", PASSWORD)
    edit_path = create_page(page, base, title="Toegankelijk", summary="Kort.", body="Een *tekst*.", slug="toegankelijk", sectors=["po", "vo"])
    found["edit form"] = axe_violations(page, axe_script)

    page.get_by_label(TITLE).fill("")
    response = click(page, "Opslaan")
    assert response.status == 422
    expect(page.get_by_role("alert").filter(has_text="fout")).to_have_count(1)
    expect(page.get_by_label(TITLE)).to_have_attribute("aria-invalid", "true")
    found["edit form with errors"] = axe_violations(page, axe_script)

    page.goto(f"{base}/beheer/alpha/inhoud/page/nieuw")
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.locator(".error-summary")).to_have_count(1)
    found["new form with errors"] = axe_violations(page, axe_script)

    page.goto(f"{base}/beheer/alpha/")
    found["dashboard"] = axe_violations(page, axe_script)

    page.goto(f"{base}/beheer/alpha/inhoud/page/")
    expect(page.get_by_role("link", name="Toegankelijk", exact=True)).to_have_count(1)
    found["content list"] = axe_violations(page, axe_script)

    page.goto(f"{base}{edit_path}/geschiedenis")
    found["history"] = axe_violations(page, axe_script)

    assert {screen: v for screen, v in found.items() if v} == {}


# 6. Without JavaScript


def test_creating_and_publishing_works_without_javascript(loket_server, page_without_js):
    base = loket_server.base_url
    page = page_without_js
    login(page, base, "redacteur-alpha", PASSWORD)
    assert path_of(page) == "/beheer/alpha/"
    with page.expect_navigation():
        page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Pagina's").click()
    with page.expect_navigation():
        page.get_by_role("link", name="Nieuw: Pagina").click()
    assert path_of(page) == "/beheer/alpha/inhoud/page/nieuw"

    # The browser's own validation stays out of the way (novalidate): the server explains.
    response = click(page, "Opslaan")
    assert response.status == 422
    expect(page.locator(".error-summary a[href='#veld-title']")).to_have_count(1)
    expect(page.get_by_label(TITLE)).to_have_attribute("aria-invalid", "true")

    fill_page_form(page, title="Zonder script", summary="Het kan.", body="Gewoon **HTML**.", slug="zonder-script", sectors=["mbo"])
    response = click(page, "Opslaan")
    assert response.status == 200
    edit_path = path_of(page)
    assert ITEM_PATH.match(edit_path), page.url
    expect(flash(page, "Opgeslagen.")).to_be_visible()

    click(page, "Publiceren")
    assert path_of(page) == edit_path
    expect(flash(page, "Gepubliceerd.")).to_be_visible()
    expect(status_line(page)).to_contain_text("Gepubliceerd")

    public = page.request.get(f"{base}/api/v1/lokets/alpha/pages/zonder-script")
    assert public.status == 200, public.text()
    assert public.json()["title"] == "Zonder script"
    assert "<strong>HTML</strong>" in public.json()["bodyHtml"]
    assert public.json()["sectors"] == ["mbo"]
