"""Commands of the helpdesk: a question asked in public, and each step editors take with it."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from uuid import UUID

from core.errors import InvalidInputError, NotFoundError
from core.helpdesk.domain import ONDERWIJSLOKET, Question
from core.helpdesk.schemas import AnswerSchema, AssignSchema, CloseSchema, FaqFromQuestionSchema, QuestionInSchema, ReferSchema
from core.outbox.service import queue_message
from core.validation import load

KIND = "question"
ONDERWIJSLOKET_URL = "https://www.onderwijsloket.com/"


class Helpdesk:
    def __init__(self, app: Any, privacy: Any, lokets: Any, content: Any) -> None:
        self.app = app
        self.privacy = privacy
        self.lokets = lokets
        self.content = content

    def ask(self, loket: str, data: dict[str, Any]) -> UUID:
        """Record a question from the public form, with its confirmation message; the form's data
        is personal data of the asker, encrypted under their key."""
        name = self.lokets.get(loket).name
        fields = load(QuestionInSchema(), data, "The question is not valid.")
        person_id, person = self.privacy.person(fields["email"])
        protect = lambda value: self.privacy.protect(person_id, KIND, value)  # noqa: E731
        question = Question(
            loket=loket,
            person_id=person_id,
            name=protect(fields["name"]),
            email=protect(fields["email"]),
            text=protect(fields["question"]),
            sector=fields["sector"],
            consent={"given": True, "at": datetime.now(timezone.utc).isoformat(), "purpose": "answering this question"},
        )
        message = queue_message(
            loket,
            "question-received",
            question.email,
            f"We hebben je vraag ontvangen — {name}",
            f"Beste {fields['name']},\n\nDank je wel voor je vraag aan {name}. We nemen zo snel mogelijk contact met je op.\n\n"
            f"Je vraag:\n{fields['question']}\n\nMet vriendelijke groet,\n{name}",
        )
        self.app.save(*([person] if person else []), question, message)
        return question.id

    def assign(self, loket: str, question_id: UUID, data: dict[str, Any], expected_version: int | None) -> int:
        question = self.get(loket, question_id, expected_version)
        question.assign(load(AssignSchema(), data, "The assignment is not valid.")["assignee"])
        return self._save(question)

    def answer(self, loket: str, question_id: UUID, data: dict[str, Any], by: str, expected_version: int | None) -> int:
        fields = load(AnswerSchema(), data, "The answer is not valid.")
        question = self.get(loket, question_id, expected_version)
        answer = self.privacy.protect(question.person_id, KIND, fields["answer"])
        question.give_answer(answer, by)
        if fields["close"]:
            question.close("answered")
        message = queue_message(
            loket,
            "question-answered",
            question.email,
            f"Antwoord op je vraag — {self.lokets.get(loket).name}",
            f"Beste {question.name.shown()},\n\n{fields['answer']}\n\nMet vriendelijke groet,\n{self.lokets.get(loket).name}",
        )
        return self._save(question, message)

    def refer(self, loket: str, question_id: UUID, data: dict[str, Any], expected_version: int | None) -> int:
        """To another loket of this installation (the question moves there) or to the Onderwijsloket."""
        fields = load(ReferSchema(), data, "The referral is not valid.")
        to = fields["to"].strip()
        if to != ONDERWIJSLOKET:
            try:
                target = self.lokets.get(to)
            except NotFoundError:
                raise InvalidInputError("There is no such loket.", {"to": f"'{to}' is not a loket of this installation; or use 'onderwijsloket'"}) from None
        question = self.get(loket, question_id, expected_version)
        link = fields["link"] or (ONDERWIJSLOKET_URL if to == ONDERWIJSLOKET else None)
        question.refer(to, fields["note"], link)
        here = self.lokets.get(loket).name
        if to == ONDERWIJSLOKET:
            text = (
                f"Je vraag past het best bij het landelijke Onderwijsloket. Daar helpen adviseurs je verder: {link}\n\n"
                f"{fields['note']}".strip()
            )
        else:
            text = f"We hebben je vraag doorgestuurd naar {target.name}, dat je het best verder kan helpen. Zij nemen contact met je op."
        message = queue_message(
            loket, "question-referred", question.email, f"Je vraag is doorgestuurd — {here}", f"Beste {question.name.shown()},\n\n{text}\n\nMet vriendelijke groet,\n{here}"
        )
        return self._save(question, message)

    def close(self, loket: str, question_id: UUID, data: dict[str, Any], expected_version: int | None) -> int:
        question = self.get(loket, question_id, expected_version)
        question.close(load(CloseSchema(), data, "The request is not valid.")["reason"])
        return self._save(question)

    def make_faq(self, loket: str, question_id: UUID, data: dict[str, Any]) -> UUID:
        """A FAQ draft from an answered question. The editor rewrites it without anything that
        points to the asker before publishing: the draft copies the question's words."""
        topic = load(FaqFromQuestionSchema(), data, "The FAQ entry is not valid.")["topic"]
        question = self.get(loket, question_id, None)
        question.check_can_become_faq()
        saved = self.content.create(
            "faq", loket, {"question": question.text.value[:300], "answer": question.answer.value, "topic": topic, "sectors": [question.sector] if question.sector else []}
        )
        question = self.get(loket, question_id, None)
        question.turn_into_faq(saved.id)
        self._save(question)
        return saved.id

    def get(self, loket: str, question_id: UUID, expected_version: int | None) -> Question:
        try:
            question = self.app.get(question_id, Question, expected_version)
        except NotFoundError:
            question = None
        if question is None or question.loket != loket:
            raise NotFoundError(f"There is no question {question_id} in loket '{loket}'.")
        return question

    def _save(self, *aggregates: Any) -> int:
        return self.app.save(*aggregates)[-1].notification.id

