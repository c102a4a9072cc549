"""Commands of the substitute pool: the pool's boards and schools, members, requests, matching and
dispatch, answers (accept/decline, race-safe), cancellations, and the tick.

Offers go out by e-mail through the outbox with a signed link: ``<request>.<offer>.<secret>``, of
which only the sha256 is recorded. A member also has their own link ``<member>.<secret>`` (their
schedule, their open offers, the ICS feed).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from core.envelope import acting
from core.errors import ConflictError, InvalidInputError, NotFoundError, StaleVersionError
from core.outbox.service import queue_message
from core.validation import load

from .domain import CANCELLED, TIER, Pool, PoolMember, Schedule, SubstitutionRequest, split_day_part
from .matching import Candidate, rank
from .schemas import MemberInSchema, ProfileSchema, RequestInSchema, SchoolSchema, SettingsSchema

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
KIND = "pool"  # personal data kind of members (retention per kind)
ANSWER_ATTEMPTS = 5
PART_NAMES = {"morning": "ochtend", "afternoon": "middag"}


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class SubstitutePool:
    def __init__(self, site: Any) -> None:
        self.site = site
        self.app = site.app

    @property
    def view(self) -> Any:
        return self.site.projection("vervangingspool").view

    def settings(self, loket: str) -> dict[str, Any]:
        return SettingsSchema().load(self.site.lokets.get(loket).settings.get("vervangingspool", {}))

    # The pool: boards and schools

    def pool(self, loket: str) -> Pool:
        try:
            return self.app.get(Pool.create_id(loket), Pool)
        except NotFoundError:
            return Pool(loket=loket)

    def join_board(self, loket: str, board: str, name: str) -> Pool:
        pool = self.pool(loket)
        if not (board.isdigit() and len(board) == 5):
            raise InvalidInputError("The board is not valid.", {"board": "give the board's DUO bevoegd-gezag number, five digits"})
        if not name.strip():
            raise InvalidInputError("The board is not valid.", {"name": "must not be empty"})
        pool.join_board(board, name.strip())
        self._save(pool)
        return pool

    def leave_board(self, loket: str, board: str) -> Pool:
        pool = self.pool(loket)
        pool.leave_board(board)
        self._save(pool)
        return pool

    def set_school(self, loket: str, data: dict[str, Any]) -> dict[str, Any]:
        fields = load(SchoolSchema(), data, "The school is not valid.")
        pool = self.pool(loket)
        brin = fields.pop("brin")
        pool.set_school(brin, fields)
        self._save(pool)
        return {"brin": brin, **pool.schools[brin]}

    # Members

    def add_member(self, loket: str, data: dict[str, Any]) -> tuple[UUID, str]:
        """A new substitute; returns their id and their own link's token (shown once)."""
        fields = load(MemberInSchema(), data, "The substitute is not valid.")
        person_id, person = self.site.privacy.person(fields["email"])
        secret = secrets.token_urlsafe(24)
        member = PoolMember(
            loket=loket,
            person_id=person_id,
            name=self.site.privacy.protect(person_id, KIND, fields["name"]),
            email=self.site.privacy.protect(person_id, KIND, fields["email"]),
            phone=self.site.privacy.protect(person_id, KIND, fields["phone"]),
            profile=fields["profile"],
            secret_sha256=sha256(secret),
        )
        self.app.save(*([person] if person else []), member)
        return member.id, f"{member.id.hex}.{secret}"

    def member(self, loket: str, member_id: UUID) -> PoolMember:
        try:
            member = self.app.get(member_id, PoolMember)
        except NotFoundError:
            member = None
        if member is None or member.loket != loket:  # another loket's member is as absent as none
            raise NotFoundError(f"There is no substitute {member_id} in loket '{loket}'.")
        return member

    def change_profile(self, loket: str, member_id: UUID, data: dict[str, Any], expected_version: int | None = None) -> PoolMember:
        member = self.member(loket, member_id)
        self._check_version(member, expected_version)
        member.change_profile(load(ProfileSchema(), data, "The profile is not valid.", partial=True))
        self._save(member)
        return member

    def set_exceptions(self, loket: str, member_id: UUID, exceptions: dict[str, bool]) -> PoolMember:
        from .schemas import _valid_part

        bad = [k for k, v in exceptions.items() if not _valid_part(k) or not isinstance(v, bool)]
        if bad:
            raise InvalidInputError("The exceptions are not valid.", {k: "a day-part (YYYY-MM-DD:morning) → true or false" for k in bad[:5]})
        member = self.member(loket, member_id)
        member.set_exceptions(exceptions)
        self._save(member)
        return member

    def change_status(self, loket: str, member_id: UUID, status: str, reason: str = "") -> PoolMember:
        member = self.member(loket, member_id)
        member.change_status(status, reason)
        self._save(member)
        return member

    def decide(self, loket: str, member_id: UUID, board: str, approved: bool, note: str = "") -> PoolMember:
        pool = self.pool(loket)
        if board not in pool.boards:
            raise InvalidInputError("This board does not take part in the pool.", {"board": "one of the pool's boards"})
        member = self.member(loket, member_id)
        member.decide(board, approved, note)
        self._save(member)
        return member

    def member_by_token(self, loket: str, token: str) -> PoolMember:
        try:
            member_hex, secret = token.split(".", 1)
            member = self.member(loket, UUID(hex=member_hex))
        except (ValueError, NotFoundError):
            member = None
        if member is None or not hmac.compare_digest(member.secret_sha256, sha256(secret)):
            raise InvalidInputError("The link is not valid.", {"token": "use the link from your e-mail"})
        return member

    # Requests

    def open_request(self, loket: str, data: dict[str, Any], now: datetime | None = None, boards: list[str] | None = None) -> UUID:
        """A school's request; offers go out at once. ``boards`` narrows who may ask (a school's own people)."""
        fields = load(RequestInSchema(), data, "The request is not valid.")
        pool = self.pool(loket)
        school = pool.schools.get(fields["school"])
        if school is None:
            raise InvalidInputError("The school does not take part in this pool.", {"school": "add the school to the pool first"})
        if boards is not None and school["board"] not in boards:
            raise InvalidInputError("The school is not one of yours.", {"school": "a school of your own board"})
        now = now or datetime.now(timezone.utc)
        today = now.astimezone(AMSTERDAM).date().isoformat()
        parts = sorted(set(fields.pop("parts")))
        if any(p[:10] < today for p in parts):
            raise InvalidInputError("The request is not valid.", {"parts": "day-parts from today on"})
        request = SubstitutionRequest(loket=loket, board=school["board"], school=fields.pop("school"), details=fields, parts=parts)
        self.app.save(request)
        self.dispatch(loket, request.id, now)
        return request.id

    def request(self, loket: str, request_id: UUID) -> SubstitutionRequest:
        try:
            request = self.app.get(request_id, SubstitutionRequest)
        except NotFoundError:
            request = None
        if request is None or request.loket != loket:
            raise NotFoundError(f"There is no request {request_id} in loket '{loket}'.")
        return request

    def candidates(self, loket: str, request_id: UUID, include_tried: bool = True) -> list[Candidate]:
        self.site.projections.catch_up()
        request = self.request(loket, request_id)
        return self._rank(request, include_tried)

    def _rank(self, request: SubstitutionRequest, include_tried: bool) -> list[Candidate]:
        pool = self.pool(request.loket)
        members = self.view.query("SELECT * FROM pool_members WHERE loket = ? ORDER BY id", (request.loket,))
        bookings: dict[str, set[str]] = {}
        for row in self.view.query(
            "SELECT b.member_id, b.part FROM pool_bookings AS b JOIN pool_members AS m ON m.id = b.member_id WHERE m.loket = ?", (request.loket,)
        ):
            bookings.setdefault(row["member_id"], set()).add(row["part"])
        taught = {
            row["member_id"]
            for row in self.view.query(
                "SELECT DISTINCT member_id FROM pool_parts WHERE loket = ? AND school = ? AND grp = ? AND grp != '' AND member_id IS NOT NULL "
                "AND status IN ('filled', 'completed') AND request_id != ?",
                (request.loket, request.school, request.details.get("group", ""), str(request.id)),
            )
        }
        tried = set() if include_tried else {o["member"] for o in request.offers.values()}
        facts = {"board": request.board, "school": request.school, "details": request.details}
        return rank(members, bookings, taught, facts, pool.schools.get(request.school, {}), request.open_parts, tried)

    # Dispatch

    def dispatch(self, loket: str, request_id: UUID, now: datetime) -> list[str]:
        """Offer the open day-parts nobody has an open offer for: to the best candidate not asked
        yet (sequential), or to the best ``tier_size`` at once (tier). Returns what was offered."""
        self.site.projections.catch_up()
        settings = self.settings(loket)
        request = self.request(loket, request_id)
        if any(o["status"] == "open" for o in request.offers.values()):
            return []  # waiting for an answer
        if not request.open_parts:
            return []
        mode = request.details.get("dispatch") or settings["dispatch"]
        ranked = self._rank(request, include_tried=False)
        chosen = ranked[: settings["tier_size"] if mode == TIER else 1]
        if not chosen:
            return []
        round_ = 1 + max((o["round"] for o in request.offers.values()), default=0)
        expires_at = now + timedelta(minutes=settings["offer_minutes"])
        messages, lines = [], []
        for candidate in chosen:
            secret = secrets.token_urlsafe(24)
            offer_id = request.offer(UUID(candidate.member_id), candidate.parts, expires_at, sha256(secret), round_)
            token = f"{request.id.hex}.{offer_id}.{secret}"
            member = self.app.get(UUID(candidate.member_id), PoolMember)
            messages.append(self._offer_message(loket, request, member, candidate.parts, token, expires_at))
            lines.append(f"{loket}: offered {len(candidate.parts)} day-part(s) of request {request.id} to {candidate.member_id}")
        try:
            self.app.save(request, *messages)
        except StaleVersionError:
            return []  # someone else dispatched or answered meanwhile; the next tick looks again
        return lines

    def _offer_message(self, loket: str, request: SubstitutionRequest, member: PoolMember, parts: list[str], token: str, expires_at: datetime) -> Any:
        school = self.pool(loket).schools.get(request.school, {})
        url = f"{self.site.config.public_url}/api/v1/lokets/{loket}/vervangingspool/aanbod?token={token}"
        when = ", ".join(_part_text(p) for p in parts)
        details = request.details
        return queue_message(
            loket,
            "pool-offer",
            member.email,
            f"Invalverzoek {school.get('name', request.school)}: {when}",
            f"Beste {member.name.shown()},\n\n{school.get('name', request.school)} zoekt een invaller"
            f"{' voor ' + details['group'] if details.get('group') else ''}{' (' + ', '.join(details['subjects']) + ')' if details.get('subjects') else ''}"
            f" op: {when}.\n{details.get('notes') or ''}\n\nNeem je het aan? Antwoord vóór {expires_at.astimezone(AMSTERDAM):%d-%m-%Y %H:%M} via {url}\n\n"
            f"Met vriendelijke groet,\n{self.site.lokets.get(loket).name}",
        )

    # Answers

    def answer(self, loket: str, token: str, accept: bool, reason: str = "", now: datetime | None = None) -> dict[str, Any]:
        """Accept or decline an offer with its signed link. Exactly one acceptance wins per
        day-part: a concurrent one gets a stale version, retries, and is told it is filled."""
        now = now or datetime.now(timezone.utc)
        for _ in range(ANSWER_ATTEMPTS):
            request, offer_id, offer = self.offer_by_token(loket, token)
            try:
                with acting(actor=f"pool-member:{offer['member']}", loket=loket):
                    return self._answer(loket, request, offer_id, offer, accept, reason, now)
            except StaleVersionError:
                continue  # someone answered (or dispatched) at the same moment: look again
        raise ConflictError("Too many answers at once; try again.")

    def offer_by_token(self, loket: str, token: str) -> tuple[SubstitutionRequest, str, dict[str, Any]]:
        """The request and offer a link's token (``<request>.<offer>.<secret>``) opens.
        :raise InvalidInputError: not a valid link. :raise NotFoundError: no such request here."""
        try:
            request_hex, offer_id, secret = token.split(".", 2)
            request_id = UUID(hex=request_hex)
        except ValueError:
            raise InvalidInputError("The link is not valid.", {"token": "use the link from your e-mail"}) from None
        request = self.request(loket, request_id)
        offer = request.offers.get(offer_id)
        if offer is None or not hmac.compare_digest(offer["secret_sha256"], sha256(secret)):
            raise InvalidInputError("The link is not valid.", {"token": "use the link from your e-mail"})
        return request, offer_id, offer

    def answer_as_member(self, loket: str, member_token: str, request_id: UUID, accept: bool, reason: str = "", now: datetime | None = None) -> dict[str, Any]:
        """The same, from the member's own page: their open offer for the request."""
        member = self.member_by_token(loket, member_token)
        with acting(actor=f"pool-member:{member.id}", loket=loket):
            return self.answer_for(loket, member.id, request_id, accept, reason, now)

    def answer_for(self, loket: str, member_id: UUID, request_id: UUID, accept: bool, reason: str = "", now: datetime | None = None) -> dict[str, Any]:
        """Answer the member's latest offer for the request, as the current actor: the member
        themself, or a coordinator who took their answer by phone."""
        now = now or datetime.now(timezone.utc)
        for _ in range(ANSWER_ATTEMPTS):
            request = self.request(loket, request_id)
            mine = [(i, o) for i, o in request.offers.items() if o["member"] == str(member_id)]
            if not mine:
                raise NotFoundError("This substitute has no offer for this request.")
            offer_id, offer = max(mine, key=lambda pair: pair[1]["round"])
            try:
                return self._answer(loket, request, offer_id, offer, accept, reason, now)
            except StaleVersionError:
                continue
        raise ConflictError("Too many answers at once; try again.")

    def _answer(self, loket: str, request: SubstitutionRequest, offer_id: str, offer: dict[str, Any], accept: bool, reason: str, now: datetime) -> dict[str, Any]:
        member_id = UUID(offer["member"])
        if not accept:
            request.decline(offer_id, reason, now)
            self.app.save(request)
            self.dispatch(loket, request.id, now)
            return {"status": "declined"}
        parts = request.accept(offer_id, now)
        schedule = self._schedule(loket, member_id)
        schedule.book(parts, request.id)
        member = self.app.get(member_id, PoolMember)
        school = self.pool(loket).schools.get(request.school, {})
        confirmation = queue_message(
            loket, "pool-confirmed", member.email, f"Bevestigd: invallen op {school.get('name', request.school)}",
            f"Beste {member.name.shown()},\n\nJe valt in op {school.get('name', request.school)}: {', '.join(_part_text(p) for p in parts)}.\n\n"
            f"Met vriendelijke groet,\n{self.site.lokets.get(loket).name}",
        )
        self.app.save(request, schedule, confirmation)
        return {"status": "accepted", "parts": parts}

    def _schedule(self, loket: str, member_id: UUID) -> Schedule:
        try:
            return self.app.get(Schedule.create_id(member_id), Schedule)
        except NotFoundError:
            return Schedule(loket=loket, member_id=member_id)

    # Cancelling

    def cancel_assignment(self, loket: str, request_id: UUID, parts: list[str], by: str, reason: str, now: datetime | None = None) -> dict[str, Any]:
        """Give filled day-parts back: the substitute's are offered again; the school's are not needed."""
        now = now or datetime.now(timezone.utc)
        request = self.request(loket, request_id)
        member_id = UUID(request.cancel_assignment(parts, by, reason))
        schedule = self._schedule(loket, member_id)
        schedule.release(parts, request.id)
        self.app.save(request, schedule)
        if by == "substitute":
            self.dispatch(loket, request.id, now)
        return {"status": "cancelled", "parts": sorted(parts)}

    def cancel_request(self, loket: str, request_id: UUID, reason: str) -> dict[str, Any]:
        request = self.request(loket, request_id)
        released = request.cancel(reason)
        schedules = []
        for member, parts in released.items():
            schedule = self._schedule(loket, UUID(member))
            schedule.release(parts, request.id)
            schedules.append(schedule)
        self.app.save(request, *schedules)
        return {"status": CANCELLED}

    # Scheduled work

    def tick(self, now: datetime) -> list[str]:
        """Expired offers → the next candidates; past day-parts → completed or unfilled."""
        lines: list[str] = []
        today = now.astimezone(AMSTERDAM).date()
        self.site.projections.catch_up()
        due = self.view.query(
            "SELECT DISTINCT o.request_id, o.loket FROM pool_offers AS o WHERE o.status = 'open' AND o.expires_at <= ? ORDER BY o.request_id",
            (_utc(now),),
        )
        for row in due:
            if not self._enabled(row["loket"]):
                continue
            with acting(actor="system", loket=row["loket"], correlation_id=_correlation(now)):
                request = self.request(row["loket"], UUID(row["request_id"]))
                for offer_id, offer in request.offers.items():
                    if offer["status"] == "open" and offer["expires_at"] <= now:
                        request.expire_offer(offer_id)
                try:
                    self.app.save(request)
                except StaleVersionError:
                    continue
                lines.append(f"{row['loket']}: offer(s) of request {row['request_id']} expired")
                lines += self.dispatch(row["loket"], request.id, now)
        waiting = self.view.query(
            "SELECT DISTINCT request_id, loket FROM pool_parts WHERE status = 'open' AND substr(part, 1, 10) >= ? ORDER BY request_id",
            (today.isoformat(),),
        )
        for row in waiting:  # open day-parts with no offer out: a member may have become available
            if self._enabled(row["loket"]):
                with acting(actor="system", loket=row["loket"], correlation_id=_correlation(now)):
                    lines += self.dispatch(row["loket"], UUID(row["request_id"]), now)
        past = self.view.query(
            "SELECT DISTINCT request_id, loket FROM pool_parts WHERE status IN ('open', 'offered', 'filled') AND substr(part, 1, 10) < ? ORDER BY request_id",
            (today.isoformat(),),
        )
        for row in past:
            if not self._enabled(row["loket"]):
                continue
            with acting(actor="system", loket=row["loket"], correlation_id=_correlation(now)):
                request = self.request(row["loket"], UUID(row["request_id"]))
                request.close_past(today)
                if request.pending_events:
                    try:
                        self.app.save(request)
                        lines.append(f"{row['loket']}: closed the past day-parts of request {row['request_id']}")
                    except StaleVersionError:
                        continue
        return lines

    # Helpers

    def _enabled(self, loket: str) -> bool:
        return "vervangingspool" in self.site.lokets.enabled_plugins(loket)

    def _save(self, aggregate: Any) -> None:
        if aggregate.pending_events:
            self.app.save(aggregate)

    @staticmethod
    def _check_version(aggregate: Any, expected: int | None) -> None:
        if expected is not None and expected != aggregate.version:
            raise StaleVersionError(f"Changed since version {expected}; it is at {aggregate.version}.", current_version=aggregate.version)


def _part_text(key: str) -> str:
    day, part = split_day_part(key)
    return f"{day:%d-%m-%Y} {PART_NAMES[part]}"


def _utc(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def _correlation(now: datetime) -> str:
    return f"pool-{now.isoformat()}"

