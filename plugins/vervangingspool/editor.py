"""The substitute pool's editor screens, mounted by the core at ``/beheer/<loket>/vervangingspool``
(404 ``plugin-disabled`` where the plugin is off): the overview of open requests and warnings, the
participating boards and schools, the substitutes (profile, weekly availability, status, approval per
board, exceptions) and the requests (new, the state per day-part, the ranked candidates with their
reasons, offer again, cancel).

For the pool coordinators: the loket's editors and admins. In Dutch, without JavaScript. Every page
that shows a substitute's name is personal data: not kept (no-store) and recorded in the access log.
Input errors come back at their fields with the error summary; a refusal by the state of things
(already filled, left the pool, changed meanwhile) comes back as a flash message.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime, timezone
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from flask import Blueprint, flash, make_response, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from core.config import SECTORS
from core.errors import ConflictError, InvalidInputError, NotFoundError, StaleVersionError
from core.http import get_site, personal_response, record_personal_view, screen_principal
from core.messages import dutch_reason, t

from .attention import warnings
from .domain import ACTIVE, CANCELLED, FILLED, LEFT, OFFERED, OPEN, PARTS, PAUSED, SEQUENTIAL, TIER, WEEKDAYS, split_day_part
from .schemas import EXTRAS
from .service import SubstitutePool

bp = Blueprint("vervangingspool_editor", __name__, template_folder="templates")

COORDINATORS = ("admin", "editor")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
#: A substitute's own page and calendar feed (the plugin's API: ``api.py``, ``calendar.py``).
MEMBER_LINK = "{public_url}/api/v1/lokets/{loket}/vervangingspool/me?token={token}"
MEMBER_CALENDAR = "{public_url}/api/v1/lokets/{loket}/vervangingspool/me/schedule.ics?token={token}"
EMPTY_ROWS = 3  # blank subject rows under a substitute's degrees (save to get more)
DAY_ROWS = 5  # date rows of a new request; "meer dagen" adds as many again
MAX_DAY_ROWS = 60
MAX_REASON = 500
PAGE_SIZE = 50
LIVE = (OPEN, OFFERED, FILLED)


# The overview


@bp.get("/")
def overview(loket: str):
    """Open requests with their day-parts, warnings about ending contracts, VOGs and agreements."""
    _coordinator(loket)
    personal_response()
    pool = _pool()
    site = get_site()
    today = _today()
    requests = _live_requests(loket, today)
    warnings = _warnings(loket, today, pool.settings(loket)["warn_days_before"])
    record_personal_view(loket, [w["person_id"] for w in warnings], "substitute pool: warnings")
    counts = {status: sum(1 for r in requests for p in r["parts"] if p["status"] == status) for status in LIVE}
    return _page(
        "vervangingspool/overview.html",
        requests=requests,
        warnings=warnings,
        counts=counts,
        schools=pool.pool(loket).schools,
        loket_name=site.lokets.get(loket).name,
    )


# Boards and schools


@bp.get("/besturen")
def boards(loket: str):
    """The participating school boards and their schools."""
    _coordinator(loket)
    return _boards_page(loket)


@bp.post("/besturen")
def join_board(loket: str):
    """A school board joins the pool (or comes back, or gets a new name)."""
    _coordinator(loket)
    board, name = request.form.get("bestuur", "").strip(), request.form.get("naam", "").strip()
    try:
        _pool().join_board(loket, board, name)
    except InvalidInputError as error:
        inputs = {"board": "bestuur-nummer", "name": "bestuur-naam"}
        return _boards_page(loket, _errors(error.problems, inputs), request.form)
    flash(t("pool.board.joined", name=name))
    return redirect(url_for(".boards", loket=loket))


@bp.post("/besturen/<board>/verlaten")
def leave_board(loket: str, board: str):
    """A school board leaves the pool: its schools ask no more; what happened stays."""
    _coordinator(loket)
    pool = _pool().pool(loket)
    if board not in pool.boards:
        raise NotFoundError(f"No board {board} in the pool of '{loket}'.")
    _pool().leave_board(loket, board)
    flash(t("pool.board.left", name=pool.boards[board]["name"]))
    return redirect(url_for(".boards", loket=loket))


@bp.get("/scholen/nieuw")
def new_school(loket: str):
    """The form for a school of one of the boards."""
    _coordinator(loket)
    return _school_page(loket, None)


@bp.get("/scholen/<brin>")
def school(loket: str, brin: str):
    """One school's details, with the substitutes it prefers (in order) and excludes."""
    _coordinator(loket)
    current = _pool().pool(loket).schools.get(brin)
    if current is None:
        raise NotFoundError(f"No school {brin} in the pool of '{loket}'.")
    return _school_page(loket, brin, _school_values(brin, current))


@bp.post("/scholen")
def save_school(loket: str):
    """Add a school or change one: board, sector, location, preferred and excluded substitutes."""
    _coordinator(loket)
    form = request.form
    brin = form.get("brin", "").strip().upper()
    existing = form.get("bestaand") == "ja"
    members = [m for m in _members(loket) if m["status"] != LEFT]
    ranked = sorted(
        ((int(form[f"voorkeur-{m['id']}"]), m["name"].lower(), m["id"]) for m in members if form.get(f"voorkeur-{m['id']}", "").strip().isdigit()),
    )
    data = {
        "brin": brin,
        "name": form.get("naam", "").strip(),
        "board": form.get("bestuur", ""),
        "sector": form.get("sector", ""),
        "location": _coordinates(form.get("lat", ""), form.get("lon", "")),
        "preferred": [member_id for _, _, member_id in ranked],
        "excluded": [m["id"] for m in members if form.get(f"uitgesloten-{m['id']}") == "ja"],
    }
    errors = {}
    if not existing and brin in _pool().pool(loket).schools:
        errors["school-brin"] = t("pool.reason.brin_taken")
    both = set(data["preferred"]) & set(data["excluded"])
    if both:
        errors["school-invallers"] = t("pool.reason.preferred_and_excluded")
    if not errors:
        try:
            _pool().set_school(loket, data)
        except InvalidInputError as error:
            errors = _errors(error.problems, SCHOOL_INPUTS)
    if errors:
        return _school_page(loket, brin if existing else None, form, errors)
    flash(t("pool.school.saved", name=data["name"]))
    return redirect(url_for(".boards", loket=loket))


# Substitutes


@bp.get("/invallers/")
def members(loket: str):
    """The substitutes: name, status, sectors, qualifications, approvals per board."""
    _coordinator(loket)
    personal_response()
    rows = _members(loket)
    record_personal_view(loket, [row["person_id"] for row in rows], "substitute pool: substitutes")
    return _page("vervangingspool/members.html", rows=rows, boards=_pool().pool(loket).boards)


@bp.route("/invallers/nieuw", methods=["GET", "POST"])
def new_member(loket: str):
    """A new substitute: name, contact details and profile; their own link is shown once."""
    _coordinator(loket)
    personal_response()
    pool = _pool()
    if request.method == "GET":
        return _member_form_page(loket, MultiDict())
    form = request.form
    data = {"name": form.get("naam", "").strip(), "email": form.get("email", "").strip(), "phone": form.get("telefoon", "").strip()}
    try:
        profile = _profile_from(form, pool.pool(loket).schools)
        member_id, token = pool.add_member(loket, {**data, "profile": profile})
    except InvalidInputError as error:
        return _member_form_page(loket, form, _errors(error.problems, MEMBER_INPUTS))
    links = {template: template.format(public_url=get_site().config.public_url, loket=loket, token=token) for template in (MEMBER_LINK, MEMBER_CALENDAR)}
    flash(t("pool.member.added", name=data["name"]))
    return _member_page(loket, member_id, new_link=links[MEMBER_LINK], new_calendar=links[MEMBER_CALENDAR])


@bp.get("/invallers/<uuid:member_id>")
def member(loket: str, member_id: UUID):
    """One substitute: details, profile form, status, approvals, exceptions, bookings."""
    _coordinator(loket)
    personal_response()
    return _member_page(loket, member_id)


@bp.post("/invallers/<uuid:member_id>/profiel")
def change_profile(loket: str, member_id: UUID):
    """Save the profile as shown, if nobody changed it meanwhile."""
    _coordinator(loket)
    personal_response()
    pool = _pool()
    form = request.form
    try:
        profile = _profile_from(form, pool.pool(loket).schools)
        pool.change_profile(loket, member_id, profile, _int(form.get("version")))
    except InvalidInputError as error:
        return _member_page(loket, member_id, values=form, errors=_errors(error.problems, PROFILE_INPUTS))
    except StaleVersionError:
        flash(t("pool.stale"), "error")
    else:
        flash(t("pool.member.profile_saved"))
    return redirect(url_for(".member", loket=loket, member_id=member_id))


@bp.post("/invallers/<uuid:member_id>/status")
def change_status(loket: str, member_id: UUID):
    """Active, paused or left (for good), with a reason."""
    _coordinator(loket)
    status, reason = request.form.get("status", ""), request.form.get("reden", "").strip()[:MAX_REASON]
    try:
        _pool().change_status(loket, member_id, status, reason)
    except InvalidInputError:
        flash(t("pool.member.status_unknown"), "error")
    except ConflictError:
        flash(t("pool.member.status_left"), "error")
    else:
        flash(t("pool.member.status_saved", status=_labels()["member_status"].get(status, status)))
    return redirect(url_for(".member", loket=loket, member_id=member_id) + "#status")


@bp.post("/invallers/<uuid:member_id>/goedkeuring")
def decide(loket: str, member_id: UUID):
    """A participating board approves the substitute for its schools, or refuses."""
    _coordinator(loket)
    board = request.form.get("bestuur", "")
    approved = request.form.get("besluit") == "goedkeuren"
    note = request.form.get("notitie", "").strip()[:MAX_REASON]
    try:
        _pool().decide(loket, member_id, board, approved, note)
    except InvalidInputError:
        flash(t("pool.member.board_unknown"), "error")
    else:
        flash(t("pool.member.approved") if approved else t("pool.member.refused"))
    return redirect(url_for(".member", loket=loket, member_id=member_id) + "#goedkeuring")


@bp.post("/invallers/<uuid:member_id>/uitzonderingen")
def set_exceptions(loket: str, member_id: UUID):
    """Available (or not) on some day-parts, whatever the weekly pattern says."""
    _coordinator(loket)
    personal_response()
    form = request.form
    day, chosen = form.get("uitzondering-datum", "").strip(), form.getlist("uitzondering-dagdeel")
    errors = {}
    if not _is_date(day):
        errors["uitzondering-datum"] = t("pool.reason.date")
    if not chosen or any(part not in PARTS for part in chosen):
        errors["uitzondering-dagdeel"] = t("pool.reason.choose_part")
    if form.get("uitzondering-beschikbaar") not in ("ja", "nee"):
        errors["uitzondering-beschikbaar"] = t("pool.reason.choose_available")
    if errors:
        return _member_page(loket, member_id, values=form, errors=errors)
    available = form["uitzondering-beschikbaar"] == "ja"
    _pool().set_exceptions(loket, member_id, {f"{date.fromisoformat(day).isoformat()}:{part}": available for part in chosen})
    flash(t("pool.member.exceptions_saved"))
    return redirect(url_for(".member", loket=loket, member_id=member_id) + "#uitzonderingen")


# Requests


@bp.get("/aanvragen/")
def requests_list(loket: str):
    """Every request of the pool, newest first, with how many day-parts are in which state."""
    _coordinator(loket)
    pool = _pool()
    site = get_site()
    site.projections.catch_up()
    page = max(1, _int(request.args.get("pagina")) or 1)
    total = pool.view.query("SELECT COUNT(*) AS n FROM pool_requests WHERE loket = ?", (loket,))[0]["n"]
    rows = pool.view.query(
        "SELECT * FROM pool_requests WHERE loket = ? ORDER BY opened_at DESC, id LIMIT ? OFFSET ?", (loket, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    )
    parts = _parts_of([row["id"] for row in rows])
    items = [_request_row(row, parts.get(row["id"], [])) for row in rows]
    return _page(
        "vervangingspool/requests.html", items=items, total=total, page=page, pages=max(1, -(-total // PAGE_SIZE)), schools=pool.pool(loket).schools
    )


@bp.route("/aanvragen/nieuw", methods=["GET", "POST"])
def new_request(loket: str):
    """A school's request: day-parts as dates with morning and afternoon, what is needed, how to offer."""
    _coordinator(loket)
    if request.method == "GET":
        return _request_form_page(loket, MultiDict())
    form = request.form
    if form.get("actie") == "meer-dagen":
        return _request_form_page(loket, form, extra_rows=DAY_ROWS)
    pool = _pool()
    schools = pool.pool(loket).schools
    parts, errors = _parts_from(form)
    brin = form.get("school", "")
    data = {
        "school": brin,
        "sector": form.get("sector") or schools.get(brin, {}).get("sector", ""),
        "group": form.get("groep", "").strip(),
        "subjects": _list(form.get("vakken", "")),
        "degree": _int(form.get("graad")),
        "needs": form.getlist("nodig"),
        "qualifiedOnly": form.get("alleen-bevoegd") == "ja",
        "notes": form.get("notities", "").strip(),
        "parts": parts,
        "dispatch": form.get("aanbieden") or None,
    }
    if not errors:
        try:
            request_id = pool.open_request(loket, data, _now())
        except InvalidInputError as error:
            errors = _errors(error.problems, REQUEST_INPUTS)
    if errors:
        return _request_form_page(loket, form, errors)
    flash(t("pool.request.opened"))
    return redirect(url_for(".request_page", loket=loket, request_id=request_id))


@bp.get("/aanvragen/<uuid:request_id>")
def request_page(loket: str, request_id: UUID):
    """One request: its state per day-part, the offers made, the ranked candidates with their reasons."""
    _coordinator(loket)
    personal_response()
    return _request_page(loket, request_id)


@bp.post("/aanvragen/<uuid:request_id>/aanbieden")
def offer_again(loket: str, request_id: UUID):
    """Offer the open day-parts now, to the next candidate(s), without waiting for the clock."""
    _coordinator(loket)
    pool = _pool()
    substitution = pool.request(loket, request_id)
    if any(o["status"] == "open" for o in substitution.offers.values()):
        flash(t("pool.request.waiting"), "error")
    elif not substitution.open_parts:
        flash(t("pool.request.nothing_open"), "error")
    elif pool.dispatch(loket, request_id, _now()):
        flash(t("pool.request.offered"))
    else:
        flash(t("pool.request.no_candidates"), "error")
    return redirect(url_for(".request_page", loket=loket, request_id=request_id))


@bp.post("/aanvragen/<uuid:request_id>/annuleren")
def cancel_request(loket: str, request_id: UUID):
    """The school cancels the whole request (with a reason); booked substitutes are free again."""
    _coordinator(loket)
    personal_response()
    reason = request.form.get("annuleer-reden", "").strip()
    if not reason or len(reason) > MAX_REASON:
        return _request_page(loket, request_id, values=request.form, errors={"annuleer-reden": t("pool.reason.reason")})
    try:
        _pool().cancel_request(loket, request_id, reason)
    except ConflictError:
        flash(t("pool.request.cancel_refused"), "error")
    else:
        flash(t("pool.request.cancelled"))
    return redirect(url_for(".request_page", loket=loket, request_id=request_id))


@bp.post("/aanvragen/<uuid:request_id>/dagdelen-annuleren")
def cancel_parts(loket: str, request_id: UUID):
    """Give filled day-parts of one substitute back: by the school (not needed) or by the
    substitute (offered again)."""
    _coordinator(loket)
    personal_response()
    form = request.form
    chosen, by, reason = form.getlist("dagdeel"), form.get("door", ""), form.get("dagdeel-reden", "").strip()
    errors = {}
    if not chosen:
        errors["dagdelen-kiezen"] = t("pool.reason.choose_parts")
    if by not in ("school", "substitute"):
        errors["dagdelen-door"] = t("pool.reason.choose_by")
    if not reason or len(reason) > MAX_REASON:
        errors["dagdeel-reden"] = t("pool.reason.reason")
    if not errors:
        try:
            _pool().cancel_assignment(loket, request_id, chosen, by, reason, _now())
        except InvalidInputError as error:
            errors = _errors(error.problems, {"parts": "dagdelen-kiezen", "by": "dagdelen-door", "reason": "dagdeel-reden"})
        except ConflictError:
            flash(t("pool.request.parts_refused"), "error")
            return redirect(url_for(".request_page", loket=loket, request_id=request_id))
    if errors:
        return _request_page(loket, request_id, values=form, errors=errors)
    flash(t("pool.request.parts_cancelled", count=len(set(chosen))))
    return redirect(url_for(".request_page", loket=loket, request_id=request_id))


# Pages


def _boards_page(loket: str, errors: dict[str, str] | None = None, values: Any = None):
    pool = _pool().pool(loket)
    schools = sorted(({"brin": brin, **school} for brin, school in pool.schools.items()), key=lambda s: s["name"].lower())
    return _page(
        "vervangingspool/boards.html",
        boards=sorted(pool.boards.items(), key=lambda item: item[1]["name"].lower()),
        schools=schools,
        errors=errors or {},
        values=values or MultiDict(),
        status=422 if errors else 200,
    )


def _school_page(loket: str, brin: str | None, values: Any = None, errors: dict[str, str] | None = None):
    personal_response()
    pool = _pool().pool(loket)
    members = [m for m in _members(loket) if m["status"] != LEFT]
    record_personal_view(loket, [m["person_id"] for m in members], "substitute pool: a school's substitutes")
    return _page(
        "vervangingspool/school.html",
        brin=brin,
        boards=[(number, board) for number, board in pool.boards.items() if board["active"]],
        members=members,
        values=values if values is not None else MultiDict(),
        errors=errors or {},
        sectors=SECTORS,
        status=422 if errors else 200,
    )


def _member_form_page(loket: str, values: Any, errors: dict[str, str] | None = None):
    pool = _pool().pool(loket)
    return _page(
        "vervangingspool/member_new.html",
        values=values,
        errors=errors or {},
        form=_profile_form(values, pool.schools),
        status=422 if errors else 200,
    )


def _member_page(loket: str, member_id: UUID, values: Any = None, errors: dict[str, str] | None = None, new_link: str | None = None,
                 new_calendar: str | None = None):
    pool = _pool()
    site = get_site()
    site.projections.catch_up()
    substitute = pool.member(loket, member_id)
    the_pool = pool.pool(loket)
    record_personal_view(loket, [substitute.person_id], "substitute pool: a substitute")
    profile_values = values if values is not None and "version" in values else _profile_values(substitute.profile, the_pool.schools)
    other_values = values if values is not None else MultiDict()
    bookings = pool.view.query(
        "SELECT b.part, b.request_id, r.school FROM pool_bookings AS b JOIN pool_requests AS r ON r.id = b.request_id "
        "WHERE b.member_id = ? AND substr(b.part, 1, 10) >= ? ORDER BY b.part",
        (str(member_id), _today().isoformat()),
    )
    return _page(
        "vervangingspool/member.html",
        substitute=substitute,
        name=substitute.name.shown(),
        boards=sorted(the_pool.boards.items(), key=lambda item: item[1]["name"].lower()),
        schools=the_pool.schools,
        exceptions=sorted(substitute.exceptions.items(), key=lambda item: _part_order(item[0])),
        bookings=[{**b, "label": _part_label(b["part"])} for b in sorted(bookings, key=lambda b: _part_order(b["part"]))],
        values=profile_values,
        other=other_values,
        form=_profile_form(profile_values, the_pool.schools),
        errors=errors or {},
        new_link=new_link,
        new_calendar=new_calendar,
        version=substitute.version,
        status=422 if errors else 200,
    )


def _request_form_page(loket: str, values: Any, errors: dict[str, str] | None = None, extra_rows: int = 0):
    pool = _pool()
    the_pool = pool.pool(loket)
    rows = min(MAX_DAY_ROWS, max(DAY_ROWS, _day_rows(values)) + extra_rows)
    schools = sorted(((brin, s) for brin, s in the_pool.schools.items() if the_pool.boards.get(s["board"], {}).get("active")), key=lambda i: i[1]["name"].lower())
    return _page(
        "vervangingspool/request_new.html",
        values=values,
        errors=errors or {},
        schools=schools,
        sectors=SECTORS,
        extras=EXTRAS,
        day_rows=range(rows),
        today=_today().isoformat(),
        default_dispatch=pool.settings(loket)["dispatch"],
        status=422 if errors else 200,
    )


def _request_page(loket: str, request_id: UUID, values: Any = None, errors: dict[str, str] | None = None):
    pool = _pool()
    substitution = pool.request(loket, request_id)
    candidates = pool.candidates(loket, request_id)
    the_pool = pool.pool(loket)
    view_parts = {row["part"]: row for row in pool.view.query("SELECT * FROM pool_parts WHERE request_id = ?", (str(request_id),))}
    view_offers = {row["offer_id"]: row for row in pool.view.query("SELECT * FROM pool_offers WHERE request_id = ?", (str(request_id),))}
    cancelled = pool.view.query("SELECT cancelled_reason FROM pool_requests WHERE id = ?", (str(request_id),))
    names = _names(loket, {p["member"] for p in substitution.parts.values() if p.get("member")}
                   | {o["member"] for o in substitution.offers.values()} | {c.member_id for c in candidates})
    record_personal_view(loket, [person for _, person in names.values()], "substitute pool: a request")
    labels = _labels()
    parts = [
        {
            "key": key,
            "label": _part_label(key),
            "status": state["status"],
            "member": state.get("member"),
            "name": names.get(state.get("member"), ("", None))[0],
            "reason": _part_reason(state.get("reason") or (view_parts.get(key) or {}).get("reason")),
        }
        for key, state in sorted(substitution.parts.items(), key=lambda item: _part_order(item[0]))
    ]
    offers = sorted(
        (
            {
                "id": offer_id,
                "member": offer["member"],
                "name": names.get(offer["member"], ("", None))[0],
                "parts": [_part_label(p) for p in sorted(offer["parts"], key=_part_order)],
                "status": offer["status"],
                "expires": _when(offer["expires_at"]),
                "round": offer["round"],
                "reason": (view_offers.get(offer_id) or {}).get("reason") or "",
            }
            for offer_id, offer in substitution.offers.items()
        ),
        key=lambda o: (o["round"], o["name"].lower()),
    )
    asked = {o["member"]: o["status"] for o in offers}
    ranked = [
        {
            "member": c.member_id,
            "name": names.get(c.member_id, ("", None))[0],
            "score": _number(c.score),
            "parts": [_part_label(p) for p in sorted(c.parts, key=_part_order)],
            "distance": None if c.distance_km is None else round(c.distance_km),
            "reasons": [{**r, "label": labels["factor"].get(r["factor"], r["factor"]), "points": _number(r["points"])} for r in c.reasons],
            "asked": asked.get(c.member_id),
        }
        for c in candidates
    ]
    details = substitution.details
    return _page(
        "vervangingspool/request.html",
        substitution=substitution,
        school=the_pool.schools.get(substitution.school, {"name": substitution.school}),
        board=the_pool.boards.get(substitution.board, {"name": substitution.board}),
        details=details,
        dispatch=details.get("dispatch") or pool.settings(loket)["dispatch"],
        parts=parts,
        filled=[p for p in parts if p["status"] == FILLED],
        can_cancel=any(p["status"] in LIVE for p in parts),
        can_offer=bool(substitution.open_parts),
        offers=offers,
        candidates=ranked,
        cancelled_reason=cancelled[0]["cancelled_reason"] if cancelled else None,
        values=values if values is not None else MultiDict(),
        errors=errors or {},
        status=422 if errors else 200,
    )


def _page(template: str, status: int = 200, **context: Any):
    """A screen: rendered with the labels of the pool, never stored by a browser or proxy."""
    page = render_template(template, labels=_labels(), input_labels=_input_labels(), part_label=_part_label, **context)
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


# What the screens show


def _live_requests(loket: str, today: date) -> list[dict[str, Any]]:
    """Requests with day-parts still to come that are open, offered or filled, soonest first."""
    view = _pool().view
    get_site().projections.catch_up()
    rows = view.query(
        "SELECT * FROM pool_requests WHERE id IN (SELECT request_id FROM pool_parts WHERE loket = ? AND status IN ('open', 'offered', 'filled') "
        "AND substr(part, 1, 10) >= ?)",
        (loket, today.isoformat()),
    )
    parts = _parts_of([row["id"] for row in rows])
    items = [_request_row(row, [p for p in parts.get(row["id"], []) if p["part"][:10] >= today.isoformat()]) for row in rows]
    return sorted(items, key=lambda item: (item["parts"][0]["part"] if item["parts"] else "", item["id"]))


def _parts_of(request_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    if not request_ids:
        return {}
    marks = ", ".join("?" for _ in request_ids)
    grouped: dict[str, list[dict[str, Any]]] = {}
    for row in _pool().view.query(f"SELECT * FROM pool_parts WHERE request_id IN ({marks}) ORDER BY part", tuple(request_ids)):
        grouped.setdefault(row["request_id"], []).append({**row, "label": _part_label(row["part"])})
    for parts in grouped.values():
        parts.sort(key=lambda part: _part_order(part["part"]))
    return grouped


def _request_row(row: dict[str, Any], parts: list[dict[str, Any]]) -> dict[str, Any]:
    details = json.loads(row["details_json"])
    counts: dict[str, int] = {}
    for part in parts:
        counts[part["status"]] = counts.get(part["status"], 0) + 1
    return {
        "id": row["id"],
        "school": row["school"],
        "group": details.get("group", ""),
        "subjects": details.get("subjects", []),
        "sector": details.get("sector", ""),
        "opened": _when(datetime.fromisoformat(row["opened_at"])),
        "parts": parts,
        "counts": counts,
    }


def _members(loket: str) -> list[dict[str, Any]]:
    """The loket's substitutes with their names (decrypted), by name."""
    pool = _pool()
    get_site().projections.catch_up()
    rows = []
    for row in pool.view.query("SELECT id FROM pool_members WHERE loket = ?", (loket,)):
        substitute = pool.member(loket, UUID(row["id"]))
        rows.append({
            "id": row["id"],
            "person_id": substitute.person_id,
            "name": substitute.name.shown(),
            "status": substitute.status,
            "profile": substitute.profile,
            "approvals": substitute.approvals,
        })
    return sorted(rows, key=lambda r: (r["name"].lower(), r["id"]))


def _names(loket: str, member_ids: set[str]) -> dict[str, tuple[str, Any]]:
    """Member id → (name, person id) for the members named on a page."""
    pool = _pool()
    names = {}
    for member_id in member_ids:
        try:
            substitute = pool.member(loket, UUID(member_id))
        except NotFoundError:
            continue
        names[member_id] = (substitute.name.shown(), substitute.person_id)
    return names


def _warnings(loket: str, today: date, days: int) -> list[dict[str, Any]]:
    """Substitutes still in the pool whose contract, VOG or agreed end date falls within ``days``
    from today, or has passed: soonest first."""
    labels = {"contract-end": t("pool.warning.contract"), "vog-expiry": t("pool.warning.vog"), "agreed-end": t("pool.warning.agreed")}
    rows = _pool().view.query("SELECT id, profile_json FROM pool_members WHERE loket = ? AND status != ?", (loket, LEFT))
    due = [(row["id"], warning) for row in rows for warning in warnings(json.loads(row["profile_json"]), today, days)]
    names = _names(loket, {member_id for member_id, _ in due})
    found = []
    for member_id, warning in due:
        name, person_id = names.get(member_id, ("", None))
        found.append({
            "member": member_id,
            "name": name,
            "person_id": person_id,
            "what": labels[warning["kind"]],
            "date": date.fromisoformat(warning["date"]).strftime("%d-%m-%Y"),
            "sort": warning["date"],
            "passed": warning["daysLeft"] < 0,
        })
    return sorted(found, key=lambda w: (w["sort"], w["name"].lower()))


def _part_reason(reason: str | None) -> str:
    """Why a day-part is unfilled or cancelled, in words."""
    if not reason:
        return ""
    labels = _labels()
    if reason.startswith("cancelled-by-"):
        who, _, why = reason.removeprefix("cancelled-by-").partition(":")
        text = labels["cancelled_by"].get(who, who)
        return f"{text}: {why.strip()}" if why.strip() else text
    return labels["unfilled"].get(reason, reason)


def _labels() -> dict[str, dict[str, str]]:
    """The words for the pool's states and choices (keys as the service knows them)."""
    return {
        "part_status": {
            OPEN: t("pool.part_status.open"),
            OFFERED: t("pool.part_status.offered"),
            FILLED: t("pool.part_status.filled"),
            CANCELLED: t("pool.part_status.cancelled"),
            "unfilled": t("pool.part_status.unfilled"),
            "completed": t("pool.part_status.completed"),
        },
        "member_status": {ACTIVE: t("pool.status.active"), PAUSED: t("pool.status.paused"), LEFT: t("pool.status.left")},
        "offer_status": {
            "open": t("pool.offer.open"),
            "accepted": t("pool.offer.accepted"),
            "declined": t("pool.offer.declined"),
            "expired": t("pool.offer.expired"),
            "superseded": t("pool.offer.superseded"),
            "withdrawn": t("pool.offer.withdrawn"),
        },
        "unfilled": {"no-candidate": t("pool.unfilled.no_candidate"), "declined": t("pool.unfilled.declined"), "no-answer": t("pool.unfilled.no_answer")},
        "cancelled_by": {"school": t("pool.cancelled_by.school"), "substitute": t("pool.cancelled_by.substitute")},
        "factor": {
            "qualification": t("pool.factor.qualification"),
            "availability": t("pool.factor.availability"),
            "preferred": t("pool.factor.preferred"),
            "continuity": t("pool.factor.continuity"),
            "distance": t("pool.factor.distance"),
        },
        "extra": {
            "gymbevoegdheid": t("pool.extra.gym"),
            "so-ervaring": t("pool.extra.so"),
            "jonge-kind": t("pool.extra.young"),
            "nt2": t("pool.extra.nt2"),
            "hoogbegaafdheid": t("pool.extra.gifted"),
        },
        "dispatch": {SEQUENTIAL: t("pool.dispatch.sequential"), TIER: t("pool.dispatch.tier")},
        "part": {"morning": t("pool.part.morning"), "afternoon": t("pool.part.afternoon")},
        "weekday": {
            "mon": t("pool.day.mon"), "tue": t("pool.day.tue"), "wed": t("pool.day.wed"), "thu": t("pool.day.thu"),
            "fri": t("pool.day.fri"), "sat": t("pool.day.sat"), "sun": t("pool.day.sun"),
        },
        "degree": {1: t("pool.degree.first"), 2: t("pool.degree.second")},
    }


def _input_labels() -> dict[str, str]:
    """The label of each input an error can be about (the error summary names it)."""
    return {
        "bestuur-nummer": t("pool.board.number"),
        "bestuur-naam": t("pool.board.name"),
        "school-brin": t("pool.school.brin"),
        "school-naam": t("pool.school.name"),
        "school-bestuur": t("pool.school.board"),
        "school-sector": t("pool.school.sector"),
        "school-lat": t("pool.school.location"),
        "school-invallers": t("pool.school.members"),
        "invaller-naam": t("pool.member.name"),
        "invaller-email": t("pool.member.email"),
        "invaller-telefoon": t("pool.member.phone"),
        "profiel-sector": t("pool.profile.sectors"),
        "profiel-po": t("pool.profile.po"),
        "profiel-graden": t("pool.profile.degrees"),
        "profiel-pdg": t("pool.profile.pdg"),
        "profiel-extras": t("pool.profile.extras"),
        "profiel-groepen": t("pool.profile.groups"),
        "profiel-scholen": t("pool.profile.schools"),
        "profiel-regio": t("pool.profile.regions"),
        "profiel-afstand": t("pool.profile.distance"),
        "profiel-huis-lat": t("pool.profile.home"),
        "profiel-beschikbaar": t("pool.profile.availability"),
        "profiel-contract": t("pool.profile.contract"),
        "profiel-vog": t("pool.profile.vog"),
        "profiel-afspraak": t("pool.profile.agreed"),
        "uitzondering-datum": t("pool.member.exception_date"),
        "uitzondering-dagdeel": t("pool.member.exception_parts"),
        "uitzondering-beschikbaar": t("pool.member.exception_available"),
        "aanvraag-school": t("pool.school"),
        "aanvraag-sector": t("pool.request.sector"),
        "aanvraag-groep": t("pool.request.group"),
        "aanvraag-vakken": t("pool.request.subjects"),
        "aanvraag-graad": t("pool.request.degree"),
        "aanvraag-nodig": t("pool.request.needs"),
        "aanvraag-bevoegd": t("pool.request.qualified_only"),
        "aanvraag-notities": t("pool.request.notes"),
        "aanvraag-dagdelen": t("pool.request.parts"),
        "aanvraag-aanbieden": t("pool.request.dispatch"),
        "dagdelen-kiezen": t("pool.request.which_parts"),
        "dagdelen-door": t("pool.request.by"),
        "dagdeel-reden": t("pool.reason"),
        "annuleer-reden": t("pool.reason"),
    }


def _part_label(key: str) -> str:
    """``2027-03-01:morning`` → ``maandag 01-03-2027 (ochtend)``."""
    day, part = split_day_part(key)
    labels = _labels()
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    return t("pool.part_label", day=labels["weekday"][weekday], date=day.strftime("%d-%m-%Y"), part=labels["part"].get(part, part))


def _part_order(key: str) -> tuple[date, int]:
    """Day-parts in the order of the day: the morning before the afternoon."""
    day, part = split_day_part(key)
    return day, PARTS.index(part) if part in PARTS else len(PARTS)


def _number(value: float) -> str:
    """A score or points the Dutch way: ``40``, ``9,4``."""
    return f"{value:.1f}".removesuffix(".0").replace(".", ",")


def _when(moment: datetime) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")


# Forms: the profile


#: Where each field the service may name in its problems is on the screen (the error summary links there).
PROFILE_INPUTS = {
    "sectors": "profiel-sector",
    "poQualified": "profiel-po",
    "voDegrees": "profiel-graden",
    "mboPdg": "profiel-pdg",
    "extras": "profiel-extras",
    "groups": "profiel-groepen",
    "preferredSchools": "profiel-scholen",
    "excludedSchools": "profiel-scholen",
    "regions": "profiel-regio",
    "maxDistanceKm": "profiel-afstand",
    "home": "profiel-huis-lat",
    "availability": "profiel-beschikbaar",
    "contractEnd": "profiel-contract",
    "vogDate": "profiel-vog",
    "agreedEnd": "profiel-afspraak",
}
MEMBER_INPUTS = {
    "name": "invaller-naam",
    "email": "invaller-email",
    "phone": "invaller-telefoon",
    "profile": "profiel-sector",
    **{f"profile.{key}": value for key, value in PROFILE_INPUTS.items()},
}
SCHOOL_INPUTS = {
    "brin": "school-brin",
    "name": "school-naam",
    "board": "school-bestuur",
    "sector": "school-sector",
    "location": "school-lat",
    "preferred": "school-invallers",
    "excluded": "school-invallers",
}
REQUEST_INPUTS = {
    "school": "aanvraag-school",
    "sector": "aanvraag-sector",
    "group": "aanvraag-groep",
    "subjects": "aanvraag-vakken",
    "degree": "aanvraag-graad",
    "needs": "aanvraag-nodig",
    "qualifiedOnly": "aanvraag-bevoegd",
    "notes": "aanvraag-notities",
    "parts": "aanvraag-dagdelen",
    "dispatch": "aanvraag-aanbieden",
}


def _profile_from(form: Any, schools: dict[str, Any]) -> dict[str, Any]:
    """The profile as the service takes it, from the form's fields.

    :raise InvalidInputError: a degree row without a subject or without a degree.
    """
    degrees: dict[str, Any] = {}
    for index in range(_subject_rows(form)):
        subject, degree = form.get(f"vak-{index}", "").strip(), form.get(f"graad-{index}", "")
        if subject or degree:
            if not subject or degree not in ("1", "2"):
                raise InvalidInputError("The profile is not valid.", {"profile.voDegrees": t("pool.reason.degree_row")})
            degrees[subject] = int(degree)
    availability = {day: [part for part in PARTS if f"{day}:{part}" in form.getlist("beschikbaar")] for day in WEEKDAYS}
    return {
        "sectors": form.getlist("sector"),
        "poQualified": form.get("po-bevoegd") == "ja",
        "voDegrees": degrees,
        "mboPdg": form.get("mbo-pdg") == "ja",
        "extras": form.getlist("extra"),
        "groups": _list(form.get("groepen", "")),
        "preferredSchools": [brin for brin in schools if form.get(f"school-{brin}") == "voorkeur"],
        "excludedSchools": [brin for brin in schools if form.get(f"school-{brin}") == "nooit"],
        "regions": _list(form.get("regio", "")),
        "maxDistanceKm": form.get("max-afstand", "").strip() or None,
        "home": _coordinates(form.get("huis-lat", ""), form.get("huis-lon", "")),
        "availability": availability,
        "contractEnd": form.get("contract-einde", "").strip() or None,
        "vogDate": form.get("vog-datum", "").strip() or None,
        "agreedEnd": form.get("afspraak-einde", "").strip() or None,
    }


def _profile_values(profile: dict[str, Any], schools: dict[str, Any]) -> MultiDict:
    """The form's fields filled from a stored profile."""
    values: list[tuple[str, str]] = [("sector", sector) for sector in profile.get("sectors", [])]
    if profile.get("po_qualified"):
        values.append(("po-bevoegd", "ja"))
    if profile.get("mbo_pdg"):
        values.append(("mbo-pdg", "ja"))
    for index, (subject, degree) in enumerate(sorted((profile.get("vo_degrees") or {}).items())):
        values += [(f"vak-{index}", subject), (f"graad-{index}", str(degree))]
    values += [("extra", extra) for extra in profile.get("extras", [])]
    values += [("groepen", ", ".join(profile.get("groups", []))), ("regio", ", ".join(profile.get("regions", [])))]
    for brin in schools:
        choice = "voorkeur" if brin in profile.get("preferred_schools", []) else "nooit" if brin in profile.get("excluded_schools", []) else "geen"
        values.append((f"school-{brin}", choice))
    if profile.get("max_distance_km"):
        values.append(("max-afstand", str(profile["max_distance_km"])))
    if profile.get("home"):
        values += [("huis-lat", str(profile["home"][0])), ("huis-lon", str(profile["home"][1]))]
    for day, parts in (profile.get("availability") or {}).items():
        values += [("beschikbaar", f"{day}:{part}") for part in parts]
    for field, name in (("contract_end", "contract-einde"), ("vog_date", "vog-datum"), ("agreed_end", "afspraak-einde")):
        if profile.get(field):
            values.append((name, profile[field]))
    return MultiDict(values)


def _profile_form(values: Any, schools: dict[str, Any]) -> dict[str, Any]:
    """What the profile fields need besides the values: the choices and the number of subject rows."""
    labels = _labels()
    return {
        "sectors": SECTORS,
        "extras": [(extra, labels["extra"][extra]) for extra in EXTRAS],
        "weekdays": [(day, labels["weekday"][day]) for day in WEEKDAYS],
        "parts": [(part, labels["part"][part]) for part in PARTS],
        "schools": sorted(schools.items(), key=lambda item: item[1]["name"].lower()),
        "subject_rows": range(_subject_rows(values)),
    }


def _subject_rows(form: Any) -> int:
    """How many subject rows the form has: those filled in, and a few blank ones."""
    used = [int(key.removeprefix("vak-")) for key in form.keys() if key.startswith("vak-") and key.removeprefix("vak-").isdigit()]
    filled = [index for index in used if form.get(f"vak-{index}", "").strip()]
    return min(40, max([max(used) + 1 if used else 0, (max(filled) + 1 + EMPTY_ROWS) if filled else EMPTY_ROWS]))


def _school_values(brin: str, school: dict[str, Any]) -> MultiDict:
    values = [("brin", brin), ("naam", school["name"]), ("bestuur", school["board"]), ("sector", school["sector"])]
    if school.get("location"):
        values += [("lat", str(school["location"][0])), ("lon", str(school["location"][1]))]
    values += [(f"voorkeur-{member_id}", str(place)) for place, member_id in enumerate(school.get("preferred", []), start=1)]
    values += [(f"uitgesloten-{member_id}", "ja") for member_id in school.get("excluded", [])]
    return MultiDict(values)


# Forms: the day-parts of a request


def _parts_from(form: Any) -> tuple[list[str], dict[str, str]]:
    """The day-parts of the date rows (a date with morning, afternoon or both), and what is wrong."""
    parts, wrong = [], False
    for index in range(min(MAX_DAY_ROWS, _day_rows(form))):
        day = form.get(f"dag-{index}", "").strip()
        chosen = [part for part in PARTS if form.get(f"{part}-{index}") == "ja"]
        if not day and not chosen:
            continue
        if not _is_date(day) or not chosen:
            wrong = True
            continue
        parts += [f"{date.fromisoformat(day).isoformat()}:{part}" for part in chosen]
    if wrong:
        return parts, {"aanvraag-dagdelen": t("pool.reason.day_rows")}
    if not parts:
        return parts, {"aanvraag-dagdelen": t("pool.reason.no_parts")}
    return parts, {}


def _day_rows(form: Any) -> int:
    indexes = [int(key.removeprefix("dag-")) for key in form.keys() if key.startswith("dag-") and key.removeprefix("dag-").isdigit()]
    return max(indexes) + 1 if indexes else 0


# Errors


def _own_reasons() -> tuple[tuple[str, str], ...]:
    """The services' own reasons (English, as the API gives them) as the screens say them."""
    return (
        (r"^no medical information", t("pool.reason.medical")),
        (r"^day-parts from today on", t("pool.reason.parts_past")),
        (r"^(not a day-part|a day-part)", t("pool.reason.day_rows")),
        (r"^give the BRIN number", t("pool.reason.brin")),
        (r"^give the board's DUO", t("pool.reason.board")),
        (r"^give latitude and longitude", t("pool.reason.location")),
        (r"^length must be between 2 and 2$", t("pool.reason.location")),
        (r"^add the board first", t("pool.reason.board_first")),
        (r"^add the school to the pool first", t("pool.reason.school_first")),
        (r"^give a date as", t("pool.reason.date")),
        (r"^not a valid (number|integer)", t("pool.reason.number")),
        (r"^must not be empty", t("pool.reason.empty")),
        (r"^shorter than minimum length 1$", t("pool.reason.choose")),
        (r"^must be greater than or equal to", t("pool.reason.range")),
        (r"^invalid key:", t("pool.reason.subject")),
    )


def _errors(problems: dict[str, str], inputs: dict[str, str]) -> dict[str, str]:
    """The service's problems as errors per input (the first for an input that has several)."""
    errors: dict[str, str] = {}
    for key, reason in problems.items():
        errors.setdefault(_input_of(key, inputs), _reason(reason))
    return errors


def _input_of(key: str, inputs: dict[str, str]) -> str:
    """The input of a problem's key: ``profile.availability.mon[0]`` → ``profiel-beschikbaar``."""
    path = re.sub(r"\[\d+\]", "", key)
    while path:
        if path in inputs:
            return inputs[path]
        path = path.rpartition(".")[0]
    return next(iter(inputs.values()))


def _reason(reason: str) -> str:
    for pattern, dutch in _own_reasons():
        if re.match(pattern, reason):
            return dutch
    return dutch_reason(reason)


# Helpers


def _coordinator(loket: str) -> Any:
    """The logged-in pool coordinator. :raise PermissionDeniedError: not an editor or admin here."""
    return screen_principal(loket, *COORDINATORS)


def _pool() -> SubstitutePool:
    return SubstitutePool(get_site())


def _coordinates(lat: str, lon: str) -> list[Any] | None:
    """Latitude and longitude as typed (a decimal comma is fine); None when both are empty."""
    lat, lon = lat.strip().replace(",", "."), lon.strip().replace(",", ".")
    if not lat and not lon:
        return None
    return [lat, lon]


def _list(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _is_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _int(raw: str | None) -> int | None:
    return int(raw) if raw and raw.strip().isdigit() else None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _today() -> date:
    return _now().astimezone(AMSTERDAM).date()


def menu(loket: str, principal: Any) -> list[dict[str, str]]:
    """The editor menu's entry for the pool, for its coordinators."""
    if not principal.has_role(loket, *COORDINATORS):
        return []
    return [{"label": t("pool.menu"), "href": f"/beheer/{loket}/vervangingspool/"}]
