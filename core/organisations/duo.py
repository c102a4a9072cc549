"""Reading DUO's open-data address files (duo.nl/open_onderwijsdata, onderwijsdata.duo.nl).

DUO publishes, monthly, the addresses of schools and school boards as CSV files, one per sector,
for example:

- po: "Adressen van alle schoolvestigingen in het basisonderwijs"
  (``03.-alle-vestigingen-basisonderwijs.csv``), "Adressen van hoofdvestigingen van scholen in het
  basisonderwijs" (``01.-hoofdvestigingen-basisonderwijs.csv``) and "Schoolbesturen basisonderwijs"
  (``05.-bevoegde-gezagen-basisonderwijs.csv``);
- vo: "Alle vestigingen vo" (``02.-alle-vestigingen-vo.csv``; on onderwijsdata.duo.nl
  ``vestigingenvo.csv``), "Hoofdvestigingen vo" (``01.-hoofdvestigingen-vo.csv``) and
  "Adressen hoofdbesturen" vo;
- mbo: the "Instellingen mbo" address file.

The layout, as DUO serves it (checked against its API's field list, api.duo.nl/v0/datasets, and
against published parsers of the files): one header line of upper-case column names, then one line
per organisation. The columns read here (any others — correspondence address, phone number, the
regional divisions such as RPA-gebied, COROP, RMC-regio — are ignored):

- BRIN number: ``BRIN NUMMER`` (older files), ``INSTELLINGSCODE`` (newer files) or ``BRIN``,
  e.g. ``16SW``;
- vestigingsnummer: ``VESTIGINGSNUMMER`` or ``VESTIGINGSCODE``, e.g. ``03`` or ``16SW03``;
- school name: ``VESTIGINGSNAAM``, else ``INSTELLINGSNAAM`` (the hoofdvestigingen files);
- board number: ``BEVOEGD GEZAG NUMMER``, 5 digits, e.g. ``77494``;
- board name (board files): ``BEVOEGD GEZAG NAAM`` or ``BESTUURSNAAM``;
- address: ``STRAATNAAM``, ``HUISNUMMER-TOEVOEGING`` (or ``HUISNUMMER``), ``POSTCODE``
  (``5831 CR``), ``PLAATSNAAM`` and ``GEMEENTENAAM`` (or ``GEMEENTE``), upper case (``BOXMEER``);
- ``DENOMINATIE`` (``Rooms-Katholiek``) and ``INTERNETADRES`` (``www.metameer.nl``).

- **Which kind.** A file with a BRIN column (or a vestiging column holding BRIN + vestiging) holds
  schools; a file with only a bevoegd-gezag number and a board name holds school boards.
- **Delimiter and encoding.** DUO's own download mirror uses ``;`` without quotes, its CKAN portal
  ``,`` with quotes: the delimiter is taken from the header line. UTF-8 (with or without BOM) is
  read as such; anything else as Windows-1252 (what spreadsheet programs save).
- **Headers** are matched without regard to case, surrounding or repeated spaces, or ``_`` for a
  space (``brin_nummer`` is ``BRIN NUMMER``).
- **Values** are stripped (DUO pads some with spaces). Place and municipality are kept as DUO
  writes them (upper case); filters compare them without regard to case.
- **BRIN** is 2 digits and 2 letters (``12AB``), upper-cased. **Vestigingsnummer** is 2 digits
  (``"0"`` becomes ``"00"``); when it is 6 characters it is BRIN + vestiging (the
  ``VESTIGINGSNUMMER`` of the vo files and the ``VESTIGINGSCODE`` of the newer files) and is split —
  its BRIN part must match the BRIN column when there is one. A file without a vestiging column
  (the hoofdvestigingen files) gives branch ``"00"``.
- **Postcode** is normalised to the form DUO and PostNL write, ``"1234 AB"`` (``1234ab`` and
  ``1234AB`` are accepted); it may be empty.
- **Sector**: given by the caller (``--sector``), else read from the file's columns (``SOORT PRIMAIR
  ONDERWIJS`` → po, ``ONDERWIJSSTRUCTUUR`` → vo, an ``MBO …`` column → mbo). A school file whose
  sector is neither given nor recognisable is refused as a whole.

A bad row is reported with its line number as in the file (the header is line 1) and the reason;
the good rows are kept.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import LoketError

SECTORS = ("po", "vo", "mbo")
SCHOOL = "school"
BOARD = "board"

BRIN = re.compile(r"^[0-9]{2}[A-Z]{2}$")
BRANCH = re.compile(r"^[0-9]{1,2}$")
BOARD_NUMBER = re.compile(r"^[0-9]{5}$")
POSTCODE = re.compile(r"^([1-9][0-9]{3}) ?([A-Z]{2})$")

#: Each field and the DUO columns it may come from, the first one present winning.
COLUMNS: dict[str, tuple[str, ...]] = {
    "brin": ("BRIN NUMMER", "INSTELLINGSCODE", "BRIN"),
    "branch": ("VESTIGINGSNUMMER", "VESTIGINGSCODE"),
    "school_name": ("VESTIGINGSNAAM", "INSTELLINGSNAAM"),
    "board_number": ("BEVOEGD GEZAG NUMMER",),
    "board_name": ("BEVOEGD GEZAG NAAM", "BESTUURSNAAM"),
    "street": ("STRAATNAAM",),
    "house_number": ("HUISNUMMER-TOEVOEGING", "HUISNUMMER"),
    "postcode": ("POSTCODE",),
    "place": ("PLAATSNAAM",),
    "municipality": ("GEMEENTENAAM", "GEMEENTE"),
    "denomination": ("DENOMINATIE",),
    "website": ("INTERNETADRES",),
}

#: Columns that tell a file's sector when the caller does not.
SECTOR_COLUMNS = (("SOORT PRIMAIR ONDERWIJS", "po"), ("ONDERWIJSSTRUCTUUR", "vo"))


@dataclass(frozen=True)
class Row:
    """One valid organisation from a file: its kind, its key (``12AB00`` or ``41234``) and the
    fields its aggregate takes (``brin``/``branch``/``number`` included)."""

    line: int
    kind: str
    key: str
    fields: dict[str, Any]


@dataclass
class Parsed:
    """A file's organisations: the valid rows, and ``(line, reason)`` for each refused one."""

    kind: str
    rows: list[Row] = field(default_factory=list)
    rejected: list[tuple[int, str]] = field(default_factory=list)


def header_key(name: str) -> str:
    """A column name as it is matched: upper case, ``_`` as space, spaces collapsed."""
    return re.sub(r"[\s_]+", " ", name.replace("\ufeff", "")).strip().upper()


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped) when it is that, else Windows-1252 (Latin-1 for its 5 holes)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")


def read_records(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header of a CSV text and its records as ``(line, {column: value})``, with line numbers
    as in the file (a value that spans lines is reported at its first).

    :raise DuoFileError: there is no header line.
    """
    first = next((line for line in text.splitlines() if line.strip()), None)
    if first is None:
        raise DuoFileError("the file is empty: expected a header line with DUO's column names")
    delimiter = max(";,\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    records: list[tuple[int, dict[str, str]]] = []
    line = 1
    for values in reader:
        start, line = line, reader.line_num + 1
        if not any(value.strip() for value in values):
            continue
        if header is None:
            header = values
            continue
        records.append((start, dict(zip(header, values))))
    return header or [], records


def parse(
    records: Iterable[Mapping[str, Any] | tuple[int, Mapping[str, Any]]],
    sector: str | None = None,
    header: list[str] | None = None,
) -> Parsed:
    """Validate DUO records (``{column: value}``, or ``(line, {column: value})`` pairs; plain
    mappings are numbered from line 2) into organisations. ``header``: the file's column names
    (default: those of the first record).

    :raise DuoFileError: the columns name neither schools nor boards, the sector is unknown, or a
        school file's sector cannot be told.
    """
    numbered = [item if isinstance(item, tuple) else (number, item) for number, item in enumerate(records, start=2)]
    if sector is not None and sector not in SECTORS:
        raise DuoFileError(f"unknown sector '{sector}': use one of {', '.join(SECTORS)}")
    columns = _columns(header if header is not None else [name for _, record in numbered[:1] for name in record])
    kind = _kind(columns)
    if sector is None:
        sector = _sector(columns)
    if kind == SCHOOL and sector is None:
        raise DuoFileError("cannot tell the sector of these schools from the columns: give the sector (po, vo or mbo)")
    parsed = Parsed(kind)
    seen: dict[str, int] = {}
    for line, record in numbered:
        values = {key: _value(record, column) for key, column in columns.items()}
        try:
            row = _school(line, values, sector) if kind == SCHOOL else _board(line, values, sector)
        except _Refused as refused:
            parsed.rejected.append((line, str(refused)))
            continue
        if row.key in seen:
            parsed.rejected.append((line, f"{_describe(row)} appears again (first on line {seen[row.key]})"))
            continue
        seen[row.key] = line
        parsed.rows.append(row)
    return parsed


def read_file(path: str | Path, sector: str | None = None) -> Parsed:
    """Read and validate the DUO file at ``path``.

    :raise DuoFileError: the file cannot be read, or its columns do not fit (naming the file).
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise DuoFileError(f"Cannot read {path}: {error.strerror or error}") from None
    try:
        header, records = read_records(decode(data))
        return parse(records, sector, header)
    except DuoFileError as error:
        raise DuoFileError(f"{path}: {error}") from None


def normalise_brin_code(code: str) -> tuple[str, str] | None:
    """``12ab00`` → ``("12AB", "00")``; None when ``code`` is not BRIN + vestigingsnummer."""
    code = code.strip().upper()
    if len(code) == 6 and BRIN.match(code[:4]) and code[4:].isdigit():
        return code[:4], code[4:]
    return None


# Helpers


def _columns(names: list[str]) -> dict[str, str]:
    """Each field that the file has a column for, and that column's name as written."""
    by_key: dict[str, str] = {}
    for name in names:
        by_key.setdefault(header_key(name), name)
    found = {}
    for field_name, candidates in COLUMNS.items():
        for candidate in candidates:
            if candidate in by_key:
                found[field_name] = by_key[candidate]
                break
    for key, name in by_key.items():
        found.setdefault(f"column:{key}", name)
    return found


def _kind(columns: dict[str, str]) -> str:
    if "brin" in columns or ("branch" in columns and "board_name" not in columns and "school_name" in columns):
        return SCHOOL
    if "board_number" in columns and "board_name" in columns:
        return BOARD
    raise DuoFileError(
        "these are not DUO's columns for schools (BRIN NUMMER or INSTELLINGSCODE, VESTIGINGSNAAM …) "
        "nor for school boards (BEVOEGD GEZAG NUMMER, BEVOEGD GEZAG NAAM …)"
    )


def _sector(columns: dict[str, str]) -> str | None:
    keys = {key.removeprefix("column:") for key in columns if key.startswith("column:")}
    for column, sector in SECTOR_COLUMNS:
        if column in keys:
            return sector
    if any(key.startswith("MBO ") for key in keys):
        return "mbo"
    return None


def _value(record: Mapping[str, Any], column: str) -> str:
    value = record.get(column)
    return " ".join(str(value).split()) if value is not None else ""


def _school(line: int, values: dict[str, str], sector: str) -> Row:
    problems = []
    brin = values.get("brin", "").upper()
    branch = values.get("branch", "").upper()
    if len(branch) == 6:  # BRIN + vestiging in one column
        if brin and branch[:4] != brin:
            problems.append(f"vestigingsnummer '{branch}' does not start with BRIN '{brin}'")
        brin = brin or branch[:4]
        branch = branch[4:]
    elif not branch and "branch" not in values:
        branch = "00"  # a file of main branches (hoofdvestigingen)
    if not BRIN.match(brin):
        problems.append(f"BRIN '{brin}' is not a BRIN number (2 digits and 2 letters, e.g. 12AB)" if brin else "the BRIN number is missing")
    if BRANCH.match(branch):
        branch = branch.zfill(2)
    else:
        problems.append(f"vestigingsnummer '{branch}' is not 2 digits (e.g. 00)" if branch else "the vestigingsnummer is missing")
    name = values.get("school_name", "")
    if not name:
        problems.append("the name (VESTIGINGSNAAM) is missing")
    board_number = values.get("board_number", "")
    if board_number and not BOARD_NUMBER.match(board_number):
        problems.append(f"bevoegd-gezag number '{board_number}' is not 5 digits")
    postcode = _postcode(values.get("postcode", ""), problems)
    if problems:
        raise _Refused("; ".join(problems))
    return Row(
        line=line,
        kind=SCHOOL,
        key=brin + branch,
        fields={
            "brin": brin,
            "branch": branch,
            "name": name,
            "board_number": board_number,
            "sector": sector,
            "denomination": values.get("denomination", ""),
            **_address(values, postcode),
        },
    )


def _board(line: int, values: dict[str, str], sector: str | None) -> Row:
    problems = []
    number = values.get("board_number", "")
    if not BOARD_NUMBER.match(number):
        problems.append(f"bevoegd-gezag number '{number}' is not 5 digits" if number else "the bevoegd-gezag number is missing")
    name = values.get("board_name", "")
    if not name:
        problems.append("the name (BEVOEGD GEZAG NAAM) is missing")
    postcode = _postcode(values.get("postcode", ""), problems)
    if problems:
        raise _Refused("; ".join(problems))
    return Row(
        line=line,
        kind=BOARD,
        key=number,
        fields={"number": number, "name": name, **_address(values, postcode), "sectors": [sector] if sector else []},
    )


def _postcode(value: str, problems: list[str]) -> str:
    if not value:
        return ""
    match = POSTCODE.match(value.upper())
    if match is None:
        problems.append(f"postcode '{value}' is not a Dutch postcode (e.g. 1234 AB)")
        return ""
    return f"{match.group(1)} {match.group(2)}"


def _address(values: dict[str, str], postcode: str) -> dict[str, str]:
    return {
        "street": values.get("street", ""),
        "house_number": values.get("house_number", ""),
        "postcode": postcode,
        "place": values.get("place", ""),
        "municipality": values.get("municipality", ""),
        "website": values.get("website", ""),
    }


def _describe(row: Row) -> str:
    if row.kind == SCHOOL:
        return f"school {row.fields['brin']} vestiging {row.fields['branch']}"
    return f"bevoegd gezag {row.key}"


class _Refused(Exception):
    """One row's reasons for being refused."""


class DuoFileError(LoketError):
    """Raised when a DUO file cannot be read, or its columns are not DUO's for schools or boards."""

    slug = "invalid-file"
