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
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datetime import UTC

from eventsourcing.persistence import Tracking

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

CONFIG = """
[store]
url = "{url}"
[[regions]]
id = "po"
name = "Regio po"
kind = "rap-po"
sector = "po"
[lokets.bench]
name = "Bench"
regions = ["po"]
"""
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


def timed(function):
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def rate(events: int, seconds: float) -> float:
    return round(events / seconds, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--store", help="a store URL (default: a SQLite file in a temporary folder)")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="loket-bench-audit-"))
    (folder / "loket.toml").write_text(CONFIG.replace("{url}", args.store or "sqlite:///data/events.sqlite"))
    site = Site.open(folder / "loket.toml")
    try:
        site.apply_config()
        created = site.app.position()
        _, create_seconds = timed(lambda: _create(site, args.events - created))
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

        print(
            json.dumps(
                {
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
            )
        )
    finally:
        if site.config.store.is_postgres:
            _drop_schema(site)
        site.close()
        shutil.rmtree(folder, ignore_errors=True)


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


def _drop_schema(site: Site) -> None:
    import psycopg

    env = site.config.store.env
    site.close()
    with psycopg.connect(
        host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"], user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"] or None,
        dbname=env["POSTGRES_DBNAME"], autocommit=True,
    ) as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{env["POSTGRES_SCHEMA"]}" CASCADE')


if __name__ == "__main__":
    main()
