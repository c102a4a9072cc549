"""The pool's reports, hours export and urgency signals, checked against a scenario computed by hand.

The scenario (loket alpha; board A = 41234 with schools 1 and 2, board B = 45678 with school 3 and
the vo school 4 added here). The days are fixed in 2031, so that they lie ahead of the real clock
(the service refuses day-parts before ``now``'s day, and the urgency signals use the real clock)
while ``now`` passed to the service and the report decides what has passed:

    Mon M = 2031-03-31, Tue T = 2031-04-01, Wed W = 2031-04-02, Mon F = 2031-04-14
    START = Fri 2031-03-28 08:00 UTC (requests and answers), END = Fri 2031-04-04 12:00 UTC (tick)

Substitutes: Anna (po, Mon+Tue), Bram (po, Mon–Wed), "=Vera de Vries" (vo, wiskunde 1st degree,
Mon–Fri; her name tests CSV injection, as does school 4's name "+Lyceum Oost").

    req school board sector day-part  what happens                                  after the tick
    R1  1      A     po     M morning tier: Anna & Bram offered, Anna accepts        completed (Anna)
    R1  1      A     po     M aftern.                                                completed (Anna)
    R2  2      A     po     T morning tier: Anna and Bram both decline               unfilled: declined
    R3  3      B     po     T aftern. tier: Bram accepts                             completed (Bram)
    R4  3      B     po     W morning only Bram can: offered, never answers         unfilled: no-answer
    R5  1      A     po     W aftern. needs a gym licence: nobody                   unfilled: no-candidate
    R6  4      B     vo     M morning Vera accepts                                   completed (Vera)
    R7  4      B     vo     T morning Vera accepts, the school cancels her          cancelled
    R8  1      A     po     T aftern. offered to Anna, the school cancels the request cancelled
    R9  1      A     po     F morning tier, nobody answers                           open
    R9  1      A     po     F aftern.                                                open
    R10 3      B     po     F morning tier: Anna accepts                             filled (still ahead)

By hand (requested = not cancelled; fill rate = filled past / (filled past + unfilled)):
    total : requested 10, filled 5, unfilled 3 (1 no-candidate, 1 no-answer, 1 declined), open 2,
            cancelled 2, fill rate 4 / 7 = 0.5714, time to fill over 5 day-parts
    board A: 6, 2, 2 (no-candidate, declined), open 2, cancelled 1, 2 / 4 = 0.5
    board B: 4, 3, 1 (no-answer), open 0, cancelled 1, 2 / 3 = 0.6667 (R10 is ahead: not in the rate)
    school 1: 5, 2, 1 (no-candidate), open 2, cancelled 1, 2/3; school 2: 1, 0, 1 (declined), 0/1
    school 3: 3, 2, 1 (no-answer), 1/2; school 4: 1, 1, 0, cancelled 1, 1/1
    po: 9, 4, 3, open 2, cancelled 1, 3/6; vo: 1, 1, 0, cancelled 1, 1/1
    2031-03: 3, 3, 0, 3/3; 2031-04: 7, 2, 3, open 2, cancelled 2, 1/4
Hours (completed only; morning 4.0, afternoon 2.5): Anna 4.0 + 2.5 = 6.5, Bram 2.5, Vera 4.0;
board A: school 1 two day-parts 6.5; board B: school 3 one, 2.5, school 4 one, 4.0 — 6.5.
"""

from __future__ import annotations

import csv
import io
import statistics
from datetime import date, datetime, timedelta, timezone
from uuid import UUID

import pytest

from core.envelope import acting
from plugins.vervangingspool.domain import PoolMember
from tests.conftest import bearer
from tests.plugins.vervangingspool.conftest import BOARD_A, BOARD_B, SCHOOL_1, SCHOOL_2, SCHOOL_3, UTRECHT, add_member
from tests.plugins.vervangingspool.conftest import offers_to

SCHOOL_4 = "78GH00"
M, T, W, F = date(2031, 3, 31), date(2031, 4, 1), date(2031, 4, 2), date(2031, 4, 14)
START = datetime(2031, 3, 28, 8, tzinfo=timezone.utc)
END = datetime(2031, 4, 4, 12, tzinfo=timezone.utc)
REPORTS = "/api/v1/lokets/{loket}/vervangingspool/reports"


def part(day: date, which: str) -> str:
    return f"{day.isoformat()}:{which}"


def ask(pool, school: str, day_parts: list[str], sector: str = "po", **details) -> str:
    with acting(actor="cli:test", loket="alpha"):
        return pool.open_request("alpha", {"school": school, "sector": sector, "parts": day_parts, **details}, START)


def token_of(site, name: str, request_id) -> str:
    """``name``'s offer link for the request (the token starts with the request's id)."""
    (token,) = [t for t in offers_to(site, name) if t.startswith(request_id.hex)]
    return token


@pytest.fixture
def scenario(site, pool):
    """The scenario of the module docstring, up to (not including) the tick at END."""
    with acting(actor="cli:test", loket="alpha"):
        pool.set_school("alpha", {"brin": SCHOOL_4, "name": "+Lyceum Oost", "board": BOARD_B, "sector": "vo", "location": UTRECHT})
    both = ["morning", "afternoon"]
    members = {
        "Anna": add_member(pool, "Anna", availability={"mon": both, "tue": both}),
        "Bram": add_member(pool, "Bram", availability={"mon": both, "tue": both, "wed": both}),
        "Vera": add_member(pool, "=Vera de Vries", sectors=["vo"], poQualified=False, voDegrees={"wiskunde": 1}),
    }
    vo = {"sector": "vo", "subjects": ["wiskunde"]}
    # R1: offered to Anna and Bram at once; Anna takes the whole Monday.
    r1 = ask(pool, SCHOOL_1, [part(M, "morning"), part(M, "afternoon")], dispatch="tier")
    assert pool.answer("alpha", token_of(site, "Anna", r1), accept=True, now=START)["status"] == "accepted"
    # R2: both decline; nobody is left to ask.
    r2 = ask(pool, SCHOOL_2, [part(T, "morning")], dispatch="tier")
    pool.answer("alpha", token_of(site, "Anna", r2), accept=False, reason="andere afspraak", now=START)
    pool.answer("alpha", token_of(site, "Bram", r2), accept=False, reason="te ver", now=START)
    # R3: Bram takes Tuesday afternoon.
    r3 = ask(pool, SCHOOL_3, [part(T, "afternoon")], dispatch="tier")
    pool.answer("alpha", token_of(site, "Bram", r3), accept=True, now=START)
    # R4: only Bram works on Wednesdays; he never answers. R5: nobody has a gym licence.
    r4 = ask(pool, SCHOOL_3, [part(W, "morning")])
    assert len(offers_to(site, "Bram")) == 4 and token_of(site, "Bram", r4)
    r5 = ask(pool, SCHOOL_1, [part(W, "afternoon")], needs=["gymbevoegdheid"])
    # R6, R7: Vera takes both; the school cancels her Tuesday.
    r6 = ask(pool, SCHOOL_4, [part(M, "morning")], **vo)
    pool.answer("alpha", token_of(site, "=Vera de Vries", r6), accept=True, now=START)
    r7 = ask(pool, SCHOOL_4, [part(T, "morning")], **vo)
    pool.answer("alpha", token_of(site, "=Vera de Vries", r7), accept=True, now=START)
    # R8: offered to Anna only (Bram works elsewhere then); the school cancels it.
    r8 = ask(pool, SCHOOL_1, [part(T, "afternoon")], dispatch="tier")
    assert token_of(site, "Anna", r8) and not [t for t in offers_to(site, "Bram") if t.startswith(r8.hex)]
    with acting(actor="cli:test", loket="alpha"):
        pool.cancel_assignment("alpha", r7, [part(T, "morning")], by="school", reason="leerkracht is terug", now=START)
        pool.cancel_request("alpha", r8, "groep gaat op schoolreis")
    # R9: nobody answers; R10: Anna takes it.
    r9 = ask(pool, SCHOOL_1, [part(F, "morning"), part(F, "afternoon")], dispatch="tier")
    r10 = ask(pool, SCHOOL_3, [part(F, "morning")], dispatch="tier")
    pool.answer("alpha", token_of(site, "Anna", r10), accept=True, now=START)
    return {"members": members, "requests": [r1, r2, r3, r4, r5, r6, r7, r8, r9, r10]}


def row(f: dict) -> tuple:
    """(requested, filled, (no-candidate, no-answer, declined), open, awaitingClose, cancelled, fillRate)."""
    reasons = f["unfilledByReason"]
    assert f["unfilled"] == sum(reasons.values())
    assert f["requested"] == f["filled"] + f["unfilled"] + f["open"] + f["awaitingClose"]
    return (f["requested"], f["filled"], (reasons["no-candidate"], reasons["no-answer"], reasons["declined"]),
            f["open"], f["awaitingClose"], f["cancelled"], f["fillRate"])


def by(report: dict) -> dict:
    return {g["key"]: row(g) for g in report["groups"]}


def test_figures_in_total_and_per_board_school_sector_and_month(site, pool, scenario):
    from plugins.vervangingspool.reports import report

    # Before the tick: the past day-parts still open are awaiting the tick, not unfilled yet;
    # the filled ones of past days count as filled in the rate (4 / 4).
    before = report(site, "alpha", now=END)
    assert row(before["total"]) == (10, 5, (0, 0, 0), 2, 3, 2, 1.0)

    # The tick closes the past: filled → completed, open → unfilled with the reason.
    pool.tick(END)
    total = report(site, "alpha", now=END)
    assert total["today"] == "2031-04-04" and total["groups"] == []
    assert row(total["total"]) == (10, 5, (1, 1, 1), 2, 0, 2, 0.5714)
    assert total["total"]["closed"] == 7
    assert total["total"]["timeToFill"]["count"] == 5

    boards = report(site, "alpha", "board", now=END)
    assert by(boards) == {
        BOARD_A: (6, 2, (1, 0, 1), 2, 0, 1, 0.5),
        BOARD_B: (4, 3, (0, 1, 0), 0, 0, 1, 0.6667),
    }
    assert [g["name"] for g in boards["groups"]] == ["Stichting Sterk Onderwijs", "Stichting Samen Leren"]
    assert row(boards["total"]) == row(total["total"])

    schools = report(site, "alpha", "school", now=END)
    assert by(schools) == {
        SCHOOL_1: (5, 2, (1, 0, 0), 2, 0, 1, 0.6667),
        SCHOOL_2: (1, 0, (0, 0, 1), 0, 0, 0, 0.0),
        SCHOOL_3: (3, 2, (0, 1, 0), 0, 0, 0, 0.5),
        SCHOOL_4: (1, 1, (0, 0, 0), 0, 0, 1, 1.0),
    }
    assert schools["groups"][3]["name"] == "+Lyceum Oost"  # JSON: no escaping (that is for the CSV)

    assert by(report(site, "alpha", "sector", now=END)) == {
        "po": (9, 4, (1, 1, 1), 2, 0, 1, 0.5),
        "vo": (1, 1, (0, 0, 0), 0, 0, 1, 1.0),
    }
    assert by(report(site, "alpha", "month", now=END)) == {
        "2031-03": (3, 3, (0, 0, 0), 0, 0, 0, 1.0),
        "2031-04": (7, 2, (1, 1, 1), 2, 0, 2, 0.25),
    }

    # A period: Tuesday and Wednesday only (R2, R3, R4, R5 and the cancelled R7, R8).
    tue_wed = report(site, "alpha", "board", "2031-04-01", date(2031, 4, 2), now=END)
    assert (tue_wed["from"], tue_wed["to"]) == ("2031-04-01", "2031-04-02")
    assert row(tue_wed["total"]) == (4, 1, (1, 1, 1), 0, 0, 2, 0.25)
    assert by(tue_wed) == {BOARD_A: (2, 0, (1, 0, 1), 0, 0, 1, 0.0), BOARD_B: (2, 1, (0, 1, 0), 0, 0, 1, 0.5)}

    # Another loket's pool shows none of it.
    assert row(report(site, "beta", now=END)["total"]) == (0, 0, (0, 0, 0), 0, 0, 0, None)


def test_time_to_fill_median_and_p90(site, pool, scenario):
    from plugins.vervangingspool.reports import percentile, report

    # The nearest-rank percentile, by hand: of 1, 2, 3, 10, 30 the p90 is the 5th (⌈4.5⌉), p50 the 3rd.
    assert percentile([30, 1, 10, 3, 2], 90) == 30 and percentile([30, 1, 10, 3, 2], 50) == 3
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90) == 9  # ⌈9⌉ = 9th
    pool.tick(END)

    # The times are those the events were recorded at (the real clock, milliseconds apart here):
    # the expectation comes from the read model's own rows of the five filled day-parts.
    view = site.projection("vervangingspool").view
    filled = view.query("SELECT request_id, part, opened_at, filled_at FROM pool_parts WHERE loket = 'alpha' AND status IN ('filled', 'completed')")
    assert len(filled) == 5
    hours = sorted((datetime.fromisoformat(r["filled_at"]) - datetime.fromisoformat(r["opened_at"])).total_seconds() / 3600 for r in filled)
    figures = report(site, "alpha", now=END)["total"]["timeToFill"]
    assert figures == {"count": 5, "medianHours": round(statistics.median(hours), 2), "p90Hours": round(hours[4], 2)}

    # Hours that say something need hours to pass: put hand-picked times on those rows (the report's
    # only input is this table) — R1's two day-parts filled 2 h after the request, R3 26 h, R6 half
    # an hour, R10 5 h. All: 0.5, 2, 2, 5, 26 → median 2, p90 the 5th = 26.
    # Board A (R1): 2, 2 → 2 and 2. Board B (R3, R6, R10): 0.5, 5, 26 → median 5, p90 the 3rd (⌈2.7⌉) = 26.
    r1, _, r3, _, _, r6, _, _, _, r10 = [str(r) for r in scenario["requests"]]
    took = {r1: 2.0, r3: 26.0, r6: 0.5, r10: 5.0}
    opened = datetime(2031, 3, 20, 8, tzinfo=timezone.utc)
    with view.datastore.transaction(commit=True) as c:
        for request_id, h in took.items():
            c.execute("UPDATE pool_parts SET opened_at = ?, filled_at = ? WHERE request_id = ?",
                      (opened.isoformat(), (opened + timedelta(hours=h)).isoformat(), request_id))
    assert report(site, "alpha", now=END)["total"]["timeToFill"] == {"count": 5, "medianHours": 2.0, "p90Hours": 26.0}
    boards = {g["key"]: g["timeToFill"] for g in report(site, "alpha", "board", now=END)["groups"]}
    assert boards == {BOARD_A: {"count": 2, "medianHours": 2.0, "p90Hours": 2.0}, BOARD_B: {"count": 3, "medianHours": 5.0, "p90Hours": 26.0}}
    # Nothing filled: no times.
    assert report(site, "alpha", "school", now=END)["groups"][1]["timeToFill"] == {"count": 0, "medianHours": None, "p90Hours": None}


def read_csv(response) -> list[list[str]]:
    data = response.get_data()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with a byte order mark, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";", strict=True))


def test_hours_per_substitute_and_per_board_as_csv(site, pool, scenario, client, token):
    pool.tick(END)
    editor = bearer(token("alpha", "editor"))
    url = REPORTS.format(loket="alpha") + "/hours.csv?from=2031-03-01&to=2031-04-30"
    response = client.get(url, headers=editor)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "text/csv" and response.mimetype_params["charset"] == "utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="uren-alpha-substitute-2031-03-01-2031-04-30.csv"'
    assert b"\r\n" in response.get_data()
    anna, bram, vera = (scenario["members"][n] for n in ("Anna", "Bram", "Vera"))
    # Completed day-parts only (not R10, still ahead), by name; Vera's name is escaped: it starts with "=".
    # Sorted by name as shown: "=vera…" sorts before "anna".
    assert read_csv(response) == [
        ["member_id", "name", "board", "school", "date", "day_part", "hours"],
        [vera, "'=Vera de Vries", BOARD_B, SCHOOL_4, "2031-03-31", "morning", "4,00"],
        [vera, "'=Vera de Vries", "", "", "", "total", "4,00"],
        [anna, "Anna", BOARD_A, SCHOOL_1, "2031-03-31", "morning", "4,00"],
        [anna, "Anna", BOARD_A, SCHOOL_1, "2031-03-31", "afternoon", "2,50"],
        [anna, "Anna", "", "", "", "total", "6,50"],
        [bram, "Bram", BOARD_B, SCHOOL_3, "2031-04-01", "afternoon", "2,50"],
        [bram, "Bram", "", "", "", "total", "2,50"],
    ]
    # Who saw the names is in the access log: the three substitutes, seen by the editor's token.
    site.projections.catch_up()
    seen = [e for e in site.projection("access-log").view.entries("alpha") if e["what"].startswith("pool hours")]
    persons = {str(site.app.get(UUID(m), PoolMember).person_id) for m in (anna, bram, vera)}
    assert {e["person_id"] for e in seen} == persons and all(e["viewer"].startswith("token:") for e in seen)

    # Per board and school, for invoicing; the school's name is escaped too.
    by_board = read_csv(client.get(url + "&by=board", headers=editor))
    assert by_board == [
        ["board", "board_name", "school", "school_name", "day_parts", "hours"],
        [BOARD_A, "Stichting Sterk Onderwijs", SCHOOL_1, "De Regenboog", "2", "6,50"],
        [BOARD_A, "Stichting Sterk Onderwijs", "total", "", "2", "6,50"],
        [BOARD_B, "Stichting Samen Leren", SCHOOL_3, "Het Baken", "1", "2,50"],
        [BOARD_B, "Stichting Samen Leren", SCHOOL_4, "'+Lyceum Oost", "1", "4,00"],
        [BOARD_B, "Stichting Samen Leren", "total", "", "2", "6,50"],
    ]
    # A period holds the day-parts dated in it: Tuesday only → Bram.
    tuesday = read_csv(client.get(REPORTS.format(loket="alpha") + "/hours.csv?from=2031-04-01&to=2031-04-01", headers=editor))
    assert [r[1] for r in tuesday[1:]] == ["Bram", "Bram"]
    # Filled but still ahead (R10 on F) is not worked yet: the header alone.
    assert read_csv(client.get(REPORTS.format(loket="alpha") + "/hours.csv?from=2031-04-14&to=2031-04-14", headers=editor)) == [
        ["member_id", "name", "board", "school", "date", "day_part", "hours"]
    ]


def test_report_api_who_may_ask_and_what(site, pool, scenario, client, token):
    pool.tick(END)
    url = REPORTS.format(loket="alpha")
    # Coordinators: editors, admins and auditors. The API uses the real clock: the scenario lies
    # ahead of it, so only closed facts count — the same figures as at END after the tick.
    for role in ("editor", "admin", "auditor"):
        response = client.get(url + "?by=board&from=2031-03-01&to=2031-04-30", headers=bearer(token("alpha", role)))
        assert response.status_code == 200, response.get_data(as_text=True)
        assert by(response.json) == {BOARD_A: (6, 2, (1, 0, 1), 2, 0, 1, 0.5), BOARD_B: (4, 3, (0, 1, 0), 0, 0, 1, 0.6667)}
    assert row(client.get(url, headers=bearer(token("alpha", "editor"))).json["total"]) == (10, 5, (1, 1, 1), 2, 0, 2, 0.5714)
    # Nobody else: anonymous 401, a recruiter or another loket's editor 403 — as problems.
    csv_url = url + "/hours.csv?from=2031-03-01&to=2031-04-30"
    for path in (url, csv_url):
        anonymous = client.get(path)
        assert anonymous.status_code == 401 and anonymous.content_type == "application/problem+json"
        for headers in (bearer(token("alpha", "recruiter")), bearer(token("beta", "editor"))):
            refused = client.get(path, headers=headers)
            assert refused.status_code == 403 and refused.content_type == "application/problem+json"
    # Where the plugin is off, the reports are not there.
    for path in (REPORTS.format(loket="gamma"), REPORTS.format(loket="gamma") + "/hours.csv?from=2031-03-01&to=2031-04-30"):
        off = client.get(path, headers=bearer(token("gamma", "editor")))
        assert off.status_code == 404 and off.content_type == "application/problem+json"
    # Bad questions: 422 with the field.
    editor = bearer(token("alpha", "editor"))
    for query, field in (("?by=colour", "by"), ("?from=31-03-2031", "from"), ("?from=2031-04-30&to=2031-04-01", "to")):
        bad = client.get(url + query, headers=editor)
        assert bad.status_code == 422 and bad.content_type == "application/problem+json", query
        assert field in bad.get_data(as_text=True)
    for query, field in (("?from=2031-03-01", "to"), ("?from=2031-03-01&to=2031-04-30&by=school", "by")):
        bad = client.get(url + "/hours.csv" + query, headers=editor)
        assert bad.status_code == 422 and field in bad.get_data(as_text=True), query


def test_urgency_signals_on_the_loket(site, pool, scenario, client):
    pool.tick(END)
    # The real clock: the 2031 day-parts lie ahead, inside "from 90 days ago"; what is closed
    # (completed, unfilled) counts by its status, the open ones are still to come.
    signals = {s["signal"]: s for s in client.get("/api/v1/lokets/alpha").json["urgencySignals"] if s["plugin"] == "vervangingspool"}
    assert signals["open-substitution-day-parts"] == {
        "signal": "open-substitution-day-parts", "plugin": "vervangingspool", "value": 2,
        "label": "Openstaande dagdelen in de vervangingspool (vanaf vandaag)",
        "breakdown": {"board": {BOARD_A: 2, BOARD_B: 0}, "sector": {"po": 2, "vo": 0}},
        "series": {"2031-04": 2},
    }
    unfilled = signals["unfilled-substitution-day-parts"]
    assert (unfilled["value"], unfilled["breakdown"], unfilled["series"]) == (
        3, {"board": {BOARD_A: 2, BOARD_B: 1}, "sector": {"po": 3, "vo": 0}}, {"2031-03": 0, "2031-04": 3}
    )
    rate = signals["substitution-fill-rate"]  # in %: 4 / 7, A 2 / 4, B 2 / 3, po 3 / 6, vo 1 / 1; March 3 / 3, April 1 / 4
    assert (rate["value"], rate["breakdown"], rate["series"]) == (
        57.1, {"board": {BOARD_A: 50.0, BOARD_B: 66.7}, "sector": {"po": 50.0, "vo": 100.0}}, {"2031-03": 100.0, "2031-04": 25.0}
    )
    assert all(s["label"] and isinstance(s["label"], str) for s in signals.values())
    # Beta has the plugin on but an empty pool; gamma has it off: no signals of the pool at all.
    beta = {s["signal"]: s["value"] for s in client.get("/api/v1/lokets/beta").json["urgencySignals"] if s["plugin"] == "vervangingspool"}
    assert beta == {"open-substitution-day-parts": 0, "unfilled-substitution-day-parts": 0, "substitution-fill-rate": None}
    assert not [s for s in client.get("/api/v1/lokets/gamma").json["urgencySignals"] if s["plugin"] == "vervangingspool"]
