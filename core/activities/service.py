"""Registering for an activity, and cancelling by the link from the confirmation e-mail."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timezone
from typing import Any
from uuid import UUID, uuid4

from core.activities.domain import CONFIRMED, WAITLISTED, Activity, RegistrationClosedError, Roster
from core.activities.schemas import CancelSchema, RegistrationInSchema
from core.content.domain import PUBLISHED
from core.errors import InvalidInputError, NotFoundError
from core.outbox.service import queue_message
from core.validation import load

KIND = "registration"


class Registrations:
    def __init__(self, app: Any, privacy: Any, lokets: Any, public_url: str) -> None:
        self.app = app
        self.privacy = privacy
        self.lokets = lokets
        self.public_url = public_url

    def register(self, loket: str, activity_id: UUID, data: dict[str, Any], now: datetime | None = None) -> dict[str, Any]:
        """A place (or a place on the waiting list) for the person; the confirmation, with a link to
        cancel, goes by e-mail. Returns the status and, on the waiting list, the position."""
        now = now or datetime.now(timezone.utc)
        loket_name = self.lokets.get(loket).name
        fields = load(RegistrationInSchema(), data, "The registration is not valid.")
        activity = self._open_activity(loket, activity_id, now)
        details = activity.published_fields
        person_id, person = self.privacy.person(fields["email"])
        keep_from = details["ends_at"]
        name = self.privacy.protect(person_id, KIND, fields["name"], keep_from)
        email = self.privacy.protect(person_id, KIND, fields["email"], keep_from)
        roster = self._roster(loket, activity_id)
        registration_id = uuid4()
        secret = secrets.token_urlsafe(24)
        status = roster.register(
            registration_id, person_id, name, email, details.get("capacity"), details.get("waiting_list", True), _sha256(secret)
        )
        token = f"{activity_id.hex}.{registration_id.hex}.{secret}"
        cancel_url = f"{self.public_url}/afmelden?token={token}"
        when = _when(details)
        if status == CONFIRMED:
            subject = f"Je bent aangemeld: {details['title']}"
            text = f"Je bent aangemeld voor {details['title']} op {when}."
        else:
            subject = f"Je staat op de wachtlijst: {details['title']}"
            text = f"{details['title']} op {when} is vol. Je staat op de wachtlijst (plaats {len(roster.waiting)}); komt er een plek vrij, dan krijg je bericht."
        message = queue_message(
            loket, f"registration-{status}", email, subject,
            f"Beste {fields['name']},\n\n{text}\n\n{_where(details)}\n\nKun je toch niet? Meld je af via {cancel_url}\n\nMet vriendelijke groet,\n{loket_name}",
        )
        self.app.save(*([person] if person else []), roster, message)
        answer: dict[str, Any] = {"status": status}
        if status == WAITLISTED:
            answer["waitingListPosition"] = len(roster.waiting)
        return answer

    def cancel(self, data: dict[str, Any]) -> dict[str, Any]:
        """Cancel with the token from the e-mail; a freed place goes to the first on the waiting list."""
        token = load(CancelSchema(), data, "The cancellation is not valid.")["token"]
        try:
            activity_hex, registration_hex, secret = token.split(".", 2)
            activity_id = UUID(hex=activity_hex)
        except ValueError:
            raise InvalidInputError("The cancellation link is not valid.", {"token": "use the link from your e-mail"}) from None
        try:
            roster = self.app.get(Roster.create_id(activity_id), Roster)
        except NotFoundError:
            roster = None
        registration = roster.registrations.get(registration_hex) if roster else None
        if registration is None or not hmac.compare_digest(registration["cancel_secret_sha256"], _sha256(secret)):
            raise InvalidInputError("The cancellation link is not valid.", {"token": "use the link from your e-mail"})
        activity = self.app.get(activity_id, Activity)
        details = activity.published_fields or activity.fields
        promoted = roster.cancel(registration_hex, details.get("capacity"))
        loket_name = self.lokets.get(roster.loket).name
        messages = [
            queue_message(
                roster.loket, "registration-cancelled", registration["email"], f"Afgemeld: {details['title']}",
                f"Beste {registration['name'].shown()},\n\nJe bent afgemeld voor {details['title']} op {_when(details)}.\n\nMet vriendelijke groet,\n{loket_name}",
            )
        ]
        if promoted:
            lucky = roster.registrations[promoted]
            messages.append(
                queue_message(
                    roster.loket, "registration-promoted", lucky["email"], f"Er is een plek vrij: {details['title']}",
                    f"Beste {lucky['name'].shown()},\n\nEr is een plek vrijgekomen: je bent nu aangemeld voor {details['title']} op {_when(details)}.\n\n"
                    f"Met vriendelijke groet,\n{loket_name}",
                )
            )
        self.app.save(roster, *messages)
        return {"status": "cancelled"}

    def _open_activity(self, loket: str, activity_id: UUID, now: datetime) -> Activity:
        try:
            activity = self.app.get(activity_id, Activity)
        except NotFoundError:
            activity = None
        if activity is None or activity.loket != loket or activity.status != PUBLISHED:
            raise NotFoundError(f"There is no published activity {activity_id} in loket '{loket}'.")
        details = activity.published_fields
        if details.get("cancelled"):
            raise RegistrationClosedError("This activity was cancelled.")
        if details["ends_at"] <= now:
            raise RegistrationClosedError("This activity is over.")
        return activity

    def _roster(self, loket: str, activity_id: UUID) -> Roster:
        try:
            return self.app.get(Roster.create_id(activity_id), Roster)
        except NotFoundError:
            return Roster(loket=loket, activity_id=activity_id)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _when(details: dict[str, Any]) -> str:
    from zoneinfo import ZoneInfo

    starts = details["starts_at"].astimezone(ZoneInfo(details.get("timezone") or "Europe/Amsterdam"))
    return starts.strftime("%d-%m-%Y om %H:%M")


def _where(details: dict[str, Any]) -> str:
    parts = []
    if details.get("location"):
        place = details["location"]
        parts.append("Waar: " + ", ".join(p for p in (place.get("name"), place.get("street"), place.get("place")) if p))
    if details.get("online_url"):
        parts.append(f"Online: {details['online_url']}")
    return "\n".join(parts)
