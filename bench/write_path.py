"""Write path figures: a page drafted through the API beside the bare ``Application.save`` of the same
aggregate, on SQLite and on PostgreSQL, each measured in the same run on the same store; prints one
JSON object (stdout) and a readable table (stderr).

Per store (a fresh SQLite folder; a fresh PostgreSQL schema, dropped afterwards), one writer at a
time, each way up to ``--events`` writes within ``--seconds``:

- bare: ``site.app.save(Page(...))`` in this process, one page per save — the issue's baseline (one
  event per page); and for context ``site.app.save(page, slug_claim)``, the two aggregates (two
  events) a POST records;
- API: ``POST /api/v1/lokets/bench/pages`` (title and a Markdown body) over real HTTP on one
  keep-alive connection to the Loket app under waitress in its own process (the app of
  ``loket serve``, which validates, claims the slug, saves, catches the read models up before it
  answers and returns the item as stored);
- on PostgreSQL also the scale-out shape: the same POSTs to ``loket serve --no-projections`` with a
  ``loket worker`` projecting beside it (the node waits, bounded, for the worker's position).

The ratio that carries the target (API ≥ 0.5 × bare) is of pages per second, the same unit of work
both ways; events per second are given too (a POST records two events, the bare save one).

    .venv/bin/python bench/write_path.py [--events 1000] [--seconds 60] [--store sqlite|postgres|both]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    LOKET,
    LOKET_SLUG,
    Connection,
    Server,
    api_server,
    config_text,
    emit,
    fmt,
    machine,
    open_site,
    postgres_available,
    postgres_schema,
    progress,
    rate,
    ratio,
    sqlite_url,
    summary,
    target,
    temporary_folder,
    verdict,
)

BODY = "De **leraar** staat voor de klas. " * 40
TARGET = 0.5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1000, help="writes per way (pages)")
    parser.add_argument("--seconds", type=float, default=60, help="time budget per way (at least one write)")
    parser.add_argument("--store", choices=("sqlite", "postgres", "both"), default="both")
    args = parser.parse_args()

    figures: dict[str, Any] = {
        "benchmark": "write_path",
        "machine": machine(),
        "writes_per_way_at_most": args.events,
        "seconds_per_way_at_most": args.seconds,
        "client": "real HTTP, one keep-alive connection, one write at a time",
    }
    stores = ["sqlite", "postgres"] if args.store == "both" else [args.store]
    for store in stores:
        if store == "postgres" and (reason := postgres_available()):
            figures["postgres"] = {"skipped": reason}
            continue
        with temporary_folder(f"loket-bench-write-{store}-") as folder:
            if store == "sqlite":
                figures[store] = measure(folder, sqlite_url(), args)
            else:
                with postgres_schema("bench_write") as url:
                    figures[store] = measure(folder, url, args, follower=True)
    emit(figures, "Write path: POST of a page vs bare Application.save (pages/s)", rows(figures))


def measure(folder: Path, url: str, args: argparse.Namespace, follower: bool = False) -> dict[str, Any]:
    from core.content.domain import Page, SlugClaim
    from core.envelope import acting

    site = open_site(folder, config_text(url))
    config = folder / "loket.toml"
    try:
        with acting(actor="bench"):
            token = site.identity.create_token("bench", LOKET_SLUG, "editor")[1]
        site.projections.catch_up()
        counter = iter(range(10**9))

        def page() -> Any:
            return Page(loket=LOKET_SLUG, slug=f"bare-{next(counter)}", fields={"title": "Bare", "body": BODY})

        def save_page() -> None:
            with acting(actor="bench", loket=LOKET_SLUG):
                site.app.save(page())

        def save_page_and_claim() -> None:
            with acting(actor="bench", loket=LOKET_SLUG):
                item = page()
                site.app.save(item, SlugClaim(loket=LOKET_SLUG, content_type="page", slug=item.slug, item_id=item.id))

        progress(f"{site.config.store.safe_url}: bare saves …")
        bare = writes(site, save_page, args)
        bare_claim = writes(site, save_page_and_claim, args)
        headers = {"Authorization": f"Bearer {token}"}

        progress("  POSTs through the API (a waitress server that projects) …")
        with api_server(config, folder) as api:
            api_figures = posts(site, api.port, headers, "api", args)
        result = {
            "store": "postgresql" if site.config.store.is_postgres else "sqlite",
            "bare_save_page": bare,
            "bare_save_page_and_slug_claim": bare_claim,
            "api_post_page": api_figures,
            "api_vs_bare_pages_per_s": target(ratio(api_figures["pages_per_s"], bare["pages_per_s"]), TARGET),
            "api_vs_bare_events_per_s": ratio(api_figures["events_per_s"], bare["events_per_s"]),
            "api_vs_bare_with_claim_pages_per_s": ratio(api_figures["pages_per_s"], bare_claim["pages_per_s"]),
        }
        if follower:
            progress("  POSTs through a follower node (serve --no-projections) with a loket worker …")
            with Server("worker", [LOKET, "worker", "--config", str(config), "--poll-seconds", "1"], folder, health=None) as worker:
                worker.wait_for_output("leading", 60)
                with Server("node", [LOKET, "serve", "--no-projections", "--config", str(config), "--port", "{port}"], folder) as node:
                    scaled = posts(site, node.port, headers, "node", args)
            result["api_post_page_follower_and_worker"] = scaled
            result["follower_vs_bare_pages_per_s"] = ratio(scaled["pages_per_s"], bare["pages_per_s"])
        return result
    finally:
        site.close()


def writes(site: Any, write: Any, args: argparse.Namespace) -> dict[str, Any]:
    """``write()`` up to ``--events`` times within ``--seconds``: pages and events per second."""
    before = site.app.position()
    latencies = []
    started = time.perf_counter()
    while len(latencies) < args.events and (not latencies or time.perf_counter() - started < args.seconds):
        sent = time.perf_counter()
        write()
        latencies.append((time.perf_counter() - sent) * 1000)
    seconds = time.perf_counter() - started
    events = site.app.position() - before
    return {"pages": len(latencies), "events": events, "seconds": round(seconds, 2), "pages_per_s": rate(len(latencies), seconds), "events_per_s": rate(events, seconds), **summary(latencies)}


def posts(site: Any, port: int, headers: dict[str, str], prefix: str, args: argparse.Namespace) -> dict[str, Any]:
    """POSTs of new pages to ``port``, one at a time on one connection, each checked for 201."""
    connection = Connection(port, timeout=60)
    counter = iter(range(10**9))

    def post() -> None:
        status, body = connection.request("POST", f"/api/v1/lokets/{LOKET_SLUG}/pages", {"title": f"{prefix} {next(counter)}", "body": BODY}, headers)
        if status != 201:
            raise RuntimeError(f"POST: {status} {body[:300]!r}")

    try:
        post()  # the first request opens what the server opens lazily: not measured
        return writes(site, post, args)
    finally:
        connection.close()


def rows(figures: dict[str, Any]) -> list[Any]:
    table: list[Any] = []
    for store in ("sqlite", "postgres"):
        data = figures.get(store)
        if data is None:
            continue
        if "skipped" in data:
            table.append(f"{store}: skipped ({data['skipped']})")
            continue
        bare, claim, api = data["bare_save_page"], data["bare_save_page_and_slug_claim"], data["api_post_page"]
        table += [
            f"{store} ({fmt(api['pages'])} POSTs, {fmt(bare['pages'])} bare saves)",
            ("API POST pages/s | bare save(page)", fmt(api["pages_per_s"]), fmt(bare["pages_per_s"]), verdict(data["api_vs_bare_pages_per_s"])),
            ("API events/s | bare events/s", fmt(api["events_per_s"]), fmt(bare["events_per_s"]), fmt(data["api_vs_bare_events_per_s"])),
            ("API pages/s | bare save(page, slug claim)", fmt(api["pages_per_s"]), fmt(claim["pages_per_s"]), fmt(data["api_vs_bare_with_claim_pages_per_s"])),
            ("write p50 (API | bare)", fmt(api["p50_ms"], "ms"), fmt(bare["p50_ms"], "ms"), ""),
            ("write p99 (API | bare)", fmt(api["p99_ms"], "ms"), fmt(bare["p99_ms"], "ms"), ""),
        ]
        if "api_post_page_follower_and_worker" in data:
            scaled = data["api_post_page_follower_and_worker"]
            table += [
                ("follower node + worker pages/s | bare", fmt(scaled["pages_per_s"]), fmt(bare["pages_per_s"]), fmt(data["follower_vs_bare_pages_per_s"])),
                ("follower node + worker p50 / p99", f"{fmt(scaled['p50_ms'])} / {fmt(scaled['p99_ms'], 'ms')}", "", ""),
            ]
    return table


if __name__ == "__main__":
    main()
