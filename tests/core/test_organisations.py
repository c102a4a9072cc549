"""Organisations: school boards and schools imported from DUO's files, linked to lokets, served by
the public API and the command line."""

import pytest

from core.envelope import acting
from core.errors import NotFoundError
from core.organisations.demo import seed_demo_organisations
from core.organisations.domain import School, SchoolBoard
from core.organisations.duo import DuoFileError
from core.organisations.service import Organisations
from tests.conftest import run_cli

# DUO's layout of "Adressen van alle schoolvestigingen in het basisonderwijs" (a few of its columns).
PO_HEADER = [
    "PROVINCIE", "BEVOEGD GEZAG NUMMER", "BRIN NUMMER", "VESTIGINGSNUMMER", "VESTIGINGSNAAM", "STRAATNAAM",
    "HUISNUMMER-TOEVOEGING", "POSTCODE", "PLAATSNAAM", "GEMEENTENAAM", "DENOMINATIE", "TELEFOONNUMMER", "INTERNETADRES",
]
PO_ROWS = [
    ["Utrecht", "41234", "12AB", "00", "Obs De Regenboog", "Kastanjelaan", "12", "3581 KE", "UTRECHT", "UTRECHT", "Openbaar", "0301234567", "www.regenboog.example"],
    ["Utrecht", "41234", "12AB", "01", "Obs De Regenboog, locatie West", "Zandweg", "210", "3544 AP", "UTRECHT", "UTRECHT", "Openbaar", "", "www.regenboog.example"],
    ["Utrecht", "41235", "13CD", "00", "Sint-Jozefschool", "Kerkstraat", "1 a", "3811CV", "AMERSFOORT", "AMERSFOORT", "Rooms-Katholiek", "", ""],
]
BOARD_HEADER = ["BEVOEGD GEZAG NUMMER", "BEVOEGD GEZAG NAAM", "STRAATNAAM", "HUISNUMMER-TOEVOEGING", "POSTCODE", "PLAATSNAAM", "GEMEENTENAAM", "INTERNETADRES"]
BOARD_ROWS = [["41234", "Stichting Openbaar Onderwijs Utrecht", "Kastanjelaan", "10", "3581 KE", "UTRECHT", "UTRECHT", "www.sou.example"]]


def write_csv(tmp_path, rows, header=PO_HEADER, delimiter=";", quoted=False, encoding="utf-8", name="scholen.csv"):
    """Write a file as DUO does: a header line, then one line per organisation."""
    def line(values):
        return delimiter.join(f'"{v}"' if quoted else v for v in values)

    path = tmp_path / name
    path.write_bytes("\r\n".join([line(header), *map(line, rows)]).encode(encoding) + b"\r\n")
    return path


def events_of(site, aggregate_id):
    return list(site.app.events.get(aggregate_id))


def test_a_duo_file_of_schools_is_imported_and_linked(site, tmp_path):
    organisations = Organisations(site.app)

    # Import DUO's file of po schools for loket alpha.
    with acting(actor="cli:test", loket="alpha"):
        report = organisations.import_file(write_csv(tmp_path, PO_ROWS), loket="alpha", sector="po")
    assert (report.kind, report.added, report.changed, report.unchanged, report.linked, report.rejected) == ("school", 3, 0, 0, 3, [])

    # Each school is an aggregate known by BRIN + vestiging, with DUO's fields (postcode normalised).
    school = site.app.get(School.create_id("13CD", "00"), School)
    assert (school.brin, school.branch, school.name, school.board_number, school.sector) == ("13CD", "00", "Sint-Jozefschool", "41235", "po")
    assert (school.street, school.house_number, school.postcode, school.place) == ("Kerkstraat", "1 a", "3811 CV", "AMERSFOORT")
    assert school.lokets == ["alpha"]

    # Its history: registered and linked, by the importer, in loket alpha; no phone number kept.
    events = events_of(site, school.id)
    assert [type(e).__name__ for e in events] == ["SchoolRegistered", "LinkedToLoket"]
    assert {(e.envelope["actor"], e.envelope["loket"]) for e in events} == {("cli:test", "alpha")}
    assert not hasattr(events[0], "phone")


@pytest.mark.parametrize(
    "delimiter, quoted, encoding",
    [(";", False, "utf-8"), (",", True, "utf-8"), (";", False, "utf-8-sig"), (",", True, "utf-8-sig")],
    ids=["semicolons", "commas-quoted", "semicolons-bom", "commas-quoted-bom"],
)
def test_both_delimiters_with_or_without_bom_read_the_same(site, tmp_path, delimiter, quoted, encoding):
    path = write_csv(tmp_path, PO_ROWS, delimiter=delimiter, quoted=quoted, encoding=encoding)
    with acting(actor="cli:test"):
        report = Organisations(site.app).import_file(path, sector="po")
    assert (report.added, report.rejected) == (3, [])
    assert site.app.get(School.create_id("12AB", "01"), School).name == "Obs De Regenboog, locatie West"


def test_a_windows_1252_file_keeps_its_accents(site, tmp_path):
    rows = [["Noord-Brabant", "41236", "14EF", "00", "Basisschool Café Noël", "Grotestraat", "1e", "5431 DH", "CUIJK", "LAND VAN CUIJK", "Rooms-Katholiek", "", ""]]
    path = write_csv(tmp_path, rows, encoding="cp1252")
    assert "é".encode("cp1252") in path.read_bytes()  # really Windows-1252, not UTF-8
    with acting(actor="cli:test"):
        Organisations(site.app).import_file(path, sector="po")
    school = site.app.get(School.create_id("14EF", "00"), School)
    assert (school.name, school.place, school.municipality) == ("Basisschool Café Noël", "CUIJK", "LAND VAN CUIJK")


def test_headers_match_without_regard_to_case_or_spaces(site, tmp_path):
    header = [" brin_nummer", "Vestigingsnummer ", "vestigingsnaam", "postcode", "plaatsnaam"]
    path = write_csv(tmp_path, [["12ab", "0", "Obs De Regenboog", "3581ke", "Utrecht"]], header=header)
    with acting(actor="cli:test"):
        report = Organisations(site.app).import_file(path, sector="po")
    assert report.added == 1
    school = site.app.get(School.create_id("12AB", "00"), School)
    assert (school.brin, school.branch, school.postcode) == ("12AB", "00", "3581 KE")


def test_a_combined_brin_and_vestiging_column_is_split(site, tmp_path):
    # The newer files (INSTELLINGSCODE, VESTIGINGSCODE) and the vo files give BRIN + vestiging in one column.
    header = ["BEVOEGD GEZAG NUMMER", "INSTELLINGSCODE", "VESTIGINGSCODE", "VESTIGINGSNAAM", "PLAATSNAAM", "ONDERWIJSSTRUCTUUR"]
    rows = [["41300", "16SW", "16SW03", "Scholengemeenschap Metaal", "BOXMEER", "VBO"], ["41300", "16SW", "17AA01", "Verkeerd", "BOXMEER", "VBO"]]
    with acting(actor="cli:test"):
        report = Organisations(site.app).import_file(write_csv(tmp_path, rows, header=header, delimiter=",", quoted=True))
    # The sector is told by the vo columns; a vestiging of another BRIN is refused.
    school = site.app.get(School.create_id("16SW", "03"), School)
    assert (school.sector, school.name) == ("vo", "Scholengemeenschap Metaal")
    assert report.rejected == [(3, "vestigingsnummer '17AA01' does not start with BRIN '16SW'")]


def test_importing_the_same_file_again_records_nothing(site, tmp_path):
    organisations = Organisations(site.app)
    path = write_csv(tmp_path, PO_ROWS)
    with acting(actor="cli:test", loket="alpha"):
        organisations.import_file(path, loket="alpha", sector="po")
        position = site.app.position()

        # The same file again, with the same loket: nothing new in the log.
        again = organisations.import_file(path, loket="alpha", sector="po")
    assert (again.added, again.changed, again.unchanged, again.linked) == (0, 0, 3, 0)
    assert site.app.position() == position


def test_a_changed_row_records_one_event_with_only_what_changed(site, tmp_path):
    organisations = Organisations(site.app)
    with acting(actor="cli:test"):
        organisations.import_file(write_csv(tmp_path, PO_ROWS), sector="po")
        position = site.app.position()

        # DUO's next file: the school moved and got a new website (written in lower case).
        changed = [row[:] for row in PO_ROWS]
        changed[0][7] = "3582ab"
        changed[0][12] = "www.obs-regenboog.example"
        report = organisations.import_file(write_csv(tmp_path, changed), sector="po")
    assert (report.added, report.changed, report.unchanged) == (0, 1, 2)
    assert site.app.position() == position + 1
    last = events_of(site, School.create_id("12AB", "00"))[-1]
    assert type(last).__name__ == "SchoolChanged"
    assert last.changes == {"postcode": "3582 AB", "website": "www.obs-regenboog.example"}


def test_bad_rows_are_reported_by_line_and_good_rows_are_kept(site, tmp_path):
    rows = [
        PO_ROWS[0],                                                                          # line 2
        ["Utrecht", "41234", "1X", "00", "Obs Het Kompas", "", "", "", "", "", "", "", ""],  # line 3
        PO_ROWS[1],                                                                          # line 4
        ["Utrecht", "41234", "15GH", "00", "", "", "", "", "", "", "", "", ""],              # line 5
        ["Utrecht", "41234", "15GH", "1A", "Obs De Linde", "", "", "3581 K", "", "", "", "", ""],  # line 6
        PO_ROWS[0],                                                                          # line 7
        PO_ROWS[2],                                                                          # line 8
    ]
    with acting(actor="cli:test"):
        report = Organisations(site.app).import_file(write_csv(tmp_path, rows), sector="po")
    assert report.added == 3
    assert report.rejected == [
        (3, "BRIN '1X' is not a BRIN number (2 digits and 2 letters, e.g. 12AB)"),
        (5, "the name (VESTIGINGSNAAM) is missing"),
        (6, "vestigingsnummer '1A' is not 2 digits (e.g. 00); postcode '3581 K' is not a Dutch postcode (e.g. 1234 AB)"),
        (7, "school 12AB vestiging 00 appears again (first on line 2)"),
    ]
    assert site.app.get(School.create_id("13CD", "00"), School).name == "Sint-Jozefschool"


def test_files_that_cannot_be_imported_are_refused_naming_the_file(site, tmp_path):
    organisations = Organisations(site.app)
    position = site.app.position()
    missing = tmp_path / "ontbreekt.csv"
    with acting(actor="cli:test"):
        with pytest.raises(DuoFileError, match=f"Cannot read {missing}: No such file or directory"):
            organisations.import_file(missing)
        not_duo = write_csv(tmp_path, [["a", "b"]], header=["NAAM", "ADRES"], name="ander.csv")
        with pytest.raises(DuoFileError, match="ander.csv: these are not DUO's columns"):
            organisations.import_file(not_duo)
        # Schools whose sector neither the caller nor the columns tell.
        with pytest.raises(DuoFileError, match="cannot tell the sector"):
            organisations.import_file(write_csv(tmp_path, PO_ROWS))
    assert site.app.position() == position


def test_school_boards_add_up_their_sectors(site, tmp_path):
    organisations = Organisations(site.app)
    with acting(actor="cli:test"):
        # "Schoolbesturen basisonderwijs", then the vo board file with the same board.
        report = organisations.import_file(write_csv(tmp_path, BOARD_ROWS, header=BOARD_HEADER), sector="po")
        assert (report.kind, report.added) == ("board", 1)
        organisations.import_file(write_csv(tmp_path, BOARD_ROWS, header=BOARD_HEADER), sector="vo")
        again = organisations.import_file(write_csv(tmp_path, BOARD_ROWS, header=BOARD_HEADER), sector="po")
    assert again.unchanged == 1
    board = site.app.get(SchoolBoard.create_id("41234"), SchoolBoard)
    assert (board.name, board.postcode, board.sectors) == ("Stichting Openbaar Onderwijs Utrecht", "3581 KE", ["po", "vo"])
    assert [(type(e).__name__, getattr(e, "changes", None)) for e in events_of(site, board.id)] == [
        ("SchoolBoardRegistered", None),
        ("SchoolBoardChanged", {"sectors": ["po", "vo"]}),
    ]


def test_organisations_are_linked_to_lokets_that_exist(site, tmp_path):
    organisations = Organisations(site.app)
    with acting(actor="cli:test"):
        organisations.import_file(write_csv(tmp_path, PO_ROWS), sector="po")
        position = site.app.position()

        # An import for an unknown loket is refused before anything is recorded.
        with pytest.raises(NotFoundError, match="no loket 'gamma'"):
            organisations.import_file(write_csv(tmp_path, PO_ROWS), loket="gamma", sector="po")
        assert site.app.position() == position

        # Link a school (its code in any case) to beta; twice is once.
        assert organisations.link("school", "12ab00", "beta") is True
        assert organisations.link("school", "12AB00", "beta") is False
        with pytest.raises(NotFoundError, match="no loket 'gamma'"):
            organisations.link("school", "12AB00", "gamma")
        with pytest.raises(NotFoundError, match="There is no school 99ZZ00"):
            organisations.link("school", "99ZZ00", "beta")
        with pytest.raises(NotFoundError, match="There is no school board 41234"):
            organisations.link("board", "41234", "beta")

        # Unlink it again.
        assert organisations.unlink("school", "12AB00", "beta") is True
        assert organisations.unlink("school", "12AB00", "beta") is False
    assert [type(e).__name__ for e in events_of(site, School.create_id("12AB", "00"))] == ["SchoolRegistered", "LinkedToLoket", "UnlinkedFromLoket"]


@pytest.fixture
def imported(site, tmp_path):
    """Alpha has the po schools and their board; beta one vo school."""
    organisations = Organisations(site.app)
    with acting(actor="cli:test"):
        organisations.import_file(write_csv(tmp_path, PO_ROWS, name="po.csv"), loket="alpha", sector="po")
        organisations.import_file(write_csv(tmp_path, BOARD_ROWS, header=BOARD_HEADER, name="besturen.csv"), loket="alpha", sector="po")
        vo = [["Overijssel", "41400", "20KL", "00", "Twents Lyceum", "Boulevard", "1945", "7511 AE", "ENSCHEDE", "ENSCHEDE", "Openbaar", "", ""]]
        organisations.import_file(write_csv(tmp_path, vo, name="vo.csv"), loket="beta", sector="vo")
    site.projections.catch_up()
    return site


def test_the_api_lists_what_is_linked_to_the_loket(imported, client):
    response = client.get("/api/v1/lokets/alpha/organisations")
    assert response.status_code == 200
    body = response.json
    assert (body["page"], body["pageSize"], body["total"]) == (1, 20, 4)
    assert [(i["kind"], i["code"], i["name"]) for i in body["items"]] == [
        ("school", "12AB00", "Obs De Regenboog"),
        ("school", "12AB01", "Obs De Regenboog, locatie West"),
        ("school", "13CD00", "Sint-Jozefschool"),
        ("board", "41234", "Stichting Openbaar Onderwijs Utrecht"),
    ]
    # camelCase, DUO's numbers, no phone number.
    school = body["items"][2]
    assert school == {
        "kind": "school", "id": school["id"], "code": "13CD00", "brin": "13CD", "branch": "00", "name": "Sint-Jozefschool",
        "boardNumber": "41235", "sector": "po", "denomination": "Rooms-Katholiek", "street": "Kerkstraat", "houseNumber": "1 a",
        "postcode": "3811 CV", "place": "AMERSFOORT", "municipality": "AMERSFOORT", "website": "",
    }
    assert body["items"][3]["sectors"] == ["po"]
    assert 'rel="first"' in response.headers["Link"]


@pytest.mark.parametrize(
    "query, codes",
    [
        ("kind=board", ["41234"]),
        ("kind=school&place=Amersfoort", ["13CD00"]),
        ("q=regenboog", ["12AB00", "12AB01"]),
        ("q=REGENBOOG%2C%20locatie", ["12AB01"]),
        ("sector=po&kind=school", ["12AB00", "12AB01", "13CD00"]),
        ("sector=vo", []),
        ("page=2&pageSize=3", ["41234"]),
    ],
)
def test_the_api_filters_and_pages(imported, client, query, codes):
    body = client.get(f"/api/v1/lokets/alpha/organisations?{query}").json
    assert [i["code"] for i in body["items"]] == codes


@pytest.mark.parametrize(
    "query, name",
    [("kind=person", "kind"), ("sector=hbo", "sector"), ("pageSize=101", "pageSize"), ("page=0", "page"), (f"q={'x' * 201}", "q")],
)
def test_bad_filters_are_422_naming_the_parameter(imported, client, query, name):
    response = client.get(f"/api/v1/lokets/alpha/organisations?{query}")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert [p["name"] for p in response.json["invalidParams"]] == [name]


def test_the_api_shows_one_linked_school_or_board(imported, client):
    school = client.get("/api/v1/lokets/alpha/organisations/12AB01")
    assert school.status_code == 200
    assert (school.json["brin"], school.json["branch"], school.json["name"]) == ("12AB", "01", "Obs De Regenboog, locatie West")
    assert client.get("/api/v1/lokets/alpha/organisations/12ab01").json["code"] == "12AB01"
    assert client.get("/api/v1/lokets/alpha/organisations/41234").json["name"] == "Stichting Openbaar Onderwijs Utrecht"
    assert client.get("/api/v1/lokets/beta/organisations").json["total"] == 1


@pytest.mark.parametrize(
    "path, slug",
    [
        ("/api/v1/lokets/alpha/organisations/20KL00", "not-found"),  # beta's school, not linked to alpha
        ("/api/v1/lokets/beta/organisations/12AB00", "not-found"),
        ("/api/v1/lokets/alpha/organisations/99ZZ00", "not-found"),
        ("/api/v1/lokets/alpha/organisations/nonsense", "not-found"),
        ("/api/v1/lokets/gamma/organisations", "not-found"),
        ("/api/v1/lokets/gamma/organisations/12AB00", "not-found"),
    ],
)
def test_what_is_not_linked_or_does_not_exist_is_404(imported, client, path, slug):
    response = client.get(path)
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    assert response.json["type"] == f"urn:loket:problem:{slug}"


def test_the_api_is_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json
    assert set(spec["paths"]["/api/v1/lokets/{loket}/organisations"]) >= {"get", "parameters"}
    assert "get" in spec["paths"]["/api/v1/lokets/{loket}/organisations/{code}"]
    assert {"School", "SchoolBoard"} <= set(spec["components"]["schemas"])


def test_a_rebuild_gives_the_same_read_model(imported):
    view = imported.projection("organisations").view
    before = view.dump()
    imported.projections.rebuild()
    assert view.dump() == before


def test_the_command_line_imports_lists_and_links(site, tmp_path):
    config = str(site.config.path)
    rows = [PO_ROWS[0], ["Utrecht", "41234", "1X", "00", "Obs Het Kompas", "", "", "", "", "", "", "", ""], PO_ROWS[2]]
    path = write_csv(tmp_path, rows)

    # An import with a bad row: status 0, the counts, then the rejected row by line.
    result = run_cli("organisations", "import", str(path), "--loket", "alpha", "--sector", "po", "--config", config)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{path}: school(s) — 2 added, 0 changed, 0 unchanged, 1 rejected.",
        "2 newly linked to alpha.",
        "1 row(s) were rejected and not imported; mend them and import the file again:",
        "line 3: BRIN '1X' is not a BRIN number (2 digits and 2 letters, e.g. 12AB)",
    ]

    # The list shows each with its lokets; link and unlink.
    listed = run_cli("organisations", "list", "--loket", "alpha", "--config", config)
    assert listed.stdout.splitlines() == [
        "school 12AB00  Obs De Regenboog (UTRECHT)  [po]  alpha",
        "school 13CD00  Sint-Jozefschool (AMERSFOORT)  [po]  alpha",
    ]
    linked = run_cli("organisations", "link", "school", "13cd00", "beta", "--config", config)
    assert linked.stdout.strip() == "School 13CD00 is now linked to beta."
    unlinked = run_cli("organisations", "unlink", "school", "12AB00", "alpha", "--config", config)
    assert unlinked.stdout.strip() == "School 12AB00 is no longer linked to alpha."
    assert run_cli("organisations", "list", "--config", config).stdout.splitlines() == [
        "school 12AB00  Obs De Regenboog (UTRECHT)  [po]  no loket",
        "school 13CD00  Sint-Jozefschool (AMERSFOORT)  [po]  alpha, beta",
    ]


def test_the_command_line_reports_an_unreadable_file_in_one_line(site, tmp_path):
    missing = tmp_path / "ontbreekt.csv"
    result = run_cli("organisations", "import", str(missing), "--sector", "po", "--config", str(site.config.path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"loket: Cannot read {missing}: No such file or directory"]
    unknown = run_cli("organisations", "link", "school", "12AB00", "gamma", "--config", str(site.config.path))
    assert unknown.returncode == 2 and unknown.stderr.strip() == "loket: There is no loket 'gamma'."


def test_the_demo_seeds_its_organisations_once(tmp_path):
    from core.demo import DEMO_CONFIG
    from core.site import Site

    site = Site.open(DEMO_CONFIG, base_dir=tmp_path)
    try:
        site.apply_config()

        # Two po boards and eight po schools for Voor de Klas, three vo boards and seven vo schools for VOTA.
        assert seed_demo_organisations(site) == 20
        assert seed_demo_organisations(site) == 0
        view = site.projection("organisations").view
        assert view.list_organisations("voordeklas", kind="school")[1] == 8
        assert view.list_organisations("vota", kind="board")[1] == 3
        assert view.list_organisations("vota", sector="po")[1] == 0
        school = site.app.get(School.create_id("99YA", "01"), School)
        assert (school.sector, school.board_number, school.lokets) == ("vo", "99101", ["vota"])
        assert {e.envelope["actor"] for e in site.app.domain_events(School.SchoolRegistered)} == {"system"}
    finally:
        site.close()


def test_without_the_demo_nothing_is_seeded(site):
    assert seed_demo_organisations(site) == 0
