"""Audit chain figures, each beside a baseline measured in the same run; prints one JSON object.

100,000 events (small ``Referral`` aggregates saved directly, 1,000 per save), then:

- catch-up: the ``audit-chain`` projection alone, from nothing, through the real runner (which
  decodes every event first) vs. the baseline of a plain ``select_notifications`` scan of the same
  events in pages of the runner's size, and (for scale) that scan plus the runner's decoding;
- verify: a full ``verify`` (recompute and compare every event, checkpoint and the head) vs. the
  baseline of a plain scan in pages of verify's size.

    .venv/bin/python bench/audit.py [--events 100000] [--store postgresql://…?schema=bench]

With ``--store`` on PostgreSQL the schema is dropped afterwards.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datetime import UTC

from eventsourcing.persistence import Tracking

from bench.common import (
    config_text,
    drop_schema,
    emit,
    fmt,
    machine,
    open_site,
    rate,
    sqlite_url,
    temporary_folder,
    timed,
)
from core.audit.chain import (
    CHECKPOINT_EVERY,
    PREFETCH,
    VERIFY_PAGE,
    ChainProjection,
    verify,
)
from core.envelope import acting
from core.projections import BATCH, ProjectionRunner
from core.referrals.domain import Referral
from core.site import Site

SAVE_BATCH = 1000


def scan(site: Site, page: int, decode: bool = False) -> int:
    """The baseline: read every stored event in pages of ``page`` (and decode it, if asked)."""
    start, seen = 0, 0
    mapper = site.app.mapper
    while True:
        notifications = site.app.recorder.select_notifications(start=start, limit=page, inclusive_of_start=False)
        for notification in notifications:
            if decode:
                mapper.to_domain_event(notification)
            seen += 1
        if len(notifications) < page:
            return seen
        start = notifications[-1].id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", help="a store URL (default: a SQLite file in a temporary folder)")
    args = parser.parse_args()

    with temporary_folder("loket-bench-audit-") as folder:
        site = open_site(folder, config_text(args.store or sqlite_url()))
        try:
            figures = measure(site, folder, args.events)
        finally:
            schema = site.config.store.env.get("POSTGRES_SCHEMA") if site.config.store.is_postgres else None
            site.close()
            if schema:
                drop_schema(schema, site.config.store.url)
    catch_up, verified = figures["catch_up"], figures["verify"]
    emit(figures, f"Audit chain: {figures['events']:,} events ({figures['store']})", [
        ("catch-up events/s | plain scan events/s", fmt(catch_up["chain_events_per_s"]), fmt(catch_up["baseline_scan_events_per_s"]), ""),
        ("  scan and decode events/s", fmt(catch_up["baseline_scan_and_decode_events_per_s"]), "", ""),
        ("  chain fed directly (no runner, no decode)", fmt(catch_up["chain_without_runner_decode_events_per_s"]), "", ""),
        ("verify events/s | plain scan events/s", fmt(verified["events_per_s"]), fmt(verified["baseline_scan_events_per_s"]), ""),
    ])


def measure(site: Site, folder: Path, events: int) -> dict:
    created = site.app.position()
    _, create_seconds = timed(lambda: _create(site, events - created))
    total = site.app.position()

    # Catch-up of the chain alone, from nothing, through the real runner.
    projection = ChainProjection.build(site)
    projection.view.drop()
    runner = ProjectionRunner(site.app, [projection], folder / "bench.lock")
    baseline_scan, scan_seconds = timed(lambda: scan(site, BATCH))
    _, decode_seconds = timed(lambda: scan(site, BATCH, decode=True))
    processed, catch_up_seconds = timed(runner.catch_up)
    assert processed == baseline_scan == total, (processed, baseline_scan, total)

    # A full verify.
    _, verify_scan_seconds = timed(lambda: scan(site, VERIFY_PAGE))
    report, verify_seconds = timed(lambda: verify(site))
    assert report.ok and report.events == total, report.message

    # The chain's own cost per event: chain the same events with the runner's work removed
    # (no decoding), i.e. the projection fed directly.
    projection.view.drop()
    _, direct_seconds = timed(lambda: _feed_directly(site, projection))
    assert projection.view.committed_head().count == total

    return {
        "benchmark": "audit",
        "machine": machine(),
        "store": "postgresql" if site.config.store.is_postgres else "sqlite",
        "events": total,
        "create_events_per_s": rate(total - created, create_seconds),
        "checkpoint_every": CHECKPOINT_EVERY,
        "prefetch": PREFETCH,
        "catch_up": {
            "chain_events_per_s": rate(total, catch_up_seconds),
            "seconds": round(catch_up_seconds, 2),
            "baseline_scan_events_per_s": rate(total, scan_seconds),
            "baseline_scan_and_decode_events_per_s": rate(total, decode_seconds),
            "chain_without_runner_decode_events_per_s": rate(total, direct_seconds),
        },
        "verify": {
            "events_per_s": rate(total, verify_seconds),
            "seconds": round(verify_seconds, 2),
            "baseline_scan_events_per_s": rate(total, verify_scan_seconds),
        },
        "read_database_mb": round(sum(p.stat().st_size for p in site.config.data_dir.glob("read.sqlite*")) / 1e6, 1),
    }


def _create(site: Site, count: int) -> None:
    with acting(actor="bench", loket="bench"):
        for first in range(0, count, SAVE_BATCH):
            site.app.save(
                *[
                    Referral(loket="bench", direction="out", partner=f"Pabo {n % 50}", reason="bench", count=1)
                    for n in range(first, min(first + SAVE_BATCH, count))
                ]
            )


class _Stamp:
    """What the chain reads of a decoded event: its timestamp."""

    def __init__(self, timestamp):
        self.timestamp = timestamp


def _feed_directly(site: Site, projection: ChainProjection) -> None:
    from datetime import datetime

    now = _Stamp(datetime.now(UTC))
    start = 0
    while True:
        page = site.app.recorder.select_notifications(start=start, limit=BATCH, inclusive_of_start=False)
        for notification in page:
            projection.process_event(now, Tracking(projection.view.tracking_name, notification.id))
        if len(page) < BATCH:
            break
        start = page[-1].id
    projection.view.flush()


if __name__ == "__main__":
    main()
