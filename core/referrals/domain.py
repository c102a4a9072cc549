"""A referral made outside the helpdesk (a phone call, a walk-in): to or from the national
Onderwijsloket, another loket, a training programme or a platform. Helpdesk referrals are recorded
by the question itself (``QuestionReferred``); both count in the report."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from core.domain import LoketAggregate

DIRECTIONS = ("in", "out")


class Referral(LoketAggregate):
    @staticmethod
    def create_id(**_: Any) -> UUID:
        return uuid4()

    @event("ReferralRecorded")
    def __init__(self, loket: str, direction: str, partner: str, reason: str, count: int) -> None:
        self.loket = loket
        self.direction = direction
        self.partner = partner
        self.reason = reason
        self.count = count
