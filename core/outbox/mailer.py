"""Sending one e-mail over SMTP, as ``[mail]`` in ``loket.toml`` says."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any


class Mailer:
    def __init__(self, settings: dict[str, Any]) -> None:
        self.settings = settings

    def send(self, to: str, subject: str, body: str, message_id: str) -> None:
        """Hand the message to the SMTP server. :raise OSError, smtplib.SMTPException: on failure."""
        message = EmailMessage()
        message["From"] = self.settings["sender"]
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = make_msgid(idstring=message_id, domain=self.settings["sender"].split("@")[-1])
        message.set_content(body)
        with smtplib.SMTP(self.settings["host"], self.settings["port"], timeout=self.settings["timeout"]) as smtp:
            if self.settings["starttls"]:
                smtp.starttls()
            if self.settings.get("username"):
                smtp.login(self.settings["username"], self.settings["password"] or "")
            smtp.send_message(message)
