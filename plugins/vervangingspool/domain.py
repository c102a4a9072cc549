"""The substitute pool: its participating boards and schools, its members (the substitutes), their
schedules, and substitution requests from request to filled lesson.

A day-part is ``"2027-03-01:morning"`` or ``"…:afternoon"``. A request holds the state of each of its
day-parts; an offer covers one or more of them. An acceptance changes the request *and* the
substitute's schedule, saved together: when two acceptances for the same day-part (or two requests
for the same substitute at the same time) arrive at once, the store lets one win and the other gets
a stale version — retried, it finds the day-part filled and answers "already filled".
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from core.domain import LoketAggregate, deterministic_id
from core.errors import ConflictError, InvalidInputError
from core.privacy import Personal

MORNING, AFTERNOON = "morning", "afternoon"
PARTS = (MORNING, AFTERNOON)
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")
OPEN, OFFERED, FILLED, CANCELLED, UNFILLED, COMPLETED = "open", "offered", "filled", "cancelled", "unfilled", "completed"
ACTIVE, PAUSED, LEFT = "active", "paused", "left"
SEQUENTIAL, TIER = "sequential", "tier"


def day_part(day: str, part: str) -> str:
    return f"{day}:{part}"


def split_day_part(key: str) -> tuple[date, str]:
    day, part = key.split(":")
    return date.fromisoformat(day), part


class AlreadyFilledError(ConflictError):
    """Raised when accepting an offer for a day-part someone else has accepted first."""

    slug = "already-filled"


class OfferClosedError(ConflictError):
    """Raised when answering an offer that expired, was declined or withdrawn."""

    slug = "offer-closed"


class DoubleBookedError(ConflictError):
    """Raised when a substitute would work two requests in the same day-part."""

    slug = "double-booked"


class Pool(LoketAggregate):
    """The pool of one loket: its participating school boards and their schools, with each school's
    preferred (in order) and excluded substitutes."""

    @staticmethod
    def create_id(loket: str) -> UUID:
        return deterministic_id("vervangingspool", loket)

    @event("PoolStarted")
    def __init__(self, loket: str) -> None:
        self.loket = loket
        self.boards: dict[str, dict[str, Any]] = {}
        self.schools: dict[str, dict[str, Any]] = {}

    def join_board(self, board: str, name: str) -> None:
        if self.boards.get(board, {}).get("active") and self.boards[board]["name"] == name:
            return
        self._board_joined(board=board, name=name)

    @event("BoardJoined")
    def _board_joined(self, board: str, name: str) -> None:
        self.boards[board] = {"name": name, "active": True}

    def leave_board(self, board: str) -> None:
        if self.boards.get(board, {}).get("active"):
            self._board_left(board=board)

    @event("BoardLeft")
    def _board_left(self, board: str) -> None:
        self.boards[board]["active"] = False

    def set_school(self, brin: str, fields: dict[str, Any]) -> None:
        if fields["board"] not in self.boards or not self.boards[fields["board"]]["active"]:
            raise InvalidInputError("The school's board does not take part in this pool.", {"board": "add the board first"})
        current = self.schools.get(brin)
        merged = {"preferred": [], "excluded": [], **(current or {}), **fields}
        if merged != current:
            self._school_set(brin=brin, fields=merged)

    @event("SchoolSet")
    def _school_set(self, brin: str, fields: dict[str, Any]) -> None:
        self.schools[brin] = dict(fields)


class PoolMember(LoketAggregate):
    """A substitute in a loket's pool. Name and contact details are personal data (kind "pool")."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return uuid4()

    @event("MemberJoined")
    def __init__(self, loket: str, person_id: UUID, name: Personal, email: Personal, phone: Personal, profile: dict[str, Any], secret_sha256: str) -> None:
        self.loket = loket
        self.person_id = person_id
        self.name = name
        self.email = email
        self.phone = phone
        self.profile = dict(profile)
        self.secret_sha256 = secret_sha256  # of the member's own link (offers, schedule, ICS feed)
        self.status = ACTIVE
        self.approvals: dict[str, bool] = {}
        self.exceptions: dict[str, bool] = {}  # day-part → available (True) or not (False)

    def change_profile(self, profile: dict[str, Any]) -> None:
        changes = {k: v for k, v in profile.items() if self.profile.get(k) != v}
        if changes:
            self._profile_changed(changes=changes)

    @event("ProfileChanged")
    def _profile_changed(self, changes: dict[str, Any]) -> None:
        self.profile.update(changes)

    def set_exceptions(self, exceptions: dict[str, bool]) -> None:
        changes = {k: v for k, v in exceptions.items() if self.exceptions.get(k) != v}
        if changes:
            self._exceptions_set(exceptions=changes)

    @event("AvailabilityExceptionsSet")
    def _exceptions_set(self, exceptions: dict[str, bool]) -> None:
        self.exceptions.update(exceptions)

    def change_status(self, status: str, reason: str = "") -> None:
        if status not in (ACTIVE, PAUSED, LEFT):
            raise InvalidInputError("Unknown status.", {"status": f"use {ACTIVE}, {PAUSED} or {LEFT}"})
        if self.status == LEFT:
            raise ConflictError("This substitute has left the pool.")
        if status != self.status:
            self._status_changed(status=status, reason=reason)

    @event("MemberStatusChanged")
    def _status_changed(self, status: str, reason: str) -> None:
        self.status = status

    def decide(self, board: str, approved: bool, note: str = "") -> None:
        """A participating board approves (or refuses) the substitute for its schools."""
        if self.approvals.get(board) != approved:
            self._decided(board=board, approved=approved, note=note)

    @event("BoardDecided")
    def _decided(self, board: str, approved: bool, note: str) -> None:
        self.approvals[board] = approved


class Schedule(LoketAggregate):
    """The day-parts a substitute is booked for, across all requests: one booking per day-part."""

    @staticmethod
    def create_id(member_id: UUID) -> UUID:
        return deterministic_id("vervangingspool-schedule", str(member_id))

    @event("ScheduleStarted")
    def __init__(self, loket: str, member_id: UUID) -> None:
        self.loket = loket
        self.member_id = member_id
        self.booked: dict[str, str] = {}  # day-part → request id

    def book(self, parts: list[str], request_id: UUID) -> None:
        taken = [p for p in parts if self.booked.get(p) not in (None, str(request_id))]
        if taken:
            raise DoubleBookedError(f"Already working elsewhere on {', '.join(sorted(taken))}.")
        self._booked(parts=sorted(parts), request_id=str(request_id), member=str(self.member_id))

    @event("Booked")
    def _booked(self, parts: list[str], request_id: str, member: str) -> None:
        for part in parts:
            self.booked[part] = request_id

    def release(self, parts: list[str], request_id: UUID) -> None:
        mine = [p for p in parts if self.booked.get(p) == str(request_id)]
        if mine:
            self._released(parts=sorted(mine), request_id=str(request_id), member=str(self.member_id))

    @event("Released")
    def _released(self, parts: list[str], request_id: str, member: str) -> None:
        for part in parts:
            self.booked.pop(part, None)


class SubstitutionRequest(LoketAggregate):
    """A school's request for a substitute on one or more day-parts (never with a medical reason)."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return uuid4()

    @event("RequestOpened")
    def __init__(self, loket: str, board: str, school: str, details: dict[str, Any], parts: list[str]) -> None:
        self.loket = loket
        self.board = board
        self.school = school
        self.details = dict(details)
        self.parts: dict[str, dict[str, Any]] = {key: {"status": OPEN, "member": None} for key in sorted(parts)}
        self.offers: dict[str, dict[str, Any]] = {}

    # Offers

    def offer(self, member_id: UUID, parts: list[str], expires_at: datetime, secret_sha256: str, round_: int) -> str:
        """Offer ``parts`` (open ones) to a substitute until ``expires_at``; returns the offer id."""
        wanted = [p for p in parts if self.parts.get(p, {}).get("status") in (OPEN, OFFERED)]
        if not wanted:
            raise AlreadyFilledError("Nothing of this request is open any more.")
        if any(o["member"] == str(member_id) and o["status"] == "open" for o in self.offers.values()):
            raise ConflictError("This substitute has an open offer for this request already.")
        offer_id = uuid4().hex
        self._offered(offer_id=offer_id, member=str(member_id), parts=wanted, expires_at=expires_at, secret_sha256=secret_sha256, round_=round_)
        return offer_id

    @event("OfferMade")
    def _offered(self, offer_id: str, member: str, parts: list[str], expires_at: datetime, secret_sha256: str, round_: int) -> None:
        self.offers[offer_id] = {"member": member, "parts": list(parts), "expires_at": expires_at, "status": "open", "secret_sha256": secret_sha256, "round": round_}
        for part in parts:
            if self.parts[part]["status"] == OPEN:
                self.parts[part]["status"] = OFFERED

    def accept(self, offer_id: str, now: datetime) -> list[str]:
        """Take the offered day-parts. :raise AlreadyFilledError: someone else was first.
        :raise OfferClosedError: the offer expired, was declined or withdrawn."""
        offer = self._open_offer(offer_id, now)
        taken = [p for p in offer["parts"] if self.parts[p]["status"] not in (OPEN, OFFERED)]
        if taken:
            raise AlreadyFilledError("Someone else has already accepted this: the request is filled.")
        self._accepted(offer_id=offer_id, member=offer["member"], parts=list(offer["parts"]))
        return list(offer["parts"])

    @event("OfferAccepted")
    def _accepted(self, offer_id: str, member: str, parts: list[str]) -> None:
        self.offers[offer_id]["status"] = "accepted"
        for part in parts:
            self.parts[part] = {"status": FILLED, "member": member}
        # Other open offers for these day-parts are void now.
        for other in self.offers.values():
            if other["status"] == "open" and not any(self.parts[p]["status"] in (OPEN, OFFERED) for p in other["parts"]):
                other["status"] = "superseded"

    def decline(self, offer_id: str, reason: str, now: datetime) -> None:
        self._open_offer(offer_id, now)
        self._declined(offer_id=offer_id, reason=reason)

    @event("OfferDeclined")
    def _declined(self, offer_id: str, reason: str) -> None:
        self.offers[offer_id]["status"] = "declined"
        self._reopen_unoffered()

    def expire_offer(self, offer_id: str) -> None:
        if self.offers[offer_id]["status"] == "open":
            self._offer_expired(offer_id=offer_id)

    @event("OfferExpired")
    def _offer_expired(self, offer_id: str) -> None:
        self.offers[offer_id]["status"] = "expired"
        self._reopen_unoffered()

    def _open_offer(self, offer_id: str, now: datetime) -> dict[str, Any]:
        offer = self.offers.get(offer_id)
        if offer is None:
            raise OfferClosedError("There is no such offer.")
        if offer["status"] == "superseded":
            raise AlreadyFilledError("Someone else has already accepted this: the request is filled.")
        if offer["status"] != "open" or offer["expires_at"] <= now:
            raise OfferClosedError(f"This offer is no longer open ({'expired' if offer['status'] == 'open' else offer['status']}).")
        return offer

    def _reopen_unoffered(self) -> None:
        offered = {p for o in self.offers.values() if o["status"] == "open" for p in o["parts"]}
        for key, state in self.parts.items():
            if state["status"] == OFFERED and key not in offered:
                state["status"] = OPEN

    # Cancelling, closing

    def cancel_assignment(self, parts: list[str], by: str, reason: str) -> str:
        """A filled day-part is given back: by the substitute (it is open again) or by the school
        (it is not needed any more). Returns the member whose assignment it was."""
        if by not in ("school", "substitute"):
            raise InvalidInputError("Who cancels?", {"by": "school or substitute"})
        if not reason.strip():
            raise InvalidInputError("Say why.", {"reason": "must not be empty"})
        states = [self.parts.get(p) for p in parts]
        if not parts or any(s is None or s["status"] != FILLED for s in states):
            raise ConflictError("Only filled day-parts of this request can be cancelled.")
        members = {s["member"] for s in states}
        if len(members) != 1:
            raise InvalidInputError("Cancel one substitute's day-parts at a time.", {"parts": "of one substitute"})
        member = members.pop()
        self._assignment_cancelled(parts=sorted(parts), member=member, by=by, reason=reason)
        return member

    @event("AssignmentCancelled")
    def _assignment_cancelled(self, parts: list[str], member: str, by: str, reason: str) -> None:
        for part in parts:
            self.parts[part] = {"status": OPEN if by == "substitute" else CANCELLED, "member": None}

    def cancel(self, reason: str) -> dict[str, list[str]]:
        """The school cancels the whole request; returns the filled day-parts per member (to release)."""
        if not reason.strip():
            raise InvalidInputError("Say why.", {"reason": "must not be empty"})
        live = [k for k, s in self.parts.items() if s["status"] in (OPEN, OFFERED, FILLED)]
        if not live:
            raise ConflictError("Nothing of this request can be cancelled any more.")
        released: dict[str, list[str]] = {}
        for key in live:
            if self.parts[key]["member"]:
                released.setdefault(self.parts[key]["member"], []).append(key)
        self._cancelled(parts=live, reason=reason)
        return released

    @event("RequestCancelled")
    def _cancelled(self, parts: list[str], reason: str) -> None:
        for key in parts:
            self.parts[key] = {"status": CANCELLED, "member": None}
        for offer in self.offers.values():
            if offer["status"] == "open":
                offer["status"] = "withdrawn"

    def close_past(self, today: date) -> None:
        """Day-parts whose day has passed: filled → completed, still open → unfilled (with the reason)."""
        done = [k for k, s in self.parts.items() if s["status"] == FILLED and split_day_part(k)[0] < today]
        missed = [k for k, s in self.parts.items() if s["status"] in (OPEN, OFFERED) and split_day_part(k)[0] < today]
        if done:
            self._completed(parts=done)
        if missed:
            self._unfilled(reasons={key: self._why_unfilled(key) for key in missed})

    def _why_unfilled(self, key: str) -> str:
        offers = [o for o in self.offers.values() if key in o["parts"]]
        if not offers:
            return "no-candidate"
        return "declined" if all(o["status"] == "declined" for o in offers) else "no-answer"

    @event("PartsCompleted")
    def _completed(self, parts: list[str]) -> None:
        for key in parts:
            self.parts[key]["status"] = COMPLETED

    @event("PartsUnfilled")
    def _unfilled(self, reasons: dict[str, str]) -> None:
        for key, reason in reasons.items():
            self.parts[key] = {"status": UNFILLED, "member": None, "reason": reason}
        for offer in self.offers.values():
            if offer["status"] == "open":
                offer["status"] = "expired"

    @property
    def open_parts(self) -> list[str]:
        return [k for k, s in self.parts.items() if s["status"] in (OPEN, OFFERED)]
