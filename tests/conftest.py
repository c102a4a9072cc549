"""Shared fixtures: configuration files in tmp_path, real SQLite files, the real PostgreSQL server,
and the example plugin installed through its real entry point."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import uuid
from contextlib import contextmanager
from collections.abc import Iterator
from typing import Any
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE_PLUGIN = Path(__file__).resolve().parent / "example_plugin"
IN_CI = os.environ.get("CI") == "true"
PG_DSN = os.environ.get("LOKET_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")

_plugin_dir: str | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Install the example plugin with pip into a folder on sys.path, so that it is found the way
    any third-party plugin is: through its ``loket.plugins`` entry point."""
    global _plugin_dir
    _plugin_dir = tempfile.mkdtemp(prefix="loket-example-plugin-")
    build = Path(_plugin_dir) / "build"
    shutil.copytree(EXAMPLE_PLUGIN, build)  # pip writes build metadata beside the sources
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--no-index", "--target", str(Path(_plugin_dir) / "site"), str(build)],
        check=True,
    )
    site_dir = str(Path(_plugin_dir) / "site")
    sys.path.insert(0, site_dir)
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [site_dir, str(ROOT), os.environ.get("PYTHONPATH")]))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _plugin_dir:
        shutil.rmtree(_plugin_dir, ignore_errors=True)


# Configuration files

BASE_CONFIG = """\
[store]
url = "{url}"

[[regions]]
id = "po-utrecht"
name = "RAP-regio po Utrecht"
kind = "rap-po"
sector = "po"

[[regions]]
id = "vo-twente"
name = "RAP-regio vo Twente"
kind = "rap-vo-mbo"
sector = ["vo", "mbo"]

[lokets.alpha]
name = "Alpha"
regions = ["po-utrecht"]
plugins = ["voorbeeld"]

[lokets.beta]
name = "Beta"
regions = ["vo-twente"]
"""


@pytest.fixture
def write_config(tmp_path: Path):
    """Write a configuration file; ``{url}`` in the text becomes the test's store URL."""

    def write(text: str = BASE_CONFIG, url: str = "sqlite:///data/events.sqlite", name: str = "loket.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).replace("{url}", url), encoding="utf-8")
        return path

    return write


# PostgreSQL


def _postgres_available() -> str | None:
    try:
        import psycopg

        with psycopg.connect(PG_DSN, connect_timeout=3):
            return None
    except Exception as error:  # any failure to connect means: not available here
        return f"PostgreSQL at {PG_DSN} is not reachable: {error}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A store URL on the real PostgreSQL server, in a schema of its own that is dropped after."""
    reason = _postgres_available()
    if reason:
        if IN_CI:
            pytest.fail(f"CI=true needs PostgreSQL: {reason}")
        pytest.skip(reason)
    import psycopg

    schema = f"loket_test_{uuid.uuid4().hex[:12]}"
    try:
        yield f"{PG_DSN}?schema={schema}"
    finally:
        with psycopg.connect(PG_DSN, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Each test using this runs twice: on a real SQLite file and on the real PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store/events.sqlite"  # tmp_path is absolute: sqlite:////tmp/…
    return request.getfixturevalue("pg_url")


@contextmanager
def open_site(write_config, url: str, text: str) -> Iterator[Any]:
    """A site over the configuration ``text`` on the store ``url``, applied; closed after."""
    from core.site import Site

    site = Site.open(write_config(text, url=url))
    site.apply_config()
    try:
        yield site
    finally:
        site.close()


@pytest.fixture
def site(write_config, store_url):
    """A site over the base configuration, applied, on each store."""
    from core.site import Site

    site = Site.open(write_config(url=store_url))
    site.apply_config()
    yield site
    site.close()


# Web


@pytest.fixture
def app(site):
    from web import create_app

    return create_app(site, {"TESTING": True})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token(site):
    """Make an API token: ``token("alpha", "editor")`` → the secret text."""

    from core.envelope import acting

    def make(loket: str, role: str) -> str:
        with acting(actor="cli:test"):
            return site.identity.create_token(f"test {role}", loket, role)[1]

    return make


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def run_cli(*args: str, input: str | None = None, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the real ``loket`` console script."""
    loket = Path(sys.executable).with_name("loket")
    return subprocess.run(
        [str(loket), *args],
        input=input,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


# Mail


class Inbox:
    """A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives."""

    def __init__(self) -> None:
        self.messages: list = []
        self.fail_next = 0

    async def handle_DATA(self, server, session, envelope):
        if self.fail_next:
            self.fail_next -= 1
            return "451 Try again later"
        from email import message_from_bytes, policy

        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    inbox.port = port
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def mail_site(write_config, store_url, smtp):
    """The base site with [mail] pointing at the test SMTP server."""
    from core.site import Site

    text = BASE_CONFIG.replace("[[regions]]", f'[mail]\nhost = "127.0.0.1"\nport = {smtp.port}\nsender = "loket@example.nl"\ntimeout = 5\n\n[[regions]]', 1)
    site = Site.open(write_config(text, url=store_url))
    site.apply_config()
    yield site
    site.close()


# Screens


PASSWORD = "geheim-wachtwoord-1"


@pytest.fixture
def people(site):
    """Editors of alpha and beta, and an auditor of alpha, all with ``PASSWORD``."""
    from core.envelope import acting

    with acting(actor="cli:test"):
        for name, loket, role in (("redacteur-alpha", "alpha", "editor"), ("redacteur-beta", "beta", "editor"), ("auditor-alpha", "alpha", "auditor")):
            site.identity.add_user(name, PASSWORD)
            site.identity.grant(name, loket, role)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def login(client, name="redacteur-alpha", password=PASSWORD):
    token = csrf_of(client.get("/beheer/inloggen").get_data(as_text=True))
    response = client.post("/beheer/inloggen", data={"csrf_token": token, "gebruikersnaam": name, "wachtwoord": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response
