"""A question from someone interested in working in education, and each step of its handling."""

from __future__ import annotations

from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from core.domain import LoketAggregate
from core.errors import ConflictError, InvalidInputError
from core.privacy import Personal

NEW, ASSIGNED, ANSWERED, REFERRED, CLOSED = "new", "assigned", "answered", "referred", "closed"
ONDERWIJSLOKET = "onderwijsloket"


class Question(LoketAggregate):
    """Asked at one loket; may move to another loket (history kept) or to the national Onderwijsloket."""

    @staticmethod
    def create_id(**_: Any) -> UUID:
        return uuid4()

    @event("QuestionAsked")
    def __init__(
        self, loket: str, person_id: UUID, name: Personal, email: Personal, text: Personal, sector: str | None, consent: dict[str, Any]
    ) -> None:
        self.loket = loket
        self.person_id = person_id
        self.name = name
        self.email = email
        self.text = text
        self.sector = sector
        self.status = NEW
        self.assignee: str | None = None
        self.answer: Personal | None = None
        self.faq_id: UUID | None = None

    def assign(self, assignee: str) -> None:
        self._refuse_when(CLOSED, REFERRED, action="assigned")
        if assignee == self.assignee:
            return
        self._assign(assignee=assignee)

    @event("QuestionAssigned")
    def _assign(self, assignee: str) -> None:
        self.assignee = assignee
        if self.status == NEW:
            self.status = ASSIGNED

    def give_answer(self, answer: Personal, by: str) -> None:
        self._refuse_when(CLOSED, REFERRED, action="answered")
        if not (answer.value or "").strip():
            raise InvalidInputError("An answer needs text.", {"answer": "must not be empty"})
        self._answer(answer=answer, by=by)

    @event("QuestionAnswered")
    def _answer(self, answer: Personal, by: str) -> None:
        self.answer = answer
        self.status = ANSWERED

    def refer(self, to: str, note: str, link: str | None) -> None:
        """Refer to the national Onderwijsloket (``onderwijsloket``) or to another loket (its slug):
        the question then moves there and is new again, its history kept."""
        self._refuse_when(CLOSED, REFERRED, action="referred")
        if to == self.loket:
            raise InvalidInputError("A question cannot be referred to its own loket.", {"to": "choose another loket"})
        self._refer(from_loket=self.loket, to=to, note=note, link=link)

    @event("QuestionReferred")
    def _refer(self, from_loket: str, to: str, note: str, link: str | None) -> None:
        if to == ONDERWIJSLOKET:
            self.status = REFERRED
        else:
            self.loket = to
            self.status = NEW
            self.assignee = None

    def close(self, reason: str) -> None:
        self._refuse_when(CLOSED, action="closed")
        self._close(reason=reason)

    @event("QuestionClosed")
    def _close(self, reason: str) -> None:
        self.status = CLOSED

    def check_can_become_faq(self) -> None:
        if self.answer is None or self.answer.erased or self.text.erased:
            raise ConflictError("Only a question with an answer (not erased) can become a FAQ entry.")

    def turn_into_faq(self, faq_id: UUID) -> None:
        self.check_can_become_faq()
        self._turn_into_faq(faq_id=faq_id)

    @event("TurnedIntoFaq")
    def _turn_into_faq(self, faq_id: UUID) -> None:
        self.faq_id = faq_id

    def _refuse_when(self, *statuses: str, action: str) -> None:
        if self.status in statuses:
            raise QuestionClosedError(f"This question is {self.status} and cannot be {action}.")


class QuestionClosedError(ConflictError):
    """Raised when changing a question that is closed or referred to the Onderwijsloket."""
