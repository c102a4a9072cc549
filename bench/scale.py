"""Scale-out figures: the read load of ``bench/reads.py`` (the public vacancy list under bounded
concurrent load) against one web node and against two, on PostgreSQL, in the same run on the same
data; prints one JSON object (stdout) and a readable table (stderr, with the progress).

The vacancies (the demo's generator, fixed seed, published, saved directly in batches) go to a fresh
PostgreSQL schema (dropped afterwards), and the read models catch up in this process before anything
starts. Then the documented scale-out shape, each a process of its own: a ``loket worker`` (leading;
it projects) and web nodes ``loket serve --no-projections`` (waitress, 8 threads each). The client
sends ``--requests`` GETs of ``/api/v1/lokets/bench/vacatures/vacancies?sector=po&page=1`` from
``--clients`` threads, each with a keep-alive connection to every node, taking the nodes in turn:
first against node 1 alone, then against nodes 1 and 2.

The client, both nodes, the worker and PostgreSQL share one machine (``nproc`` in the output; 2
cores here): a second node adds processes, not cores, so this shows what a second process gains
when the first does not use both cores (the GIL), not what a second machine would.

    .venv/bin/python bench/scale.py [--count 10000] [--requests 2000] [--clients 4] [--timeout 60] [--analyze]

(``--count 50000`` for the size of ``bench/reads.py``.) The planner's statistics of the tables are as
the catch-up and autovacuum left them (the JSON lists the tables never analyzed); ``--analyze``
gathers them first.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    LOKET,
    LOKET_SLUG,
    Server,
    add_load_options,
    build_vacancies,
    catch_up,
    config_text,
    emit,
    fmt,
    get,
    load,
    machine,
    open_site,
    postgres_available,
    postgres_schema,
    postgres_statistics,
    progress,
    ratio,
    temporary_folder,
    without_latencies,
)

PATH = f"/api/v1/lokets/{LOKET_SLUG}/vacatures/vacancies?sector=po&page=1"
WARM_UP = 20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000, help="vacancies to build")
    add_load_options(parser, "requests per setup (one node, two nodes)")
    parser.add_argument("--analyze", action="store_true", help="ANALYZE the schema's tables before measuring (default: as autovacuum left them)")
    args = parser.parse_args()
    cores = os.cpu_count()
    figures: dict[str, Any] = {
        "benchmark": "scale",
        "machine": machine(),
        "note": f"the client, both web nodes, the worker and PostgreSQL share this machine's {cores} cores",
        "path": PATH,
        "requests": args.requests,
        "clients": args.clients,
    }
    if reason := postgres_available():
        figures["skipped"] = reason
        emit(figures, "Scale: skipped", [reason])
        return
    with temporary_folder("loket-bench-scale-") as folder, postgres_schema("bench_scale") as url:
        figures.update(run(folder, url, args))
    emit(figures, f"Scale: one vs two web nodes on PostgreSQL ({figures['vacancies']:,} vacancies; {figures['note']})", rows(figures))


def run(folder: Path, url: str, args: argparse.Namespace) -> dict[str, Any]:
    site = open_site(folder, config_text(url, vacancies=True))
    config = str(folder / "loket.toml")
    try:
        progress(f"building {args.count} vacancies on {site.config.store.safe_url} …")
        build_seconds = build_vacancies(site, args.count)
        caught_up = catch_up(site)
    finally:
        site.close()
    tables = postgres_statistics(url, args.analyze)

    nodes: list[Server] = []
    try:
        with Server("worker", [LOKET, "worker", "--config", config], folder, health=None) as worker:
            worker.wait_for_output("leading", 120)
            for n in (1, 2):
                nodes.append(Server(f"node{n}", [LOKET, "serve", "--no-projections", "--config", config, "--port", "{port}"], folder).start())
            ports = [node.port for node in nodes]
            body = get(ports[0], PATH)
            assert get(ports[1], PATH) == body, "the two nodes answer differently"
            for port in ports:
                load([port], PATH, WARM_UP, 1, args.timeout)
            progress(f"one node: {args.requests} requests from {args.clients} clients …")
            one = load(ports[:1], PATH, args.requests, args.clients, args.timeout)
            progress(f"two nodes: {args.requests} requests from {args.clients} clients, round-robin …")
            two = load(ports, PATH, args.requests, args.clients, args.timeout)
            memory = {node.name: node.memory() for node in nodes}
            memory["worker"] = worker.memory()
    finally:
        for node in nodes:
            node.stop()
    return {
        "vacancies": args.count,
        "build_seconds": round(build_seconds, 1),
        "catch_up": caught_up,
        "body_bytes": len(body),
        "one_node": without_latencies(one),
        "two_nodes": without_latencies(two),
        "two_vs_one_requests_per_s": ratio(two["requests_per_s"], one["requests_per_s"]),
        "two_vs_one_p99": ratio(two["p99_ms"], one["p99_ms"]),
        "memory": memory,
        # Read-model tables the planner had no statistics of when the load ran (see --analyze).
        "tables_never_analyzed": sorted(name for name, table in tables.items() if not table["analyzed"] and table["rows"]),
        "table_statistics": tables,
    }


def rows(figures: dict[str, Any]) -> list[Any]:
    one, two = figures["one_node"], figures["two_nodes"]
    memory = figures["memory"]
    return [
        f"{fmt(one['requests'])} requests from {figures['clients']} clients per setup, {fmt(figures['body_bytes'])} bytes each",
        ("req/s (two nodes | one node)", fmt(two["requests_per_s"]), fmt(one["requests_per_s"]), fmt(figures["two_vs_one_requests_per_s"])),
        ("p50 (two nodes | one node)", fmt(two["p50_ms"], "ms"), fmt(one["p50_ms"], "ms"), ""),
        ("p99 (two nodes | one node)", fmt(two["p99_ms"], "ms"), fmt(one["p99_ms"], "ms"), fmt(figures["two_vs_one_p99"])),
        ("timeouts (two nodes | one node)", fmt(two["timeouts"]), fmt(one["timeouts"]), ""),
        ("VmHWM node1 / node2 / worker", " / ".join(fmt(memory[name]["vmhwm_mb"]) for name in ("node1", "node2", "worker")) + " MB", "", ""),
    ]


if __name__ == "__main__":
    main()
