"""The outbox: every message sent once at most, retried on failure, never silently lost."""

from datetime import datetime, timedelta, timezone

import pytest

from core.envelope import acting
from core.outbox.service import UNCERTAIN_AFTER, Outbox


def ask(site, email="anna@example.nl"):
    with acting(actor="anonymous", loket="alpha"):
        site.helpdesk.ask("alpha", {"name": "Anna", "email": email, "question": "Hoe word ik leraar?", "consent": True})
    site.projections.catch_up()


def now():
    return datetime.now(timezone.utc)


def test_a_message_is_sent_once(mail_site, smtp):
    ask(mail_site)
    assert any(line.startswith("sent message") for line in mail_site.tick(now()))
    mail_site.projections.catch_up()
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "anna@example.nl" and "ontvangen" in message["Subject"]
    assert "Hoe word ik leraar?" in message.get_content()
    # Later ticks send nothing again.
    mail_site.tick(now())
    assert len(smtp.messages) == 1
    assert [m["status"] for m in mail_site.outbox.view.messages()] == ["sent"]


def test_a_crash_between_sending_and_recording_never_sends_twice(mail_site, smtp, monkeypatch):
    ask(mail_site)

    # The process dies right after the SMTP server accepted the message, before recording it.
    def crash(self, message):
        raise SystemExit("killed")

    monkeypatch.setattr(Outbox, "_record_sent", crash)
    with pytest.raises(SystemExit):
        mail_site.outbox.send_due(now())
    monkeypatch.undo()
    assert len(smtp.messages) == 1

    # After a restart, the message is not sent again; once it has waited long enough it is
    # marked uncertain, visibly, for a person to check.
    mail_site.close()
    mail_site.projections.catch_up()
    assert mail_site.outbox.send_due(now()) == []
    later = now() + UNCERTAIN_AFTER + timedelta(seconds=1)
    [line] = mail_site.outbox.send_due(later)
    assert "interrupted while sending" in line
    mail_site.projections.catch_up()
    [message] = mail_site.outbox.view.messages(statuses=("abandoned",))
    assert message["last_error"].startswith("uncertain")
    assert len(smtp.messages) == 1


def test_an_smtp_failure_is_retried_later(mail_site, smtp):
    ask(mail_site)
    smtp.fail_next = 1
    [line] = mail_site.outbox.send_due(now())
    assert "failed to send" in line and "451" in line
    mail_site.projections.catch_up()
    [failed] = mail_site.outbox.view.messages(statuses=("retrying",))
    assert failed["attempts"] == 1 and "451" in failed["last_error"]

    # Not before its retry time; then it goes.
    assert mail_site.outbox.send_due(now()) == []
    [line] = mail_site.outbox.send_due(now() + timedelta(minutes=2))
    assert line.startswith("sent message")
    assert len(smtp.messages) == 1


def test_a_message_is_abandoned_after_its_last_attempt(mail_site, smtp):
    ask(mail_site)
    smtp.fail_next = 99
    moment = now()
    for _ in range(5):
        mail_site.outbox.send_due(moment)
        mail_site.projections.catch_up()
        moment += timedelta(hours=3)
    [message] = mail_site.outbox.view.messages()
    assert message["status"] == "abandoned" and message["attempts"] == 5
    assert "gave up after 5 attempts" in message["last_error"]


def test_an_unreachable_server_is_a_failure_not_a_crash(mail_site, smtp):
    ask(mail_site)
    mail_site.outbox.mailer.settings = {**mail_site.outbox.mailer.settings, "port": 1}
    [line] = mail_site.outbox.send_due(now())
    assert "failed to send" in line and "Connection refused" in line


def test_messages_to_an_erased_person_are_not_sent(mail_site, smtp):
    ask(mail_site, email="weg@example.nl")
    with acting(actor="cli:test"):
        mail_site.privacy.erase(mail_site.privacy.resolve("weg@example.nl"))
    mail_site.projections.catch_up()
    [line] = mail_site.outbox.send_due(now())
    assert "personal data erased" in line
    assert smtp.messages == []


def test_without_mail_settings_messages_wait(site):
    ask(site)
    assert site.outbox.send_due(now()) == []
    assert [m["status"] for m in site.outbox.view.messages()] == ["queued"]


def test_the_outbox_list_for_admins(mail_site, smtp, token):
    from tests.conftest import bearer
    from web import create_app

    ask(mail_site)
    smtp.fail_next = 1
    mail_site.outbox.send_due(now())
    client = create_app(mail_site).test_client()
    admin = bearer(token("alpha", "admin"))
    failures = client.get("/api/v1/lokets/alpha/outbox?status=retrying", headers=admin).json
    assert [m["purpose"] for m in failures["items"]] == ["question-received"]
    assert "anna" not in str(failures)  # no recipients or contents in the list
    assert client.get("/api/v1/lokets/alpha/outbox", headers=bearer(token("alpha", "editor"))).status_code == 403
