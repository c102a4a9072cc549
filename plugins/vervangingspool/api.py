"""The substitute pool's API, mounted by the core at /api/v1/lokets/<loket>/vervangingspool.

Who may do what:

- the pool's coordinators (``editor`` and ``admin`` of the loket) manage everything: boards,
  schools, members, requests, candidates, dispatch;
- a school's own people (``recruiter``, narrowed by ``core.boards`` to their school boards) open,
  read and cancel the requests of their boards' schools and see those schools' overviews;
- a substitute has no login: their own link (``/me?token=<member token>``, also their ICS feed)
  and the link in each offer (``/aanbod?token=<offer token>``) are their keys.

Nothing of the pool answers without a token or one of those secrets. Another loket's ids are 404.
The calendars (ICS feeds and a school's overview) and the reports are blueprints of their own,
nested here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from flask import Blueprint, request

from core.boards import boards_of
from core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from core.http import (
    expected_version, get_site, json_body, page_params, paging_links, personal_response, record_personal_view,
    require_role, version_etag,
)
from core.identity import Principal
from core.validation import load

from . import calendar, reports_api
from .attention import warnings
from .domain import CANCELLED, COMPLETED, FILLED, OFFERED, OPEN, UNFILLED, PoolMember, SubstitutionRequest
from .schemas import (
    MEMBER_STATUSES, AnswerSchema, ApprovalInSchema, AssignmentCancelInSchema, BoardInSchema, CancelInSchema, OwnCancelInSchema,
    ProfileSchema, SchoolSchema, StatusInSchema,
)
from .service import SubstitutePool

bp = Blueprint("vervangingspool", __name__)

COORDINATORS = ("editor", "admin")
RECRUITER = "recruiter"
PART_STATUSES = (OPEN, OFFERED, FILLED, COMPLETED, UNFILLED, CANCELLED)


# Who is asking


@dataclass(frozen=True)
class Access:
    """A coordinator (every board: ``boards`` is None) or a school's recruiter (their boards)."""

    principal: Principal
    boards: list[str] | None

    def allows(self, board: str) -> bool:
        return self.boards is None or board in self.boards

    def check(self, board: str) -> None:
        """:raise PermissionDeniedError: the board is not one of the recruiter's."""
        if not self.allows(board):
            raise PermissionDeniedError("This belongs to a school board you do not act for.")


def coordinator(loket: str) -> Principal:
    """The pool's coordinator (editor or admin). :raise NotAuthenticatedError: no token. :raise PermissionDeniedError: no such role here."""
    return require_role(loket, *COORDINATORS)


def access(loket: str) -> Access:
    """A coordinator, or a recruiter narrowed to their school boards (none assigned: nothing)."""
    principal = require_role(loket, *COORDINATORS, RECRUITER)
    if principal.has_role(loket, *COORDINATORS):
        return Access(principal, None)
    return Access(principal, boards_of(get_site(), loket, principal.actor))


def service() -> SubstitutePool:
    return SubstitutePool(get_site())


# The pool: boards and schools


@bp.get("/boards")
def list_boards(loket: str):
    """The school boards taking part in the pool (and those that left: ``active`` false)."""
    access(loket)
    pool = service().pool(loket)
    return {"items": [_board(number, board) for number, board in sorted(pool.boards.items())]}


@bp.put("/boards/<board>")
def put_board(loket: str, board: str):
    """Let a school board take part (again), or rename it: ``{"name": "Stichting …"}``."""
    coordinator(loket)
    name = load(BoardInSchema(), json_body(), "The board is not valid.")["name"]
    pool = service().join_board(loket, board, name)
    return _board(board, pool.boards[board])


@bp.delete("/boards/<board>")
def delete_board(loket: str, board: str):
    """The board leaves the pool: its schools can ask no more (their history stays)."""
    coordinator(loket)
    pool = service().pool(loket)
    if board not in pool.boards:
        raise NotFoundError(f"The board {board} does not take part in the pool of loket '{loket}'.")
    pool = service().leave_board(loket, board)
    return _board(board, pool.boards[board])


@bp.get("/schools")
def list_schools(loket: str):
    """The pool's schools (a recruiter: their boards' schools)."""
    who = access(loket)
    pool = service().pool(loket)
    return {"items": [_school(brin, school) for brin, school in sorted(pool.schools.items()) if who.allows(school["board"])]}


@bp.put("/schools/<brin>")
def put_school(loket: str, brin: str):
    """Add or change a school: name, board, sector, location, preferred (in order) and excluded substitutes."""
    coordinator(loket)
    data = json_body()
    if data.setdefault("brin", brin) != brin:
        raise InvalidInputError("The school is not valid.", {"brin": f"the BRIN in the path is {brin}"})
    members = {row["id"] for row in _members_of(loket)}
    for key in ("preferred", "excluded"):
        strangers = [m for m in data.get(key) or [] if isinstance(m, str) and m not in members]
        if strangers:
            raise InvalidInputError("The school is not valid.", {key: f"not a substitute of this pool: {', '.join(strangers[:3])}"})
    school = service().set_school(loket, data)
    return _school(school.pop("brin"), school)


# Members


@bp.post("/members")
def add_member(loket: str):
    """A new substitute: ``{name, email, phone, profile}``. The answer holds their own link's token
    — shown this once: keep it or send it to them (it opens their schedule, offers and ICS feed)."""
    personal_response()
    coordinator(loket)
    member_id, token = service().add_member(loket, json_body())
    base = f"{get_site().config.public_url}/api/v1/lokets/{loket}/vervangingspool"
    body = {"id": str(member_id), "token": token, "link": f"{base}/me?token={token}", "calendar": f"{base}/me/schedule.ics?token={token}"}
    return body, 201, {"Location": f"/api/v1/lokets/{loket}/vervangingspool/members/{member_id}", "Cache-Control": "no-store"}


@bp.get("/members")
def list_members(loket: str):
    """The pool's substitutes with their name, status, profile (not their home), approvals and
    warnings; no contact details. ``?status=active|paused|left``."""
    personal_response()
    coordinator(loket)
    status = request.args.get("status")
    if status is not None and status not in MEMBER_STATUSES:
        raise InvalidInputError("The status filter is not valid.", {"status": f"one of {', '.join(MEMBER_STATUSES)}"})
    page, page_size = page_params()
    rows = [row for row in _members_of(loket) if status is None or row["status"] == status]
    chosen = rows[(page - 1) * page_size : page * page_size]
    pool = service()
    members = [pool.member(loket, UUID(row["id"])) for row in chosen]
    record_personal_view(loket, [m.name.person_id for m in members], "pool members")
    warn_days = pool.settings(loket)["warn_days_before"]
    body = {"items": [_member(m, warn_days) for m in members], "page": page, "pageSize": page_size, "total": len(rows)}
    return body, 200, {"Link": paging_links(page, page_size, len(rows))}


@bp.get("/members/<uuid:member_id>")
def show_member(loket: str, member_id: UUID):
    """One substitute, with contact details and home; ETag is the version (for PATCH)."""
    personal_response()
    coordinator(loket)
    return _member_answer(loket, service().member(loket, member_id), contact=True)


@bp.patch("/members/<uuid:member_id>")
def change_member(loket: str, member_id: UUID):
    """Change some fields of the profile (the body holds the profile's fields); needs If-Match."""
    personal_response()
    coordinator(loket)
    member = service().change_profile(loket, member_id, json_body(), expected_version(required=True))
    return _member_answer(loket, member, contact=True)


@bp.post("/members/<uuid:member_id>/status")
def change_member_status(loket: str, member_id: UUID):
    """Pause, resume or end a membership: ``{"status": "paused", "reason": "…"}``."""
    personal_response()
    coordinator(loket)
    data = load(StatusInSchema(), json_body(), "The status is not valid.")
    return _member_answer(loket, service().change_status(loket, member_id, data["status"], data["reason"]))


@bp.post("/members/<uuid:member_id>/approval")
def decide_member(loket: str, member_id: UUID):
    """A board approves (or refuses) the substitute for its schools: ``{"board", "approved", "note"}``."""
    personal_response()
    coordinator(loket)
    data = load(ApprovalInSchema(), json_body(), "The approval is not valid.")
    return _member_answer(loket, service().decide(loket, member_id, data["board"], data["approved"], data["note"]))


@bp.put("/members/<uuid:member_id>/exceptions")
def set_member_exceptions(loket: str, member_id: UUID):
    """Availability besides the weekly pattern: ``{"2027-03-01:morning": false, …}`` (the keys
    given are set; others stay)."""
    personal_response()
    coordinator(loket)
    return _member_answer(loket, service().set_exceptions(loket, member_id, json_body()))


def _members_of(loket: str) -> list[dict[str, Any]]:
    site = get_site()
    site.projections.catch_up()
    return service().view.query("SELECT id, status FROM pool_members WHERE loket = ? ORDER BY joined_at, id", (loket,))


def _member_answer(loket: str, member: PoolMember, contact: bool = False):
    record_personal_view(loket, [member.name.person_id], "pool member" if contact else "pool member's name")
    body = _member(member, service().settings(loket)["warn_days_before"], contact)
    return body, 200, {"ETag": version_etag(member.version)}


def _member(member: PoolMember, warn_days: int, contact: bool = False) -> dict[str, Any]:
    profile = ProfileSchema().dump(member.profile)
    body: dict[str, Any] = {"id": str(member.id), "name": member.name.shown(), "status": member.status}
    if contact:
        body.update(email=member.email.shown(), phone=member.phone.shown())
    else:
        profile.pop("home", None)
    body.update(
        profile=profile,
        approvals=dict(member.approvals),
        exceptions=dict(sorted(member.exceptions.items())),
        warnings=warnings(member.profile, calendar.today(), warn_days),
        version=member.version,
    )
    return body


# Requests


@bp.post("/requests")
def open_request(loket: str):
    """A school asks for a substitute (never say why someone is away); offers go out at once."""
    who = access(loket)
    data = json_body()
    pool = service()
    school = pool.pool(loket).schools.get(data.get("school")) if isinstance(data.get("school"), str) else None
    if school is not None:
        who.check(school["board"])
    request_id = pool.open_request(loket, data, boards=who.boards)
    return _request_answer(loket, pool.request(loket, request_id), 201)


@bp.get("/requests")
def list_requests(loket: str):
    """The requests, newest first (a recruiter: their boards'). ``?school=<brin>``, ``?status=``
    keeps the requests with at least one day-part in that status."""
    who = access(loket)
    school, status = request.args.get("school"), request.args.get("status")
    if status is not None and status not in PART_STATUSES:
        raise InvalidInputError("The status filter is not valid.", {"status": f"one of {', '.join(PART_STATUSES)}"})
    page, page_size = page_params()
    site = get_site()
    site.projections.catch_up()
    where, params = ["r.loket = ?"], [loket]
    if school:
        where.append("r.school = ?")
        params.append(school)
    if status:
        where.append("EXISTS (SELECT 1 FROM pool_parts AS p WHERE p.request_id = r.id AND p.status = ?)")
        params.append(status)
    if who.boards is not None:
        where.append(f"r.board IN ({', '.join('?' * len(who.boards))})" if who.boards else "0 = 1")
        params += who.boards
    view = service().view
    rows = view.query(f"SELECT * FROM pool_requests AS r WHERE {' AND '.join(where)} ORDER BY r.opened_at DESC, r.id", params)
    chosen = rows[(page - 1) * page_size : page * page_size]
    parts: dict[str, list[dict[str, Any]]] = {}
    if chosen:
        ids = [row["id"] for row in chosen]
        for part in view.query(f"SELECT request_id, part, status, member_id FROM pool_parts WHERE request_id IN ({', '.join('?' * len(ids))}) ORDER BY part", ids):
            parts.setdefault(part["request_id"], []).append(part)
    schools = service().pool(loket).schools
    items = [_request_row(row, parts.get(row["id"], []), schools) for row in chosen]
    return {"items": items, "page": page, "pageSize": page_size, "total": len(rows)}, 200, {"Link": paging_links(page, page_size, len(rows))}


@bp.get("/requests/<uuid:request_id>")
def show_request(loket: str, request_id: UUID):
    """One request: the state of each day-part with the substitute's id, and the offers made."""
    who = access(loket)
    found = service().request(loket, request_id)
    who.check(found.board)
    return _request_answer(loket, found)


@bp.get("/requests/<uuid:request_id>/candidates")
def request_candidates(loket: str, request_id: UUID):
    """Who could take the request, best first, each with the reasons for their place (coordinators)."""
    personal_response()
    coordinator(loket)
    pool = service()
    ranked = pool.candidates(loket, request_id)
    members = {c.member_id: pool.member(loket, UUID(c.member_id)) for c in ranked}
    record_personal_view(loket, [m.name.person_id for m in members.values()], "candidates for a substitution request")
    return {"items": [{**c.as_json(), "name": members[c.member_id].name.shown()} for c in ranked]}


@bp.post("/requests/<uuid:request_id>/cancel")
def cancel_request(loket: str, request_id: UUID):
    """The school needs no one any more: ``{"reason": "…"}``; booked substitutes are released."""
    who = access(loket)
    reason = load(CancelInSchema(), json_body(), "The cancellation is not valid.")["reason"]
    pool = service()
    who.check(pool.request(loket, request_id).board)
    pool.cancel_request(loket, request_id, reason)
    return _request_answer(loket, pool.request(loket, request_id))


@bp.post("/requests/<uuid:request_id>/assignments/cancel")
def cancel_assignment(loket: str, request_id: UUID):
    """Filled day-parts given back: ``{"parts": […], "by": "school"|"substitute", "reason": "…"}``.
    The school's are not needed any more; a substitute's are offered again at once."""
    who = access(loket)
    data = load(AssignmentCancelInSchema(), json_body(), "The cancellation is not valid.")
    pool = service()
    who.check(pool.request(loket, request_id).board)
    pool.cancel_assignment(loket, request_id, data["parts"], data["by"], data["reason"])
    return _request_answer(loket, pool.request(loket, request_id))


@bp.post("/requests/<uuid:request_id>/dispatch")
def dispatch_request(loket: str, request_id: UUID):
    """Offer the open day-parts now to who is next (coordinators), instead of waiting for the
    clock. An open offer still waiting for its answer is not withdrawn: then nothing is sent."""
    coordinator(loket)
    pool = service()
    before = set(pool.request(loket, request_id).offers)
    pool.dispatch(loket, request_id, datetime.now(timezone.utc))
    after = pool.request(loket, request_id)
    body = _request_json(loket, after)
    body["offered"] = [after.offers[o]["member"] for o in after.offers if o not in before]
    return body, 200, {"ETag": version_etag(after.version)}


def _request_answer(loket: str, found: SubstitutionRequest, status: int = 200):
    headers = {"ETag": version_etag(found.version)}
    if status == 201:
        headers["Location"] = f"/api/v1/lokets/{loket}/vervangingspool/requests/{found.id}"
    return _request_json(loket, found), status, headers


def _request_json(loket: str, found: SubstitutionRequest) -> dict[str, Any]:
    school = service().pool(loket).schools.get(found.school, {})
    parts = [{"part": key, "status": state["status"], "memberId": state.get("member"), "reason": state.get("reason")} for key, state in found.parts.items()]
    offers = [
        {"id": offer_id, "memberId": o["member"], "parts": list(o["parts"]), "status": o["status"], "expiresAt": o["expires_at"].isoformat(), "round": o["round"]}
        for offer_id, o in found.offers.items()
    ]
    return {
        "id": str(found.id),
        "school": found.school,
        "schoolName": school.get("name"),
        "board": found.board,
        **_details(found.details),
        "status": summary_status([p["status"] for p in parts]),
        "parts": parts,
        "offers": offers,
        "version": found.version,
    }


def _request_row(row: dict[str, Any], parts: list[dict[str, Any]], schools: dict[str, Any]) -> dict[str, Any]:
    statuses = [p["status"] for p in parts]
    return {
        "id": row["id"],
        "school": row["school"],
        "schoolName": schools.get(row["school"], {}).get("name"),
        "board": row["board"],
        **_details(json.loads(row["details_json"])),
        "status": summary_status(statuses),
        "counts": {s: statuses.count(s) for s in PART_STATUSES if s in statuses},
        "parts": [{"part": p["part"], "status": p["status"], "memberId": p["member_id"]} for p in parts],
        "openedAt": row["opened_at"],
        "cancelledReason": row["cancelled_reason"],
    }


def _details(details: dict[str, Any]) -> dict[str, Any]:
    return {
        "sector": details.get("sector"),
        "group": details.get("group", ""),
        "subjects": details.get("subjects", []),
        "degree": details.get("degree"),
        "needs": details.get("needs", []),
        "qualifiedOnly": details.get("qualified_only", False),
        "notes": details.get("notes", ""),
        "dispatch": details.get("dispatch"),
    }


def summary_status(statuses: list[str]) -> str:
    """One word for a request: the first of open, offered, filled, unfilled, completed that any of
    its day-parts has; cancelled when all are."""
    for status in (OPEN, OFFERED, FILLED, UNFILLED, COMPLETED):
        if status in statuses:
            return status
    return CANCELLED


# Substitutes: the link in an offer


@bp.get("/aanbod")
def show_offer(loket: str):
    """The offer behind a link (``?token=``): school, group, day-parts, until when — nothing about
    anyone else."""
    token = load(AnswerSchema(), {"token": request.args.get("token", "")}, "The link is not valid.")["token"]
    found, offer_id, offer = service().offer_by_token(loket, token)
    school = service().pool(loket).schools.get(found.school, {})
    status = offer["status"]
    if status == "open" and offer["expires_at"] <= datetime.now(timezone.utc):
        status = "expired"
    elif status == "superseded":
        status = "filled"
    details = found.details
    return {
        "request": str(found.id),
        "school": {"brin": found.school, "name": school.get("name", found.school)},
        "sector": details.get("sector"),
        "group": details.get("group", ""),
        "subjects": details.get("subjects", []),
        "needs": details.get("needs", []),
        "notes": details.get("notes", ""),
        "parts": [{"part": p, "available": found.parts[p]["status"] in (OPEN, OFFERED) or found.parts[p].get("member") == offer["member"]} for p in offer["parts"]],
        "expiresAt": offer["expires_at"].isoformat(),
        "status": status,
    }, 200, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.post("/aanbod/accept")
def accept_offer(loket: str):
    """Take the offer: ``{"token": …}``. 409 ``already-filled`` when someone else was first,
    409 ``offer-closed`` when it expired, was declined or withdrawn."""
    data = load(AnswerSchema(), json_body(), "The answer is not valid.")
    return service().answer(loket, data["token"], True)


@bp.post("/aanbod/decline")
def decline_offer(loket: str):
    """Say no: ``{"token": …, "reason": "…"}``; the next substitute is asked."""
    data = load(AnswerSchema(), json_body(), "The answer is not valid.")
    return service().answer(loket, data["token"], False, data["reason"])


# Substitutes: their own link


@bp.get("/me")
def me(loket: str):
    """A substitute's own page (``?token=<member token>``): their booked day-parts from today (or
    ``?from=``) with school and group, and the offers waiting for their answer."""
    personal_response()
    pool = service()
    member = pool.member_by_token(loket, load(AnswerSchema(), {"token": request.args.get("token", "")}, "The link is not valid.")["token"])
    since = calendar.date_arg("from", calendar.today())
    schools = pool.pool(loket).schools
    now = datetime.now(timezone.utc)
    offers = pool.view.query(
        "SELECT o.request_id, o.parts_json, o.expires_at, r.school, r.details_json FROM pool_offers AS o JOIN pool_requests AS r ON r.id = o.request_id "
        "WHERE o.member_id = ? AND o.loket = ? AND o.status = 'open' AND o.expires_at > ? ORDER BY o.expires_at",
        (str(member.id), loket, now.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")),
    )
    base = f"{get_site().config.public_url}/api/v1/lokets/{loket}/vervangingspool"
    return {
        "id": str(member.id),
        "name": member.name.shown(),
        "status": member.status,
        "schedule": [_booking(b) for b in calendar.bookings(get_site(), loket, str(member.id), since)],
        "offers": [
            {
                "request": o["request_id"],
                "school": {"brin": o["school"], "name": schools.get(o["school"], {}).get("name", o["school"])},
                "group": json.loads(o["details_json"]).get("group", ""),
                "parts": json.loads(o["parts_json"]),
                "expiresAt": o["expires_at"],
            }
            for o in offers
        ],
        "calendar": f"{base}/me/schedule.ics?token={request.args['token']}",
    }, 200, {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


@bp.post("/me/offers/<uuid:request_id>/accept")
def accept_own_offer(loket: str, request_id: UUID):
    """Take your offer for a request: ``{"token": <member token>}``; 409 as with the offer's link."""
    data = load(AnswerSchema(), json_body(), "The answer is not valid.")
    return service().answer_as_member(loket, data["token"], request_id, True)


@bp.post("/me/offers/<uuid:request_id>/decline")
def decline_own_offer(loket: str, request_id: UUID):
    """Say no to your offer for a request: ``{"token": <member token>, "reason": "…"}``."""
    data = load(AnswerSchema(), json_body(), "The answer is not valid.")
    return service().answer_as_member(loket, data["token"], request_id, False, data["reason"])


@bp.post("/me/assignments/<uuid:request_id>/cancel")
def cancel_own_assignment(loket: str, request_id: UUID):
    """Give back day-parts you took: ``{"token", "parts" (all yours in the request when left out),
    "reason"}``. They are offered to someone else at once."""
    from core.envelope import acting

    data = load(OwnCancelInSchema(), json_body(), "The cancellation is not valid.")
    pool = service()
    member = pool.member_by_token(loket, data["token"])
    found = pool.request(loket, request_id)
    mine = [key for key, state in found.parts.items() if state["status"] == FILLED and state.get("member") == str(member.id)]
    parts = data["parts"] if data["parts"] is not None else mine
    if not mine:
        raise NotFoundError("You have no day-parts in this request.")
    if not parts or any(p not in mine for p in parts):
        raise InvalidInputError("The cancellation is not valid.", {"parts": f"day-parts you took in this request: {', '.join(mine)}"})
    with acting(actor=f"pool-member:{member.id}", loket=loket):
        return pool.cancel_assignment(loket, request_id, parts, "substitute", data["reason"])


def _booking(row: dict[str, Any]) -> dict[str, Any]:
    day, part = row["part"].split(":")
    return {
        "part": row["part"],
        "date": day,
        "dayPart": part,
        "request": row["request_id"],
        "school": {"brin": row["school"], "name": row["school_name"]},
        "group": row["group"],
        "subjects": row["subjects"],
        "notes": row["notes"],
    }


# Output of the pool


def _board(number: str, board: dict[str, Any]) -> dict[str, Any]:
    return {"board": number, "name": board["name"], "active": board["active"]}


def _school(brin: str, school: dict[str, Any]) -> dict[str, Any]:
    return SchoolSchema().dump({"brin": brin, **school})


for part in (calendar.bp, reports_api.bp):
    bp.register_blueprint(part)
