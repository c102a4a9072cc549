"""Replay figures: rebuilding every read model (search index and hash chain included) from a log of
100,000 events, beside the baseline of reading and decoding the same events in the same run; and the
search index measured apart, in documents per second, beside the bare whoosh writer indexing the
same documents. Prints one JSON object (stdout) and a readable table (stderr).

- log: ``--events`` events of small ``Referral`` aggregates saved directly, 1,000 per save (what the
  runner costs per event), or with ``--kind vacancies`` published vacancies of the demo's generator
  (two events each; what a real log costs: Markdown, the vacancy board, search documents);
- rebuild: ``site.projections.rebuild()`` — what ``loket projections rebuild`` runs — in a child
  process of its own, so that its peak memory (``ru_maxrss``) is the rebuild's alone (the figure
  includes the interpreter, the imports and the opened site: ``rss_before_mb`` says how much);
- baseline: ``select_notifications`` in pages of the runner's size plus ``mapper.to_domain_event``
  of every event, also in a child process of its own, on the same log;
- search index: ``--documents`` published vacancies in a log of their own; the search projection
  alone (whoosh, its batches of ``COMMIT_EVERY``) replays it through the projection runner, beside
  (a) the bare whoosh writer adding the same stored documents to an empty index of the same
  schema (``core.search.search_schema()``; one writer, one commit at the end) and (b) the scan and
  decode of the same log (which the projection's figure includes).

``--profile`` prints the rebuild's top functions (cProfile) on stderr.

    .venv/bin/python bench/replay.py [--events 100000] [--kind referrals|vacancies] [--documents 10000]
        [--store sqlite|postgres] [--profile]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    LOKET_SLUG,
    build_vacancies,
    config_text,
    emit,
    fmt,
    machine,
    open_site,
    own_peak_rss_mb,
    own_rss_mb,
    postgres_available,
    postgres_schema,
    progress,
    rate,
    ratio,
    run_child,
    sqlite_url,
    target,
    temporary_folder,
    timed,
    verdict,
)

SAVE_BATCH = 1000
CHILD_TIMEOUT = 3600


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000, help="events in the log to rebuild")
    parser.add_argument("--kind", choices=("referrals", "vacancies"), default="referrals", help="what the log holds")
    parser.add_argument("--documents", type=int, default=10_000, help="vacancies for the search index part (0: skip it)")
    parser.add_argument("--store", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--profile", action="store_true", help="print the rebuild's top functions on stderr")
    parser.add_argument("--child", choices=("scan", "rebuild"), help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return

    figures: dict[str, Any] = {"benchmark": "replay", "machine": machine(), "kind": args.kind}
    if args.store == "postgres" and (reason := postgres_available()):
        figures["rebuild"] = {"skipped": reason}
    else:
        with temporary_folder("loket-bench-replay-") as folder:
            if args.store == "postgres":
                with postgres_schema("bench_replay") as url:
                    figures["rebuild"] = replay(folder, url, args)
            else:
                figures["rebuild"] = replay(folder, sqlite_url(), args)
    if args.documents:
        with temporary_folder("loket-bench-index-") as folder:
            figures["search_index"] = search_index(folder, args.documents)
    emit(figures, f"Replay: rebuild of {figures['rebuild'].get('events', '?')} events ({args.kind}, {args.store})", rows(figures))


def replay(folder: Path, url: str, args: argparse.Namespace) -> dict[str, Any]:
    from core.envelope import acting
    from core.referrals.domain import Referral

    site = open_site(folder, config_text(url, vacancies=args.kind == "vacancies"))
    try:
        progress(f"building a log of {args.events} events ({args.kind}) …")
        started = time.perf_counter()
        if args.kind == "vacancies":
            build_vacancies(site, max(1, (args.events - site.app.position()) // 2))
        else:
            with acting(actor="bench", loket=LOKET_SLUG):
                for first in range(site.app.position(), args.events, SAVE_BATCH):
                    site.app.save(*[Referral(loket=LOKET_SLUG, direction="out", partner="onderwijsloket", reason="", count=1) for _ in range(min(SAVE_BATCH, args.events - first))])
        build_seconds = time.perf_counter() - started
        events = site.app.position()
        projections = [p.name for p in site.projections.projections]
        store = "postgresql" if site.config.store.is_postgres else "sqlite"
    finally:
        site.close()

    progress("baseline: scan and decode (a child process) …")
    scan = run_child([__file__, "--child", "scan", "--folder", str(folder)], CHILD_TIMEOUT)
    progress("rebuild (a child process) …")
    rebuild = run_child([__file__, "--child", "rebuild", "--folder", str(folder), *(["--profile"] if args.profile else [])], CHILD_TIMEOUT)
    rebuild_rate = rate(events, rebuild["seconds"])
    scan_rate = rate(scan["events"], scan["seconds"])
    return {
        "store": store,
        "events": events,
        "build_seconds": round(build_seconds, 1),
        "projections": projections,
        "rebuild_seconds": round(rebuild["seconds"], 2),
        "rebuild_events_per_s": rebuild_rate,
        "rebuild_projected_events_per_s": rate(events * len(projections), rebuild["seconds"]),
        "progress_reports": rebuild["progress_reports"],
        "rebuild_peak_rss_mb": rebuild["peak_rss_mb"],
        "rebuild_rss_before_mb": rebuild["rss_before_mb"],
        "baseline_scan_and_decode_seconds": round(scan["seconds"], 2),
        "baseline_scan_and_decode_events_per_s": scan_rate,
        "baseline_peak_rss_mb": scan["peak_rss_mb"],
        "rebuild_vs_baseline": target(ratio(rebuild_rate, scan_rate), 0.3),
        "rebuild_events_per_s_target": target(rebuild_rate, 10_000) if store == "sqlite" else None,
        "rebuild_peak_memory_target": target(rebuild["peak_rss_mb"], 500, at_least=False) if events >= 100_000 else None,
    }


def scan_and_decode(site: Any) -> int:
    """The baseline: every event of the log read in the runner's pages and decoded; how many."""
    from core.projections import BATCH

    decoded, position = 0, 0
    while True:
        page = site.app.recorder.select_notifications(start=position, limit=BATCH, inclusive_of_start=False)
        for notification in page:
            site.app.mapper.to_domain_event(notification)
            decoded += 1
        if len(page) < BATCH:
            return decoded
        position = page[-1].id


def child(args: argparse.Namespace) -> None:
    """A child process: the baseline scan, or the rebuild, over the folder; one JSON line."""
    import json

    from core.site import Site

    site = Site.open(Path(args.folder) / "loket.toml")
    _ = site.projections  # the read models opened, as the CLI's rebuild has them before it starts
    before = own_rss_mb()
    reports: list[int] = []
    if args.child == "scan":
        def work() -> int:
            return scan_and_decode(site)
    else:
        def work() -> int:
            site.projections.rebuild(progress=reports.append)
            return site.app.position()

    if args.profile:
        import cProfile
        import io
        import pstats

        profiler = cProfile.Profile()
        events, seconds = timed(lambda: profiler.runcall(work))
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
        print(out.getvalue(), file=sys.stderr)
    else:
        events, seconds = timed(work)
    site.close()
    print(json.dumps({"events": events, "seconds": seconds, "progress_reports": len(reports), "rss_before_mb": before, "peak_rss_mb": own_peak_rss_mb()}))


def search_index(folder: Path, documents: int) -> dict[str, Any]:
    """The search projection alone rebuilding ``documents`` vacancies vs the bare whoosh writer."""
    from whoosh import index

    from core.projections import ProjectionRunner
    from core.search import (
        COMMIT_EVERY,
        TRACKING_PREFIX,
        SearchProjection,
        search_schema,
    )

    site = open_site(folder, config_text(sqlite_url(), vacancies=True))
    try:
        progress(f"search index: building {documents} vacancies …")
        build_vacancies(site, documents)
        events = site.app.position()
        projection = SearchProjection.build(site)
        runner = ProjectionRunner(site.app, [projection], folder / "bench.lock")

        progress("  scan and decode of its log …")
        _, scan_seconds = timed(lambda: scan_and_decode(site))
        progress("  the search projection alone, from nothing …")
        projection.view.drop()
        _, projection_seconds = timed(runner.catch_up)
        stored = [d for d in projection.view.dump() if d["type"] == "vacancy"]
        assert len(stored) == documents, (len(stored), documents)

        progress("  the bare whoosh writer, the same documents …")
        bare_path = folder / "bare-index"
        bare_path.mkdir()
        bare_index = index.create_in(str(bare_path), search_schema())

        def bare() -> None:
            writer = bare_index.writer()
            for document in stored:
                writer.add_document(**document)
            writer.commit()

        _, bare_seconds = timed(bare)
        with bare_index.searcher() as searcher:
            assert searcher.doc_count() == documents
        assert not any(d["id"].startswith(TRACKING_PREFIX) for d in stored)
        projection_rate, bare_rate = rate(documents, projection_seconds), rate(documents, bare_seconds)
        return {
            "documents": documents,
            "events": events,
            "commit_every": COMMIT_EVERY,
            "projection_seconds": round(projection_seconds, 2),
            "projection_documents_per_s": projection_rate,
            "baseline_bare_whoosh_writer_seconds": round(bare_seconds, 2),
            "baseline_bare_whoosh_writer_documents_per_s": bare_rate,
            "scan_and_decode_seconds": round(scan_seconds, 2),
            # What the projection spends beyond reading and decoding its log.
            "projection_minus_scan_documents_per_s": rate(documents, projection_seconds - scan_seconds),
            "projection_vs_bare": target(ratio(projection_rate, bare_rate), 0.7),
            "peak_rss_mb_of_this_process": own_peak_rss_mb(),
        }
    finally:
        site.close()


def rows(figures: dict[str, Any]) -> list[Any]:
    table: list[Any] = []
    rebuild = figures["rebuild"]
    if "skipped" in rebuild:
        table.append(f"rebuild skipped: {rebuild['skipped']}")
    else:
        table += [
            f"rebuild: {fmt(rebuild['events'])} events, {len(rebuild['projections'])} projections, {rebuild['store']}",
            ("rebuild events/s | scan+decode events/s", fmt(rebuild["rebuild_events_per_s"]), fmt(rebuild["baseline_scan_and_decode_events_per_s"]), verdict(rebuild["rebuild_vs_baseline"])),
            ("rebuild seconds | scan+decode seconds", fmt(rebuild["rebuild_seconds"], "s"), fmt(rebuild["baseline_scan_and_decode_seconds"], "s"), ""),
        ]
        if rebuild["rebuild_events_per_s_target"]:
            table.append(("rebuild events/s (absolute)", fmt(rebuild["rebuild_events_per_s"]), "", verdict(rebuild["rebuild_events_per_s_target"])))
        table.append(("rebuild peak RSS (RSS before) | scan+decode peak", f"{fmt(rebuild['rebuild_peak_rss_mb'])} ({fmt(rebuild['rebuild_rss_before_mb'])}) MB", fmt(rebuild["baseline_peak_rss_mb"], "MB"),
                      verdict(rebuild["rebuild_peak_memory_target"]) if rebuild["rebuild_peak_memory_target"] else "(target at 100,000 events)"))
    index = figures.get("search_index")
    if index:
        table += [
            f"search index: {fmt(index['documents'])} vacancies ({fmt(index['events'])} events), whoosh",
            ("projection docs/s | bare whoosh writer docs/s", fmt(index["projection_documents_per_s"]), fmt(index["baseline_bare_whoosh_writer_documents_per_s"]), verdict(index["projection_vs_bare"])),
            ("projection s | bare writer s", fmt(index["projection_seconds"], "s"), fmt(index["baseline_bare_whoosh_writer_seconds"], "s"), ""),
            ("  of which scan+decode of the log", fmt(index["scan_and_decode_seconds"], "s"), "", ""),
        ]
    return table


if __name__ == "__main__":
    main()
