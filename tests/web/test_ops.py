"""Operations: /readyz for load balancers, /metrics for Prometheus, JSON logs with the correlation id."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from core.envelope import acting
from core.logs import ACCESS_LOGGER, configure_logging, make_handler
from tests.conftest import BASE_CONFIG, bearer

PAGES = "/api/v1/lokets/<loket>/pages"
QUESTION = {"name": "Pieter Ploeg", "email": "pieter.ploeg@example.nl", "question": "Mag ik als herintreder meteen voor de klas?", "sector": "po", "consent": True}


@pytest.fixture
def ops_site(write_config, store_url):
    """A site over the base configuration plus an ``[ops]`` section given by the test."""
    from core.site import Site

    opened = []

    def make(ops: str, url: str = store_url):
        site = Site.open(write_config(f"{BASE_CONFIG}\n[ops]\n{ops}\n", url=url))
        opened.append(site)
        return site

    yield make
    for site in opened:
        site.close()


def client_of(site):
    from web import create_app

    return create_app(site, {"TESTING": True}).test_client()


def metrics_of(client, headers=None) -> dict[str, list]:
    """The samples of /metrics by sample name, parsed by the Prometheus client's own parser."""
    response = client.get("/metrics", headers=headers or {})
    assert response.status_code == 200, response.text
    assert response.content_type.startswith("text/plain; version=")
    samples: dict[str, list] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)
    return samples


def value(samples, name, **labels) -> float:
    found = [s.value for s in samples.get(name, []) if all(s.labels.get(k) == v for k, v in labels.items())]
    assert len(found) == 1, f"{name}{labels}: {found}"
    return found[0]


def greet(site, times: int) -> None:
    """Append events straight to the log, the way another process would: nobody catches up here."""
    from loket_voorbeeld.domain import Greeting

    with acting(actor="cli:test", loket="alpha"):
        for n in range(times):
            site.app.save(Greeting(loket="alpha", text=f"hallo {n}"))


# /readyz


def test_ready_when_the_store_answers_and_the_read_models_are_current(site, client):
    assert client.get("/healthz").json == {"status": "ok"}
    site.projections.catch_up()
    response = client.get("/readyz")
    assert response.status_code == 200 and response.content_type == "application/json"
    assert response.json["status"] == "ready"
    assert response.json["logPosition"] == site.app.position() > 0
    assert response.json["projections"] == {p.name: 0 for p in site.projections.projections}
    assert response.headers["Cache-Control"] == "no-store"


def test_not_ready_while_projections_lag_more_than_max_lag(ops_site):
    site = ops_site("max_lag = 2")
    site.apply_config()
    client = client_of(site)
    site.projections.catch_up()
    assert client.get("/readyz").status_code == 200
    # Two events behind is within the bound; three is not.
    greet(site, 2)
    assert client.get("/readyz").status_code == 200
    greet(site, 1)
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.content_type == "application/problem+json"
    body = response.json
    assert body["type"] == "urn:loket:problem:not-ready" and body["status"] == 503
    assert body["maxLag"] == 2 and body["logPosition"] == site.app.position()
    assert body["projections"]["content"] == 3 and body["projections"]["voorbeeld"] == 3
    assert "content (3 events behind)" in body["detail"] and "voorbeeld (3 events behind)" in body["detail"]
    # Caught up, it is ready again.
    site.projections.catch_up()
    assert client.get("/readyz").status_code == 200


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # released when the block ends: nothing listens there until someone binds it


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # the URL is the test's own
def test_not_ready_when_postgresql_cannot_be_reached(ops_site, monkeypatch):
    # A PostgreSQL URL on a port where nothing listens; the check waits ready_timeout (0.5 s), not
    # the store's connect timeout (the library's LOKET_-prefixed setting shortens that to 1 s here).
    monkeypatch.setenv("LOKET_POSTGRES_CONNECT_TIMEOUT", "1")
    site = ops_site("ready_timeout = 0.5", url=f"postgresql://loket:geheim@127.0.0.1:{_free_port()}/loket?schema=x")
    client = client_of(site)
    assert client.get("/healthz").status_code == 200
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["type"] == "urn:loket:problem:not-ready"
    assert response.json["store"] == "unreachable" and "does not answer" in response.json["detail"]
    # Nothing about where the store is or who connects to it.
    assert "127.0.0.1" not in response.text and "loket" not in response.text.replace("urn:loket:", "")
    # /metrics still answers, and says the store is down.
    assert value(metrics_of(client), "loket_store_up") == 0
    # The probe goes on waiting for the connect timeout. Wait for it here: until then it holds the
    # lock of Site.app (cached_property, Python 3.11), which every site in the process shares.
    for thread in threading.enumerate():
        if thread.name == "loket-store-probe":
            thread.join(timeout=30)


@pytest.mark.postgres
@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)  # the URL is pg_url
def test_not_ready_when_the_store_fails_under_a_running_site(pg_url, ops_site):
    import psycopg

    from tests.conftest import PG_DSN

    site = ops_site("", url=pg_url)
    site.apply_config()
    client = client_of(site)
    site.projections.catch_up()
    assert client.get("/readyz").status_code == 200
    # The events table disappears under the running site: every query to the store now fails.
    schema = pg_url.rsplit("schema=", 1)[1]
    with psycopg.connect(PG_DSN, autocommit=True) as conn:
        conn.execute("SET lock_timeout = '5s'")
        conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
    response = client.get("/readyz")
    assert response.status_code == 503 and response.json["store"] == "unreachable"
    assert schema not in response.text
    assert value(metrics_of(client), "loket_store_up") == 0


# /metrics


def test_metrics_count_requests_by_route_template(site, client):
    site.projections.catch_up()
    before = site.app.position()
    for loket in ("alpha", "beta", "alpha"):
        assert client.get(f"/api/v1/lokets/{loket}/pages").status_code == 200
    assert client.get("/no/such/page").status_code == 404
    assert client.open("/api/v1/lokets", method="BREW").status_code == 405
    # A question from the public: events in the log, a confirmation waiting in the outbox (no [mail]).
    assert client.post("/api/v1/lokets/alpha/questions", json=QUESTION).status_code == 201

    samples = metrics_of(client)
    assert value(samples, "loket_http_requests_total", method="GET", route=PAGES, status="200") == 3
    assert value(samples, "loket_http_request_seconds_count", method="GET", route=PAGES) == 3
    assert value(samples, "loket_http_requests_total", method="GET", route="(unmatched)", status="404") == 1
    assert value(samples, "loket_http_requests_total", method="other", route="(unmatched)", status="405") == 1
    assert value(samples, "loket_http_requests_total", method="POST", route="/api/v1/lokets/<loket>/questions", status="201") == 1
    # Routes, never raw paths: the label values stay few whatever the clients ask.
    routes = {s.labels["route"] for s in samples["loket_http_requests_total"]}
    assert not any("alpha" in route or "beta" in route for route in routes)
    # Read at scrape time: the log, what this process appended, lags, the outbox.
    assert value(samples, "loket_store_up") == 1
    assert value(samples, "loket_log_position") == site.app.position()
    assert value(samples, "loket_events_appended_total") == site.app.position() - before > 0
    lags = {s.labels["projection"]: s.value for s in samples["loket_projection_lag"]}
    assert lags == {p.name: 0 for p in site.projections.projections}
    assert value(samples, "loket_outbox_backlog") == 1


def test_metrics_show_the_lag_of_every_projection(site, client):
    site.projections.catch_up()
    greet(site, 4)
    samples = metrics_of(client)
    assert value(samples, "loket_projection_lag", projection="content") == 4
    assert value(samples, "loket_events_appended_total") == 4


def test_each_app_has_its_own_registry(site):
    first, second = client_of(site), client_of(site)
    first.get("/healthz")
    first.get("/healthz")
    assert value(metrics_of(first), "loket_http_requests_total", route="/healthz") == 2
    assert "loket_http_requests_total" not in metrics_of(second)


@pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)
def test_metrics_token_is_required_when_set(ops_site):
    site = ops_site('metrics_token = "scrape-me-4f9a"')
    site.apply_config()
    client = client_of(site)
    with acting(actor="cli:test"):
        api_token = site.identity.create_token("admin", "alpha", "admin")[1]
    # An API token, even an admin's, is not the scrape token.
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic scrape-me-4f9a"}, bearer(api_token)):
        response = client.get("/metrics", headers=headers)
        assert response.status_code == 401, headers
        assert response.content_type == "application/problem+json" and response.headers["WWW-Authenticate"] == "Bearer"
        assert "loket_" not in response.text
    assert value(metrics_of(client, {"Authorization": "Bearer scrape-me-4f9a"}), "loket_store_up") == 1
    # The load balancer's check stays open.
    assert client.get("/readyz").status_code in (200, 503)


SCRAPER = """
import sys
from core.site import Site
from web import create_app
site = Site.open(sys.argv[1])
client = create_app(site, {"TESTING": True}).test_client()
for _ in range(int(sys.argv[2])):
    assert client.get("/healthz").status_code == 200
print(client.get("/metrics").get_data(as_text=True))
site.close()
"""


def test_worker_processes_add_up_in_multiprocess_mode(write_config, tmp_path):
    """Under gunicorn every worker is a process of its own: with PROMETHEUS_MULTIPROC_DIR set, the
    /metrics of any one of them counts the requests of all."""
    config = write_config(url=f"sqlite:///{tmp_path}/store/events.sqlite")
    shared = tmp_path / "prometheus"
    shared.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(shared)}
    outputs = [
        subprocess.run([sys.executable, "-c", SCRAPER, str(config), str(n)], env=env, capture_output=True, text=True, timeout=120, check=True).stdout
        for n in (2, 3)
    ]
    samples = {}
    for family in text_string_to_metric_families(outputs[-1]):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append(sample)
    # The first process answered 2 + its /metrics, the second 3 (its own /metrics is counted after).
    assert value(samples, "loket_http_requests_total", method="GET", route="/healthz", status="200") == 5
    assert value(samples, "loket_http_requests_total", method="GET", route="/metrics", status="200") == 1
    assert value(samples, "loket_store_up") == 1


# JSON logs and the correlation id


@pytest.fixture
def json_lines():
    """Request lines written by the JSON handler, read back as parsed objects."""
    stream = io.StringIO()
    handler = make_handler("json", stream)
    logger = logging.getLogger(ACCESS_LOGGER)
    level = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_request_lines_carry_the_correlation_id_of_the_request(site, client, token, json_lines):
    editor = bearer(token("alpha", "editor"))
    response = client.post("/api/v1/lokets/alpha/voorbeeld/greetings", json={"text": "Hallo"}, headers={**editor, "X-Request-Id": "req-7f3e1"})
    assert response.status_code == 201
    assert response.headers["X-Request-Id"] == "req-7f3e1"
    # Without one, the request gets its own, and says which.
    generated = client.get("/api/v1/lokets/beta/pages").headers["X-Request-Id"]
    assert len(generated) == 32

    write, read = json_lines()
    assert write["correlation_id"] == "req-7f3e1" and write["loket"] == "alpha" and write["actor"].startswith("token:")
    assert write["logger"] == ACCESS_LOGGER and write["level"] == "INFO"
    assert (write["method"], write["route"], write["status"]) == ("POST", "/api/v1/lokets/<loket>/voorbeeld/greetings", 201)
    assert write["duration_ms"] >= 0 and write["time"].endswith("+00:00")
    assert read["correlation_id"] == generated and read["actor"] == "anonymous"
    # The same id is on the event the request recorded: from a log line to the audit log.
    from uuid import UUID

    events = site.app.events.get(UUID(response.json["id"]))
    assert [e.envelope["correlation_id"] for e in events] == ["req-7f3e1"]


def test_every_logger_gets_the_envelope_and_exceptions_stay_json():
    stream = io.StringIO()
    logger = logging.getLogger("tests.ops")
    handler = make_handler("json", stream)
    logger.addHandler(handler)
    try:
        logger.warning("outside any command")
        with acting(actor="system", loket="beta", correlation_id="tick-1"):
            try:
                raise ValueError("kapot")
            except ValueError:
                logger.exception("within a command: %s", {"n": 1})
    finally:
        logger.removeHandler(handler)
    outside, inside = (json.loads(line) for line in stream.getvalue().splitlines())
    assert outside["correlation_id"] is None and outside["message"] == "outside any command"
    assert (inside["correlation_id"], inside["loket"], inside["actor"]) == ("tick-1", "beta", "system")
    assert inside["level"] == "ERROR" and "ValueError: kapot" in inside["exception"]


def test_configure_logging_replaces_the_handlers_and_text_stays_quiet_per_request():
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, logging.getLogger(ACCESS_LOGGER).level)
    try:
        stream = io.StringIO()
        configure_logging("json", stream=stream)
        configure_logging("json", stream=stream)  # twice: still one handler
        assert len(root.handlers) == 1 and logging.getLogger(ACCESS_LOGGER).isEnabledFor(logging.INFO)
        logging.getLogger("tests.ops").info("een")
        assert json.loads(stream.getvalue())["message"] == "een"
        text = io.StringIO()
        configure_logging("text", stream=text)
        assert not logging.getLogger(ACCESS_LOGGER).isEnabledFor(logging.INFO)
        with acting(actor="system", correlation_id="c-42"):
            logging.getLogger("tests.ops").warning("twee")
        assert "[c-42] twee" in text.getvalue() and "WARNING tests.ops" in text.getvalue()
        with pytest.raises(ValueError):
            configure_logging("xml")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])
        logging.getLogger(ACCESS_LOGGER).setLevel(saved[2])


def test_serve_writes_json_logs(tmp_path):
    """The real server with --log-format json: every line on standard error is a JSON object."""
    config = tmp_path / "loket.toml"
    config.write_text(BASE_CONFIG.replace("{url}", "sqlite:///data/events.sqlite"))
    port = _free_port()
    loket = str(Path(sys.executable).with_name("loket"))
    errors = open(tmp_path / "stderr.log", "w")
    process = subprocess.Popen(
        [loket, "serve", "--config", str(config), "--port", str(port), "--log-format", "json"],
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=errors,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "stderr.log").read_text()
            try:
                request = urllib.request.Request(f"http://127.0.0.1:{port}/readyz", headers={"X-Request-Id": "lb-check-1"})
                with urllib.request.urlopen(request, timeout=5) as response:
                    if response.status == 200:
                        break
            except (OSError, urllib.error.HTTPError):
                pass
            assert time.monotonic() < deadline, "loket serve did not become ready within 60 s"
            time.sleep(0.2)
    finally:
        process.terminate()
        process.wait(timeout=10)
        errors.close()
    lines = [json.loads(line) for line in (tmp_path / "stderr.log").read_text().splitlines()]
    checks = [line for line in lines if line.get("route") == "/readyz" and line["status"] == 200]
    assert checks and checks[-1]["correlation_id"] == "lb-check-1"
    assert any(line["logger"] == "waitress" for line in lines)
