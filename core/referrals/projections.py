"""Referrals in and out per loket, from the helpdesk and from recorded referrals, for reports."""

from __future__ import annotations

from datetime import datetime
from functools import singledispatchmethod
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from core.helpdesk.domain import ONDERWIJSLOKET, Question
from core.projections import LoketProjection
from core.readmodel import ReadView, replacing
from core.referrals.domain import Referral


class ReferralsView(ReadView):
    tables = {
        "referrals": [
            "CREATE TABLE IF NOT EXISTS referrals (id TEXT NOT NULL, loket TEXT NOT NULL, direction TEXT NOT NULL, "
            "partner TEXT NOT NULL, source TEXT NOT NULL, count INTEGER NOT NULL, at TEXT NOT NULL, "
            "PRIMARY KEY (id, loket, direction))",
            "CREATE INDEX IF NOT EXISTS referrals_report ON referrals (loket, at)",
        ]
    }

    def add(self, rows: list[tuple[Any, ...]], tracking: Tracking) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.executemany("INSERT INTO referrals VALUES (?, ?, ?, ?, ?, ?, ?) " + replacing("id, loket, direction", "partner", "source", "count", "at"), rows)
            self._insert_tracking(c, tracking)

    def report(self, loket: str, since: datetime | None, until: datetime | None) -> dict[str, dict[str, int]]:
        where, params = ["loket = ?"], [loket]
        if since:
            where.append("at >= ?")
            params.append(since.isoformat())
        if until:
            where.append("at < ?")
            params.append(until.isoformat())
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                f"SELECT direction, partner, SUM(count) AS n FROM referrals WHERE {' AND '.join(where)} "
                "GROUP BY direction, partner ORDER BY direction, partner",
                params,
            )
            report: dict[str, dict[str, int]] = {"in": {}, "out": {}}
            for row in c.fetchall():
                report[row["direction"]][row["partner"]] = row["n"]
            return report


class ReferralsProjection(LoketProjection[ReferralsView]):
    name = "referrals"
    view_class = ReferralsView
    topics = (get_topic(Question.QuestionReferred), get_topic(Referral.ReferralRecorded))

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def question_referred(self, domain_event: Question.QuestionReferred, tracking: Tracking) -> None:
        at = domain_event.timestamp.isoformat()
        referral_id = f"{domain_event.originator_id}/{domain_event.originator_version}"
        out = ONDERWIJSLOKET if domain_event.to == ONDERWIJSLOKET else f"loket:{domain_event.to}"
        rows = [(referral_id, domain_event.from_loket, "out", out, "helpdesk", 1, at)]
        if domain_event.to != ONDERWIJSLOKET:
            rows.append((referral_id, domain_event.to, "in", f"loket:{domain_event.from_loket}", "helpdesk", 1, at))
        self.view.add(rows, tracking)

    @process_event.register
    def recorded(self, domain_event: Referral.ReferralRecorded, tracking: Tracking) -> None:
        row = (str(domain_event.originator_id), domain_event.loket, domain_event.direction, domain_event.partner, "recorded", domain_event.count, domain_event.timestamp.isoformat())
        self.view.add([row], tracking)
