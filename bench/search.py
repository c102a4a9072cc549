"""Search figures at 10,000 and 50,000 vacancies, for the whoosh and the PostgreSQL engine: p50/p95 of
20 Dutch queries through the API, each beside the bare engine query on the same documents and a bare
SQLite FTS5 query of the same documents, measured in the same run; prints one JSON object (stdout)
and a readable table (stderr, with the progress).

The vacancies are the demo's generator (``plugins/vacatures/demo.py``) with a fixed seed, published,
saved directly (``site.app.save`` in batches), then projected; the smaller size is built first and
grown to the larger one. The events are in one store (a fresh PostgreSQL schema when the postgres
engine is measured, else SQLite); two configurations over it share the data folder and the read
models and differ only in ``[search] engine``, so both engines index the same documents. Per size
and query, one way after the other (nothing runs at the same time):

- API: ``GET /api/v1/lokets/bench/search?q=<query>&type=vacancy`` (the core search endpoint: a page
  of 20 with highlights, the total and facet counts) against the Loket app under waitress in its own
  process, ``--requests`` times from one keep-alive client;
- backend: ``site.search.search(...)`` in process (the same call without HTTP and Flask);
- bare engine, the same work without Loket: whoosh — a searcher of the same index, the same parsed
  query, filter, page, facets and highlights; PostgreSQL — the very statement
  ``PostgresSearchIndex.search`` sends (captured), run on a psycopg connection of its own; and for
  context the engine's top 20 ids alone (no total, facets or highlights);
- FTS5: the same titles and bodies (as the engine stores them) in a bare SQLite FTS5 table
  (``unicode61 remove_diacritics 2``; no Dutch stemmer, so it matches fewer), each word of the
  query quoted and OR'd as the engines OR them: the top 20 by ``bm25`` (title weighted 2) with a
  ``snippet`` each, and the count;
- vacancy list: ``GET …/vacatures/vacancies?q=<query>`` once uncached (the first request per query;
  repeats are answered from the list's cache) beside the backend's ``ranked_ids`` (up to 5,000 ids,
  what the list asks for).

The in-process ways (backend, bare engine, FTS5) run in two child processes, fresh interpreters as
the API server is, so that none carries the heap of the process that built the data; they are
asked query by query between the API's requests, so that every way meets the same load of the
machine (FTS5 is therefore measured once per engine). Targets: API p95 ≤ 1.5 × bare engine p95; PostgreSQL engine p95 ≤ 2 × FTS5 p95 at 50,000.
Every loop is bounded: ``--requests`` per query and way within ``--query-seconds`` (at least one);
a request slower than ``--timeout`` counts as that long, and the server is restarted after it.

    .venv/bin/python bench/search.py [--docs 10000,50000] [--engines whoosh,postgres] [--requests 20]
        [--query-seconds 30] [--timeout 60] [--keep] [--analyze]

On PostgreSQL the planner's statistics of the search table are as the catch-up and autovacuum left
them (the JSON says when they were last gathered); ``--analyze`` gathers them first.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    LOKET_SLUG,
    Child,
    api_server,
    build_vacancies,
    catch_up,
    config_text,
    emit,
    fmt,
    get,
    load,
    machine,
    open_site,
    pg_connect,
    postgres_available,
    postgres_schema,
    postgres_statistics,
    progress,
    ratio,
    repeat,
    serve_questions,
    sqlite_url,
    summary,
    target,
    temporary_folder,
    timed,
    verdict,
)

#: Broad and narrow, po and vo, stems and compounds, places: what people type.
QUERIES = (
    "wiskunde", "wiskundedocent", "leraar", "leerkracht", "lessen", "klassen", "leerlingen", "groep 8",
    "zij-instroom", "onderwijsassistent", "conciërge", "engels", "natuurkunde", "vervanging", "invalpool",
    "enschede", "amersfoort", "bewegingsonderwijs", "intern begeleider", "eerstegraads",
)
SEARCH_PATH = f"/api/v1/lokets/{LOKET_SLUG}/search"
LIST_PATH = f"/api/v1/lokets/{LOKET_SLUG}/vacatures/vacancies"
WORD = re.compile(r"\w+")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="10000,50000", help="sizes (vacancies), comma-separated, built in turn")
    parser.add_argument("--engines", default="whoosh,postgres", help="engines, comma-separated: whoosh, postgres")
    parser.add_argument("--requests", type=int, default=20, help="requests (and calls) per query and way")
    parser.add_argument("--query-seconds", type=float, default=30, help="time budget per query and way (at least one)")
    parser.add_argument("--timeout", type=float, default=60, help="a request slower than this counts as this, and as a timeout")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder (not the PostgreSQL schema)")
    parser.add_argument("--analyze", action="store_true", help="ANALYZE the schema's tables before measuring (default: as autovacuum left them)")
    parser.add_argument("--child", choices=("engine", "fts5"), help=argparse.SUPPRESS)
    parser.add_argument("--config", help=argparse.SUPPRESS)
    parser.add_argument("--fts", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args)
        return
    sizes = sorted(int(size) for size in args.docs.split(","))
    engines = [engine.strip() for engine in args.engines.split(",") if engine.strip()]
    figures: dict[str, Any] = {"benchmark": "search", "machine": machine(), "queries": list(QUERIES), "requests_per_query_at_most": args.requests}
    if "postgres" in engines and (reason := postgres_available()):
        figures["postgres_skipped"] = reason
        engines.remove("postgres")
    with temporary_folder("loket-bench-search-", keep=args.keep) as folder:
        if "postgres" in engines:
            with postgres_schema("bench_search") as url:
                figures["sizes"] = run(folder, url, sizes, engines, args)
        else:
            figures["sizes"] = run(folder, sqlite_url(), sizes, engines, args)
    figures["store"] = "postgresql" if "postgres" in engines else "sqlite"
    emit(figures, "Search: API vs bare engine vs FTS5 (ms, all requests of the 20 queries)", rows(figures))


def run(folder: Path, url: str, sizes: list[int], engines: list[str], args: argparse.Namespace) -> dict[str, Any]:
    sites = {engine: open_site(folder, config_text(url, vacancies=True, engine=engine), f"{engine}.toml", apply=engine == engines[0]) for engine in engines}
    results: dict[str, Any] = {}
    built = 0
    try:
        for size in sizes:
            progress(f"== {size} vacancies: building …")
            build_seconds = build_vacancies(sites[engines[0]], size, built)
            built = size
            catch_ups = {engine: catch_up(site, f"the read models ({engine})") for engine, site in sites.items()}
            documents = [(d["title"], d["body"]) for d in sites[engines[0]].search_index.dump() if d["type"] == "vacancy"]
            assert len(documents) == size, (len(documents), size)
            fts_path = folder / f"fts-{size}.sqlite"
            _, fts_seconds = timed(lambda documents=documents, fts_path=fts_path: fts5_table(fts_path, documents).close())
            del documents  # the FTS5 table and the engines hold them now
            result: dict[str, Any] = {
                "vacancies": size,
                "build_seconds": round(build_seconds, 1),
                "catch_up": catch_ups,
                "fts5_build_seconds": round(fts_seconds, 1),
            }
            if "postgres" in sites:
                result["postgres_statistics"] = postgres_statistics(url, args.analyze)["search_documents"]
            for engine in sites:
                progress(f"  {engine} …")
                result[engine] = measure_engine(engine, folder, fts_path, size, args)
            results[str(size)] = result
    finally:
        for site in sites.values():
            site.close()
    return results


def fts5_table(path: Path, documents: list[tuple[str, str]]) -> sqlite3.Connection:
    """The baseline's index: the same titles and bodies in a bare FTS5 table."""
    path.unlink(missing_ok=True)
    fts = sqlite3.connect(path, check_same_thread=False)
    fts.execute("CREATE VIRTUAL TABLE vacancies USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')")
    fts.executemany("INSERT INTO vacancies (title, body) VALUES (?, ?)", documents)
    fts.commit()
    return fts


def fts5_match(text: str) -> str:
    """Each word of ``text`` quoted (FTS5 syntax), OR'd; words of one character left out, as the engines do."""
    return " OR ".join(f'"{word}"' for word in WORD.findall(text) if len(word) > 1)


def child_args(args: argparse.Namespace) -> list[str]:
    return ["--requests", str(args.requests), "--query-seconds", str(args.query_seconds)]


def child(args: argparse.Namespace) -> None:
    """A child process (a fresh interpreter, as the API server is, so that it carries none of the
    builder's heap) that measures the in-process ways of each query it is given on stdin."""
    serve_questions(fts5_measurer(Path(args.fts), args) if args.child == "fts5" else engine_measurer(Path(args.config), args))


def fts5_measurer(path: Path, args: argparse.Namespace) -> Any:
    fts = sqlite3.connect(path)

    def measure(text: str) -> dict[str, Any]:
        match = fts5_match(text)

        def query() -> int:
            fts.execute(
                "SELECT rowid, title, snippet(vacancies, 1, '<mark>', '</mark>', ' … ', 16) FROM vacancies "
                "WHERE vacancies MATCH ? ORDER BY bm25(vacancies, 2.0, 1.0) LIMIT 20", (match,)
            ).fetchall()
            return fts.execute("SELECT count(*) FROM vacancies WHERE vacancies MATCH ?", (match,)).fetchone()[0]

        return {"matches": query(), "fts5": repeat(query, args.requests, args.query_seconds)}

    return measure


def engine_measurer(config: Path, args: argparse.Namespace) -> Any:
    """Per query: the backend's search, the bare engine (the same work), the engine's top 20 ids
    alone and the backend's ``ranked_ids`` of up to 5,000 (the vacancy list's), in milliseconds."""
    from core.site import Site
    from plugins.vacatures.listing import MAX_TEXT_MATCHES

    site = Site.open(config)
    bare, top20, prepare = bare_whoosh(site) if site.config.search_engine == "whoosh" else bare_postgres(site)
    site.search.search(LOKET_SLUG, "leraar", ["vacancy"])  # the searcher opened: not measured

    def measure(text: str) -> dict[str, Any]:
        backend = repeat(lambda: site.search.search(LOKET_SLUG, text, ["vacancy"]), args.requests, args.query_seconds)
        ranked = repeat(lambda: site.search.ranked_ids(LOKET_SLUG, text, ["vacancy"], MAX_TEXT_MATCHES), args.requests, args.query_seconds)
        prepare(text)  # PostgreSQL: the backend's statements captured (not measured)
        return {
            "matches": site.search.search(LOKET_SLUG, text, ["vacancy"]).total,
            "backend": backend,
            "bare": repeat(lambda: bare(text), args.requests, args.query_seconds),
            "top20": repeat(lambda: top20(text), args.requests, args.query_seconds),
            "ranked": ranked,
        }

    return measure


def measure_engine(engine: str, folder: Path, fts_path: Path, size: int, args: argparse.Namespace) -> dict[str, Any]:
    """Query by query, one way after the other: through the API (a server process), then in
    process and FTS5 (two child processes), so that all ways meet the same load of the machine."""
    api_all, backend_all, bare_all, top20_all, first_all, cached_all, ranked_all, fts_all = [], [], [], [], [], [], [], []
    per_query: dict[str, Any] = {}
    timeouts = 0
    config = folder / f"{engine}.toml"
    with (
        api_server(config, folder, name=f"api-{engine}-{size}") as api,
        Child([__file__, "--child", "engine", "--config", str(config), *child_args(args)]) as local,
        Child([__file__, "--child", "fts5", "--fts", str(fts_path), *child_args(args)]) as fts,
    ):
        get(api.port, f"{SEARCH_PATH}?q=leraar&type=vacancy")  # the server's searcher opened: not measured
        for text in QUERIES:
            run = load([api.port], f"{SEARCH_PATH}?q={quote(text)}&type=vacancy", args.requests, 1, args.timeout, budget=args.query_seconds)
            if run["timeouts"]:
                api.restart()
            listed = load([api.port], f"{LIST_PATH}?q={quote(text)}", min(args.requests, 5), 1, args.timeout, budget=args.query_seconds)
            if listed["timeouts"]:
                api.restart()
            timeouts += run["timeouts"] + listed["timeouts"]
            mine = local.ask(text)
            bare = fts.ask(text)
            api_all += run["latencies_ms"]
            backend_all += mine["backend"]
            bare_all += mine["bare"]
            top20_all += mine["top20"]
            ranked_all += mine["ranked"]
            fts_all += bare["fts5"]
            first_all.append(listed["latencies_ms"][0])
            cached_all += listed["latencies_ms"][1:]
            per_query[text] = {
                "matches": mine["matches"],
                "fts5_matches": bare["matches"],
                "api_p50_ms": run["p50_ms"],
                "backend_p50_ms": summary(mine["backend"])["p50_ms"],
                "bare_p50_ms": summary(mine["bare"])["p50_ms"],
                "fts5_p50_ms": summary(bare["fts5"])["p50_ms"],
                "list_first_ms": round(listed["latencies_ms"][0], 2),
            }
            q = per_query[text]
            progress(f"    {text!r}: api {q['api_p50_ms']} ms, backend {q['backend_p50_ms']}, bare {q['bare_p50_ms']}, fts5 {q['fts5_p50_ms']} "
                     f"({q['matches']} | fts5 {q['fts5_matches']} matches); list first {q['list_first_ms']} ms")
        memory = api.memory()
    api_s, bare_s, fts_s = summary(api_all), summary(bare_all), summary(fts_all)
    return {
        "api": {**api_s, "timeouts": timeouts},
        "backend": summary(backend_all),
        "bare_engine": bare_s,
        "bare_engine_top20_ids_only": summary(top20_all),
        "fts5": fts_s,
        "api_vs_bare_p95": target(ratio(api_s["p95_ms"], bare_s["p95_ms"]), 1.5, at_least=False),
        "api_vs_bare_p50": ratio(api_s["p50_ms"], bare_s["p50_ms"]),
        "bare_vs_fts5_p95": target(ratio(bare_s["p95_ms"], fts_s["p95_ms"]), 2, at_least=False) if engine == "postgres" and size >= 50_000 else ratio(bare_s["p95_ms"], fts_s["p95_ms"]),
        "api_vs_fts5_p95": ratio(api_s["p95_ms"], fts_s["p95_ms"]),
        "vacancy_list": {
            "api_first_uncached": summary(first_all),
            "api_repeats_cached": summary(cached_all),
            "backend_ranked_ids_5000": summary(ranked_all),
        },
        "api_server_memory": memory,
        "per_query": per_query,
    }


def bare_whoosh(site: Any) -> tuple[Any, Any, Any]:
    """The whoosh searcher the backend holds (the same open index and caches), without Loket's
    wrapper: the same work as the backend's ``search`` (query, filter, page of 20, total, facets,
    highlights), and the top 20 ids alone. (A searcher of its own would hold a second copy of the
    index's caches in the same process, which slows both at 50,000 documents.)"""
    from whoosh import sorting
    from whoosh.highlight import ContextFragmenter, HtmlFormatter
    from whoosh.qparser import MultifieldParser, OrGroup
    from whoosh.query import And, Or, Term

    ix = site.search_index.index
    searcher = site.search_index._searcher  # nothing writes while this runs: it stays the backend's
    parser = MultifieldParser(["title", "body"], ix.schema, group=OrGroup.factory(0.9))
    condition = And([Term("loket", LOKET_SLUG), Or([Term("type", "vacancy")])])
    facets = {"type": sorting.FieldFacet("type"), "sector": sorting.FieldFacet("sector", allow_overlap=True)}

    def search(text: str) -> int:
        results = searcher.search_page(parser.parse(text), 1, pagelen=20, filter=condition, groupedby=facets, maptype=sorting.Count)
        results.results.fragmenter = ContextFragmenter(maxchars=240, surround=60)
        results.results.formatter = HtmlFormatter(tagname="mark", between=" … ")
        [(hit["id"], hit["title"], hit.highlights("body", top=2) or hit.highlights("title")) for hit in results]
        {name: dict(results.results.groups(name)) for name in facets}
        return results.total

    def top20(text: str) -> list[str]:
        return [hit["id"] for hit in searcher.search(parser.parse(text), limit=20, filter=condition)]

    return search, top20, lambda text: None


def bare_postgres(site: Any) -> tuple[Any, Any, Any]:
    """The statements ``PostgresSearchIndex`` sends for a search (and for its top 20 ids), captured
    once per query (``prepare``, not measured), then run on a psycopg connection of this
    benchmark's own."""
    index = site.search_index
    conn = pg_connect(site.config.store.url)
    statements: dict[tuple[str, str], Any] = {}

    def captured(kind: str, text: str) -> Any:
        if (kind, text) not in statements:
            seen = []
            original = index._read

            def spy(statement: Any, params: dict[str, Any]) -> Any:
                seen.append((statement, dict(params)))
                return original(statement, params)

            index._read = spy
            try:
                if kind == "search":
                    index.search(LOKET_SLUG, text, ["vacancy"])
                else:
                    index.ranked_ids(LOKET_SLUG, text, ["vacancy"], 20)
            finally:
                del index._read
            statements[(kind, text)] = seen[-1]
        return statements[(kind, text)]

    def prepare(text: str) -> None:
        captured("search", text)
        captured("top20", text)

    def search(text: str) -> Any:
        statement, params = statements[("search", text)]
        return conn.execute(statement, params).fetchall()

    def top20(text: str) -> Any:
        statement, params = statements[("top20", text)]
        return conn.execute(statement, params).fetchall()

    return search, top20, prepare


def rows(figures: dict[str, Any]) -> list[Any]:
    table: list[Any] = []
    if "postgres_skipped" in figures:
        table.append(f"postgres engine skipped: {figures['postgres_skipped']}")
    for size, result in figures["sizes"].items():
        for engine in ("whoosh", "postgres"):
            if engine not in result:
                continue
            data = result[engine]
            fts = data["fts5"]
            api, bare = data["api"], data["bare_engine"]
            listed = data["vacancy_list"]
            table += [
                f"{engine}, {int(size):,} vacancies ({api['n']} API requests, {api['timeouts']} timeouts)",
                ("API p50 | bare engine p50", fmt(api["p50_ms"], "ms"), fmt(bare["p50_ms"], "ms"), fmt(data["api_vs_bare_p50"])),
                ("API p95 | bare engine p95", fmt(api["p95_ms"], "ms"), fmt(bare["p95_ms"], "ms"), verdict(data["api_vs_bare_p95"])),
                ("  backend in process p50 / p95", f"{fmt(data['backend']['p50_ms'])} / {fmt(data['backend']['p95_ms'], 'ms')}", "", ""),
                ("  engine top 20 ids only p50 / p95", f"{fmt(data['bare_engine_top20_ids_only']['p50_ms'])} / {fmt(data['bare_engine_top20_ids_only']['p95_ms'], 'ms')}", "", ""),
                ("bare engine p95 | FTS5 p95", fmt(bare["p95_ms"], "ms"), fmt(fts["p95_ms"], "ms"),
                 verdict(data["bare_vs_fts5_p95"]) if isinstance(data["bare_vs_fts5_p95"], dict) else fmt(data["bare_vs_fts5_p95"])),
                ("API p95 | FTS5 p95", fmt(api["p95_ms"], "ms"), fmt(fts["p95_ms"], "ms"), fmt(data["api_vs_fts5_p95"])),
                ("vacancy list, first request p50 / p95", f"{fmt(listed['api_first_uncached']['p50_ms'])} / {fmt(listed['api_first_uncached']['p95_ms'], 'ms')}",
                 f"{fmt(listed['backend_ranked_ids_5000']['p50_ms'])} / {fmt(listed['backend_ranked_ids_5000']['p95_ms'], 'ms')}", "(baseline: ranked_ids 5000)"),
                ("vacancy list, cached repeats p50", fmt(listed["api_repeats_cached"]["p50_ms"], "ms"), "", ""),
                ("API server VmRSS / VmHWM", f"{fmt(data['api_server_memory'].get('vmrss_mb'))} / {fmt(data['api_server_memory'].get('vmhwm_mb'), 'MB')}", "", ""),
            ]
    return table


if __name__ == "__main__":
    main()
