"""The auditor's screens in Chromium: reachable for an auditor only, usable, and without serious or
critical accessibility violations (axe-core)."""

import re

import pytest

from tests.browser.conftest import PASSWORD, axe_violations, login
from tests.conftest import IN_CI, run_cli

try:
    from playwright.sync_api import expect  # noqa: F401 - the import tells whether Playwright is here
except ImportError:  # without CI: skip with the reason; with CI=true the browser tests must run
    if IN_CI:
        raise
    pytest.skip("the Python package playwright is not installed (pip install -e '.[test]')", allow_module_level=True)

pytestmark = pytest.mark.browser


def test_the_auditors_screens_are_accessible(loket_server, page, axe_script):
    config = str(loket_server.config_path)
    assert run_cli("users", "add", "controleur", "--password-stdin", "--config", config, input=PASSWORD + "\n").returncode == 0
    assert run_cli("users", "grant", "controleur", "alpha", "auditor", "--config", config).returncode == 0
    login(page, loket_server.base_url, "controleur", PASSWORD)

    response = page.goto(f"{loket_server.base_url}/audit/")
    assert response.ok and page.url.endswith("/audit/alpha/")
    screens = {"log": page.url}
    item = page.locator("a[href*='/audit/alpha/item/']").first
    screens["item"] = loket_server.base_url + item.get_attribute("href")
    screens["growth"] = f"{loket_server.base_url}/audit/alpha/groei"
    screens["access"] = f"{loket_server.base_url}/audit/alpha/toegang"
    for name, url in screens.items():
        assert page.goto(url).ok, name
        assert axe_violations(page, axe_script) == [], name
    page.goto(screens["growth"])
    assert page.locator("svg[role='img'] title").count() == 1
    assert re.search(r"PluginEnabled", page.content())

    # An editor is no auditor.
    other = page.context.browser.new_context()
    try:
        editor = other.new_page()
        login(editor, loket_server.base_url, "redacteur-alpha", PASSWORD)
        assert editor.goto(f"{loket_server.base_url}/audit/alpha/").status == 403
    finally:
        other.close()
