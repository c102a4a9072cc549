"""Content API read figures, each beside a baseline measured in the same run; prints one JSON object
(stdout) and a readable table (stderr).

200 published pages on SQLite, then through Flask's test client (in process, no HTTP), each way for
up to ``--seconds`` (and a bounded number of requests):

- read: GET a page of 20 published pages (stored, pre-rendered JSON) vs. the baseline of a route
  that dumps the same 20 items through their marshmallow schema per request (what a read would
  cost if the work were not done at projection time; it skips Markdown rendering, so it flatters
  the baseline);
- search: a common one-word query vs. listing (no query), both through the core search endpoint.

The write path (POST vs. a bare ``Application.save``) is ``bench/write_path.py``; the rebuild is
``bench/replay.py``.

    .venv/bin/python bench/content_api.py [--seconds 2]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    LOKET_SLUG,
    config_text,
    emit,
    fmt,
    machine,
    open_site,
    ratio,
    sqlite_url,
    temporary_folder,
)

BODY = "De **leraar** staat voor de klas. " * 40
PAGES = 200


def per_second(function: Any, seconds: float, limit: int = 20000) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds and count < limit:
        function()
        count += 1
    return round(count / (time.perf_counter() - start), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per way")
    args = parser.parse_args()
    from core.content.schemas import PageSchema
    from core.envelope import acting
    from web import create_app

    with temporary_folder("loket-bench-content-") as folder:
        site = open_site(folder, config_text(sqlite_url()))
        try:
            with acting(actor="bench", loket=LOKET_SLUG):
                for n in range(PAGES):
                    saved = site.content.create("page", LOKET_SLUG, {"title": f"Leraar {n}", "body": BODY, "sectors": ["po"]})
                    site.content.publish("page", LOKET_SLUG, saved.id)
            site.projections.catch_up()
            app = create_app(site)
            schema = PageSchema()
            raw = [json.loads(row) for row in site.content_view.list_items(LOKET_SLUG, "page", public=True, limit=20)[0]]
            fields = [{k: v for k, v in item.items() if k in schema.fields} for item in raw]

            @app.get("/bench/dumped")
            def dumped() -> Any:
                # The baseline: the same 20 items, dumped through marshmallow on every request.
                return {"items": [schema.dump(f) for f in fields], "page": 1, "pageSize": 20, "total": PAGES}

            client = app.test_client()
            read = per_second(lambda: client.get(f"/api/v1/lokets/{LOKET_SLUG}/pages?pageSize=20"), args.seconds)
            read_baseline = per_second(lambda: client.get("/bench/dumped"), args.seconds)
            search = per_second(lambda: client.get(f"/api/v1/lokets/{LOKET_SLUG}/search?q=leraren"), args.seconds, limit=500)
            listing = per_second(lambda: client.get(f"/api/v1/lokets/{LOKET_SLUG}/search"), args.seconds, limit=500)
        finally:
            site.close()

    figures = {
        "benchmark": "content_api",
        "machine": machine(),
        "client": "Flask test client, in process",
        "read_list_20_per_s": read,
        "baseline_marshmallow_dump_20_per_s": read_baseline,
        "read_vs_baseline": ratio(read, read_baseline),
        "search_one_word_per_s": search,
        "baseline_search_no_query_per_s": listing,
        "search_vs_baseline": ratio(search, listing),
    }
    emit(figures, "Content API reads (requests/s, Flask test client)", [
        ("list of 20 pages | marshmallow dump of 20", fmt(read), fmt(read_baseline), fmt(figures["read_vs_baseline"])),
        ("search 'leraren' | search without a query", fmt(search), fmt(listing), fmt(figures["search_vs_baseline"])),
    ])


if __name__ == "__main__":
    main()
