"""What the benchmarks in ``bench/`` share: not a benchmark itself (a package, so that the
Makefile's ``bench/*.py`` loop does not run it).

- configurations and sites: ``config_text``, ``open_site``, a fresh PostgreSQL schema per run
  (``postgres_schema``, dropped with CASCADE at the end), ``build_vacancies`` (the demo's generator,
  saved directly in batches: building is never what is measured);
- servers: ``Server`` starts a command on a free port of 127.0.0.1 in its own process, waits
  (bounded) until it answers, and stops it; run as a script, this module is the server process
  of the two kinds the benchmarks compare (``api``: the Loket app over a configuration; ``bare``: a
  bare Flask app answering fixed bytes), both under waitress with the same threads;
- the bounded client: ``load`` (a fixed number of GETs from a few threads, each on its own
  keep-alive connection, round-robin over one or more servers; a request slower than the timeout
  counts as that long) and ``Connection`` for single requests;
- child processes: ``run_child`` (one JSON answer) and ``Child`` (questions and answers, one JSON
  line each, for measuring in a fresh interpreter interleaved with other ways);
- figures: ``summary`` (p50/p95/p99), ``ratio``, ``target``, peak memory (``process_memory`` of
  another process from ``/proc/<pid>/status``; ``own_peak_rss_mb`` of this one), ``machine``, and
  ``postgres_statistics`` (whether the planner has statistics of a schema's tables);
- output: ``emit`` prints the readable table on stderr and the one JSON object on stdout;
  ``progress`` writes progress lines on stderr.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import platform
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

#: The PostgreSQL database the benchmarks use (each run in a schema of its own).
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
#: Threads of every server the benchmarks start (as ``loket serve``'s default).
THREADS = 8
#: The ``loket`` console script of this interpreter's environment.
LOKET = str(Path(sys.executable).with_name("loket"))
LOKET_SLUG = "bench"

# Configurations

REGIONS_PO = """
[[regions]]
id = "po"
name = "Regio po"
kind = "rap-po"
sector = "po"
[lokets.bench]
name = "Bench"
regions = ["po"]
"""

REGIONS_VACANCIES = """
[[regions]]
id = "po-utrecht-stad"
name = "RAP-regio po Utrecht Stad"
kind = "rap-po"
sector = "po"
[[regions]]
id = "po-utrecht-west"
name = "RAP-regio po Utrecht West"
kind = "rap-po"
sector = "po"
[[regions]]
id = "po-utrecht-oost"
name = "RAP-regio po Utrecht Oost"
kind = "rap-po"
sector = "po"
[[regions]]
id = "vo-twente-achterhoek"
name = "RAP-regio vo Twente-Achterhoek"
kind = "rap-vo-mbo"
sector = "vo"
[lokets.bench]
name = "Bench"
regions = ["po-utrecht-stad", "po-utrecht-west", "po-utrecht-oost", "vo-twente-achterhoek"]
sectors = ["po", "vo"]
plugins = ["vacatures"]
"""


def config_text(store_url: str, vacancies: bool = False, engine: str = "whoosh", data_dir: str = "data") -> str:
    """A ``loket.toml``: one loket ``bench`` (with the vacancy bank and its four regions, or with
    one po region), its events at ``store_url``, its read models in ``data_dir``."""
    return (
        f'[store]\nurl = "{store_url}"\n[data]\ndir = "{data_dir}"\n[search]\nengine = "{engine}"\n'
        + (REGIONS_VACANCIES if vacancies else REGIONS_PO)
    )


def sqlite_url() -> str:
    return "sqlite:///data/events.sqlite"


def open_site(folder: Path, text: str, name: str = "loket.toml", apply: bool = True) -> Any:
    """A ``Site`` over ``folder/name`` (written with ``text``), its configuration recorded."""
    from core.site import Site

    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    site = Site.open(folder / name)
    if apply:
        site.apply_config()
    return site


def postgres_available() -> str | None:
    """None when the benchmarks' PostgreSQL answers, else why not (the parts on PostgreSQL are then skipped)."""
    try:
        with _pg_connect(POSTGRES_URL, timeout=3):
            return None
    except Exception as error:  # any reason: no server, no driver, no database
        return f"PostgreSQL at {POSTGRES_URL} not reachable: {error}"


_schemas = itertools.count(1)


@contextmanager
def postgres_schema(prefix: str = "bench") -> Iterator[str]:
    """A store URL in a new schema ``<prefix>_<pid>_<n>`` of the benchmarks' database; the schema
    is dropped (CASCADE) afterwards. Close every site and stop every server on it first."""
    schema = f"{prefix}_{os.getpid()}_{next(_schemas)}"
    try:
        yield f"{POSTGRES_URL}?schema={schema}"
    finally:
        drop_schema(schema)


def drop_schema(schema: str, url: str = POSTGRES_URL) -> None:
    """DROP SCHEMA … CASCADE in the database of ``url`` (waits at most 30 s for locks)."""
    with _pg_connect(url.split("?")[0]) as conn:
        conn.execute("SET lock_timeout = '30s'")
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


def _pg_connect(url: str, timeout: float = 10) -> Any:
    import psycopg

    from core.store import parse_store_url

    env = parse_store_url(url, Path(".")).env
    return psycopg.connect(
        host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"],
        password=env["POSTGRES_PASSWORD"] or None, dbname=env["POSTGRES_DBNAME"], autocommit=True, connect_timeout=timeout,
    )


def pg_connect(store_url: str) -> Any:
    """A psycopg connection (autocommit) to the database of ``store_url``, its schema first on the search path."""
    from urllib.parse import parse_qs, urlsplit

    conn = _pg_connect(store_url.split("?")[0])
    schema = parse_qs(urlsplit(store_url).query).get("schema", ["public"])[0]
    conn.execute(f'SET search_path TO "{schema}", public')
    return conn


def postgres_statistics(store_url: str, analyze: bool = False) -> dict[str, dict[str, Any]]:
    """Per table of the store's schema: its rows, the rows changed since the planner's statistics
    were last gathered, and when they were (ANALYZE, autovacuum) — a table filled by a catch-up
    may be planned without any. With ``analyze``, each table is ANALYZEd first."""
    conn = pg_connect(store_url)
    try:
        if analyze:
            for (table,) in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()").fetchall():
                conn.execute(f'ANALYZE "{table}"')
        rows = conn.execute(
            "SELECT relname, n_live_tup, n_mod_since_analyze, last_analyze, last_autoanalyze FROM pg_stat_user_tables "
            "WHERE schemaname = current_schema() ORDER BY relname"
        ).fetchall()
    finally:
        conn.close()
    return {
        name: {"rows": live, "changed_since_analyze": changed, "analyzed": str(manual or auto) if (manual or auto) else None, "analyzed_by_benchmark": analyze}
        for name, live, changed, manual, auto in rows
    }


# Building data

VACANCY_SEED = 50_000
SAVE_BATCH = 500


def build_vacancies(site: Any, count: int, already: int = 0) -> float:
    """Vacancies number ``already``..``count`` (po ones of Utrecht and vo ones of Twente-Achterhoek,
    half each; the demo's generator with a fixed seed, so the first ``already`` are the ones an
    earlier call made) saved directly as published ``Vacancy`` aggregates, ``SAVE_BATCH`` per save;
    returns the seconds it took."""
    from core.envelope import acting
    from plugins.vacatures.demo import generate
    from plugins.vacatures.domain import Vacancy
    from plugins.vacatures.schemas import VacancySchema

    schema = VacancySchema()
    today = date.today()
    started = time.perf_counter()
    made = 0
    with acting(actor="bench", loket=LOKET_SLUG, correlation_id="bench-build"):
        for source, total, skip in (("voordeklas", count - count // 2, already - already // 2), ("vota", count // 2, already // 2)):
            batch = []
            for data in generate(source, total, seed=VACANCY_SEED, today=today)[skip:]:
                data.pop("_fate")
                fields = schema.load(data)
                slug = fields.pop("slug")
                vacancy = Vacancy(loket=LOKET_SLUG, slug=f"{source}-{slug}", fields=fields)
                vacancy.publish(today=today)
                batch.append(vacancy)
                made += 1
                if len(batch) == SAVE_BATCH:
                    site.app.save(*batch)
                    batch = []
                    progress(f"  built {already + made}/{count} vacancies ({made / (time.perf_counter() - started):.0f}/s)", every=10)
            if batch:
                site.app.save(*batch)
    return time.perf_counter() - started


def catch_up(site: Any, what: str = "the read models") -> dict[str, Any]:
    """Catch ``site``'s read models up with the log, with progress; its figures."""
    events = site.app.position()
    progress(f"catch-up of {what} to log position {events} …")
    started = time.perf_counter()
    processed = site.projections.catch_up(
        progress=lambda p: progress(f"  catch-up at {p}/{events} ({p / max(time.perf_counter() - started, 1e-9):.0f} positions/s)", every=10)
    )
    seconds = time.perf_counter() - started
    return {"log_position": events, "processed": processed, "seconds": round(seconds, 1)}


# Servers


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a child process: this checkout first on the path (the ``loket`` script
    too then runs the code being measured, not whatever the environment installed)."""
    path = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    return {**os.environ, "PYTHONPATH": path, **(extra or {})}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``with Server(name, argv, folder) as running``: ``argv`` (``{port}`` in it replaced by a free
    port of 127.0.0.1, ``running.port``) in its own process, answering ``health`` before the block
    starts (within ``start_seconds``) and stopped after it (SIGTERM, then SIGKILL). Its output goes
    to ``folder/<name>.log``."""

    def __init__(self, name: str, argv: Sequence[str], folder: Path, health: str = "/healthz", start_seconds: float = 300, env: dict[str, str] | None = None) -> None:
        self.name = name
        self.argv = list(argv)
        self.folder = folder
        self.health = health
        self.start_seconds = start_seconds
        self.env = env
        self.log_path = folder / f"{name}.log"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()

    def start(self) -> Server:
        self.port = free_port()
        self.log = open(self.log_path, "a")
        argv = [part.replace("{port}", str(self.port)) for part in self.argv]
        self.process = subprocess.Popen(argv, stdout=self.log, stderr=subprocess.STDOUT, env=child_env(self.env), cwd=self.folder)
        if self.health is None:
            return self
        deadline = time.monotonic() + self.start_seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.close()
                raise RuntimeError(f"{self.name} stopped (exit {self.process.returncode}):\n{self.log_path.read_text()[-3000:]}")
            try:
                get(self.port, self.health, timeout=5)
                return self
            except (OSError, RuntimeError):
                time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} did not answer {self.health} within {self.start_seconds:g} s:\n{self.log_path.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.log.close()
        self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def memory(self) -> dict[str, float]:
        assert self.process is not None
        return process_memory(self.process.pid)

    def output(self) -> str:
        return self.log_path.read_text()

    def wait_for_output(self, text: str, seconds: float) -> None:
        """Wait (bounded) until ``text`` appears in the process's output."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.process is not None and self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"{self.name}: no {text!r} within {seconds:g} s:\n{self.output()[-3000:]}")


def api_server(config: Path, folder: Path, name: str = "api") -> Server:
    """The Loket app over ``config`` under waitress (``THREADS`` threads), as ``loket serve`` serves
    it, without its once-a-second projection timer and its tick (nothing else writes here)."""
    return Server(name, [sys.executable, __file__, "api", "--config", str(config), "--port", "{port}"], folder)


def bare_server(body: Path, path: str, folder: Path, name: str = "bare") -> Server:
    """A bare Flask app answering ``GET path`` with the bytes of ``body`` (``application/json``),
    served the same way as ``api_server``."""
    return Server(name, [sys.executable, __file__, "bare", "--body", str(body), "--path", path, "--port", "{port}"], folder)


def _serve(argv: list[str]) -> None:
    """The server processes of ``api_server`` and ``bare_server``."""
    from waitress import serve

    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=("api", "bare"))
    parser.add_argument("--config")
    parser.add_argument("--body")
    parser.add_argument("--path")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    if args.kind == "api":
        from core.site import Site
        from web import create_app

        site = Site.open(args.config)
        site.projections.catch_up()  # as `loket serve` does at start: reads then know the position
        app = create_app(site)
    else:
        from flask import Flask, Response

        body = Path(args.body).read_bytes()
        app = Flask("bare")

        @app.get("/healthz")
        def healthz() -> Any:
            return {"status": "ok"}

        @app.get(args.path)
        def answer() -> Any:
            return Response(body, mimetype="application/json")

    serve(app, host="127.0.0.1", port=args.port, threads=THREADS, ident="loket")


# The client


class Connection:
    """One keep-alive connection to 127.0.0.1:``port``."""

    def __init__(self, port: int, timeout: float = 60) -> None:
        self.port = port
        self.timeout = timeout
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, body: Any = None, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
        data = json.dumps(body).encode() if body is not None else None
        all_headers = {"Content-Type": "application/json", **(headers or {})} if data is not None else dict(headers or {})
        try:
            self._conn.request(method, path, body=data, headers=all_headers)
            response = self._conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.reconnect()
            raise

    def reconnect(self) -> None:
        self._conn.close()
        self._conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def close(self) -> None:
        self._conn.close()


def add_load_options(parser: argparse.ArgumentParser, requests_help: str) -> None:
    """The options of a bounded concurrent load: how many requests, from how many clients, the time-out."""
    parser.add_argument("--requests", type=int, default=2000, help=requests_help)
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
    parser.add_argument("--timeout", type=float, default=60, help="a request slower than this counts as this, and as a timeout")


def get(port: int, path: str, timeout: float = 120) -> bytes:
    connection = Connection(port, timeout)
    try:
        status, body = connection.request("GET", path)
    finally:
        connection.close()
    if status != 200:
        raise RuntimeError(f"GET {path}: {status} {body[:300]!r}")
    return body


def load(ports: Sequence[int], path: str, total: int, clients: int, timeout: float = 60, budget: float | None = None) -> dict[str, Any]:
    """``total`` GETs of ``path`` from ``clients`` threads, each with its own keep-alive connection
    to every port, taking the ports in turn (fewer requests when ``budget`` seconds have passed,
    at least one per client). A request slower than ``timeout`` counts as ``timeout`` (a timeout)
    and its connection is opened again; any answer but 200 stops the run with an error."""
    shares = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    latencies: list[float] = []
    failures: list[BaseException] = []
    timeouts = [0]
    lock = threading.Lock()
    started = time.perf_counter()

    def client(number: int, n: int) -> None:
        mine, timed_out = [], 0
        connections = [Connection(port, timeout) for port in ports]
        try:
            for i in range(n):
                if mine and budget is not None and time.perf_counter() - started > budget:
                    break
                connection = connections[(number + i) % len(connections)]
                sent = time.perf_counter()
                try:
                    status, body = connection.request("GET", path)
                except TimeoutError:
                    mine.append(timeout * 1000)
                    timed_out += 1
                    continue
                mine.append((time.perf_counter() - sent) * 1000)
                if status != 200:
                    raise RuntimeError(f"GET {path} on port {connection.port}: {status} {body[:200]!r}")
        except BaseException as error:  # reported by the calling thread
            failures.append(error)
        finally:
            for connection in connections:
                connection.close()
            with lock:
                latencies.extend(mine)
                timeouts[0] += timed_out

    threads = [threading.Thread(target=client, args=(number, n)) for number, n in enumerate(shares) if n]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if failures:
        raise failures[0]
    return {
        "requests": len(latencies),
        "clients": clients,
        "servers": len(ports),
        "timeouts": timeouts[0],
        "seconds": round(seconds, 2),
        "requests_per_s": round(len(latencies) / seconds, 1),
        **summary(latencies),
        "latencies_ms": latencies,
    }


def repeat(function: Callable[[], Any], times: int, budget: float) -> list[float]:
    """Milliseconds of each call of ``function``: ``times`` calls, fewer when ``budget`` seconds
    have passed (at least one)."""
    latencies: list[float] = []
    started = time.perf_counter()
    while len(latencies) < times and (not latencies or time.perf_counter() - started < budget):
        sent = time.perf_counter()
        function()
        latencies.append((time.perf_counter() - sent) * 1000)
    return latencies


# Figures


def percentile(values: Sequence[float], p: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 2)


def summary(latencies_ms: Sequence[float]) -> dict[str, Any]:
    """Count, p50, p95, p99 and mean of latencies in milliseconds."""
    return {
        "n": len(latencies_ms),
        "p50_ms": percentile(latencies_ms, 50),
        "p95_ms": percentile(latencies_ms, 95),
        "p99_ms": percentile(latencies_ms, 99),
        "mean_ms": round(sum(latencies_ms) / len(latencies_ms), 2) if latencies_ms else None,
    }


def without_latencies(figures: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in figures.items() if name != "latencies_ms"}


def timed(function: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def rate(count: float, seconds: float) -> float:
    return round(count / seconds, 1) if seconds > 0 else float("inf")


def ratio(measured: float | None, baseline: float | None) -> float | None:
    if measured is None or not baseline:
        return None
    return round(measured / baseline, 3)


def target(value: float | None, bound: float, at_least: bool = True) -> dict[str, Any]:
    """``value`` against a target (``≥ bound`` or ``≤ bound``): met or not, and by how much."""
    if value is None:
        return {"value": None, "target": f"{'≥' if at_least else '≤'} {bound:g}", "met": None}
    met = value >= bound if at_least else value <= bound
    return {"value": value, "target": f"{'≥' if at_least else '≤'} {bound:g}", "met": met, "missed_by": None if met else round(abs(value - bound), 3)}


def verdict(check: dict[str, Any]) -> str:
    """A target check as table text: ``0.62 (≥ 0.5: met)``."""
    if check["value"] is None:
        return "-"
    return f"{check['value']:g} ({check['target']}: {'met' if check['met'] else 'MISSED'})"


def process_memory(pid: int) -> dict[str, float]:
    """VmRSS (now) and VmHWM (peak) of process ``pid`` in MB, from ``/proc/<pid>/status``."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            figures[f"{key.lower()}_mb"] = round(int(value.split()[0]) / 1024, 1)
    return figures


def own_peak_rss_mb() -> float:
    """This process's peak resident memory (``ru_maxrss``) in MB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def own_rss_mb() -> float:
    return process_memory(os.getpid())["vmrss_mb"]


def run_child(argv: Sequence[str], timeout: float) -> dict[str, Any]:
    """Run a Python child (``python argv…``), bounded by ``timeout`` seconds; the JSON object it
    prints last on stdout. Its stderr passes through (progress)."""
    completed = subprocess.run([sys.executable, *argv], stdout=subprocess.PIPE, timeout=timeout, check=False, env=child_env())
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)}: exit {completed.returncode}\n{completed.stdout.decode()[-2000:]}")
    return json.loads(completed.stdout.decode().strip().splitlines()[-1])


class Child:
    """A Python child (``python argv…``) that answers questions one line at a time: ``ask(value)``
    writes ``value`` as a JSON line to its stdin and returns the JSON line it prints back (see
    ``serve_questions``). For measuring in a fresh interpreter, interleaved with other ways."""

    def __init__(self, argv: Sequence[str]) -> None:
        self.argv = list(argv)
        self.process = subprocess.Popen([sys.executable, *self.argv], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=child_env())

    def ask(self, value: Any) -> Any:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps(value) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"{' '.join(self.argv)} ended (exit {self.process.wait(timeout=30)})")
        return json.loads(line)

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)

    def __enter__(self) -> Child:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def serve_questions(answer: Callable[[Any], Any]) -> None:
    """In a ``Child``: answer each JSON line of stdin with a JSON line on stdout, until stdin ends."""
    for line in sys.stdin:
        print(json.dumps(answer(json.loads(line))), flush=True)


def machine() -> dict[str, Any]:
    """What the figures were measured on: every benchmark's client and servers share it."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    memory = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), 0)
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gb": round(memory / 1024 / 1024, 1),
        "python": platform.python_version(),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# Output

_last_progress = [0.0]


def progress(line: str, every: float = 0) -> None:
    """A line on stderr; with ``every``, at most one per that many seconds."""
    now = time.monotonic()
    if every and now - _last_progress[0] < every:
        return
    _last_progress[0] = now
    print(line, file=sys.stderr, flush=True)


Row = tuple[str, Any, Any, Any]


def fmt(value: Any, unit: str = "") -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        value = f"{value:,.2f}" if abs(value) < 100 else f"{value:,.0f}"
    elif isinstance(value, int):
        value = f"{value:,}"
    return f"{value} {unit}".strip()


def print_table(title: str, rows: Sequence[Row | str]) -> None:
    """Rows of (figure, measured, baseline, ratio or target) on stderr; a plain string is a heading."""
    cells = [row for row in rows if not isinstance(row, str)]
    widths = [max([len(head)] + [len(str(row[i])) for row in cells]) for i, head in enumerate(("figure", "measured", "baseline", "ratio / target"))]
    line = "  ".join([f"{{:<{widths[0]}}}", f"{{:>{widths[1]}}}", f"{{:>{widths[2]}}}", f"{{:<{widths[3]}}}"])
    out = [title, "=" * len(title), line.format("figure", "measured", "baseline", "ratio / target")]
    for row in rows:
        out.append(f"-- {row}" if isinstance(row, str) else line.format(*(str(cell) for cell in row)))
    print("\n".join(out) + "\n", file=sys.stderr, flush=True)


def emit(figures: dict[str, Any], title: str, rows: Sequence[Row | str]) -> None:
    """The readable table on stderr, then the one JSON object on stdout (with the load average at
    the end beside the one at the start: the machine is shared, and its load moves the figures)."""
    if isinstance(figures.get("machine"), dict):
        figures["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    print_table(title, rows)
    print(json.dumps(figures, indent=2, ensure_ascii=False), flush=True)


@contextmanager
def temporary_folder(prefix: str, keep: bool = False) -> Iterator[Path]:
    """A new folder under the system's temporary folder, removed afterwards unless ``keep``."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield folder
    finally:
        if keep:
            progress(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    _serve(sys.argv[1:])
