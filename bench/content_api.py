"""Content API figures, each beside a baseline measured in the same run; prints one JSON object.

- read: GET a page of 20 published pages (stored, pre-rendered JSON) vs. the baseline of a route
  that dumps the same 20 items through their marshmallow schema per request (what a read would
  cost if the work were not done at projection time; it skips Markdown rendering, so it flatters
  the baseline);
- write: POST a page through the API (validation, slug claim, save, catch-up of the read models)
  vs. the baseline of a bare ``Application.save`` of the same aggregate;
- search: a common one-word query vs. listing (no query), both through the API;
- rebuild: events replayed per second by ``projections rebuild``.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from core.content.domain import Page  # noqa: E402
from core.content.schemas import PageSchema  # noqa: E402
from core.envelope import acting  # noqa: E402
from core.site import Site  # noqa: E402
from web import create_app  # noqa: E402

CONFIG = """
[store]
url = "sqlite:///data/events.sqlite"
[[regions]]
id = "po"
name = "Regio po"
kind = "rap-po"
sector = "po"
[lokets.bench]
name = "Bench"
regions = ["po"]
"""
BODY = "De **leraar** staat voor de klas. " * 40


def per_second(function, seconds: float = 2.0, limit: int = 20000) -> float:
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds and count < limit:
        function()
        count += 1
    return round(count / (time.perf_counter() - start), 1)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="loket-bench-"))
    (folder / "loket.toml").write_text(CONFIG)
    site = Site.open(folder / "loket.toml")
    site.apply_config()
    with acting(actor="bench", loket="bench"):
        for n in range(200):
            saved = site.content.create("page", "bench", {"title": f"Leraar {n}", "body": BODY, "sectors": ["po"]})
            site.content.publish("page", "bench", saved.id)
    site.projections.catch_up()
    app = create_app(site)
    schema = PageSchema()
    raw = [json.loads(row) for row in site.content_view.list_items("bench", "page", public=True, limit=20)[0]]
    fields = [{k: v for k, v in item.items() if k in schema.fields} for item in raw]

    @app.get("/bench/dumped")
    def dumped():
        # The baseline: the same 20 items, dumped through marshmallow on every request.
        return {"items": [schema.dump(f) for f in fields], "page": 1, "pageSize": 20, "total": 200}

    client = app.test_client()
    token = None
    with acting(actor="bench"):
        token = site.identity.create_token("bench", "bench", "editor")[1]
    headers = {"Authorization": f"Bearer {token}"}

    read = per_second(lambda: client.get("/api/v1/lokets/bench/pages?pageSize=20"))
    read_baseline = per_second(lambda: client.get("/bench/dumped"))

    counter = iter(range(10**9))
    write = per_second(lambda: client.post("/api/v1/lokets/bench/pages", json={"title": f"Nieuw {next(counter)}", "body": BODY}, headers=headers), limit=400)

    def bare_save() -> None:
        with acting(actor="bench", loket="bench"):
            site.app.save(Page(loket="bench", slug=f"bare-{next(counter)}", fields={"title": "x", "body": BODY}))

    write_baseline = per_second(bare_save, limit=2000)

    search = per_second(lambda: client.get("/api/v1/lokets/bench/search?q=leraren"), limit=500)
    listing = per_second(lambda: client.get("/api/v1/lokets/bench/search"), limit=500)

    events = site.app.position()
    start = time.perf_counter()
    site.projections.rebuild()
    rebuild_seconds = time.perf_counter() - start

    print(json.dumps({
        "read_list_20_per_s": read,
        "baseline_marshmallow_dump_20_per_s": read_baseline,
        "write_post_page_per_s": write,
        "baseline_bare_save_per_s": write_baseline,
        "search_one_word_per_s": search,
        "baseline_search_no_query_per_s": listing,
        "rebuild_events": events,
        "rebuild_events_per_s": round(events * len(site.projections.projections) / rebuild_seconds, 1),
    }, indent=2))
    site.close()


if __name__ == "__main__":
    main()
