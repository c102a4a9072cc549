"""Feed imports: school boards' systems send their vacancies as JSON or CSV, through the API
(``POST …/vacatures/import``) or the CLI (``loket vacatures import FILE``).

A row is a vacancy in the API's shape with the board system's own ``externalId``. The vacancy's id
follows from (loket, school board, external id), so an import is idempotent: a new row is created
and published, a known row is revised with only what differs (and published again when it was
live or expired), an unchanged row records nothing. A *full* feed of one school board also
withdraws that board's vacancies that are missing from it.

Each row is saved on its own: a row that fails (invalid, outside a recruiter's boards, changed by
an editor meanwhile) is rejected with its reasons and the others go on, so nothing that was
acknowledged is lost. The report says what happened to every row.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from uuid import UUID

from marshmallow import fields as ma_fields

from core.content.domain import CLOSED, PUBLISHED, WITHDRAWN, ApprovalRequiredError, ContentItem, NothingToPublishError
from core.content.registry import ContentType
from core.content.service import Scope, in_scope
from core.errors import ConflictError, InvalidInputError, LoketError, NotFoundError, PermissionDeniedError, StaleVersionError
from core.validation import load

from .domain import EXPIRED, vacancy_id
from .schemas import VacancySchema

TYPE = "vacancy"
WITHDRAW_REASON = "missing from full feed"
OUTCOMES = ("accepted", "changed", "unchanged", "withdrawn", "rejected")
BOARD_NUMBER = r"^[0-9]{5}$"
TRUE_WORDS = {"ja": True, "true": True, "1": True, "nee": False, "false": False, "0": False}
#: Feed-level keys of a JSON feed given as an object.
FEED_KEYS = {"vacancies", "full", "schoolBoard"}


@dataclass(frozen=True)
class FeedRow:
    """One vacancy of a feed, as sent (camelCase), with where it stood in the file."""

    number: int  # 1 for the first vacancy
    data: dict[str, Any]
    line: int | None = None  # a CSV record's first line in the file


@dataclass
class Feed:
    """A parsed feed; ``full`` and ``school_board`` are None when the file does not say."""

    rows: list[FeedRow]
    full: bool | None = None
    school_board: str | None = None


@dataclass
class Report:
    """What an import did, row by row."""

    full: bool
    school_board: str | None
    entries: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {name: [] for name in OUTCOMES})
    position: int = 0  # the log position after the import: read models that reach it show it

    def add(self, outcome: str, row: FeedRow | None, **details: Any) -> None:
        entry: dict[str, Any] = {"row": row.number if row else None}
        if row and row.line is not None:
            entry["line"] = row.line
        entry.update(details)
        self.entries[outcome].append(entry)

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(self.entries[name]) for name in OUTCOMES}

    def as_dict(self) -> dict[str, Any]:
        return {"full": self.full, "schoolBoard": self.school_board, "counts": self.counts, **self.entries, "position": self.position}


# Reading feeds


def parse_feed(content: bytes | str, fmt: str) -> Feed:
    """The rows of a feed file (``fmt`` "json" or "csv"). :raise FeedError: it cannot be read."""
    text = _decode(content)
    return parse_csv(text) if fmt == "csv" else parse_json(text)


def parse_json(text: str) -> Feed:
    """``[{…}, …]`` or ``{"vacancies": [{…}, …], "full": true, "schoolBoard": "41234"}``."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise FeedError(f"line {error.lineno}, column {error.colno}", f"not valid JSON: {error.msg}") from None
    full = school_board = None
    if isinstance(data, dict):
        unknown = sorted(set(data) - FEED_KEYS)
        if unknown:
            raise FeedError("top level", f"unknown key(s) {', '.join(unknown)}; a feed has vacancies, full and schoolBoard")
        full, school_board = data.get("full"), data.get("schoolBoard")
        if full is not None and not isinstance(full, bool):
            raise FeedError("full", "must be true or false")
        if school_board is not None and not isinstance(school_board, str):
            raise FeedError("schoolBoard", "must be text, e.g. \"41234\"")
        data = data.get("vacancies")
    if not isinstance(data, list):
        raise FeedError("top level", "expected a list of vacancies, or an object with \"vacancies\": [...]")
    rows = []
    for number, item in enumerate(data, start=1):
        if not isinstance(item, dict):
            raise FeedError(f"row {number}", f"expected a vacancy (an object), got {type(item).__name__}")
        rows.append(FeedRow(number, item))
    return Feed(rows, full, school_board)


def parse_csv(text: str) -> Feed:
    """A header row with the API's field names, then one vacancy per record: lists separated by
    ``;``, booleans ja/nee/true/false/1/0, an empty cell is a field not given."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [name.strip() for name in next(reader, [])]
        if not any(header):
            raise FeedError("line 1", "the header row with field names (externalId, schoolBoard, title, …) is missing")
        _check_header(header)
        rows = []
        first_line = reader.line_num + 1
        for cells in reader:
            line, first_line = first_line, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                raise FeedError(f"line {line}", f"{len(cells)} cells, but the header names {len(header)} fields")
            data = {name: _cell(name, cell) for name, cell in zip(header, cells) if cell.strip()}
            rows.append(FeedRow(len(rows) + 1, data, line))
    except csv.Error as error:
        raise FeedError(f"line {reader.line_num}", f"not valid CSV: {error}") from None
    return Feed(rows)


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = content[: error.start].count(b"\n") + 1
        raise FeedError(f"line {line}", "not UTF-8 text (save the file as UTF-8)") from None


_FIELDS = {f.data_key or name: f for name, f in VacancySchema().fields.items()}  # API name → field
_API_NAMES = {name: f.data_key or name for name, f in VacancySchema().fields.items()}


def _check_header(header: list[str]) -> None:
    unknown = [name for name in header if name not in _FIELDS]
    if unknown:
        raise FeedError("line 1", f"unknown column(s) {', '.join(repr(n) for n in unknown)}; use the API's field names, e.g. externalId, schoolBoard, title")
    doubles = sorted({name for name in header if header.count(name) > 1})
    if doubles:
        raise FeedError("line 1", f"column(s) named twice: {', '.join(doubles)}")


def _cell(name: str, cell: str) -> Any:
    text = cell.strip()
    kind = _FIELDS[name]
    if isinstance(kind, ma_fields.List):
        return [part.strip() for part in text.split(";") if part.strip()]
    if isinstance(kind, ma_fields.Boolean):
        return TRUE_WORDS.get(text.lower(), text)  # anything else is left for the schema to refuse
    if isinstance(kind, ma_fields.Float):
        return text.replace(",", ".")  # a Dutch spreadsheet writes 0,8
    return text


# Importing


def import_feed(
    site: Any,
    loket: str,
    rows: list[FeedRow],
    full: bool = False,
    school_board: str | None = None,
    scope: Scope = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Import ``rows`` into ``loket`` as the current actor (inside ``acting``), within ``scope``.

    :raise InvalidInputError: a full feed without a valid school board.
    :raise PermissionDeniedError: a full feed of a school board outside ``scope``.
    """
    content_type = check_feed(site, loket, full, school_board, scope)
    importer = _Importer(site, content_type, loket, full, school_board, scope)
    for row in rows:
        importer.import_row(row)
        if progress:
            progress(row.number)
    if full and school_board:
        importer.withdraw_missing()
    importer.report.position = site.app.position()
    return importer.report


def check_feed(site: Any, loket: str, full: bool, school_board: str | None, scope: Scope = None) -> ContentType:
    """What ``import_feed`` refuses as a whole, before any row: checked first by a caller that
    wants to know before it starts (the CLI's progress bar). Returns the vacancy type."""
    content_type = site.content.type_in(TYPE, loket)
    if school_board is not None and not re.match(BOARD_NUMBER, school_board):
        raise InvalidInputError("The feed is not valid.", {"schoolBoard": "give the board's DUO bevoegd-gezag number, five digits"})
    if full and not school_board:
        raise InvalidInputError("A full feed names its school board.", {"schoolBoard": "required with full=true: whose vacancies the feed holds"})
    if full and not in_scope(content_type, {"school_board": school_board}, scope):
        raise PermissionDeniedError(f"You may not manage the vacancies of school board {school_board}: a full feed of it is refused.")
    return content_type


class _Importer:
    """One import: the rows seen so far and the report."""

    def __init__(self, site: Any, content_type: ContentType, loket: str, full: bool, school_board: str | None, scope: Scope) -> None:
        self.site = site
        self.content_type = content_type
        self.loket = loket
        self.full = full
        self.school_board = school_board
        self.scope = scope
        self.report = Report(full=full, school_board=school_board)
        #: (board, external id) → the row that had it first; a full feed keeps these, even rejected ones.
        self.seen: dict[tuple[str, str], int] = {}
        self.today = date.today().isoformat()

    def import_row(self, row: FeedRow) -> None:
        data = self._with_feed_board(row.data)
        board, external_id = _text(data.get("schoolBoard")), _text(data.get("externalId"))
        ids = {"externalId": external_id, "schoolBoard": board}
        if isinstance(board, str) and isinstance(external_id, str):
            first = self.seen.setdefault((board, external_id), row.number)
            if first != row.number:
                self.report.add("rejected", row, **ids, reasons={"externalId": f"appears twice in this feed (first in row {first})"})
                return
        data = {**data, "schoolBoard": board, "externalId": external_id}
        fields, reasons = self._check(data, board, external_id)
        if reasons:
            self.report.add("rejected", row, **ids, reasons=reasons)
            return
        try:
            self._create_or_revise(row, data, fields, ids)
        except StaleVersionError:
            self.report.add("rejected", row, **ids, reasons={"row": "an editor changed this vacancy while it was imported; send the row again"})
        except InvalidInputError as error:
            self.report.add("rejected", row, **ids, reasons=error.problems or {"row": str(error)})
        except LoketError as error:
            self.report.add("rejected", row, **ids, reasons={"row": str(error)})

    def _with_feed_board(self, data: dict[str, Any]) -> dict[str, Any]:
        # The feed's school board stands in for rows that do not name one.
        if self.school_board and data.get("schoolBoard") in (None, ""):
            return {**data, "schoolBoard": self.school_board}
        return data

    def _check(self, data: dict[str, Any], board: Any, external_id: Any) -> tuple[dict[str, Any], dict[str, str]]:
        """The row's loaded fields, and why it cannot be imported (field → reason; empty when it can)."""
        reasons: dict[str, str] = {}
        try:
            fields = load(self.content_type.schema(), data, "The vacancy is not valid.")
        except InvalidInputError as error:
            reasons.update(error.problems)
            fields = {}
        if not external_id:
            reasons["externalId"] = "required in a feed: your system's own id of the vacancy"
        if not board:
            reasons["schoolBoard"] = "required in a feed (or as the feed's schoolBoard): the board's DUO bevoegd-gezag number"
        elif self.full and board != self.school_board:
            reasons["schoolBoard"] = f"this full feed is of school board {self.school_board}"
        elif fields and not in_scope(self.content_type, fields, self.scope):
            reasons["schoolBoard"] = f"you may not manage the vacancies of school board {board}"
        return fields, reasons

    def _create_or_revise(self, row: FeedRow, data: dict[str, Any], fields: dict[str, Any], ids: dict[str, Any]) -> None:
        item = self._existing(vacancy_id(self.loket, ids["schoolBoard"], ids["externalId"]))
        if item is None:
            self._create(row, data, fields, ids)
        elif item.status == WITHDRAWN:
            reason = "this vacancy was withdrawn earlier and does not come back; send it with a new externalId"
            self.report.add("rejected", row, **ids, reasons={"externalId": reason})
        else:
            self._revise(row, item, data, ids)

    def _create(self, row: FeedRow, data: dict[str, Any], fields: dict[str, Any], ids: dict[str, Any]) -> None:
        # Refused before anything is saved: a new vacancy past its last day could not be published.
        if fields.get("valid_through") and fields["valid_through"] < self.today:
            self.report.add("rejected", row, **ids, reasons={"validThrough": "the last day has passed"})
            return
        saved = self.site.content.create(TYPE, self.loket, data, self.scope)
        note = self._publish(saved.id)
        created = self.site.content.item(TYPE, self.loket, saved.id, self.scope)
        self.report.add("accepted", row, **ids, id=str(saved.id), slug=created.slug, **({"note": note} if note else {}))

    def _revise(self, row: FeedRow, item: ContentItem, data: dict[str, Any], ids: dict[str, Any]) -> None:
        data = self._keep_defaults(item, data)
        live = item.status == PUBLISHED or (item.status == CLOSED and item.outcome == EXPIRED)
        before = dict(item.fields)
        saved = self.site.content.revise(TYPE, self.loket, item.id, data, expected_version=item.version, scope=self.scope)
        if saved.version == item.version:
            self.report.add("unchanged", row, **ids, id=str(item.id))
            return
        after = self.site.content.item(TYPE, self.loket, item.id, self.scope)
        changed = sorted(_api_name(name) for name, value in after.fields.items() if before.get(name) != value)
        note = self._publish(item.id) if live else ""
        self.report.add("changed", row, **ids, id=str(item.id), slug=after.slug, fields=changed, **({"note": note} if note else {}))

    def _keep_defaults(self, item: ContentItem, data: dict[str, Any]) -> dict[str, Any]:
        # A field the loket fills in when it is not given (the last day) keeps its value when a
        # row still does not give it: otherwise every re-import would clear it.
        if self.content_type.defaults is None:
            return data
        settings = self.site.lokets.get(self.loket).settings.get(self.content_type.plugin or "", {})
        kept = dict(data)
        for name in self.content_type.defaults(settings):
            if kept.get(_api_name(name)) in (None, "") and item.fields.get(name) is not None:
                kept[_api_name(name)] = item.fields[name]
        return kept

    def _publish(self, item_id: UUID) -> str:
        """Publish the item; in a loket that asks for approval, submit it instead. Returns a note
        for the report when it is not public now."""
        try:
            self.site.content.publish(TYPE, self.loket, item_id, scope=self.scope)
            return ""
        except ApprovalRequiredError:
            try:
                self.site.content.submit(TYPE, self.loket, item_id, note="feed import", scope=self.scope)
            except ConflictError:
                pass  # already waiting for approval
            return "waiting for approval by an editor"
        except NothingToPublishError:
            return ""  # the change brought the working copy back to what is public
        except LoketError as error:
            return f"saved, not published: {error}"

    def _existing(self, item_id: UUID) -> ContentItem | None:
        try:
            return self.site.content.item(TYPE, self.loket, item_id)
        except NotFoundError:
            return None

    def withdraw_missing(self) -> None:
        """Withdraw the board's vacancies with an external id that the full feed no longer holds."""
        present = {external_id for board, external_id in self.seen if board == self.school_board}
        self.site.projections.catch_up()
        view = self.site.projection("vacatures").view
        for row in view.of_board(self.loket, self.school_board):
            if not row["external_id"] or row["external_id"] in present or row["status"] in (WITHDRAWN, CLOSED):
                continue
            self._withdraw(UUID(row["id"]), row["external_id"], present)

    def _withdraw(self, item_id: UUID, external_id: str, present: set[str]) -> None:
        try:
            item = self.site.content.item(TYPE, self.loket, item_id, self.scope)
            external_id = item.fields.get("external_id")
            # The read model may lag a concurrent write: the item itself decides.
            if item.status in (WITHDRAWN, CLOSED) or not external_id or external_id in present or item.fields.get("school_board") != self.school_board:
                return
            self.site.content.withdraw(TYPE, self.loket, item_id, expected_version=item.version, reason=WITHDRAW_REASON, scope=self.scope)
        except LoketError as error:
            self.report.add("rejected", None, externalId=external_id, schoolBoard=self.school_board, reasons={"row": f"could not be withdrawn: {error}"})
            return
        self.report.add("withdrawn", None, externalId=external_id, schoolBoard=self.school_board, id=str(item_id), slug=item.slug)


def _text(value: Any) -> str | None:
    """An id as text: a JSON number becomes its digits; empty is None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, str):
        return value.strip() or None
    return value  # not text: the schema says why


def _api_name(name: str) -> str:
    return _API_NAMES.get(name, name)


class FeedError(InvalidInputError):
    """Raised when a feed file cannot be read: broken JSON or CSV, an unknown column, a row that is no object."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"The feed cannot be read: {where}: {reason}", {"body": f"{where}: {reason}"})
        self.where = where
        self.reason = reason
