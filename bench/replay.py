"""Replay figures: rebuilding every read model (search index and hash chain included) from a log of
100,000 events, with the progress the CLI shows, beside the baseline of reading and decoding the
same events in the same run; prints one JSON object.

    .venv/bin/python bench/replay.py [--events 100000]
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

from core.envelope import acting  # noqa: E402
from core.referrals.domain import Referral  # noqa: E402
from core.site import Site  # noqa: E402

CONFIG = """
[store]
url = "sqlite:///events.sqlite"
[[regions]]
id = "po"
name = "Regio po"
kind = "rap-po"
sector = "po"
[lokets.bench]
name = "Bench"
regions = ["po"]
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="loket-bench-replay-"))
    try:
        (folder / "loket.toml").write_text(CONFIG)
        site = Site.open(folder / "loket.toml")
        site.apply_config()
        with acting(actor="bench", loket="bench"):
            for start in range(0, args.events, 1000):
                site.app.save(*[Referral(loket="bench", direction="out", partner="onderwijsloket", reason="", count=1) for _ in range(min(1000, args.events - start))])
        events = site.app.position()

        start = time.perf_counter()
        decoded, position = 0, 0
        while True:
            page = site.app.recorder.select_notifications(start=position, limit=500, inclusive_of_start=False)
            for notification in page:
                site.app.mapper.to_domain_event(notification)
                decoded += 1
            if len(page) < 500:
                break
            position = page[-1].id
        baseline = time.perf_counter() - start

        reports = []
        start = time.perf_counter()
        site.projections.rebuild(progress=lambda p: reports.append(p))
        rebuild = time.perf_counter() - start
        projections = len(site.projections.projections)
        print(json.dumps({
            "events": events,
            "projections": projections,
            "rebuild_seconds": round(rebuild, 2),
            "rebuild_events_per_s": round(events / rebuild, 1),
            "rebuild_projected_events_per_s": round(events * projections / rebuild, 1),
            "baseline_scan_and_decode_events_per_s": round(decoded / baseline, 1),
            "progress_reports": len(reports),
        }, indent=2))
        site.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
