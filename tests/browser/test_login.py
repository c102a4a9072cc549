"""Logging in to the editor at /beheer, in a real Chromium against a real `loket serve`."""

from urllib.parse import urlparse

import pytest

from tests.browser.conftest import axe_violations, login
from tests.conftest import IN_CI

try:
    from playwright.sync_api import expect
except ImportError:  # without CI: skip with the reason; with CI=true the browser tests must run
    if IN_CI:
        raise
    pytest.skip("the Python package playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

pytestmark = pytest.mark.browser

LOGIN_PATH = "/beheer/inloggen"
WRONG_LOGIN = "Onbekende gebruikersnaam of onjuist wachtwoord"


def path_of(page) -> str:
    return urlparse(page.url).path


def cookie_attributes(set_cookie: str) -> tuple[str, dict[str, str]]:
    """``name=value; HttpOnly; SameSite=Lax`` → ("name", {"httponly": "", "samesite": "lax"})."""
    first, *rest = [part.strip() for part in set_cookie.split(";")]
    attributes = {}
    for part in rest:
        key, _, value = part.partition("=")
        attributes[key.strip().lower()] = value.strip().lower()
    return first.partition("=")[0], attributes


def test_the_login_page_is_dutch_labelled_and_accessible(loket_server, page, axe_script):
    response = page.goto(f"{loket_server.base_url}{LOGIN_PATH}")
    assert response.status == 200
    assert page.locator("html").get_attribute("lang") == "nl"
    # The first thing the keyboard reaches is a skip link to an element on the page.
    page.keyboard.press("Tab")
    skip = page.evaluate(
        """() => {
            const a = document.activeElement;
            const href = a && a.getAttribute("href");
            return {tag: a && a.tagName, href, text: a && a.textContent.trim(),
                    targetExists: !!(href && href.startsWith("#") && href.length > 1
                                     && document.getElementById(decodeURIComponent(href.slice(1))))};
        }"""
    )
    assert skip["tag"] == "A" and skip["text"] and skip["targetExists"], f"no skip link first in the tab order: {skip}"
    expect(page.get_by_label("Gebruikersnaam", exact=True)).to_have_count(1)
    expect(page.get_by_label("Wachtwoord", exact=True)).to_have_attribute("type", "password")
    expect(page.get_by_role("button", name="Inloggen", exact=True)).to_have_count(1)
    assert axe_violations(page, axe_script) == []


def test_a_wrong_password_is_refused_with_an_alert_on_the_login_page(loket_server, page):
    login(page, loket_server.base_url, "redacteur-alpha", "niet-het-wachtwoord")
    expect(page.get_by_role("alert")).to_contain_text(WRONG_LOGIN)
    assert path_of(page) == LOGIN_PATH
    expect(page.get_by_label("Wachtwoord", exact=True)).to_have_count(1)


def test_an_editor_lands_on_the_dashboard_of_their_loket_with_a_safe_session_cookie(loket_server, page):
    set_cookies: list[str] = []
    page.on("response", lambda response: set_cookies.extend(response.header_values("set-cookie")))
    login(page, loket_server.base_url, "redacteur-alpha", loket_server.password)
    assert path_of(page) == "/beheer/alpha/"
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alpha")

    cookies = page.context.cookies(loket_server.base_url)
    flags = [(c["name"], c["httpOnly"], c["sameSite"]) for c in cookies]
    assert cookies, "logging in set no cookie"
    assert all(c["httpOnly"] and c["sameSite"] == "Lax" for c in cookies), flags
    # context.cookies() reports "Lax" also when the server sent no SameSite at all (the browser's
    # default), so the Set-Cookie headers themselves must say HttpOnly and SameSite=Lax.
    assert set_cookies, "no Set-Cookie header was seen"
    for header in set_cookies:
        name, attributes = cookie_attributes(header)
        assert "httponly" in attributes and attributes.get("samesite") == "lax", f"{name}: {sorted(attributes.items())}"


def test_a_post_without_the_csrf_token_is_refused(loket_server, page):
    base = loket_server.base_url
    login(page, base, "redacteur-alpha", loket_server.password)
    assert path_of(page) == "/beheer/alpha/"
    # The same browser context (so with the session cookie), but no token in the form.
    forged = page.request.post(f"{base}/beheer/uitloggen", form={})
    assert forged.status == 400
    # And from the page itself, as a script on the same origin would.
    status = page.evaluate(
        """async (url) => (await fetch(url, {method: "POST", body: new URLSearchParams(),
                                              credentials: "same-origin", redirect: "manual"})).status""",
        f"{base}/beheer/uitloggen",
    )
    assert status == 400
    # Neither logged the editor out.
    page.goto(f"{base}/beheer/alpha/")
    assert path_of(page) == "/beheer/alpha/"


def test_an_editor_of_alpha_cannot_open_beta(loket_server, page):
    login(page, loket_server.base_url, "redacteur-alpha", loket_server.password)
    response = page.goto(f"{loket_server.base_url}/beheer/beta/")
    assert response.status in (403, 404)


def test_logging_out_returns_to_the_login_page_and_closes_the_session(loket_server, page):
    base = loket_server.base_url
    login(page, base, "redacteur-alpha", loket_server.password)
    assert path_of(page) == "/beheer/alpha/"
    with page.expect_navigation():
        page.get_by_role("button", name="Uitloggen", exact=True).click()
    expect(page.get_by_role("button", name="Inloggen", exact=True)).to_have_count(1)
    # Back on the login page itself (Post/Redirect/Get), not its form rendered at the logout URL.
    assert path_of(page) == LOGIN_PATH, f"after logging out the browser is at {page.url}, not {LOGIN_PATH}"
    response = page.goto(f"{base}/beheer/alpha/")
    assert path_of(page) == LOGIN_PATH
    assert response.request.redirected_from is not None, "/beheer/alpha/ was not redirected to the login page"


def test_logging_in_works_without_javascript(loket_server, page_without_js):
    login(page_without_js, loket_server.base_url, "redacteur-alpha", loket_server.password)
    assert path_of(page_without_js) == "/beheer/alpha/"
    expect(page_without_js.get_by_role("heading", level=1)).to_contain_text("Alpha")
