"""Matching (qualification, availability, exclusions, preference order), dispatch with time-out,
split requests, accept/decline, cancellations — on the real store."""

from __future__ import annotations

import threading
from datetime import timedelta
from uuid import UUID

import pytest

from core.envelope import acting
from tests.plugins.vervangingspool.conftest import (
    offers_to,
    BOARD_A, BOARD_B, MONDAY, NOW, SCHOOL_1, SCHOOL_3, ZEIST, add_member, parts,
)


def accept_at_once(pool, tokens: list[str]) -> list[str]:
    """Every token accepted by its own thread, released together; the sorted outcomes."""
    from plugins.vervangingspool.domain import AlreadyFilledError

    barrier = threading.Barrier(len(tokens))
    outcomes: list[str] = []

    def accept(token: str) -> None:
        barrier.wait()
        try:
            outcomes.append(pool.answer("alpha", token, accept=True, now=NOW)["status"])
        except AlreadyFilledError:
            outcomes.append("already filled")

    threads = [threading.Thread(target=accept, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def open_request(pool, school=SCHOOL_1, day_parts=None, now=NOW, **details):
    data = {"school": school, "sector": "po", "group": "groep 5", "parts": day_parts or parts("morning", "afternoon"), **details}
    with acting(actor="cli:test", loket="alpha"):
        return pool.open_request("alpha", data, now)


def ranked(pool, request_id):
    return [c.member_id for c in pool.candidates("alpha", request_id)]


def test_ranking_by_qualification_availability_and_distance(site, pool):
    qualified = add_member(pool, "Anna Bevoegd")
    unqualified = add_member(pool, "Bram Onbevoegd", poQualified=False)
    far = add_member(pool, "Cor Ver", home=[52.37, 4.89], maxDistanceKm=None)  # Amsterdam
    mornings = add_member(pool, "Dirk Ochtend", availability={"mon": ["morning"]})
    request_id = open_request(pool)
    order = ranked(pool, request_id)
    assert order == [qualified, far, mornings, unqualified]
    reasons = {c.member_id: c for c in pool.candidates("alpha", request_id)}
    assert reasons[mornings].parts == parts("morning")
    assert {r["factor"] for r in reasons[qualified].reasons} == {"qualification", "availability", "distance"}
    assert reasons[unqualified].reasons[0]["text"] == "niet (volledig) bevoegd voor deze vraag"


def test_excluded_unapproved_paused_and_unavailable_never_appear(site, pool):
    fine = add_member(pool, "Anna")
    excluded_by_member = add_member(pool, "Bea", excludedSchools=[SCHOOL_1])
    not_approved = add_member(pool, "Carla", boards=(BOARD_B,))
    paused = add_member(pool, "Daan")
    weekend_only = add_member(pool, "Eva", availability={})
    too_far = add_member(pool, "Fleur", home=[52.37, 4.89], maxDistanceKm=10)
    no_gym = add_member(pool, "Gijs")
    with acting(actor="cli:test", loket="alpha"):
        pool.change_status("alpha", UUID(paused), "paused", "vakantie")
        excluded_by_school = add_member(pool, "Hans")
        pool.set_school("alpha", {"brin": SCHOOL_1, "name": "De Regenboog", "board": BOARD_A, "sector": "po", "location": ZEIST, "excluded": [excluded_by_school]})
    assert sorted(ranked(pool, open_request(pool))) == sorted([fine, no_gym])  # equal: by id
    gym = add_member(pool, "Ilse", extras=["gymbevoegdheid"])
    assert ranked(pool, open_request(pool, needs=["gymbevoegdheid"])) == [gym]
    for member in (excluded_by_member, not_approved, weekend_only, too_far):
        assert member not in ranked(pool, open_request(pool))


def test_the_schools_preferred_list_and_continuity_come_first(site, pool):
    a, b, c = add_member(pool, "Anna"), add_member(pool, "Bram"), add_member(pool, "Cor")
    with acting(actor="cli:test", loket="alpha"):
        pool.set_school("alpha", {"brin": SCHOOL_1, "name": "De Regenboog", "board": BOARD_A, "sector": "po", "location": ZEIST, "preferred": [c, b]})
    assert ranked(pool, open_request(pool)) == [c, b, a]
    # Anna worked groep 5 at this school before: continuity lifts her above the second preference.
    first = open_request(pool, school=SCHOOL_1, day_parts=parts("morning", day=MONDAY + timedelta(days=1)))
    with acting(actor="cli:test", loket="alpha"):
        pool.cancel_request("alpha", first, "niet meer nodig")
    later = open_request(pool, day_parts=parts("morning", day=MONDAY + timedelta(days=2)))
    request = pool.request("alpha", later)
    token = offers_to(site, "Cor")[-1]
    assert pool.answer("alpha", token, accept=True, now=NOW)["status"] == "accepted"
    assert request  # Cor took it; now a new request for the same group
    site.projections.catch_up()
    assert ranked(pool, open_request(pool, day_parts=parts("afternoon", day=MONDAY + timedelta(days=3))))[0] == c


def test_sequential_dispatch_offers_one_at_a_time_and_moves_on_after_the_time_out(site, pool):
    anna, bram = add_member(pool, "Anna"), add_member(pool, "Bram", home=[52.16, 5.39])
    request_id = open_request(pool)
    assert len(offers_to(site, "Anna")) == 1 and offers_to(site, "Bram") == []
    assert pool.tick(NOW + timedelta(minutes=10)) == [] or offers_to(site, "Bram") == []  # not yet timed out (30 min)
    lines = pool.tick(NOW + timedelta(minutes=31))
    assert any("expired" in line for line in lines)
    assert len(offers_to(site, "Bram")) == 1
    # Anna's late answer finds her offer closed.
    from plugins.vervangingspool.domain import OfferClosedError

    with pytest.raises(OfferClosedError):
        pool.answer("alpha", offers_to(site, "Anna")[0], accept=True, now=NOW + timedelta(minutes=32))
    assert pool.answer("alpha", offers_to(site, "Bram")[0], accept=True, now=NOW + timedelta(minutes=33))["status"] == "accepted"
    states = {k: v["status"] for k, v in pool.request("alpha", request_id).parts.items()}
    assert set(states.values()) == {"filled"}
    assert anna and bram


def test_decline_with_reason_offers_the_next_at_once(site, pool):
    add_member(pool, "Anna")
    add_member(pool, "Bram", home=[52.16, 5.39])
    request_id = open_request(pool)
    assert pool.answer("alpha", offers_to(site, "Anna")[0], accept=False, reason="ziek kind", now=NOW)["status"] == "declined"
    assert len(offers_to(site, "Bram")) == 1
    offers = pool.request("alpha", request_id).offers
    assert [o["status"] for o in offers.values()] == ["declined", "open"]


def test_a_request_splits_over_substitutes(site, pool):
    mornings = add_member(pool, "Anna", availability={"mon": ["morning"]})
    afternoons = add_member(pool, "Bram", availability={"mon": ["afternoon"]}, home=[52.16, 5.39])
    request_id = open_request(pool, dispatch="tier")
    pool.answer("alpha", offers_to(site, "Anna")[0], accept=True, now=NOW)
    pool.tick(NOW + timedelta(minutes=1))
    pool.answer("alpha", offers_to(site, "Bram")[0], accept=True, now=NOW)
    request = pool.request("alpha", request_id)
    assert {k: v["member"] for k, v in request.parts.items()} == {parts("morning")[0]: mornings, parts("afternoon")[0]: afternoons}


def test_tier_dispatch_first_acceptance_wins_the_others_hear_it_is_filled(site, pool):
    from plugins.vervangingspool.domain import AlreadyFilledError

    add_member(pool, "Anna")
    add_member(pool, "Bram")
    open_request(pool, dispatch="tier")
    anna, bram = offers_to(site, "Anna")[0], offers_to(site, "Bram")[0]
    assert pool.answer("alpha", bram, accept=True, now=NOW)["status"] == "accepted"
    with pytest.raises(AlreadyFilledError, match="already accepted"):
        pool.answer("alpha", anna, accept=True, now=NOW)


def test_concurrent_acceptances_exactly_one_wins_and_no_event_is_lost(site, pool):

    for name in ("Anna", "Bram"):
        add_member(pool, name)
    with acting(actor="cli:test", loket="alpha"):
        pool.set_school("alpha", {"brin": SCHOOL_1, "name": "De Regenboog", "board": BOARD_A, "sector": "po", "location": None})
    request_id = open_request(pool, dispatch="tier")
    tokens = offers_to(site, "Anna") + offers_to(site, "Bram")
    assert len(tokens) == 2
    assert accept_at_once(pool, tokens) == ["accepted", "already filled"]
    events = [type(e).__name__ for e in site.app.events.get(request_id)]
    assert events.count("OfferAccepted") == 1
    # The winner's schedule holds both day-parts; the loser's holds none.
    site.projections.catch_up()
    booked = pool.view.query("SELECT member_id, part FROM pool_bookings ORDER BY part")
    assert len(booked) == 2 and len({row["member_id"] for row in booked}) == 1


def test_no_double_booking_across_requests(site, pool):
    from plugins.vervangingspool.domain import DoubleBookedError

    add_member(pool, "Anna")
    first = open_request(pool, dispatch="tier", day_parts=parts("morning"))
    second = open_request(pool, school=SCHOOL_3, dispatch="tier", day_parts=parts("morning"))
    tokens = offers_to(site, "Anna")
    assert len(tokens) == 2  # offered both before anything was booked
    pool.answer("alpha", tokens[0], accept=True, now=NOW)
    with pytest.raises(DoubleBookedError):
        pool.answer("alpha", tokens[1], accept=True, now=NOW)
    assert first != second


def test_cancellations_by_the_substitute_and_by_the_school(site, pool):
    anna = add_member(pool, "Anna")
    bram = add_member(pool, "Bram", home=[52.16, 5.39])
    request_id = open_request(pool)
    pool.answer("alpha", offers_to(site, "Anna")[0], accept=True, now=NOW)
    with acting(actor="cli:test", loket="alpha"):
        pool.cancel_assignment("alpha", request_id, parts("afternoon"), by="substitute", reason="tandarts", now=NOW)
    request = pool.request("alpha", request_id)
    assert request.parts[parts("afternoon")[0]]["status"] in ("open", "offered")
    assert len(offers_to(site, "Bram")) == 1  # offered again at once
    with acting(actor="cli:test", loket="alpha"):
        pool.cancel_assignment("alpha", request_id, parts("morning"), by="school", reason="leerkracht is terug")
        with pytest.raises(Exception, match="Say why"):
            pool.cancel_request("alpha", request_id, " ")
        pool.cancel_request("alpha", request_id, "groep gaat naar huis")
    request = pool.request("alpha", request_id)
    assert {v["status"] for v in request.parts.values()} == {"cancelled"}
    site.projections.catch_up()
    assert pool.view.query("SELECT * FROM pool_bookings") == []
    assert anna and bram


def test_past_day_parts_become_completed_or_unfilled(site, pool):
    add_member(pool, "Anna", availability={"mon": ["morning"]})
    request_id = open_request(pool)
    pool.answer("alpha", offers_to(site, "Anna")[0], accept=True, now=NOW)
    pool.tick(NOW + timedelta(days=5))
    states = {k: (v["status"], v.get("reason")) for k, v in pool.request("alpha", request_id).parts.items()}
    assert states == {parts("morning")[0]: ("completed", None), parts("afternoon")[0]: ("unfilled", "no-candidate")}


def test_a_request_never_carries_a_medical_reason(site, pool):
    from core.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as error:
        open_request(pool, notes="Juf is ziek, griep")
    assert "notes" in error.value.problems


def test_concurrent_acceptances_on_postgresql(write_config, pg_url):
    """The same race against the real PostgreSQL server: four substitutes, four threads."""
    from core.site import Site
    from plugins.vervangingspool.service import SubstitutePool
    from tests.plugins.vervangingspool.conftest import CONFIG

    site = Site.open(write_config(CONFIG.replace("tier_size = 2", "tier_size = 4"), url=pg_url))
    site.apply_config()
    try:
        pool = SubstitutePool(site)
        with acting(actor="cli:test", loket="alpha"):
            pool.join_board("alpha", BOARD_A, "Stichting Sterk Onderwijs")
            pool.set_school("alpha", {"brin": SCHOOL_1, "name": "De Regenboog", "board": BOARD_A, "sector": "po"})
        names = ("Anna", "Bram", "Cor", "Dirk")
        for name in names:
            add_member(pool, name, boards=(BOARD_A,))
        request_id = open_request(pool, dispatch="tier")
        tokens = [token for name in names for token in offers_to(site, name)]
        assert len(tokens) == 4
        assert accept_at_once(pool, tokens) == ["accepted"] + ["already filled"] * 3
        assert [type(e).__name__ for e in site.app.events.get(request_id)].count("OfferAccepted") == 1
    finally:
        site.close()
