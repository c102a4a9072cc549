"""The helpdesk inbox of each loket: questions with the asker's data decrypted for its editors,
scrubbed as soon as the person's data is erased or expires."""

from __future__ import annotations

import json
from functools import singledispatchmethod
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.utils import get_topic

from core.helpdesk.domain import ANSWERED, ASSIGNED, CLOSED, NEW, ONDERWIJSLOKET, REFERRED, Question
from core.privacy import Person
from core.projections import LoketProjection
from core.readmodel import ReadView, scrub

PERSONAL_COLUMNS = ("name", "email", "text", "answer")


class QuestionsView(ReadView):
    tables = {
        "questions": [
            "CREATE TABLE IF NOT EXISTS questions (id TEXT PRIMARY KEY, loket TEXT NOT NULL, status TEXT NOT NULL, "
            "version INTEGER NOT NULL, person_id TEXT NOT NULL, name TEXT, email TEXT, text TEXT, answer TEXT, "
            "sector TEXT, assignee TEXT, asked_at TEXT NOT NULL, updated_at TEXT NOT NULL, history TEXT NOT NULL)",
            "CREATE INDEX IF NOT EXISTS questions_inbox ON questions (loket, status)",
            "CREATE INDEX IF NOT EXISTS questions_person ON questions (person_id)",
        ]
    }

    def put(self, row: dict[str, Any], tracking: Tracking) -> None:
        self.upsert("questions", row, tracking)

    def get(self, question_id: str) -> dict[str, Any] | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT * FROM questions WHERE id = ?", (question_id,))
            row = c.fetchone()
            return dict(row) if row else None

    def inbox(self, loket: str, statuses: tuple[str, ...], limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
        where, params = "loket = ?", [loket]
        if statuses:
            where += f" AND status IN ({', '.join('?' * len(statuses))})"
            params += list(statuses)
        with self.datastore.transaction(commit=False) as c:
            c.execute(f"SELECT COUNT(*) FROM questions WHERE {where}", params)
            total = c.fetchone()[0]
            c.execute(f"SELECT * FROM questions WHERE {where} ORDER BY asked_at DESC, id LIMIT ? OFFSET ?", [*params, limit, offset])
            return [dict(row) for row in c.fetchall()], total

    def scrub_person(self, person_id: str, tracking: Tracking) -> None:
        scrub(self, "questions", PERSONAL_COLUMNS, "person_id = ?", (person_id,), tracking)


class QuestionsProjection(LoketProjection[QuestionsView]):
    name = "questions"
    view_class = QuestionsView
    topics = tuple(
        get_topic(cls)
        for cls in (
            Question.QuestionAsked,
            Question.QuestionAssigned,
            Question.QuestionAnswered,
            Question.QuestionReferred,
            Question.QuestionClosed,
            Question.TurnedIntoFaq,
            Person.PersonalDataErased,
            Person.PersonalDataExpired,
        )
    )

    @singledispatchmethod
    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.insert_tracking(tracking)

    @process_event.register
    def asked(self, domain_event: Question.QuestionAsked, tracking: Tracking) -> None:
        at = domain_event.timestamp.isoformat()
        self.view.put(
            {
                "id": str(domain_event.originator_id),
                "loket": domain_event.loket,
                "status": NEW,
                "version": domain_event.originator_version,
                "person_id": str(domain_event.person_id),
                "name": domain_event.name.shown(),
                "email": domain_event.email.shown(),
                "text": domain_event.text.shown(),
                "answer": None,
                "sector": domain_event.sector,
                "assignee": None,
                "asked_at": at,
                "updated_at": at,
                "history": json.dumps([_step(domain_event, "asked")]),
            },
            tracking,
        )

    @process_event.register
    def assigned(self, domain_event: Question.QuestionAssigned, tracking: Tracking) -> None:
        def change(row: dict[str, Any]) -> None:
            row["assignee"] = domain_event.assignee
            if row["status"] == NEW:
                row["status"] = ASSIGNED

        self._update(domain_event, tracking, change, f"assigned to {domain_event.assignee}")

    @process_event.register
    def answered(self, domain_event: Question.QuestionAnswered, tracking: Tracking) -> None:
        self._update(domain_event, tracking, lambda row: row.update(answer=domain_event.answer.shown(), status=ANSWERED), "answered")

    @process_event.register
    def referred(self, domain_event: Question.QuestionReferred, tracking: Tracking) -> None:
        def change(row: dict[str, Any]) -> None:
            if domain_event.to == ONDERWIJSLOKET:
                row["status"] = REFERRED
            else:
                row.update(loket=domain_event.to, status=NEW, assignee=None)

        self._update(domain_event, tracking, change, f"referred from {domain_event.from_loket} to {domain_event.to}")

    @process_event.register
    def closed(self, domain_event: Question.QuestionClosed, tracking: Tracking) -> None:
        self._update(domain_event, tracking, lambda row: row.update(status=CLOSED), "closed")

    @process_event.register
    def turned_into_faq(self, domain_event: Question.TurnedIntoFaq, tracking: Tracking) -> None:
        self._update(domain_event, tracking, lambda row: None, f"made into FAQ entry {domain_event.faq_id}")

    @process_event.register
    def erased(self, domain_event: Person.PersonalDataErased, tracking: Tracking) -> None:
        self.view.scrub_person(str(domain_event.originator_id), tracking)

    @process_event.register
    def expired(self, domain_event: Person.PersonalDataExpired, tracking: Tracking) -> None:
        if domain_event.kind == "question":
            self.view.scrub_person(str(domain_event.originator_id), tracking)
        else:
            self.view.insert_tracking(tracking)

    def _update(self, domain_event: Any, tracking: Tracking, change: Any, step: str) -> None:
        row = self.view.get(str(domain_event.originator_id))
        if row is None:
            self.view.insert_tracking(tracking)
            return
        change(row)
        row["version"] = domain_event.originator_version
        row["updated_at"] = domain_event.timestamp.isoformat()
        row["history"] = json.dumps([*json.loads(row["history"]), _step(domain_event, step)])
        self.view.put(row, tracking)


def _step(domain_event: Any, what: str) -> dict[str, Any]:
    return {"what": what, "at": domain_event.timestamp.isoformat(), "actor": domain_event.envelope["actor"], "loket": domain_event.envelope["loket"]}


