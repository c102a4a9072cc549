"""Queueing messages with the events that cause them, and sending what is due."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from core.envelope import acting
from core.errors import StaleVersionError
from core.outbox.domain import OutboxMessage
from core.outbox.mailer import Mailer
from core.privacy import Personal

#: A message still "sending" after this long was interrupted by a crash: it is not sent again.
UNCERTAIN_AFTER = timedelta(minutes=10)

log = logging.getLogger(__name__)


def queue_message(loket: str, purpose: str, to: Personal, subject: str, body: str) -> OutboxMessage:
    """A message to ``to``; subject and body are kept as personal data of the same person and kind.
    Save it together with the aggregate whose event caused it."""
    return OutboxMessage(
        loket=loket,
        purpose=purpose,
        to=to,
        subject=Personal(to.subject, subject),
        body=Personal(to.subject, body),
    )


class Outbox:
    """Sends the due messages, one at a time, each at most once."""

    def __init__(self, app: Any, view: Any, mail_settings: dict[str, Any] | None) -> None:
        self.app = app
        self.view = view
        self.mailer = Mailer(mail_settings) if mail_settings else None

    def send_due(self, now: datetime) -> list[str]:
        """Send every due message; return one line per message handled."""
        done = self._give_up_on_interrupted(now)
        if self.mailer is None:
            return done
        with acting(actor="system", correlation_id=f"outbox-{now.isoformat()}"):
            for message_id in self.view.due(now):
                line = self._send(UUID(message_id), now)
                if line:
                    done.append(line)
        return done

    def _send(self, message_id: UUID, now: datetime) -> str | None:
        message = self.app.get(message_id, OutboxMessage)
        if message.to.erased or message.body.erased:
            message.abandon("the person's data was erased or expired")
            self.app.save(message)
            return f"abandoned message {message_id}: personal data erased"
        try:
            message.start_sending()
            self.app.save(message)  # claimed: no other sender will take it
        except StaleVersionError:
            return None
        try:
            self.mailer.send(message.to.value, message.subject.shown(), message.body.shown(), message_id.hex)
        except (OSError, smtplib.SMTPException) as error:
            message.fail(f"{type(error).__name__}: {error}"[:300], now)
            self.app.save(message)
            return f"failed to send message {message_id} (attempt {message.attempts}): {error}"
        self._record_sent(message)
        return f"sent message {message_id} ({message.purpose})"

    def _record_sent(self, message: OutboxMessage) -> None:
        message.mark_sent()
        self.app.save(message)

    def _give_up_on_interrupted(self, now: datetime) -> list[str]:
        """A message left "sending" by a crash may or may not have gone out: never send it twice."""
        done = []
        with acting(actor="system", correlation_id=f"outbox-{now.isoformat()}"):
            for message_id in self.view.stuck_sending(now - UNCERTAIN_AFTER):
                message = self.app.get(UUID(message_id), OutboxMessage)
                message.abandon("uncertain: sending was interrupted (a crash?) after it started; not sent again to avoid a duplicate")
                try:
                    self.app.save(message)
                except StaleVersionError:
                    continue
                done.append(f"message {message_id} was interrupted while sending: marked uncertain, not resent")
        return done
