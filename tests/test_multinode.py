"""Several processes on one installation: three web nodes that run no projections (two waitress
nodes and one gunicorn node with two workers) and two ``loket worker`` processes, against the real
PostgreSQL. Concurrent writes go through every node while the leading worker is killed with SIGKILL;
the stand-by takes over; afterwards every acknowledged write is in the log once and readable on
every node, a stale write through another node is refused, and all nodes answer the same."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.postgres

LOKET = str(Path(sys.executable).with_name("loket"))
START_SECONDS = 90
THREADS = 3
PAGES_PER_THREAD = 20  # each page is two writes: drafted, then published through another node
KILL_AFTER_WRITES = 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(base: str, method: str, path: str, secret: str | None = None, body: dict | None = None, headers: dict | None = None):
    """One HTTP request; returns (status, parsed JSON body or None, headers). Never raises for an
    HTTP error status; a connection failure comes back as status 0."""
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    if secret:
        all_headers["Authorization"] = f"Bearer {secret}"
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base}{path}", data=data, headers=all_headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
            return response.status, json.loads(raw) if raw else None, response.headers
    except urllib.error.HTTPError as error:
        raw = error.read()
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = raw.decode(errors="replace")
        return error.code, parsed, error.headers
    except OSError as error:
        return 0, str(error), {}


def wait_for(condition, seconds: float, what: str, logs) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"{what} not within {seconds} s\n{logs()}")


def test_three_nodes_two_workers_and_a_killed_leader(tmp_path, write_config, pg_url):
    config = str(write_config(url=pg_url))
    # The configuration is recorded once, before the nodes start.
    applied = run_cli("config", "apply", "--config", config)
    assert applied.returncode == 0, applied.stderr
    secret = run_cli("tokens", "create", "--loket", "alpha", "--role", "editor", "--label", "multinode", "--config", config).stdout.strip()

    processes: list[tuple[str, subprocess.Popen, Path]] = []
    files = []

    def start(name: str, *args: str) -> tuple[subprocess.Popen, Path]:
        output = tmp_path / f"{name}.log"
        handle = open(output, "w")
        files.append(handle)
        process = subprocess.Popen([LOKET, *args, "--config", config], stdout=handle, stderr=subprocess.STDOUT)
        processes.append((name, process, output))
        return process, output

    def logs() -> str:
        return "\n".join(f"--- {name} (exit {p.poll()})\n{out.read_text()[-3000:]}" for name, p, out in processes)

    try:
        # Two workers: one leads, the other stands by.
        workers = [start(f"worker{n}", "worker", "--poll-seconds", "1") for n in (1, 2)]
        wait_for(lambda: sum("leading" in out.read_text() for _, out in workers) == 1
                 and sum("standing by" in out.read_text() for _, out in workers) == 1, START_SECONDS, "one leader, one stand-by", logs)
        leader, stand_by = workers if "leading" in workers[0][1].read_text() else workers[::-1]

        # Three web nodes that run no projections; the third is gunicorn with two processes.
        ports = [free_port() for _ in range(3)]
        start("node1", "serve", "--no-projections", "--port", str(ports[0]))
        start("node2", "serve", "--no-projections", "--port", str(ports[1]))
        start("node3", "serve", "--workers", "2", "--port", str(ports[2]))
        nodes = [f"http://127.0.0.1:{port}" for port in ports]
        wait_for(lambda: all(call(base, "GET", "/healthz")[0] == 200 for base in nodes), START_SECONDS, "all nodes up", logs)

        # Concurrent writes through all nodes: draft a page on one node, publish it on the next.
        results: list[tuple[str, str, int, dict | None]] = []
        lock = threading.Lock()

        def writer(thread_no: int) -> None:
            for n in range(PAGES_PER_THREAD):
                title = f"Pagina {thread_no}-{n}"
                status, body, _ = call(nodes[(thread_no + n) % 3], "POST", "/api/v1/lokets/alpha/pages", secret, {"title": title})
                with lock:
                    results.append(("draft", title, status, body))
                if status != 201:
                    continue
                status, body, _ = call(nodes[(thread_no + n + 1) % 3], "POST", f"/api/v1/lokets/alpha/pages/{body['id']}/publish", secret, {})
                with lock:
                    results.append(("publish", title, status, body))

        threads = [threading.Thread(target=writer, args=(t,), daemon=True) for t in range(THREADS)]
        for thread in threads:
            thread.start()

        # Mid-load, the leading worker is killed; the stand-by takes over.
        wait_for(lambda: len(results) >= KILL_AFTER_WRITES, 120, f"{KILL_AFTER_WRITES} writes", logs)
        leader[0].kill()
        leader[0].wait(timeout=30)
        wait_for(lambda: "leading" in stand_by[1].read_text(), 30, "the stand-by taking over", logs)
        for thread in threads:
            thread.join(timeout=180)
        assert not any(thread.is_alive() for thread in threads), logs()

        # Every write was acknowledged (the nodes waited for the new leader where they had to).
        failed = [(kind, title, status, body) for kind, title, status, body in results if not 200 <= status < 300]
        assert not failed, f"{failed}\n{logs()}"
        drafted = {title: body for kind, title, status, body in results if kind == "draft"}
        published = {title for kind, title, status, _ in results if kind == "publish"}
        assert len(drafted) == len(published) == THREADS * PAGES_PER_THREAD

        # Each acknowledged write is in the log exactly once.
        from core.content.domain import Page
        from core.site import Site

        site = Site.open(config)
        try:
            counts: dict[str, int] = {}
            for event in site.app.domain_events(Page.Drafted):
                counts[event.fields["title"]] = counts.get(event.fields["title"], 0) + 1
            assert {title: counts.get(title) for title in drafted} == {title: 1 for title in drafted}
            # The new leader has caught the read models up with the whole log.
            wait_for(lambda: {s.lag for s in site.projections.status()} == {0}, 30, "lag 0", logs)
        finally:
            site.close()

        # Every published page answers on every node.
        for title, body in drafted.items():
            for base in nodes:
                status, page, _ = call(base, "GET", f"/api/v1/lokets/alpha/pages/{body['slug']}")
                assert (status, page["title"]) == (200, title), f"{base} {body['slug']}: {status} {page}"

        # A stale write through another node is refused.
        item = drafted["Pagina 0-0"]
        status, _, headers = call(nodes[0], "GET", f"/api/v1/lokets/alpha/pages/{item['id']}", secret)
        old = headers["ETag"]
        status, _, _ = call(nodes[1], "PATCH", f"/api/v1/lokets/alpha/pages/{item['id']}", secret, {"body": "Nieuw."}, {"If-Match": old})
        assert status == 200
        status, problem, _ = call(nodes[2], "PATCH", f"/api/v1/lokets/alpha/pages/{item['id']}", secret, {"body": "Oud."}, {"If-Match": old})
        assert status == 412, problem

        # All nodes give the same answers: the list and the search.
        lists = [call(base, "GET", "/api/v1/lokets/alpha/pages?pageSize=100")[1] for base in nodes]
        assert lists[0]["total"] == THREADS * PAGES_PER_THREAD and lists[1:] == [lists[0]] * 2
        found = [call(base, "GET", "/api/v1/lokets/alpha/search?q=pagina&pageSize=100")[1] for base in nodes]
        assert found[0]["total"] == THREADS * PAGES_PER_THREAD and found[1:] == [found[0]] * 2
        # Each gunicorn process answers from its own searcher: ask a few times.
        for _ in range(4):
            assert call(nodes[2], "GET", "/api/v1/lokets/alpha/search?q=pagina&pageSize=100")[1] == found[0]
    finally:
        for _, process, _ in processes:
            if process.poll() is None:
                process.terminate()
        for _, process, _ in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
        for handle in files:
            handle.close()
