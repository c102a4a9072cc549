"""Read figures at 50,000 vacancies: requests/s and p50/p99 of the public vacancy list under bounded
concurrent load, beside a bare Flask endpoint answering the same JSON bytes, served the same way in
the same run; and the API server's memory with the vacancies loaded. Prints one JSON object (stdout)
and a readable table (stderr, with the progress).

The vacancies are the demo's generator (``plugins/vacatures/demo.py``) with a fixed seed: po ones of
Utrecht and vo ones of Twente-Achterhoek, half each, all in one loket, on SQLite with whoosh. They
are saved directly as published ``Vacancy`` aggregates (``site.app.save`` in batches: building is
not what is measured), then the read models catch up. Then, one after the other, against a server
in its own process under waitress (``threads=8``) on 127.0.0.1:

- API: ``GET /api/v1/lokets/bench/vacatures/vacancies?sector=po&page=1`` (20 vacancies with the
  total and the facet counts; the list keeps its answers per board state, so after the first
  request this is the cached path: Flask, the cache lookup, the body assembled, its ETag);
- bare: a Flask app whose one route returns the API's answer as fixed bytes.

The load is ``--requests`` GETs from ``--clients`` threads, each on its own keep-alive connection.
The client is Python too and shares the machine (2 cores here) with the server: the bare server's
figures are partly the client's limits. The server's VmRSS and VmHWM come from
``/proc/<pid>/status`` after the load. Targets: API ≥ 0.7 × bare requests/s; API server under
300 MB with 50,000 vacancies.

    .venv/bin/python bench/reads.py [--count 50000] [--requests 2000] [--clients 4] [--timeout 60]
        [--keep | --reuse FOLDER]

``--keep`` leaves the built folder; ``--reuse FOLDER`` measures again on it without building.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    LOKET_SLUG,
    add_load_options,
    api_server,
    bare_server,
    build_vacancies,
    catch_up,
    config_text,
    emit,
    fmt,
    get,
    load,
    machine,
    open_site,
    progress,
    ratio,
    sqlite_url,
    target,
    temporary_folder,
    timed,
    verdict,
    without_latencies,
)

PATH = f"/api/v1/lokets/{LOKET_SLUG}/vacatures/vacancies?sector=po&page=1"
WARM_UP = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=50_000, help="vacancies to build")
    add_load_options(parser, "list requests (and as many to the bare server)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    parser.add_argument("--reuse", metavar="FOLDER", help="measure again on a folder kept by --keep (no build)")
    args = parser.parse_args()
    figures: dict[str, Any] = {"benchmark": "reads", "machine": machine(), "path": PATH, "requests": args.requests, "clients": args.clients}
    if args.reuse:
        figures.update(run(Path(args.reuse), args))
    else:
        with temporary_folder("loket-bench-reads-", keep=args.keep) as folder:
            figures.update(run(folder, args))
    emit(figures, f"Reads: the public vacancy list vs a bare Flask endpoint ({figures['vacancies']:,} vacancies)", rows(figures))


def run(folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    from core.site import Site

    built: dict[str, Any] = {}
    if args.reuse:
        site = Site.open(folder / "loket.toml")
        built["reused"] = str(folder)
    else:
        site = open_site(folder, config_text(sqlite_url(), vacancies=True))
        progress(f"building {args.count} vacancies …")
        built["build_seconds"] = round(build_vacancies(site, args.count), 1)
        built["catch_up"] = catch_up(site)
    try:
        site.projections.catch_up()
        count = site.projection("vacatures").view.query("SELECT COUNT(*) AS n FROM vacatures_board WHERE loket = ? AND status = 'published'", (LOKET_SLUG,))[0]["n"]
        read_mb = round(sum(p.stat().st_size for p in site.config.data_dir.glob("read.sqlite*")) / 1e6, 1)
    finally:
        site.close()

    progress(f"API: {args.requests} requests from {args.clients} clients …")
    with api_server(folder / "loket.toml", folder) as api:
        started = api.memory()
        body, first_seconds = timed(lambda: get(api.port, PATH))
        load([api.port], PATH, WARM_UP, 1, args.timeout)
        api_load = load([api.port], PATH, args.requests, args.clients, args.timeout)
        api_memory = api.memory()
    (folder / "body.json").write_bytes(body)
    progress(f"bare Flask: {args.requests} requests from {args.clients} clients …")
    with bare_server(folder / "body.json", PATH.split("?")[0], folder) as bare:
        assert get(bare.port, PATH) == body
        load([bare.port], PATH, WARM_UP, 1, args.timeout)
        bare_load = load([bare.port], PATH, args.requests, args.clients, args.timeout)
        bare_memory = bare.memory()
    return {
        "vacancies": count,
        **built,
        "read_database_mb": read_mb,
        "total_in_answer": json.loads(body)["total"],
        "body_bytes": len(body),
        "api_first_request_ms": round(first_seconds * 1000, 1),
        "api": without_latencies(api_load),
        "baseline_bare_flask": without_latencies(bare_load),
        "api_vs_bare_requests_per_s": target(ratio(api_load["requests_per_s"], bare_load["requests_per_s"]), 0.7),
        "api_server_memory_at_start": started,
        "api_server_memory": api_memory,
        "bare_server_memory": bare_memory,
        "api_server_memory_target": target(api_memory["vmhwm_mb"], 300, at_least=False) if count >= 50_000 else None,
    }


def rows(figures: dict[str, Any]) -> list[Any]:
    api, bare = figures["api"], figures["baseline_bare_flask"]
    memory, bare_memory = figures["api_server_memory"], figures["bare_server_memory"]
    built = [("built: vacancies | build s | catch-up s", fmt(figures["vacancies"]), f"{fmt(figures.get('build_seconds'))} s", f"catch-up {fmt(figures.get('catch_up', {}).get('seconds'))} s")]
    return built + [
        f"{fmt(api['requests'])} requests from {figures['clients']} clients, {fmt(figures['body_bytes'])} bytes each",
        ("req/s (API | bare Flask)", fmt(api["requests_per_s"]), fmt(bare["requests_per_s"]), verdict(figures["api_vs_bare_requests_per_s"])),
        ("p50 (API | bare Flask)", fmt(api["p50_ms"], "ms"), fmt(bare["p50_ms"], "ms"), ""),
        ("p99 (API | bare Flask)", fmt(api["p99_ms"], "ms"), fmt(bare["p99_ms"], "ms"), ""),
        ("timeouts (API | bare Flask)", fmt(api["timeouts"]), fmt(bare["timeouts"]), ""),
        ("first request, uncached (API)", fmt(figures["api_first_request_ms"], "ms"), "", ""),
        ("server VmRSS (API | bare Flask)", fmt(memory["vmrss_mb"], "MB"), fmt(bare_memory["vmrss_mb"], "MB"), ""),
        ("server VmHWM (API | bare Flask)", fmt(memory["vmhwm_mb"], "MB"), fmt(bare_memory["vmhwm_mb"], "MB"),
         verdict(figures["api_server_memory_target"]) if figures["api_server_memory_target"] else "(target at 50,000)"),
    ]


if __name__ == "__main__":
    main()
