"""Browser tests: Debian's Chromium (/usr/bin/chromium) driven by Playwright, against a real
``loket serve`` on 127.0.0.1, with axe-core from the npm registry for accessibility checks.

No browser is ever downloaded by a test tool (no ``playwright install``). Without Chromium the
tests skip with a stated reason; with ``CI=true`` they fail instead, because they must run there.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from core.envelope import acting
from core.site import Site
from tests.conftest import BASE_CONFIG, IN_CI

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these, Chromium's own background connections get refused here and slow everything.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "geheim-wachtwoord-1"
# (username, [(loket, role), …]) created before the server starts.
USERS = [
    ("redacteur-alpha", [("alpha", "editor")]),
    ("redacteur-beta", [("beta", "editor")]),
    ("beheerder", [("alpha", "admin"), ("beta", "admin")]),
]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NPM_TIMEOUT = 180  # seconds
SERVER_START_TIMEOUT = 30  # seconds
PAGE_TIMEOUT_MS = 15_000  # every Playwright wait in a test is bounded by this


def unavailable(reason: str):
    """Skip with the reason; with CI=true fail, because browser tests must run there."""
    if IN_CI:
        pytest.fail(f"CI=true needs the browser tests to run: {reason}", pytrace=False)
    pytest.skip(reason)


# Every test under tests/browser carries the `browser` marker.


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.browser)


# Chromium and Playwright


@pytest.fixture(scope="session")
def chromium_path() -> str:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        unavailable(f"{CHROMIUM} is not installed (apt-get install chromium; .ci/run does this)")
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def browser(chromium_path: str):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        unavailable(f"the Python package playwright is not installed (pip install -e '.[test]'): {error}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            yield browser
        finally:
            browser.close()


def _new_page(browser, **options):
    context = browser.new_context(**options)
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    context.set_default_navigation_timeout(PAGE_TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser):
    """A page in a fresh context with JavaScript. CSP is bypassed only so that axe-core can be
    injected (``add_script_tag``) into pages whose Content-Security-Policy forbids inline scripts."""
    context, page = _new_page(browser, java_script_enabled=True, bypass_csp=True)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page_without_js(browser):
    """A page in a fresh context with JavaScript switched off: the editor must work without it."""
    context, page = _new_page(browser, java_script_enabled=False)
    try:
        yield page
    finally:
        context.close()


# axe-core


@pytest.fixture(scope="session")
def axe_script(tmp_path_factory: pytest.TempPathFactory) -> str:
    """axe-core 4 installed from the npm registry into a temporary folder; the path of axe.min.js."""
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm is not installed, so axe-core cannot be fetched")
    prefix = tmp_path_factory.mktemp("axe-core")
    command = [npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--no-update-notifier", "axe-core@4"]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=NPM_TIMEOUT)
    except subprocess.TimeoutExpired:
        unavailable(f"npm install axe-core@4 took longer than {NPM_TIMEOUT} s")
    script = prefix / "node_modules" / "axe-core" / "axe.min.js"
    if done.returncode != 0 or not script.is_file():
        unavailable(f"npm install axe-core@4 failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    return str(script)


def axe_violations(page, script_path: str, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the page; the violations with these impacts,
    as plain dicts, so that ``assert violations == []`` shows what is wrong and where."""
    page.add_script_tag(path=script_path)
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: tags});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(" ")),
            }));
        }""",
        AXE_TAGS,
    )
    return [v for v in found if v["impact"] in impacts]


# The server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LoketServer:
    base_url: str
    config_path: Path
    password: str
    log_path: Path
    users: list = field(default_factory=lambda: [name for name, _ in USERS])

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def server_config() -> str:
    """The configuration ``loket_server`` serves; a test module overrides it (plugins switched on)."""
    return BASE_CONFIG


@pytest.fixture
def loket_server(tmp_path: Path, server_config: str) -> Iterator[LoketServer]:
    """A real ``loket serve`` on 127.0.0.1 over a fresh SQLite store, with three users made
    through the real CLI; stopped after the test."""
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    config = tmp_path / "loket.toml"
    text = server_config.replace("{url}", f"sqlite:///{tmp_path}/data/events.sqlite")
    text = text.replace("[[regions]]", f'[site]\npublic_url = "{base_url}"\n\n[[regions]]', 1)
    config.write_text(text, encoding="utf-8")

    # The lokets exist once the configuration is applied (serve would do it too, but roles need them
    # first). The users are made in this process, through the same commands the CLI calls (the CLI
    # itself is tested in tests/core/test_cli.py): eight CLI processes took most of this fixture's time.
    site = Site.open(config)
    try:
        site.apply_config()
        with acting(actor="cli:test"):
            for username, grants in USERS:
                site.identity.add_user(username, PASSWORD)
                for loket, role in grants:
                    site.identity.grant(username, loket, role)
    finally:
        site.close()

    log_path = tmp_path / "serve.log"
    loket = str(Path(sys.executable).with_name("loket"))
    with open(log_path, "w", encoding="utf-8") as log:  # a file, not a pipe: a full pipe would block the server
        process = subprocess.Popen(
            [loket, "serve", "--config", str(config), "--port", str(port)],
            cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT, text=True,
        )
    server = LoketServer(base_url=base_url, config_path=config, password=PASSWORD, log_path=log_path)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"loket serve stopped ({process.returncode}): {server.log()}", pytrace=False)
            try:
                with urllib.request.urlopen(f"{base_url}/healthz", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"loket serve did not answer within {SERVER_START_TIMEOUT} s: {server.log()}", pytrace=False)
                time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


# Helpers for tests


def login(page, base_url: str, username: str, password: str):
    """Log in through the form at /beheer/inloggen; returns the response the browser ends up on."""
    page.goto(f"{base_url}/beheer/inloggen")
    page.get_by_label("Gebruikersnaam", exact=True).fill(username)
    page.get_by_label("Wachtwoord", exact=True).fill(password)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Inloggen", exact=True).click()
    return navigation.value
