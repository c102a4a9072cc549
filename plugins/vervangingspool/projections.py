"""Read models of the pool: members (no personal data: that stays in the events, encrypted),
bookings, requests with one row per day-part (for matching, calendars and reports), and offers."""

from __future__ import annotations

import json
from datetime import UTC
from functools import singledispatchmethod
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from core.projections import LoketProjection
from core.readmodel import ReadView, replacing

from .domain import FILLED, OPEN, PoolMember, Schedule, SubstitutionRequest


class PoolView(ReadView):
    schema_version = 1

    tables = {
        "pool_members": [
            "CREATE TABLE IF NOT EXISTS pool_members (id TEXT PRIMARY KEY, loket TEXT NOT NULL, status TEXT NOT NULL, "
            "profile_json TEXT NOT NULL, approvals_json TEXT NOT NULL DEFAULT '{}', exceptions_json TEXT NOT NULL DEFAULT '{}', "
            "joined_at TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS pool_members_loket ON pool_members (loket, status)",
        ],
        "pool_bookings": [
            "CREATE TABLE IF NOT EXISTS pool_bookings (member_id TEXT NOT NULL, part TEXT NOT NULL, request_id TEXT NOT NULL, "
            "PRIMARY KEY (member_id, part))",
        ],
        "pool_parts": [
            "CREATE TABLE IF NOT EXISTS pool_parts (request_id TEXT NOT NULL, part TEXT NOT NULL, loket TEXT NOT NULL, "
            "board TEXT NOT NULL, school TEXT NOT NULL, sector TEXT NOT NULL, grp TEXT NOT NULL DEFAULT '', status TEXT NOT NULL, "
            "member_id TEXT, reason TEXT, opened_at TEXT NOT NULL, filled_at TEXT, PRIMARY KEY (request_id, part))",
            "CREATE INDEX IF NOT EXISTS pool_parts_loket ON pool_parts (loket, status, part)",
            "CREATE INDEX IF NOT EXISTS pool_parts_member ON pool_parts (member_id, part)",
        ],
        "pool_requests": [
            "CREATE TABLE IF NOT EXISTS pool_requests (id TEXT PRIMARY KEY, loket TEXT NOT NULL, board TEXT NOT NULL, "
            "school TEXT NOT NULL, details_json TEXT NOT NULL, opened_at TEXT NOT NULL, cancelled_reason TEXT)",
            "CREATE INDEX IF NOT EXISTS pool_requests_school ON pool_requests (loket, school)",
        ],
        "pool_offers": [
            "CREATE TABLE IF NOT EXISTS pool_offers (offer_id TEXT PRIMARY KEY, request_id TEXT NOT NULL, loket TEXT NOT NULL, "
            "member_id TEXT NOT NULL, parts_json TEXT NOT NULL, status TEXT NOT NULL, expires_at TEXT NOT NULL, "
            "made_at TEXT NOT NULL, answered_at TEXT, reason TEXT, round INTEGER NOT NULL DEFAULT 1)",
            "CREATE INDEX IF NOT EXISTS pool_offers_open ON pool_offers (status, expires_at)",
            "CREATE INDEX IF NOT EXISTS pool_offers_request ON pool_offers (request_id)",
        ],
    }

    def execute(self, statements: list[tuple[str, tuple[Any, ...] | list[Any]]], tracking: Tracking) -> None:
        """Run the statements and record the tracking, in one transaction."""
        with self.datastore.transaction(commit=True) as c:
            for sql, params in statements:
                c.execute(sql, params)
            self._insert_tracking(c, tracking)

    def query(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[dict[str, Any]]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(sql, params)
            return [dict(row) for row in c.fetchall()]


class PoolProjection(LoketProjection[PoolView]):
    name = "vervangingspool"
    view_class = PoolView
    topics = tuple(
        get_topic(e)
        for e in (
            PoolMember.MemberJoined, PoolMember.ProfileChanged, PoolMember.AvailabilityExceptionsSet, PoolMember.MemberStatusChanged,
            PoolMember.BoardDecided, Schedule.Booked, Schedule.Released, SubstitutionRequest.RequestOpened, SubstitutionRequest.OfferMade,
            SubstitutionRequest.OfferAccepted, SubstitutionRequest.OfferDeclined, SubstitutionRequest.OfferExpired,
            SubstitutionRequest.AssignmentCancelled, SubstitutionRequest.RequestCancelled, SubstitutionRequest.PartsCompleted,
            SubstitutionRequest.PartsUnfilled,
        )
    )

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    # Members

    @process_event.register
    def joined(self, e: PoolMember.MemberJoined, tracking: Tracking) -> None:
        self.view.execute(
            [("INSERT INTO pool_members (id, loket, status, profile_json, joined_at) VALUES (?, ?, 'active', ?, ?) "
              + replacing("id", "loket", "status", "profile_json", "joined_at"),
              (str(e.originator_id), e.loket, json.dumps(e.profile), e.timestamp.isoformat()))],
            tracking,
        )

    @process_event.register
    def profile_changed(self, e: PoolMember.ProfileChanged, tracking: Tracking) -> None:
        self._merge_json(e, "profile_json", e.changes, tracking)

    @process_event.register
    def exceptions_set(self, e: PoolMember.AvailabilityExceptionsSet, tracking: Tracking) -> None:
        self._merge_json(e, "exceptions_json", e.exceptions, tracking)

    @process_event.register
    def decided(self, e: PoolMember.BoardDecided, tracking: Tracking) -> None:
        self._merge_json(e, "approvals_json", {e.board: e.approved}, tracking)

    @process_event.register
    def status_changed(self, e: PoolMember.MemberStatusChanged, tracking: Tracking) -> None:
        self.view.execute([("UPDATE pool_members SET status = ? WHERE id = ?", (e.status, str(e.originator_id)))], tracking)

    # Bookings

    @process_event.register
    def booked(self, e: Schedule.Booked, tracking: Tracking) -> None:
        self.view.execute(
            [("INSERT INTO pool_bookings VALUES (?, ?, ?) " + replacing("member_id, part", "request_id"), (e.member, part, e.request_id)) for part in e.parts], tracking
        )

    @process_event.register
    def released(self, e: Schedule.Released, tracking: Tracking) -> None:
        self.view.execute(
            [("DELETE FROM pool_bookings WHERE member_id = ? AND part = ? AND request_id = ?", (e.member, part, e.request_id)) for part in e.parts],
            tracking,
        )

    # Requests

    @process_event.register
    def opened(self, e: SubstitutionRequest.RequestOpened, tracking: Tracking) -> None:
        request_id, at = str(e.originator_id), e.timestamp.isoformat()
        statements: list[tuple[str, Any]] = [
            ("INSERT INTO pool_requests (id, loket, board, school, details_json, opened_at) VALUES (?, ?, ?, ?, ?, ?) "
             + replacing("id", "loket", "board", "school", "details_json", "opened_at"),
             (request_id, e.loket, e.board, e.school, json.dumps(e.details), at))
        ]
        statements += [
            ("INSERT INTO pool_parts (request_id, part, loket, board, school, sector, grp, status, opened_at) "
             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) " + replacing("request_id, part", "loket", "board", "school", "sector", "grp", "status", "opened_at"),
             (request_id, part, e.loket, e.board, e.school, e.details.get("sector", ""), e.details.get("group", ""), OPEN, at))
            for part in e.parts
        ]
        self.view.execute(statements, tracking)

    @process_event.register
    def offered(self, e: SubstitutionRequest.OfferMade, tracking: Tracking) -> None:
        request_id = str(e.originator_id)
        statements: list[tuple[str, Any]] = [
            ("INSERT INTO pool_offers (offer_id, request_id, loket, member_id, parts_json, status, expires_at, made_at, round) "
             "SELECT ?, ?, loket, ?, ?, 'open', ?, ?, ? FROM pool_requests WHERE id = ? "
             + replacing("offer_id", "request_id", "loket", "member_id", "parts_json", "status", "expires_at", "made_at", "round"),
             (e.offer_id, request_id, e.member, json.dumps(e.parts), _utc(e.expires_at), e.timestamp.isoformat(), e.round_, request_id))
        ]
        statements += [("UPDATE pool_parts SET status = 'offered' WHERE request_id = ? AND part = ? AND status = 'open'", (request_id, p)) for p in e.parts]
        self.view.execute(statements, tracking)

    @process_event.register
    def accepted(self, e: SubstitutionRequest.OfferAccepted, tracking: Tracking) -> None:
        request_id, at = str(e.originator_id), e.timestamp.isoformat()
        statements: list[tuple[str, Any]] = [
            ("UPDATE pool_offers SET status = 'accepted', answered_at = ? WHERE offer_id = ?", (at, e.offer_id)),
        ]
        statements += [
            ("UPDATE pool_parts SET status = ?, member_id = ?, filled_at = ? WHERE request_id = ? AND part = ?", (FILLED, e.member, at, request_id, p))
            for p in e.parts
        ]
        # Open offers left with nothing open are void (as the aggregate decides).
        statements.append((
            "UPDATE pool_offers SET status = 'superseded' WHERE request_id = ? AND status = 'open' AND NOT EXISTS ("
            "SELECT 1 FROM pool_parts, json_each(pool_offers.parts_json) AS p WHERE pool_parts.request_id = pool_offers.request_id "
            "AND pool_parts.part = p.value AND pool_parts.status IN ('open', 'offered'))",
            (request_id,),
        ))
        self.view.execute(statements, tracking)

    @process_event.register
    def declined(self, e: SubstitutionRequest.OfferDeclined, tracking: Tracking) -> None:
        self._offer_closed(e, "declined", e.reason, tracking)

    @process_event.register
    def offer_expired(self, e: SubstitutionRequest.OfferExpired, tracking: Tracking) -> None:
        self._offer_closed(e, "expired", None, tracking)

    @process_event.register
    def assignment_cancelled(self, e: SubstitutionRequest.AssignmentCancelled, tracking: Tracking) -> None:
        status = OPEN if e.by == "substitute" else "cancelled"
        reason = f"cancelled-by-{e.by}: {e.reason}"
        self.view.execute(
            [("UPDATE pool_parts SET status = ?, member_id = NULL, filled_at = NULL, reason = ? WHERE request_id = ? AND part = ?",
              (status, reason, str(e.originator_id), p)) for p in e.parts],
            tracking,
        )

    @process_event.register
    def cancelled(self, e: SubstitutionRequest.RequestCancelled, tracking: Tracking) -> None:
        request_id = str(e.originator_id)
        statements: list[tuple[str, Any]] = [
            ("UPDATE pool_parts SET status = 'cancelled', member_id = NULL, reason = 'cancelled-by-school' WHERE request_id = ? AND part = ?", (request_id, p))
            for p in e.parts
        ]
        statements.append(("UPDATE pool_requests SET cancelled_reason = ? WHERE id = ?", (e.reason, request_id)))
        statements.append(("UPDATE pool_offers SET status = 'withdrawn' WHERE request_id = ? AND status = 'open'", (request_id,)))
        self.view.execute(statements, tracking)

    @process_event.register
    def completed(self, e: SubstitutionRequest.PartsCompleted, tracking: Tracking) -> None:
        self.view.execute(
            [("UPDATE pool_parts SET status = 'completed' WHERE request_id = ? AND part = ?", (str(e.originator_id), p)) for p in e.parts], tracking
        )

    @process_event.register
    def unfilled(self, e: SubstitutionRequest.PartsUnfilled, tracking: Tracking) -> None:
        request_id = str(e.originator_id)
        statements: list[tuple[str, Any]] = [
            ("UPDATE pool_parts SET status = 'unfilled', member_id = NULL, reason = ? WHERE request_id = ? AND part = ?", (reason, request_id, p))
            for p, reason in e.reasons.items()
        ]
        statements.append(("UPDATE pool_offers SET status = 'expired' WHERE request_id = ? AND status = 'open'", (request_id,)))
        self.view.execute(statements, tracking)

    # Helpers

    def _merge_json(self, e: Any, column: str, changes: dict[str, Any], tracking: Tracking) -> None:
        rows = self.view.query(f"SELECT {column} FROM pool_members WHERE id = ?", (str(e.originator_id),))
        if not rows:
            self.view.insert_tracking(tracking)
            return
        merged = {**json.loads(rows[0][column]), **changes}
        self.view.execute([(f"UPDATE pool_members SET {column} = ? WHERE id = ?", (json.dumps(merged), str(e.originator_id)))], tracking)

    def _offer_closed(self, e: Any, status: str, reason: str | None, tracking: Tracking) -> None:
        request_id = str(e.originator_id)
        self.view.execute(
            [
                ("UPDATE pool_offers SET status = ?, answered_at = ?, reason = ? WHERE offer_id = ?", (status, e.timestamp.isoformat(), reason, e.offer_id)),
                ("UPDATE pool_parts SET status = 'open' WHERE request_id = ? AND status = 'offered' AND part NOT IN ("
                 "SELECT p.value FROM pool_offers, json_each(pool_offers.parts_json) AS p WHERE pool_offers.request_id = ? AND pool_offers.status = 'open')",
                 (request_id, request_id)),
            ],
            tracking,
        )


def _utc(moment: Any) -> str:

    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")
