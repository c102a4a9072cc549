"""Search in PostgreSQL: full-text search with the ``dutch`` configuration, behind the same
``SearchBackend`` interface as whoosh, for installations whose events (and read models) live in
PostgreSQL and whose web nodes share no disk. Chosen with ``[search] engine = "postgres"``.

The index is one table in the store's schema, ``search_documents``, fed by the same
``SearchProjection`` as whoosh (this class offers the view methods it calls: ``upsert``, ``delete``,
``insert_tracking``). Changes are batched and written in one transaction with the projection's
tracked position (``search_tracking``), so a crash replays the batch and changes nothing.

What makes the answers the same as whoosh's where ranking is not involved:

- Accents are folded in Python before indexing and querying (conciërge = concierge), so matching
  does not depend on the ``unaccent`` extension. Where the extension can be had, highlights use a
  copy of ``dutch`` that unaccents too, so a word found through folding is marked in the original
  text (crèche for "creche"); without it, only the accents PostgreSQL's Dutch stemmer folds itself
  (ë, é, ï, ö, ü, á, í, ó, ú) are marked that way.
- Words of a query are OR'd, as whoosh's parser does here (``websearch_to_tsquery`` would AND
  them: "wiskunde engels" would find neither vacancy); "quoted text" is a phrase; AND and NOT (in
  capitals) work as in whoosh. Whoosh's stop words and words of one character are left out of a
  query, as whoosh's stop filter leaves them out.
- Dutch plurals that double a consonant (lessen, klassen) keep it in PostgreSQL's Snowball stem
  (less, klass) as in whoosh's; whoosh undoubles at index time (``UndoubleFilter``). Here the
  index keeps PostgreSQL's stems and each query stem also asks for its doubled or undoubled form
  ('les' | 'less'), which finds the same documents and lets ``ts_headline`` mark both forms.
- Facet counts by type and by sector, with ``None`` counting documents without a sector (as
  whoosh's facets do).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache
from typing import Any

from eventsourcing.persistence import PersistenceError, Tracking
from eventsourcing.postgres import PostgresDatastore, PostgresTrackingRecorder
from psycopg.sql import SQL, Composed, Identifier, Literal
from whoosh.analysis import StopFilter

from core.search import SearchBackend, SearchHit, SearchResult
from core.store import StoreSettings, datastore_settings

logger = logging.getLogger(__name__)

#: Documents per transaction while catching up (the tracked position is written with each).
COMMIT_EVERY = 500
TABLE = "search_documents"
TRACKING_TABLE = "search_tracking"
#: Documents written (by this process) after which it gathers the table's statistics itself.
ANALYZE_AFTER = 1000
#: A copy of ``dutch`` that unaccents each word first: for highlights only (see the module doc).
HEADLINE_CONFIG = "loket_dutch_unaccent"
#: Highlights: two fragments of the (escaped) body, matched words in <mark>, as whoosh gives them.
HEADLINE_OPTIONS = 'StartSel=<mark>, StopSel=</mark>, MaxFragments=2, MaxWords=20, MinWords=8, FragmentDelimiter=" … "'
TITLE_HEADLINE_OPTIONS = "StartSel=<mark>, StopSel=</mark>, HighlightAll=true"
#: Columns a search may be filtered on (``filters`` of ``search``), and how.
FILTERS = {"sector": "sector && {}::text[]", "tag": "tag && {}::text[]", "type": "type = ANY({})", "slug": "slug = ANY({})"}
#: Whoosh's tokenizer (``RegexTokenizer``): the words of a query.
WORD = re.compile(r"\w+(?:\.?\w+)*")
QUERY_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')
OPERATORS = ("AND", "OR", "NOT")
#: A lexeme in PostgreSQL's text form of a tsquery: quoted, '' and \\ escaped.
LEXEME = re.compile(r"'((?:[^'\\]|''|\\.)*)'")
VOWELS = "aeiou"
#: Whoosh's stop words (its Dutch list has English ones too: and, the, with…), left out of queries
#: as whoosh leaves them out; PostgreSQL's own Dutch ones it leaves out itself. Words of one
#: character are left out as well, as whoosh's stop filter does.
STOP_WORDS = StopFilter(lang="nl").stops


def fold(text: str) -> str:
    """``text`` without accents (NFKD, combining marks dropped): conciërge → concierge."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def stem_variants(stem: str) -> list[str]:
    """The stems whoosh's ``UndoubleFilter`` takes for one: ``les`` and ``less``, ``klas`` and ``klass``.

    Whoosh drops the last letter of a stem longer than three that ends in a doubled non-vowel; a
    query stem therefore meets every stem that undoubles to what it undoubles to.
    """
    undoubled = stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] and stem[-1] not in VOWELS else stem
    if len(undoubled) >= 3 and undoubled[-1] not in VOWELS:
        return [undoubled, undoubled + undoubled[-1]]
    return [undoubled]


def _quote_lexeme(lexeme: str) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def expand_tsquery(text: str) -> str:
    """A tsquery (PostgreSQL's text form) with each lexeme replaced by the group of its variants."""

    def expand(match: re.Match[str]) -> str:
        lexeme = re.sub(r"\\(.)", r"\1", match.group(1).replace("''", "'"))
        variants = [_quote_lexeme(v) for v in stem_variants(lexeme)]
        return variants[0] if len(variants) == 1 else "(" + " | ".join(variants) + ")"

    return LEXEME.sub(expand, text)


def _escaped(column: str) -> str:
    """SQL: ``column`` as HTML text, so that the only markup ``ts_headline`` leaves is its <mark>."""
    return f"replace(replace(replace({column}, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


class PostgresSearchIndex(PostgresTrackingRecorder, SearchBackend):
    """The search table in the store's schema: the search projection's view and the search backend
    in one (as ``WhooshIndex`` is)."""

    def __init__(self, store: StoreSettings, tracking_name: str = "search") -> None:
        datastore = PostgresDatastore(
            **datastore_settings(store),
            # One connection kept; more while requests search at once (threads of one web node).
            pool_size=1,
            max_overflow=7,
        )
        super().__init__(datastore, tracking_table_name=TRACKING_TABLE)
        self.tracking_name = tracking_name
        self.schema = Identifier(datastore.schema)
        self.table = SQL("{}.{}").format(self.schema, Identifier(TABLE))
        self.sql_create_statements += [
            SQL(
                "CREATE TABLE IF NOT EXISTS {table} ("
                "id text PRIMARY KEY, loket text NOT NULL, type text NOT NULL, slug text NOT NULL DEFAULT '', "
                "title text NOT NULL DEFAULT '', body text NOT NULL DEFAULT '', "
                "sector text[] NOT NULL DEFAULT '{{}}', tag text[] NOT NULL DEFAULT '{{}}', "
                # The log position of the event that last wrote the document.
                "position bigint NOT NULL DEFAULT 0, "
                # Computed from the accent-folded title and body (Python folds them; see fold()),
                # which a generated column could not do.
                "document tsvector NOT NULL)"
            ).format(table=self.table),
            SQL("CREATE INDEX IF NOT EXISTS {name} ON {table} USING GIN (document)").format(
                name=Identifier(f"{TABLE}_document"), table=self.table
            ),
            SQL("CREATE INDEX IF NOT EXISTS {name} ON {table} (loket, type)").format(
                name=Identifier(f"{TABLE}_loket_type"), table=self.table
            ),
        ]
        self.create_table()
        self.headline_config = self._headline_config()
        # The batch, by document id (None: delete); each id's last change wins.
        self._batch: dict[str, dict[str, Any] | None] = {}
        self._unpositioned: list[str] = []
        self._position: int | None = None  # the tracked position not yet written
        self._written = 0  # documents written since the last ANALYZE by this process
        self._stems = lru_cache(maxsize=2048)(self._query_uncached)

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(SQL("SELECT pg_advisory_xact_lock(hashtext('loket-create-schema'))"))
            curs.execute(SQL("CREATE SCHEMA IF NOT EXISTS {0}").format(self.schema))
        super().create_table()

    def _create_table(self, curs: Any) -> None:
        # Processes starting at once would otherwise race on CREATE … IF NOT EXISTS.
        curs.execute(SQL("SELECT pg_advisory_xact_lock(hashtext('loket-create-tables'))"))
        super()._create_table(curs)

    def _headline_config(self) -> str:
        """The configuration highlights parse the text with: ``dutch`` with unaccent where the
        extension can be had (created here if this role may), else ``dutch``."""
        schema = self.datastore.schema
        find = SQL("SELECT 1 FROM pg_ts_config c JOIN pg_namespace n ON n.oid = c.cfgnamespace WHERE n.nspname = %s AND c.cfgname = %s")
        name = SQL("{}.{}").format(self.schema, Identifier(HEADLINE_CONFIG))
        try:
            with self.datastore.transaction(commit=True) as curs:
                if not curs.execute(find, (schema, HEADLINE_CONFIG)).fetchone():
                    curs.execute(SQL("SELECT pg_advisory_xact_lock(hashtext('loket-create-tables'))"))
                    # In public, not in this schema: an extension exists once per database, and
                    # dropping the schema that held it would take every other schema's copy along.
                    curs.execute(SQL("CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public"))
                    # Where an administrator put the extension, if not in public.
                    dictionary = curs.execute(
                        SQL("SELECT n.nspname FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace WHERE d.dictname = 'unaccent'")
                    ).fetchone()
                    if not curs.execute(find, (schema, HEADLINE_CONFIG)).fetchone() and dictionary:
                        curs.execute(SQL("CREATE TEXT SEARCH CONFIGURATION {} (COPY = pg_catalog.dutch)").format(name))
                        curs.execute(
                            SQL(
                                "ALTER TEXT SEARCH CONFIGURATION {} ALTER MAPPING FOR word, hword, hword_part "
                                "WITH {}.unaccent, pg_catalog.dutch_stem"
                            ).format(name, Identifier(dictionary["nspname"]))
                        )
                return name.as_string(curs)
        except PersistenceError as error:  # no unaccent on this server, or this role may not create it
            logger.warning("search highlights without unaccent (%s): only Dutch's own accents are folded in them", error)
            return "pg_catalog.dutch"

    # The view side (used by the search projection only)

    def upsert(self, document: dict[str, Any]) -> None:
        self._batch[document["id"]] = dict(document)
        self._unpositioned.append(document["id"])

    def delete(self, document_id: str) -> None:
        self._batch[document_id] = None

    def insert_tracking(self, tracking: Tracking) -> None:
        for document_id in self._unpositioned:
            document = self._batch.get(document_id)
            if document is not None:
                document["position"] = tracking.notification_id
        self._unpositioned = []
        self._position = tracking.notification_id
        if len(self._batch) >= COMMIT_EVERY:
            self.flush()

    def max_tracking_id(self, application_name: str) -> int | None:
        if application_name == self.tracking_name and self._position is not None:
            return self._position
        return super().max_tracking_id(application_name)

    def position(self) -> int:
        return self.max_tracking_id(self.tracking_name) or 0

    def record_position(self, notification_id: int) -> None:
        if notification_id > self.position():
            self._position = notification_id
            self.flush()

    def flush(self) -> None:
        """Write the batch and the tracked position in one transaction.

        Writers of one schema take turns (an advisory lock); one that finds the stored position at
        or past its own drops its batch: another process has applied the same events already.
        """
        if not self._batch and self._position is None:
            return
        deletes = sorted(i for i, d in self._batch.items() if d is None)
        # In id order, so that two writers lock rows in the same order.
        upserts = [self._row(d) for _, d in sorted(self._batch.items()) if d is not None]
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(SQL("SELECT pg_advisory_xact_lock(hashtext(%s))"), (f"loket-search:{self.datastore.schema}:{self.tracking_name}",))
            stored = self._max_tracking_id(self.tracking_name, curs) or 0
            if self._position is None or self._position > stored:
                if deletes:
                    curs.execute(SQL("DELETE FROM {} WHERE id = ANY(%s)").format(self.table), (deletes,))
                if upserts:
                    curs.executemany(self._upsert_statement(), upserts)
                if self._position is not None:
                    self._insert_tracking(curs, Tracking(self.tracking_name, self._position))
            else:
                logger.info("search batch up to %d dropped: another process has already written up to %d", self._position, stored)
        self._written += len(upserts) + len(deletes)
        self._batch = {}
        self._unpositioned = []
        self._position = None
        if self._written >= ANALYZE_AFTER:
            self._analyze()

    def _analyze(self) -> None:
        """Gather the planner's statistics of the table: after a rebuild or a large import,
        autovacuum may not have done so yet, and without them the planner reads every document of
        a loket through the (loket, type) index instead of the full-text index (25 ms instead of
        2.4 ms for a top 20 of 10,000 documents, bench/search.py)."""
        with self.datastore.get_connection() as conn:
            conn.execute(SQL("ANALYZE {}").format(self.table))
        self._written = 0

    def _row(self, document: dict[str, Any]) -> dict[str, Any]:
        """The projection's document (whoosh-shaped: comma-separated sectors and tags) as a row."""
        title, body = str(document.get("title") or ""), str(document.get("body") or "")
        return {
            "id": document["id"],
            "loket": document["loket"],
            "type": document["type"],
            "slug": document.get("slug") or "",
            "title": title,
            "body": body,
            "sector": _keywords(document.get("sector")),
            # Whoosh lowercases tags (and not the filter's values): the same here.
            "tag": [t.lower() for t in _keywords(document.get("tag"))],
            "position": document.get("position") or 0,
            "title_folded": fold(title),
            "body_folded": fold(body),
        }

    def _upsert_statement(self) -> Composed:
        columns = ("id", "loket", "type", "slug", "title", "body", "sector", "tag", "position")
        return SQL(
            "INSERT INTO {table} ({columns}, document) VALUES ({values}, "
            "setweight(to_tsvector('pg_catalog.dutch', %(title_folded)s), 'A') || "
            "setweight(to_tsvector('pg_catalog.dutch', %(body_folded)s), 'B')) "
            "ON CONFLICT (id) DO UPDATE SET {updates}, document = excluded.document"
        ).format(
            table=self.table,
            columns=SQL(", ").join(Identifier(c) for c in columns),
            values=SQL(", ").join(SQL("%({})s").format(SQL(c)) for c in columns),
            updates=SQL(", ").join(SQL("{0} = excluded.{0}").format(Identifier(c)) for c in columns[1:]),
        )

    def drop(self) -> None:
        """Empty the index and forget its position (for a rebuild)."""
        self._batch = {}
        self._unpositioned = []
        self._position = None
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(SQL("SELECT pg_advisory_xact_lock(hashtext(%s))"), (f"loket-search:{self.datastore.schema}:{self.tracking_name}",))
            curs.execute(SQL("TRUNCATE {}").format(self.table))
            curs.execute(
                SQL("DELETE FROM {}.{} WHERE application_name = %s").format(self.schema, Identifier(TRACKING_TABLE)),
                (self.tracking_name,),
            )

    def dump(self) -> list[dict[str, Any]]:
        """Every document, sorted by id: for comparing a rebuild with the live index."""
        statement = SQL("SELECT id, loket, type, slug, title, body, sector, tag, position, document::text AS document FROM {} ORDER BY id")
        return [dict(row) for row in self._read(statement.format(self.table), {})]

    def close(self) -> None:
        try:
            self.flush()
        finally:
            self.datastore.close()

    # The backend side

    def tsquery(self, text: str) -> str | None:
        """The query for ``text`` in PostgreSQL's text form: "" when it has no word to look for,
        None when ``text`` is empty (everything)."""
        if not text.strip():
            return None
        return self._stems(text)

    def _query_uncached(self, text: str) -> str:
        # Whoosh's query language, as far as it goes here: words (OR'd), "phrases", and the
        # operators AND (binds before the implicit OR) and NOT, in capitals.
        groups: list[list[Composed]] = []
        joiner, negate = "", False
        for phrase, chunk in QUERY_PART.findall(fold(text)):
            terms: list[Composed] = []
            if phrase.strip():
                terms.append(SQL("phraseto_tsquery('pg_catalog.dutch', {})").format(Literal(phrase)))
            elif chunk in OPERATORS:
                joiner, negate = (chunk if chunk == "AND" else joiner), (negate or chunk == "NOT")
                continue
            else:
                words = [w for w in WORD.findall(chunk) if len(w) > 1 and w.lower() not in STOP_WORDS]
                terms += [SQL("plainto_tsquery('pg_catalog.dutch', {})").format(Literal(w)) for w in words]
            for term in terms:
                term = SQL("(!! {})").format(term) if negate else term
                if joiner == "AND" and groups:
                    groups[-1].append(term)
                else:
                    groups.append([term])
                joiner, negate = "", False
        if not groups:
            return ""
        expression = SQL(" || ").join(SQL("({})").format(SQL(" && ").join(group)) for group in groups)
        return expand_tsquery(self._read(SQL("SELECT ({})::text AS query").format(expression), {})[0]["query"])

    def _conditions(self, loket: str, types: list[str], filters: dict[str, list[str]] | None, query: str | None) -> tuple[Composed, dict[str, Any]]:
        where = [SQL("loket = %(loket)s"), SQL("type = ANY(%(types)s)")]
        params: dict[str, Any] = {"loket": loket, "types": list(types), "q": query}
        for name, values in (filters or {}).items():
            if name not in FILTERS:
                raise ValueError(f"cannot filter on {name!r}; use one of {', '.join(FILTERS)}")
            where.append(SQL(FILTERS[name].format(f"%(filter_{name})s")))
            params[f"filter_{name}"] = list(values)
        if query is not None:
            where.append(SQL("document @@ %(q)s::tsquery"))
        return SQL(" AND ").join(where), params

    def search(
        self,
        loket: str,
        text: str,
        types: list[str],
        filters: dict[str, list[str]] | None = None,
        page: int = 1,
        page_size: int = 20,
    ) -> SearchResult:
        query = self.tsquery(text)
        if not types or query == "":
            return SearchResult([], 0, {"type": {}, "sector": {}})
        where, params = self._conditions(loket, types, filters, query)
        if query:
            rank = SQL("ts_rank_cd(document, %(q)s::tsquery)")
            # Body fragments when a word is marked in them, else the title when one is marked in
            # it, else nothing: as whoosh does ("leraar NOT klas" matches a body without "klas",
            # but marks nothing there).
            marked = SQL(
                "CROSS JOIN LATERAL (SELECT"
                " ts_headline(%(config)s::regconfig, " + _escaped("d.body") + ", %(q)s::tsquery, %(body_options)s) AS body,"
                " ts_headline(%(config)s::regconfig, " + _escaped("d.title") + ", %(q)s::tsquery, %(title_options)s) AS title"
                ") AS h"
            )
            highlights = SQL(
                "CASE WHEN strpos(h.body, '<mark>') > 0 THEN h.body WHEN strpos(h.title, '<mark>') > 0 THEN h.title ELSE '' END"
            )
        else:
            rank, marked, highlights = SQL("0::real"), SQL(""), SQL("''")
        # One round trip: the matches once, then their page, count and facet counts.
        statement = SQL(
            "WITH matched AS MATERIALIZED ("
            "  SELECT id, type, sector, position, {rank} AS rank FROM {table} WHERE {where}"
            "), page AS ("
            "  SELECT id, rank, position FROM matched ORDER BY rank DESC, position, id LIMIT %(limit)s OFFSET %(offset)s"
            ") SELECT"
            " (SELECT count(*) FROM matched) AS total,"
            " (SELECT coalesce(json_agg(json_build_array(type, n)), '[]') FROM"
            "   (SELECT type, count(*) AS n FROM matched GROUP BY type) AS t) AS types,"
            # A document without a sector counts under None, as in whoosh's facets.
            " (SELECT coalesce(json_agg(json_build_array(s, n)), '[]') FROM"
            "   (SELECT s, count(*) AS n FROM matched LEFT JOIN LATERAL unnest(sector) AS s ON true GROUP BY s) AS t) AS sectors,"
            " (SELECT coalesce(json_agg(json_build_array(d.id, d.type, d.slug, d.title, {highlights}, p.rank)"
            "   ORDER BY p.rank DESC, p.position, p.id), '[]') FROM page AS p JOIN {table} AS d ON d.id = p.id {marked}) AS hits"
        ).format(rank=rank, table=self.table, where=where, highlights=highlights, marked=marked)
        params.update(
            limit=page_size,
            offset=(page - 1) * page_size,
            config=self.headline_config,
            body_options=HEADLINE_OPTIONS,
            title_options=TITLE_HEADLINE_OPTIONS,
        )
        row = self._read(statement, params)[0]
        hits = [
            SearchHit(id=i, type=t, slug=slug, title=title, highlights=marked, score=round(float(score), 4))
            for i, t, slug, title, marked, score in row["hits"]
        ]
        facets = {"type": {t: n for t, n in row["types"]}, "sector": {s: n for s, n in row["sectors"]}}
        return SearchResult(hits=hits, total=row["total"], facets=facets)

    def ranked_ids(self, loket: str, text: str, types: list[str], limit: int) -> list[str]:
        query = self.tsquery(text)
        if not query or not types:
            return []
        where, params = self._conditions(loket, types, None, query)
        statement = SQL(
            "SELECT id FROM {table} WHERE {where} ORDER BY ts_rank_cd(document, %(q)s::tsquery) DESC, position, id LIMIT %(limit)s"
        ).format(table=self.table, where=where)
        return [row["id"] for row in self._read(statement, {**params, "limit": limit})]

    def _read(self, statement: Composed, params: dict[str, Any]) -> list[Any]:
        # One statement on an autocommit connection: no BEGIN and ROLLBACK round trips around it.
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            return curs.execute(statement, params).fetchall()


def _keywords(value: Any) -> list[str]:
    """Whoosh's comma-separated keywords (or a list) as a list, empty ones left out."""
    items = value if isinstance(value, list) else str(value or "").split(",")
    return [item.strip() for item in items if item and item.strip()]

