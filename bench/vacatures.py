"""Vacancy bank figures at 50,000 vacancies, each beside a baseline measured in the same run; prints
one JSON object (stdout) and a readable table (stderr, with the progress).

The vacancies are the demo's generator (``plugins/vacatures/demo.py``) with a fixed seed: po ones of
Utrecht and vo ones of Twente-Achterhoek, half each, all in one loket. They are saved directly as
published ``Vacancy`` aggregates (``site.app.save`` in batches: building is not what is measured),
then the read models catch up. Then, against real waitress servers on 127.0.0.1 (each its own
process, ``threads=8``) and a bounded client (a fixed number of requests from a few threads, each on
its own keep-alive connection):

- search: ``GET /api/v1/lokets/bench/vacatures/vacancies?q=<word>`` for 20 Dutch queries, p50/p95
  latency from one client — beside the baseline of a bare SQLite FTS5 table of the same documents
  (title and description; ``MATCH`` … ``ORDER BY rank LIMIT 20``, in this process), and for context
  the whoosh query alone (``site.search.ranked_ids``, what the API asks the search backend);
- list: requests/s and p50/p99 of ``GET …/vacancies?sector=po&page=1`` under concurrent load —
  beside a bare Flask app answering the same JSON bytes, served by waitress the same way.

The client is Python too and shares nothing with the servers but the machine (2 cores here): the
bare server's figures are partly the client's limits. Every wait is bounded: a query is repeated
within a time budget, and a request slower than ``--timeout`` counts as that long (a timeout; the
API server is then restarted so that the abandoned request does not load the next ones).

    .venv/bin/python bench/vacatures.py [--count 50000] [--requests 20] [--query-seconds 30]
        [--timeout 60] [--list-requests 400] [--clients 4] [--keep | --reuse FOLDER]

``--keep`` leaves the built folder; ``--reuse FOLDER`` measures again on it without building.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CONFIG = """
[store]
url = "sqlite:///data/events.sqlite"
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
LOKET = "bench"
LIST_PATH = f"/api/v1/lokets/{LOKET}/vacatures/vacancies"
SEED = 50_000
SAVE_BATCH = 500
THREADS = 8
#: Broad and narrow, po and vo, stems and compounds, places: what people type.
QUERIES = (
    "wiskunde", "wiskundedocent", "leraar", "leerkracht", "lessen", "klassen", "leerlingen", "groep 8",
    "zij-instroom", "onderwijsassistent", "conciërge", "engels", "natuurkunde", "vervanging", "invalpool",
    "enschede", "amersfoort", "bewegingsonderwijs", "intern begeleider", "eerstegraads",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000, help="vacancies to build")
    parser.add_argument("--requests", type=int, default=20, help="search requests per query")
    parser.add_argument("--list-requests", type=int, default=400, help="list requests (and as many to the baseline)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients of the list load")
    parser.add_argument("--query-seconds", type=float, default=30, help="time budget of each query's repeats (at least one is made)")
    parser.add_argument("--timeout", type=float, default=60, help="a request slower than this counts as this, and as a timeout")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--reuse", metavar="FOLDER", help="measure again on a folder kept by --keep (no build)")
    parser.add_argument("--serve", choices=("api", "bare"), help=argparse.SUPPRESS)  # the server processes
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, Path(args.folder), args.port)
        return

    if args.reuse:
        figures = run(Path(args.reuse), args)
    else:
        folder = Path(tempfile.mkdtemp(prefix="loket-bench-vacatures-"))
        try:
            figures = run(folder, args)
        finally:
            if args.keep:
                progress(f"kept {folder} (measure again with --reuse {folder})")
            else:
                shutil.rmtree(folder, ignore_errors=True)
    print_table(figures)
    print(json.dumps(figures, indent=2, ensure_ascii=False))


def run(folder: Path, args: argparse.Namespace) -> dict:
    from core.site import Site

    if not args.reuse:
        (folder / "loket.toml").write_text(CONFIG)
    site = Site.open(folder / "loket.toml")
    try:
        if args.reuse:
            built: dict = {"reused": str(folder)}
            documents = stored_documents(site)
        else:
            site.apply_config()
            documents, built = build_and_catch_up(site, args.count)
        started = time.perf_counter()
        fts = fts5_table(folder / "fts.sqlite", documents)
        built["fts5_build_seconds"] = round(time.perf_counter() - started, 1)
        count = len(documents)
        documents.clear()  # their memory is the server's now

        progress("search: the API, the bare FTS5 query and the whoosh query …")
        with server("api", folder) as api:
            search = measure_search(site, fts, api, args)
            body = get(api.port, f"{LIST_PATH}?sector=po&page=1")
            progress(f"list: {args.list_requests} requests from {args.clients} clients …")
            listed = measure_load(api.port, f"{LIST_PATH}?sector=po&page=1", args.list_requests, args.clients, args.timeout)
        (folder / "body.json").write_bytes(body)
        with server("bare", folder) as bare_server:
            assert get(bare_server.port, f"{LIST_PATH}?sector=po&page=1") == body
            bare = measure_load(bare_server.port, f"{LIST_PATH}?sector=po&page=1", args.list_requests, args.clients, args.timeout)
        fts.close()
        return {
            "vacancies": count,
            **built,
            "read_database_mb": round(sum(p.stat().st_size for p in site.config.data_dir.glob("read.sqlite*")) / 1e6, 1),
            "search": search,
            "list": {
                "path": f"{LIST_PATH}?sector=po&page=1",
                "total": json.loads(body)["total"],
                "body_bytes": len(body),
                "requests": args.list_requests,
                "clients": args.clients,
                "api": without_latencies(listed),
                "baseline_bare_flask": without_latencies(bare),
            },
        }
    finally:
        site.close()


# Building


def build_and_catch_up(site, count: int) -> tuple[list[tuple[str, str]], dict]:
    documents, build_seconds = timed(lambda: build(site, count))
    events = site.app.position()
    progress(f"catch-up of the read models over {events} events …")
    started = time.perf_counter()
    site.projections.catch_up(progress=lambda position: progress(f"  catch-up at {position}/{events} ({position / (time.perf_counter() - started):.0f} events/s)", every=10))
    catch_up_seconds = time.perf_counter() - started
    return documents, {
        "events": events,
        "build_seconds": round(build_seconds, 1),
        "catch_up_seconds": round(catch_up_seconds, 1),
        "catch_up_events_per_s": round(events / catch_up_seconds, 1),
    }


def stored_documents(site) -> list[tuple[str, str]]:
    """(title, description) of the published vacancies of a folder built before (``--reuse``)."""
    site.projections.catch_up()
    rows = site.projection("vacatures").view.query("SELECT public_json FROM vacatures_board WHERE loket = ? AND status = 'published'", (LOKET,))
    return [(item["title"], item["description"]) for item in (json.loads(row["public_json"]) for row in rows)]


def build(site, count: int) -> list[tuple[str, str]]:
    """``count`` published vacancies saved directly; returns (title, description) of each."""
    from core.envelope import acting
    from plugins.vacatures.demo import generate
    from plugins.vacatures.domain import Vacancy
    from plugins.vacatures.schemas import VacancySchema

    schema = VacancySchema()
    today = date.today()
    halves = [("voordeklas", count - count // 2), ("vota", count // 2)]
    documents = []
    started = time.perf_counter()
    with acting(actor="bench", loket=LOKET, correlation_id="bench-build"):
        for source, n in halves:
            batch = []
            for data in generate(source, n, seed=SEED, today=today):
                data.pop("_fate")
                fields = schema.load(data)
                slug = fields.pop("slug")
                vacancy = Vacancy(loket=LOKET, slug=f"{source}-{slug}", fields=fields)
                vacancy.publish(today=today)
                batch.append(vacancy)
                documents.append((fields["title"], fields["description"]))
                if len(batch) == SAVE_BATCH:
                    site.app.save(*batch)
                    batch = []
                    progress(f"  built {len(documents)}/{count} vacancies ({len(documents) / (time.perf_counter() - started):.0f}/s)", every=10)
            if batch:
                site.app.save(*batch)
    return documents


def fts5_table(path: Path, documents: list[tuple[str, str]]) -> sqlite3.Connection:
    """The baseline's index: the same titles and descriptions in a bare FTS5 table."""
    path.unlink(missing_ok=True)
    fts = sqlite3.connect(path, check_same_thread=False)
    fts.execute("CREATE VIRTUAL TABLE vacancies USING fts5(title, description, tokenize = 'unicode61 remove_diacritics 2')")
    fts.executemany("INSERT INTO vacancies (title, description) VALUES (?, ?)", documents)
    fts.commit()
    return fts


# Measuring


def measure_search(site, fts: sqlite3.Connection, api: server, args: argparse.Namespace) -> dict:
    """Each query through the API (one client), through FTS5 and through whoosh: up to
    ``--requests`` times each, within ``--query-seconds`` per query and way (at least once).
    After a timeout the API server is restarted: the abandoned request would go on loading it."""
    from plugins.vacatures.listing import MAX_TEXT_MATCHES

    api_ms, bare, whoosh, per_query, timeouts = [], [], [], {}, 0
    for text in QUERIES:
        path = f"{LIST_PATH}?q={quote(text)}"
        match = " ".join(f'"{word}"' for word in text.split())  # each word quoted (FTS5 syntax); all must occur
        api_run = measure_load(api.port, path, args.requests, 1, args.timeout, budget=args.query_seconds)
        if api_run["timeouts"]:
            api.restart()
        fts_ms = repeat(lambda: fts.execute("SELECT rowid FROM vacancies WHERE vacancies MATCH ? ORDER BY rank LIMIT 20", (match,)).fetchall(), args)
        whoosh_ms = repeat(lambda: site.search.ranked_ids(LOKET, text, ["vacancy"], MAX_TEXT_MATCHES), args)
        api_ms += api_run["latencies_ms"]
        bare += fts_ms
        whoosh += whoosh_ms
        timeouts += api_run["timeouts"]
        per_query[text] = {
            "api_requests": len(api_run["latencies_ms"]),
            "api_timeouts": api_run["timeouts"],
            "api_p50_ms": percentile(api_run["latencies_ms"], 50),
            # The first answer to a query is computed; the repeats are served from the list's cache.
            "api_first_ms": round(api_run["latencies_ms"][0], 2),
            "fts5_matches": fts.execute("SELECT COUNT(*) FROM vacancies WHERE vacancies MATCH ?", (match,)).fetchone()[0],
            "fts5_p50_ms": percentile(fts_ms, 50),
            "whoosh_matches": len(site.search.ranked_ids(LOKET, text, ["vacancy"], MAX_TEXT_MATCHES)),
            "whoosh_p50_ms": percentile(whoosh_ms, 50),
        }
        figures = per_query[text]
        progress(f"  {text!r}: api {figures['api_p50_ms']} ms ({figures['api_requests']} requests, {figures['api_timeouts']} timed out), "
                 f"fts5 {figures['fts5_p50_ms']} ms ({figures['fts5_matches']} matches), whoosh {figures['whoosh_p50_ms']} ms ({figures['whoosh_matches']})")
    return {
        "queries": len(QUERIES),
        "requests_per_query_at_most": args.requests,
        "api_requests": len(api_ms),
        "api_timeouts": timeouts,
        "timeout_ms": args.timeout * 1000,
        "api_p50_ms": percentile(api_ms, 50),
        "api_p95_ms": percentile(api_ms, 95),
        "api_first_p50_ms": percentile([figures["api_first_ms"] for figures in per_query.values()], 50),
        "api_first_p95_ms": percentile([figures["api_first_ms"] for figures in per_query.values()], 95),
        "baseline_fts5_p50_ms": percentile(bare, 50),
        "baseline_fts5_p95_ms": percentile(bare, 95),
        "whoosh_ranked_ids_p50_ms": percentile(whoosh, 50),
        "whoosh_ranked_ids_p95_ms": percentile(whoosh, 95),
        # Over the queries' medians: a query repeated more often (a fast one, within the budget) weighs no more.
        "by_query": {
            f"{way}_{p}_ms": percentile([figures[f"{way}_p50_ms"] for figures in per_query.values()], int(p[1:]))
            for way in ("api", "fts5", "whoosh") for p in ("p50", "p95")
        },
        "per_query": per_query,
    }


def repeat(function, args: argparse.Namespace) -> list[float]:
    """Milliseconds of each call of ``function``: ``--requests`` calls, or fewer when over budget."""
    latencies, started = [], time.perf_counter()
    while len(latencies) < args.requests and (not latencies or time.perf_counter() - started < args.query_seconds):
        latencies.append(timed(function)[1] * 1000)
    return latencies


def measure_load(port: int, path: str, total: int, clients: int, timeout: float, budget: float | None = None) -> dict:
    """``total`` GETs of ``path`` from ``clients`` threads, each on its own keep-alive connection
    (fewer when ``budget`` seconds have passed, at least one per client). A request slower than
    ``timeout`` counts as ``timeout``, and the client reconnects."""
    shares = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    latencies: list[float] = []
    failures: list[BaseException] = []
    timeouts = [0]
    lock = threading.Lock()
    started = time.perf_counter()

    def client(n: int) -> None:
        mine, timed_out = [], 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            for _ in range(n):
                if mine and budget is not None and time.perf_counter() - started > budget:
                    break
                sent = time.perf_counter()
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                except TimeoutError:
                    mine.append(timeout * 1000)
                    timed_out += 1
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
                    continue
                mine.append((time.perf_counter() - sent) * 1000)
                if response.status != 200:
                    raise RuntimeError(f"GET {path}: {response.status}")
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()
            with lock:
                latencies.extend(mine)
                timeouts[0] += timed_out

    threads = [threading.Thread(target=client, args=(n,)) for n in shares if n]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    if failures:
        raise failures[0]
    return {
        "requests": len(latencies),
        "timeouts": timeouts[0],
        "requests_per_s": round(len(latencies) / seconds, 1),
        "p50_ms": percentile(latencies, 50),
        "p99_ms": percentile(latencies, 99),
        "latencies_ms": latencies,
    }


def without_latencies(figures: dict) -> dict:
    return {name: value for name, value in figures.items() if name != "latencies_ms"}


def get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status} {body[:300]!r}")
        return body
    finally:
        connection.close()


def percentile(values: list[float], p: int) -> float:
    ordered = sorted(values)
    return round(ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)], 2)


def timed(function):
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


# The servers: each in its own process, started and stopped by this script


class server:
    """``with server(kind, folder) as running``: a waitress server of ``kind`` on a free port of
    127.0.0.1 (``running.port``), answering before the block starts and stopped after it."""

    def __init__(self, kind: str, folder: Path) -> None:
        self.kind = kind
        self.folder = folder
        self.log_path = folder / f"server-{kind}.log"

    def __enter__(self) -> server:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.log = open(self.log_path, "a")
        command = [sys.executable, __file__, "--serve", self.kind, "--folder", str(self.folder), "--port", str(self.port)]
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the {self.kind} server stopped: {self.log_path.read_text()}")
            try:
                get(self.port, "/healthz")
                return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise RuntimeError(f"the {self.kind} server did not answer within 120 s")

    def __exit__(self, *_) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()

    def restart(self) -> None:
        self.__exit__()
        self.__enter__()


def serve(kind: str, folder: Path, port: int) -> None:
    """Run in a server process: the Loket API over the built folder, or the bare Flask baseline."""
    from waitress import serve as waitress_serve

    if kind == "api":
        from core.site import Site
        from web import create_app

        site = Site.open(folder / "loket.toml")
        site.projections.catch_up()  # as `loket serve` does at start: reads then know the position
        app = create_app(site)
    else:
        from flask import Flask, Response

        body = (folder / "body.json").read_bytes()
        app = Flask(__name__)

        @app.get("/healthz")
        def healthz():
            return {"status": "ok"}

        @app.get(LIST_PATH)
        def vacancies():
            return Response(body, mimetype="application/json")

    waitress_serve(app, host="127.0.0.1", port=port, threads=THREADS, ident="loket")


# Output

_last_progress = [0.0]


def progress(line: str, every: float = 0) -> None:
    """A line on stderr; with ``every``, at most one per that many seconds."""
    now = time.monotonic()
    if every and now - _last_progress[0] < every:
        return
    _last_progress[0] = now
    print(line, file=sys.stderr, flush=True)


def print_table(figures: dict) -> None:
    search, listed = figures["search"], figures["list"]
    by_query = search["by_query"]
    api, bare = listed["api"], listed["baseline_bare_flask"]
    rows = [
        ("vacancies / events", f"{figures['vacancies']} / {figures.get('events', '-')}", ""),
        ("build (direct saves)", f"{figures.get('build_seconds', '-')} s", ""),
        ("catch-up of the read models", f"{figures.get('catch_up_seconds', '-')} s ({figures.get('catch_up_events_per_s', '-')} events/s)", ""),
        (f"search requests (timeouts > {search['timeout_ms'] / 1000:g} s)", f"{search['api_requests']} ({search['api_timeouts']})", ""),
        ("search p50, all requests (API | FTS5)", f"{search['api_p50_ms']} ms", f"{search['baseline_fts5_p50_ms']} ms"),
        ("search p95, all requests (API | FTS5)", f"{search['api_p95_ms']} ms", f"{search['baseline_fts5_p95_ms']} ms"),
        ("  first (uncached) request per query, p50 / p95", f"{search['api_first_p50_ms']} / {search['api_first_p95_ms']} ms", ""),
        ("  whoosh ranked_ids p50 / p95", f"{search['whoosh_ranked_ids_p50_ms']} / {search['whoosh_ranked_ids_p95_ms']} ms", ""),
        ("search p50 of the query medians (API | FTS5)", f"{by_query['api_p50_ms']} ms", f"{by_query['fts5_p50_ms']} ms"),
        ("search p95 of the query medians (API | FTS5)", f"{by_query['api_p95_ms']} ms", f"{by_query['fts5_p95_ms']} ms"),
        ("  whoosh p50 / p95 of the query medians", f"{by_query['whoosh_p50_ms']} / {by_query['whoosh_p95_ms']} ms", ""),
        (f"list req/s, {listed['clients']} clients (API | bare Flask)", f"{api['requests_per_s']}", f"{bare['requests_per_s']}"),
        ("list p50 (API | bare Flask)", f"{api['p50_ms']} ms", f"{bare['p50_ms']} ms"),
        ("list p99 (API | bare Flask)", f"{api['p99_ms']} ms", f"{bare['p99_ms']} ms"),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{'figure':<{width}}  {'measured':>32}  {'baseline':>12}"]
    lines += [f"{name:<{width}}  {value:>32}  {baseline:>12}" for name, value, baseline in rows]
    print("\n".join(lines), file=sys.stderr)


if __name__ == "__main__":
    main()
