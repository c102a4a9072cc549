"""`loket serve` as a newcomer meets it: a real server process on 127.0.0.1 serving the demo."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from core.demo import DEMO_CONFIG


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:
        return json.load(response)


@pytest.fixture
def serve(tmp_path):
    """Start ``loket serve`` in a folder; wait (bounded) until it answers; stop it after."""
    processes = []

    def start(*args: str, cwd: Path = tmp_path) -> str:
        port = free_port()
        loket = str(Path(sys.executable).with_name("loket"))
        process = subprocess.Popen(
            [loket, "serve", "--port", str(port), *args], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        processes.append(process)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"loket serve stopped: {process.stdout.read()}")
            try:
                get_json(f"{base}/healthz")
                return base
            except OSError:
                time.sleep(0.1)
        pytest.fail("loket serve did not answer within 30 s")

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_the_demo_serves_both_lokets(serve, tmp_path):
    shutil.copy(DEMO_CONFIG, tmp_path / "loket.toml")
    base = serve("--config", str(tmp_path / "loket.toml"))
    lokets = get_json(f"{base}/api/v1/lokets")
    assert [(l["slug"], l["plugins"]) for l in lokets["items"]] == [("voordeklas", []), ("vota", [])]
    voordeklas = get_json(f"{base}/api/v1/lokets/voordeklas")
    assert [r["id"] for r in voordeklas["regions"]] == ["po-utrecht-stad", "po-utrecht-west", "po-utrecht-oost"]


def test_without_any_configuration_the_packaged_demo_is_served_with_data_here(serve, tmp_path):
    base = serve(cwd=tmp_path)
    assert get_json(f"{base}/api/v1/lokets")["total"] == 2
    assert (tmp_path / "loket-data" / "events.sqlite").exists()
    # The demo seeded its people through the ordinary commands.
    from core.demo import DEMO_USERS
    from core.site import Site

    site = Site.open(DEMO_CONFIG, base_dir=tmp_path)
    users = {user.username: user.roles for user in site.identity.users()}
    assert set(users) == set(DEMO_USERS)
    assert users["redactie-vota"] == {"vota": ["editor"]}
    site.close()
