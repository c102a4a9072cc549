"""`loket serve` as a newcomer meets it: a real server process on 127.0.0.1 serving the demo."""

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from core.demo import DEMO_CONFIG

#: The demo's first start seeds its people, content and every plugin's demo (a few hundred
#: vacancies) through the ordinary commands before it answers.
START_SECONDS = 120


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
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if process.poll() is not None:
                pytest.fail(f"loket serve stopped: {process.stdout.read()}")
            try:
                get_json(f"{base}/healthz")
                return base
            except OSError:
                time.sleep(0.1)
        pytest.fail(f"loket serve did not answer within {START_SECONDS} s")

    yield start
    for process in processes:
        process.terminate()
        process.wait(timeout=10)


def test_the_demo_serves_both_lokets_with_content(serve, tmp_path):
    shutil.copy(DEMO_CONFIG, tmp_path / "loket.toml")
    base = serve("--config", str(tmp_path / "loket.toml"))
    lokets = get_json(f"{base}/api/v1/lokets")
    assert [(l["slug"], l["plugins"]) for l in lokets["items"]] == [("voordeklas", ["vacatures", "vervangingspool"]), ("vota", ["vacatures", "vervangingspool"])]
    voordeklas = get_json(f"{base}/api/v1/lokets/voordeklas")
    assert [r["id"] for r in voordeklas["regions"]] == ["po-utrecht-stad", "po-utrecht-west", "po-utrecht-oost"]
    # Realistic Dutch content, created through the ordinary commands, published and searchable.
    pages = get_json(f"{base}/api/v1/lokets/voordeklas/pages")
    assert pages["total"] >= 5 and "leraar-basisonderwijs" in [p["slug"] for p in pages["items"]]
    assert get_json(f"{base}/api/v1/lokets/vota/routes")["total"] >= 3
    found = get_json(f"{base}/api/v1/lokets/voordeklas/search?q=leraren")
    assert found["total"] > 0 and "<mark" in found["items"][0]["highlights"]
    with urllib.request.urlopen(f"{base}/api/", timeout=5) as response:
        assert "Loket API" in response.read().decode()
    # School boards and schools of the region.
    assert get_json(f"{base}/api/v1/lokets/vota/organisations")["total"] > 0
    # Activities in the agenda, also as iCalendar.
    assert get_json(f"{base}/api/v1/lokets/voordeklas/activities")["total"] == 2
    with urllib.request.urlopen(f"{base}/api/v1/lokets/vota/activities.ics", timeout=5) as response:
        assert b"BEGIN:VEVENT" in response.read()
    # The vacancy bank's demo (its seed_demo hook): open vacancies with facets, found by a stemmed word.
    vacancies = get_json(f"{base}/api/v1/lokets/vota/vacatures/vacancies?subject=wiskunde")
    assert vacancies["total"] > 0 and vacancies["facets"]["sector"] == {"vo": vacancies["total"]}
    assert get_json(f"{base}/api/v1/lokets/voordeklas/vacatures/vacancies?q=leerkrachten")["total"] > 0


def test_the_server_publishes_what_is_scheduled(serve, tmp_path):
    from datetime import datetime, timedelta, timezone

    from tests.conftest import BASE_CONFIG, run_cli

    config = tmp_path / "loket.toml"
    config.write_text(BASE_CONFIG.replace("{url}", "sqlite:///data/events.sqlite"))
    base = serve("--config", str(config), "--tick-seconds", "1")
    secret = run_cli("tokens", "create", "--loket", "alpha", "--role", "editor", "--label", "t", "--config", str(config)).stdout.strip()
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}

    def post(path, body):
        request = urllib.request.Request(f"{base}{path}", data=json.dumps(body).encode(), headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            return json.load(response)

    item = post("/api/v1/lokets/alpha/pages", {"title": "Open dag"})
    soon = (datetime.now(timezone.utc) + timedelta(seconds=1)).isoformat()
    post(f"/api/v1/lokets/alpha/pages/{item['id']}/schedule", {"publishAt": soon})

    # The server's own timer publishes it (bounded wait).
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and get_json(f"{base}/api/v1/lokets/alpha/pages")["total"] == 0:
        time.sleep(0.5)
    assert get_json(f"{base}/api/v1/lokets/alpha/pages/open-dag")["title"] == "Open dag"


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


def test_an_auditor_serves_the_loket_as_it_was(serve, tmp_path):
    from datetime import datetime, timezone

    from core.envelope import acting
    from core.site import Site
    from tests.conftest import BASE_CONFIG, run_cli

    config = tmp_path / "loket.toml"
    config.write_text(BASE_CONFIG.replace("{url}", "sqlite:///data/events.sqlite"))
    site = Site.open(config)
    site.apply_config()
    with acting(actor="cli:test", loket="alpha"):
        page = site.content.create("page", "alpha", {"title": "Toen"})
        site.content.publish("page", "alpha", page.id)
    site.projections.catch_up()
    then = datetime.now(timezone.utc).isoformat()
    time.sleep(0.05)
    with acting(actor="cli:test", loket="alpha"):
        site.content.revise("page", "alpha", page.id, {"title": "Nu"}, None, partial=True)
        site.content.publish("page", "alpha", page.id)
    site.close()

    out = tmp_path / "snapshot"
    made = run_cli("audit", "replay", "--until", then, "--out", str(out), "--config", str(config))
    assert made.returncode == 0, made.stderr
    base = serve("--config", str(config), "--snapshot", str(out))
    assert get_json(f"{base}/api/v1/lokets/alpha/pages/toen")["title"] == "Toen"
    request = urllib.request.Request(f"{base}/api/v1/lokets/alpha/pages", data=b"{}", headers={"Content-Type": "application/json"}, method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 403
