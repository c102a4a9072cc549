"""The pool's API end to end through Flask's test client: the pool, members, requests and the
substitutes' links; roles (coordinators, recruiters of their boards), tenant isolation, plugin off."""

from __future__ import annotations

from datetime import timedelta

import pytest

from plugins.vervangingspool.calendar import today
from tests.conftest import bearer
from tests.plugins.vervangingspool.conftest import offers_to, BOARD_A, BOARD_B, MONDAY, SCHOOL_1, SCHOOL_2, SCHOOL_3, ZEIST, parts, profile

BASE = "/api/v1/lokets/{}/vervangingspool"
ALPHA, BETA, GAMMA = BASE.format("alpha"), BASE.format("beta"), BASE.format("gamma")


# Helpers


def join(client, editor, name: str, boards=(BOARD_A, BOARD_B), base: str = ALPHA, **changes) -> tuple[str, str]:
    """A substitute added and approved through the API; returns their id and their own token."""
    answer = client.post(f"{base}/members", json={"name": name, "email": f"{name.lower()}@example.nl", "profile": profile(**changes)}, headers=editor)
    assert answer.status_code == 201, answer.json
    for board in boards:
        assert client.post(f"{base}/members/{answer.json['id']}/approval", json={"board": board, "approved": True}, headers=editor).status_code == 200
    return answer.json["id"], answer.json["token"]


def ask(client, headers, school=SCHOOL_1, day_parts=None, base: str = ALPHA, **details):
    return client.post(f"{base}/requests", json={"school": school, "sector": "po", "group": "groep 5", "parts": day_parts or parts("morning", "afternoon"), **details}, headers=headers)


def problem_type(answer) -> str:
    assert answer.mimetype == "application/problem+json", answer.data
    return answer.json["type"]


# The pool


def test_boards_and_schools(client, pool, editor):
    # The pool from the fixture, as the API shows it.
    boards = client.get(f"{ALPHA}/boards", headers=editor).json["items"]
    assert [(b["board"], b["active"]) for b in boards] == [(BOARD_A, True), (BOARD_B, True)]
    assert [s["brin"] for s in client.get(f"{ALPHA}/schools", headers=editor).json["items"]] == [SCHOOL_1, SCHOOL_2, SCHOOL_3]

    # A new board and one of its schools, with a preferred substitute of this pool.
    assert client.put(f"{ALPHA}/boards/40001", json={"name": "Stichting Nieuw"}, headers=editor).json == {"board": "40001", "name": "Stichting Nieuw", "active": True}
    anna, _ = join(client, editor, "Anna")
    school = client.put(f"{ALPHA}/schools/78GH00", json={"name": "De Linde", "board": "40001", "sector": "po", "location": ZEIST, "preferred": [anna]}, headers=editor)
    assert school.status_code == 200
    assert school.json["preferred"] == [anna] and school.json["name"] == "De Linde" and school.json["brin"] == "78GH00"

    # Not a member of this pool, another BRIN in the body than in the path, a board not taking part.
    stranger = "00000000-0000-0000-0000-000000000000"
    refused = client.put(f"{ALPHA}/schools/78GH00", json={"name": "De Linde", "board": "40001", "sector": "po", "excluded": [stranger]}, headers=editor)
    assert refused.status_code == 422 and refused.json["invalidParams"][0]["name"] == "excluded"
    assert client.put(f"{ALPHA}/schools/78GH00", json={"brin": "99ZZ00", "name": "X", "board": "40001", "sector": "po"}, headers=editor).status_code == 422
    assert client.put(f"{ALPHA}/schools/90JK00", json={"name": "X", "board": "49999", "sector": "po"}, headers=editor).status_code == 422
    assert client.put(f"{ALPHA}/boards/4001", json={"name": "Te kort"}, headers=editor).status_code == 422

    # The board leaves: still listed, not active; an unknown board is 404.
    assert client.delete(f"{ALPHA}/boards/40001", headers=editor).json["active"] is False
    assert client.delete(f"{ALPHA}/boards/40002", headers=editor).status_code == 404


# Members


def test_members_profile_status_approval_exceptions(client, pool, editor):
    # Added: 201, the member's own link token once; it is never shown again.
    added = client.post(f"{ALPHA}/members", json={"name": "Anna de Vries", "email": "anna@example.nl", "phone": "0612345678", "profile": profile()}, headers=editor)
    assert added.status_code == 201 and added.headers["Location"].endswith(added.json["id"])
    member_id, token = added.json["id"], added.json["token"]
    assert token.startswith(member_id.replace("-", "") + ".") and added.json["link"].endswith(f"/me?token={token}")

    # The list: the name, no contact details, no home, no token.
    listed = client.get(f"{ALPHA}/members", headers=editor)
    [item] = listed.json["items"]
    assert item["name"] == "Anna de Vries" and "email" not in item and "phone" not in item and "home" not in item["profile"]
    assert listed.json["total"] == 1 and token.split(".")[1] not in listed.get_data(as_text=True)
    assert "0612345678" not in listed.get_data(as_text=True) and "anna@example.nl" not in listed.get_data(as_text=True)

    # One member: contact details, and the version as ETag.
    one = client.get(f"{ALPHA}/members/{member_id}", headers=editor)
    assert one.json["email"] == "anna@example.nl" and one.json["phone"] == "0612345678" and one.json["profile"]["home"]
    etag = one.headers["ETag"]

    # PATCH the profile: without If-Match 428; after someone else's change 412 (with the current
    # version as ETag); with the current one 200.
    change = {"maxDistanceKm": 15, "extras": ["gymbevoegdheid"]}
    missing = client.patch(f"{ALPHA}/members/{member_id}", json=change, headers=editor)
    assert missing.status_code == 428 and problem_type(missing) == "urn:loket:problem:precondition-required"
    meanwhile = client.post(f"{ALPHA}/members/{member_id}/approval", json={"board": BOARD_B, "approved": False}, headers=editor)
    assert meanwhile.headers["ETag"] != etag
    stale = client.patch(f"{ALPHA}/members/{member_id}", json=change, headers={**editor, "If-Match": etag})
    assert stale.status_code == 412 and problem_type(stale) == "urn:loket:problem:stale-version"
    assert stale.headers["ETag"] == meanwhile.headers["ETag"]
    etag = stale.headers["ETag"]
    changed = client.patch(f"{ALPHA}/members/{member_id}", json=change, headers={**editor, "If-Match": etag})
    assert changed.status_code == 200 and changed.json["profile"]["maxDistanceKm"] == 15 and changed.json["profile"]["sectors"] == ["po"]
    assert changed.headers["ETag"] != etag
    bad = client.patch(f"{ALPHA}/members/{member_id}", json={"sectors": ["hbo"]}, headers={**editor, "If-Match": changed.headers["ETag"]})
    assert bad.status_code == 422 and bad.json["invalidParams"][0]["name"].startswith("sectors")

    # Status, approval per board, availability exceptions.
    paused = client.post(f"{ALPHA}/members/{member_id}/status", json={"status": "paused", "reason": "vakantie"}, headers=editor)
    assert paused.json["status"] == "paused"
    assert client.post(f"{ALPHA}/members/{member_id}/status", json={"status": "weg"}, headers=editor).status_code == 422
    approved = client.post(f"{ALPHA}/members/{member_id}/approval", json={"board": BOARD_A, "approved": True, "note": "gesprek gehad"}, headers=editor)
    assert approved.json["approvals"] == {BOARD_A: True, BOARD_B: False}
    assert client.post(f"{ALPHA}/members/{member_id}/approval", json={"board": "40404", "approved": True}, headers=editor).status_code == 422
    day = parts("morning")[0]
    excepted = client.put(f"{ALPHA}/members/{member_id}/exceptions", json={day: False}, headers=editor)
    assert excepted.json["exceptions"] == {day: False}
    assert client.put(f"{ALPHA}/members/{member_id}/exceptions", json={"maandag": False}, headers=editor).status_code == 422

    # Left is final.
    assert client.post(f"{ALPHA}/members/{member_id}/status", json={"status": "left"}, headers=editor).status_code == 200
    assert client.post(f"{ALPHA}/members/{member_id}/status", json={"status": "active"}, headers=editor).status_code == 409
    assert [m["status"] for m in client.get(f"{ALPHA}/members?status=left", headers=editor).json["items"]] == ["left"]
    assert client.get(f"{ALPHA}/members?status=active", headers=editor).json["items"] == []


def test_member_warnings_for_contract_vog_and_agreed_end(client, pool, editor):
    # alpha warns 60 days ahead (the default); vogDate is the day a new VOG is needed.
    now = today()
    soon, vog_due, far = now + timedelta(days=20), now + timedelta(days=10), now + timedelta(days=200)
    member_id, _ = join(client, editor, "Anna", contractEnd=soon.isoformat(), vogDate=vog_due.isoformat(), agreedEnd=far.isoformat())
    warnings = {w["kind"]: w for w in client.get(f"{ALPHA}/members/{member_id}", headers=editor).json["warnings"]}
    assert set(warnings) == {"contract-end", "vog-expiry"}
    assert warnings["contract-end"]["daysLeft"] == 20 and warnings["contract-end"]["date"] == soon.isoformat()
    assert warnings["vog-expiry"]["daysLeft"] == 10

    # A new VOG far ahead, a contract that ended: only the past contract warns.
    recent = (now - timedelta(days=30)).isoformat()
    etag = client.get(f"{ALPHA}/members/{member_id}", headers=editor).headers["ETag"]
    changed = client.patch(f"{ALPHA}/members/{member_id}", json={"vogDate": far.isoformat(), "contractEnd": recent}, headers={**editor, "If-Match": etag})
    [warning] = changed.json["warnings"]
    assert warning == {"kind": "contract-end", "date": recent, "daysLeft": -30}
    [listed] = client.get(f"{ALPHA}/members", headers=editor).json["items"]
    assert listed["warnings"] == changed.json["warnings"]


# Requests and the substitutes' links


def test_a_request_from_offer_to_filled_through_the_links(site, client, pool, editor):
    anna, _ = join(client, editor, "Anna")
    bram, _ = join(client, editor, "Bram")

    # Opened with tier dispatch: both are asked at once.
    opened = ask(client, editor, dispatch="tier")
    assert opened.status_code == 201, opened.json
    request_id = opened.json["id"]
    assert opened.headers["Location"].endswith(f"/requests/{request_id}")
    assert opened.json["status"] == "offered" and {o["memberId"] for o in opened.json["offers"]} == {anna, bram}
    [anna_link], [bram_link] = offers_to(site, "Anna"), offers_to(site, "Bram")

    # The link shows the offer: school, day-parts, until when — nothing about anyone else.
    shown = client.get(f"{ALPHA}/aanbod", query_string={"token": bram_link})
    assert shown.status_code == 200
    assert shown.json["school"] == {"brin": SCHOOL_1, "name": "De Regenboog"} and shown.json["status"] == "open"
    assert [p["part"] for p in shown.json["parts"]] == sorted(parts("morning", "afternoon"))
    text = shown.get_data(as_text=True)
    for secret in (anna, bram, "Anna", "Bram", "example.nl"):
        assert secret not in text

    # Bram accepts first; Anna's acceptance is told, clearly, that it is filled.
    accepted = client.post(f"{ALPHA}/aanbod/accept", json={"token": bram_link})
    assert accepted.status_code == 200 and accepted.json == {"status": "accepted", "parts": sorted(parts("morning", "afternoon"))}
    late = client.post(f"{ALPHA}/aanbod/accept", json={"token": anna_link})
    assert late.status_code == 409 and problem_type(late) == "urn:loket:problem:already-filled"
    assert late.json["title"].startswith("Someone else has already accepted this")
    assert client.get(f"{ALPHA}/aanbod", query_string={"token": anna_link}).json["status"] == "filled"

    # Bram's own link cannot answer twice; a forged secret is no link at all.
    again = client.post(f"{ALPHA}/aanbod/decline", json={"token": bram_link, "reason": "toch niet"})
    assert again.status_code == 409 and problem_type(again) == "urn:loket:problem:offer-closed"
    forged = client.post(f"{ALPHA}/aanbod/accept", json={"token": bram_link[:-4] + "AAAA"})
    assert forged.status_code == 422 and forged.json["invalidParams"][0]["name"] == "token"
    assert client.get(f"{ALPHA}/aanbod", query_string={"token": "nonsense-token"}).status_code == 422
    assert client.get(f"{ALPHA}/aanbod").status_code == 422

    # The request: each day-part filled by Bram; the list shows it as filled.
    state = client.get(f"{ALPHA}/requests/{request_id}", headers=editor).json
    assert state["status"] == "filled" and {(p["status"], p["memberId"]) for p in state["parts"]} == {("filled", bram)}
    assert {o["memberId"]: o["status"] for o in state["offers"]} == {bram: "accepted", anna: "superseded"}
    listed = client.get(f"{ALPHA}/requests", query_string={"status": "filled"}, headers=editor).json
    assert [r["id"] for r in listed["items"]] == [request_id] and listed["items"][0]["counts"] == {"filled": 2}
    assert client.get(f"{ALPHA}/requests", query_string={"status": "open"}, headers=editor).json["items"] == []
    assert client.get(f"{ALPHA}/requests", query_string={"status": "vol"}, headers=editor).status_code == 422


def test_declining_with_a_reason_asks_the_next(site, client, pool, editor):
    join(client, editor, "Anna")
    bram, _ = join(client, editor, "Bram", home=[52.37, 4.89], maxDistanceKm=None)  # further away: second
    request_id = ask(client, editor).json["id"]
    declined = client.post(f"{ALPHA}/aanbod/decline", json={"token": offers_to(site, "Anna")[0], "reason": "andere afspraak"})
    assert declined.json == {"status": "declined"}
    assert [o["memberId"] for o in client.get(f"{ALPHA}/requests/{request_id}", headers=editor).json["offers"] if o["status"] == "open"] == [bram]


def test_a_substitutes_own_page_offers_and_cancellation(site, client, pool, editor):
    anna, anna_token = join(client, editor, "Anna")
    request_id = ask(client, editor, group="groep 7").json["id"]

    # Their page: the open offer, nothing booked yet.
    page = client.get(f"{ALPHA}/me", query_string={"token": anna_token})
    assert page.status_code == 200 and page.json["name"] == "Anna" and page.json["schedule"] == []
    [offer] = page.json["offers"]
    assert offer["request"] == request_id and offer["school"]["name"] == "De Regenboog" and offer["group"] == "groep 7"
    assert page.json["calendar"].endswith(f"/me/schedule.ics?token={anna_token}")

    # Accepted from their page: the schedule shows school and group.
    accepted = client.post(f"{ALPHA}/me/offers/{request_id}/accept", json={"token": anna_token})
    assert accepted.status_code == 200 and accepted.json["status"] == "accepted"
    page = client.get(f"{ALPHA}/me", query_string={"token": anna_token}).json
    assert page["offers"] == []
    assert [(b["part"], b["school"]["name"], b["group"]) for b in page["schedule"]] == [
        (p, "De Regenboog", "groep 7") for p in sorted(parts("morning", "afternoon"))
    ]
    assert client.get(f"{ALPHA}/me", query_string={"token": anna_token, "from": (MONDAY + timedelta(days=1)).isoformat()}).json["schedule"] == []
    again = client.post(f"{ALPHA}/me/offers/{request_id}/accept", json={"token": anna_token})
    assert again.status_code == 409 and problem_type(again) == "urn:loket:problem:offer-closed"

    # She gives the afternoon back: it is open again (no one else to ask).
    given_back = client.post(f"{ALPHA}/me/assignments/{request_id}/cancel", json={"token": anna_token, "parts": parts("afternoon"), "reason": "tandarts"})
    assert given_back.status_code == 200 and given_back.json == {"status": "cancelled", "parts": parts("afternoon")}
    state = {p["part"]: p for p in client.get(f"{ALPHA}/requests/{request_id}", headers=editor).json["parts"]}
    assert state[parts("afternoon")[0]]["status"] == "open" and state[parts("morning")[0]]["memberId"] == anna
    refused = client.post(f"{ALPHA}/me/assignments/{request_id}/cancel", json={"token": anna_token, "parts": parts("afternoon"), "reason": "x"})
    assert refused.status_code == 422 and refused.json["invalidParams"][0]["name"] == "parts"

    # Another substitute has no offer here; a wrong token opens nothing.
    _, bram_token = join(client, editor, "Bram")
    assert client.post(f"{ALPHA}/me/offers/{request_id}/decline", json={"token": bram_token, "reason": "nee"}).status_code == 404
    assert client.get(f"{ALPHA}/me", query_string={"token": anna_token[:-3] + "xyz"}).status_code == 422
    assert client.get(f"{ALPHA}/me").status_code == 422


def test_candidates_dispatch_and_cancellations(site, client, pool, editor):
    # Nobody can take it yet: nothing is offered.
    opened = ask(client, editor, needs=["gymbevoegdheid"])
    request_id = opened.json["id"]
    assert opened.json["status"] == "open" and opened.json["offers"] == []
    assert client.get(f"{ALPHA}/requests/{request_id}/candidates", headers=editor).json["items"] == []

    # A gym teacher joins; the coordinator offers it now instead of waiting for the clock.
    gym, _ = join(client, editor, "Gijs", extras=["gymbevoegdheid"])
    [candidate] = client.get(f"{ALPHA}/requests/{request_id}/candidates", headers=editor).json["items"]
    assert candidate["memberId"] == gym and candidate["name"] == "Gijs"
    assert {r["factor"] for r in candidate["reasons"]} >= {"qualification", "availability"}
    dispatched = client.post(f"{ALPHA}/requests/{request_id}/dispatch", headers=editor)
    assert dispatched.status_code == 200 and dispatched.json["offered"] == [gym] and dispatched.json["status"] == "offered"
    assert client.post(f"{ALPHA}/requests/{request_id}/dispatch", headers=editor).json["offered"] == []  # waiting for an answer

    # Filled; the school cancels the afternoon (not needed), then the whole request.
    client.post(f"{ALPHA}/aanbod/accept", json={"token": offers_to(site, "Gijs")[0]})
    cancelled = client.post(f"{ALPHA}/requests/{request_id}/assignments/cancel", json={"parts": parts("afternoon"), "by": "school", "reason": "les vervalt"}, headers=editor)
    assert cancelled.status_code == 200
    assert {p["part"]: p["status"] for p in cancelled.json["parts"]} == {parts("morning")[0]: "filled", parts("afternoon")[0]: "cancelled"}
    assert client.post(f"{ALPHA}/requests/{request_id}/assignments/cancel", json={"parts": parts("afternoon"), "by": "school", "reason": "x"}, headers=editor).status_code == 409
    assert client.post(f"{ALPHA}/requests/{request_id}/assignments/cancel", json={"parts": parts("morning"), "by": "ouder", "reason": "x"}, headers=editor).status_code == 422
    assert client.post(f"{ALPHA}/requests/{request_id}/cancel", json={}, headers=editor).status_code == 422
    whole = client.post(f"{ALPHA}/requests/{request_id}/cancel", json={"reason": "school dicht"}, headers=editor)
    assert whole.status_code == 200 and whole.json["status"] == "cancelled"
    assert client.post(f"{ALPHA}/requests/{request_id}/cancel", json={"reason": "nog eens"}, headers=editor).status_code == 409
    assert client.get(f"{ALPHA}/requests", query_string={"status": "cancelled"}, headers=editor).json["items"][0]["cancelledReason"] == "school dicht"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"notes": "De juf is ziek; groep 5 werkt aan breuken."}, "notes"),
        ({"notes": "Vanwege een burn-out voor drie weken."}, "notes"),
        ({"parts": ["maandag:ochtend"]}, "parts"),
        ({"school": "99ZZ00"}, "school"),
    ],
)
def test_a_request_that_is_not_valid_is_refused_naming_the_field(client, pool, editor, changes, field):
    refused = ask(client, editor, **changes)
    assert refused.status_code == 422 and problem_type(refused) == "urn:loket:problem:invalid-input"
    assert field in [p["name"] for p in refused.json["invalidParams"]]


# Who may do what


def test_a_recruiter_works_for_their_own_boards_schools_only(site, client, pool, editor, recruiter):
    other = ask(client, editor, school=SCHOOL_3).json["id"]

    # Their own school: open, read, cancel. Another board's school: 403.
    own = ask(client, recruiter, school=SCHOOL_2)
    assert own.status_code == 201, own.json
    assert ask(client, recruiter, school=SCHOOL_3).status_code == 403
    assert [r["id"] for r in client.get(f"{ALPHA}/requests", headers=recruiter).json["items"]] == [own.json["id"]]
    assert client.get(f"{ALPHA}/requests/{own.json['id']}", headers=recruiter).status_code == 200
    assert client.get(f"{ALPHA}/requests/{other}", headers=recruiter).status_code == 403
    assert client.post(f"{ALPHA}/requests/{other}/cancel", json={"reason": "x"}, headers=recruiter).status_code == 403
    assert client.post(f"{ALPHA}/requests/{own.json['id']}/cancel", json={"reason": "toch niet nodig"}, headers=recruiter).status_code == 200
    assert [s["brin"] for s in client.get(f"{ALPHA}/schools", headers=recruiter).json["items"]] == [SCHOOL_1, SCHOOL_2]
    assert client.get(f"{ALPHA}/schools/{SCHOOL_1}/overview", headers=recruiter).status_code == 200
    assert client.get(f"{ALPHA}/schools/{SCHOOL_3}/overview", headers=recruiter).status_code == 403

    # The pool's members, candidates, dispatch and the pool itself are the coordinators'.
    for method, path in (
        ("get", "/members"), ("post", "/members"), ("get", f"/requests/{other}/candidates"), ("post", f"/requests/{other}/dispatch"),
        ("put", "/boards/41234"), ("put", f"/schools/{SCHOOL_1}"),
    ):
        assert getattr(client, method)(f"{ALPHA}{path}", json={}, headers=recruiter).status_code == 403, path


def test_a_recruiter_without_boards_sees_nothing(site, client, pool, editor, token):
    nobody = bearer(token("alpha", "recruiter"))
    ask(client, editor)
    assert client.get(f"{ALPHA}/requests", headers=nobody).json["items"] == []
    assert client.get(f"{ALPHA}/schools", headers=nobody).json["items"] == []
    assert ask(client, nobody).status_code == 403


ZERO = "00000000-0000-0000-0000-000000000000"
COORDINATOR_ROUTES = [
    ("get", "/boards"), ("put", "/boards/41234"), ("delete", "/boards/41234"), ("get", "/schools"), ("put", f"/schools/{SCHOOL_1}"),
    ("get", "/members"), ("post", "/members"), ("get", f"/members/{ZERO}"), ("patch", f"/members/{ZERO}"),
    ("post", f"/members/{ZERO}/status"), ("post", f"/members/{ZERO}/approval"), ("put", f"/members/{ZERO}/exceptions"),
    ("post", "/requests"), ("get", "/requests"), ("get", f"/requests/{ZERO}"), ("get", f"/requests/{ZERO}/candidates"),
    ("post", f"/requests/{ZERO}/cancel"), ("post", f"/requests/{ZERO}/assignments/cancel"), ("post", f"/requests/{ZERO}/dispatch"),
    ("get", f"/schools/{SCHOOL_1}/overview"), ("get", f"/schools/{SCHOOL_1}/overview.ics"), ("get", "/reports"),
]


def test_anonymous_gets_401_on_the_coordinators_routes(client, pool):
    for method, path in COORDINATOR_ROUTES:
        answer = getattr(client, method)(f"{ALPHA}{path}", json={})
        assert answer.status_code == 401 and problem_type(answer) == "urn:loket:problem:not-authenticated", (method, path)


def test_lokets_are_apart(site, client, pool, editor, token):
    beta_editor = bearer(token("beta", "editor"))
    anna, anna_token = join(client, editor, "Anna")
    request_id = ask(client, editor).json["id"]
    [offer] = offers_to(site, "Anna")

    # beta's token on alpha's routes: 403, whatever it asks.
    for path in ("/members", f"/members/{anna}", "/requests", f"/requests/{request_id}", "/boards", f"/schools/{SCHOOL_1}/overview"):
        assert client.get(f"{ALPHA}{path}", headers=beta_editor).status_code == 403, path
    assert ask(client, beta_editor).status_code == 403

    # alpha's ids and links under beta: as if they did not exist.
    for path in (f"/members/{anna}", f"/requests/{request_id}", f"/requests/{request_id}/candidates"):
        answer = client.get(f"{BETA}{path}", headers=beta_editor)
        assert answer.status_code == 404 and problem_type(answer) == "urn:loket:problem:not-found", path
    assert client.post(f"{BETA}/members/{anna}/status", json={"status": "paused"}, headers=beta_editor).status_code == 404
    assert client.post(f"{BETA}/requests/{request_id}/cancel", json={"reason": "weg"}, headers=beta_editor).status_code == 404
    assert client.get(f"{BETA}/aanbod", query_string={"token": offer}).status_code == 404
    assert client.post(f"{BETA}/aanbod/accept", json={"token": offer}).status_code == 404
    assert client.get(f"{BETA}/me", query_string={"token": anna_token}).status_code == 422
    assert client.get(f"{BETA}/me/schedule.ics", query_string={"token": anna_token}).status_code == 422
    assert client.get(f"{BETA}/members", headers=beta_editor).json["items"] == []
    assert client.get(f"{BETA}/requests", headers=beta_editor).json["items"] == []
    # Nothing happened to alpha's request.
    assert client.get(f"{ALPHA}/requests/{request_id}", headers=editor).json["status"] == "offered"


def test_the_plugin_switched_off_is_404(client, token):
    gamma_editor = bearer(token("gamma", "editor"))
    secrets = [("get", "/aanbod?token=abcdefghijkl"), ("post", "/aanbod/accept"), ("get", "/me?token=abcdefghijkl"), ("get", "/me/schedule.ics?token=abcdefghijkl")]
    for method, path in COORDINATOR_ROUTES + secrets:
        for headers in (gamma_editor, {}):
            answer = getattr(client, method)(f"{GAMMA}{path}", json={}, headers=headers)
            assert answer.status_code == 404 and problem_type(answer) == "urn:loket:problem:plugin-disabled", (method, path)
