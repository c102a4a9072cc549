"""Job alerts: a person asks for e-mail about new vacancies matching a filter, confirms by the link
in the first e-mail (double opt-in), and from then on gets the new matches — at once or once a day
— until they unsubscribe with one click.

The address is personal data of kind ``alert``: encrypted in the events, readable only while the
person's key exists, so an erasure stops the alert. The confirmation link holds a random secret of
which only the sha256 is recorded. The alert mails cannot repeat that secret (it is not kept), so
their unsubscribe link holds an HMAC of the alert id under a secret of this installation instead.

Sending runs in ``loket tick``: each mail is saved in one transaction with the alert's
``AlertSent`` event naming the vacancies in it, so a vacancy goes to an alert at most once, also
when two processes send at the same moment (the second save is stale and is dropped).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta, timezone
from typing import Any
from uuid import UUID

from core.envelope import acting
from core.errors import InvalidInputError, NotFoundError, StaleVersionError
from core.outbox.service import queue_message
from core.validation import load

from .domain import JobAlert
from .feeds import describe_filter
from .linked_data import page_url
from .listing import find
from .schemas import AlertInSchema, SettingsSchema

KIND = "alert"
ACTIVE, REQUESTED, UNSUBSCRIBED = "active", "requested", "unsubscribed"
DAILY = timedelta(hours=24)
#: A vacancy published just before a sending may reach the board only after it (read models lag
#: the log): each sending looks this far back again; the alert's list of sent ids keeps it single.
LOOK_BACK = timedelta(hours=1)
#: One mail lists at most this many vacancies (the newest); more would not be read.
MAX_PER_MAIL = 25
#: Matches fetched per alert and sending, before those already sent are left out.
FETCH_LIMIT = 200
UNSUBSCRIBE_SECRET = "vacatures-alert-unsubscribe"
FREQUENCY_WORDS = {"immediately": "direct bij elke nieuwe vacature", "daily": "hoogstens één keer per dag"}
INVALID_LINK = {"token": "use the link from your e-mail"}


# Subscribing, confirming, unsubscribing (the public routes)


def subscribe(site: Any, loket: str, data: dict[str, Any]) -> UUID:
    """Record the request and queue the confirmation mail, in one save. Returns the alert's id."""
    fields = load(AlertInSchema(), data, "The job alert is not valid.")
    loket_name = site.lokets.get(loket).name
    person_id, person = site.privacy.person(fields["email"])
    email = site.privacy.protect(person_id, KIND, fields["email"])
    secret = secrets.token_urlsafe(24)
    alert = JobAlert(loket=loket, email=email, filter=fields["filter"], frequency=fields["frequency"], secret_sha256=_sha256(secret))
    token = f"{alert.id.hex}.{secret}"
    message = queue_message(
        loket, "vacancy-alert-confirmation", email, f"Bevestig je vacaturemelding van {loket_name}",
        f"Hallo,\n\nJe hebt gevraagd om e-mail over nieuwe vacatures bij {loket_name}, {FREQUENCY_WORDS[fields['frequency']]}.\n"
        f"Je zoekopdracht: {_filter_words(site.lokets.get(loket), fields['filter'])}.\n\n"
        f"Bevestig dit via deze link:\n{_page_url(site, loket, 'bevestigen', token)}\n\n"
        "Heb je dit niet gevraagd? Dan hoef je niets te doen: zonder bevestiging krijg je geen e-mail van ons.\n\n"
        f"Met vriendelijke groet,\n{loket_name}",
    )
    site.app.save(*([person] if person else []), alert, message)
    return alert.id


def confirm(site: Any, loket: str, token: str) -> str:
    """Switch the alert on with the token from the confirmation mail. :raise InvalidInputError:
    not a valid token. :raise ConflictError: the alert was cancelled."""
    alert = _change(site, loket, token, lambda a: a.confirm(), unsubscribe_link=False)
    _keep_address(site, alert, datetime.now(timezone.utc))
    return alert.status


def unsubscribe(site: Any, loket: str, token: str) -> str:
    """Stop the alert, with the token of any of its mails. :raise InvalidInputError:"""
    return _change(site, loket, token, lambda a: a.unsubscribe(), unsubscribe_link=True).status


def _change(site: Any, loket: str, token: str, command: Any, unsubscribe_link: bool, attempts: int = 3) -> JobAlert:
    # A sending may save the alert at the same moment: read it again rather than refuse the person.
    attempt = 1
    while True:
        alert = alert_of_token(site, loket, token, unsubscribe_link)
        command(alert)
        try:
            site.app.save(alert)
            return alert
        except StaleVersionError:
            if attempt == attempts:
                raise
            attempt += 1


def alert_of_token(site: Any, loket: str, token: str, unsubscribe_link: bool) -> JobAlert:
    """The alert ``token`` opens: the confirmation token, or (``unsubscribe_link``) also the
    token of the unsubscribe link in the alert mails. :raise InvalidInputError: any other text."""
    alert_hex, _, secret = (token or "").strip().partition(".")
    try:
        alert = site.app.get(UUID(hex=alert_hex), JobAlert)
    except (ValueError, NotFoundError):
        raise InvalidInputError("The link is not valid.", INVALID_LINK) from None
    valid = hmac.compare_digest(alert.secret_sha256, _sha256(secret))
    if unsubscribe_link and not valid:
        valid = hmac.compare_digest(secret.encode(), _unsubscribe_secret(site, alert.id).encode())
    if not valid or not secret or alert.loket != loket:
        raise InvalidInputError("The link is not valid.", INVALID_LINK)
    return alert


# Sending (``loket tick``)


def send_alerts(site: Any, now: datetime) -> list[str]:
    """Mail each active alert of each loket with the plugin on its new matching vacancies: at once,
    or when its last mail is 24 hours old. Safe to run twice and in two processes at once."""
    done = []
    view = site.projection("vacatures").view
    for loket in site.lokets.all():
        if "vacatures" not in loket.plugins:
            continue  # the alerts wait, with the vacancies, until the plugin is on again
        for row in view.active_alerts(loket.slug):
            if row["frequency"] == "daily" and row["last_sent_at"] and now - datetime.fromisoformat(row["last_sent_at"]) < DAILY:
                continue
            with acting(actor="system", loket=loket.slug, correlation_id=f"alerts-{now.isoformat()}"):
                line = _send_alert(site, loket, UUID(row["id"]), now)
            if line:
                done.append(line)
    return done


def _send_alert(site: Any, loket: Any, alert_id: UUID, now: datetime) -> str | None:
    alert = site.app.get(alert_id, JobAlert)
    if alert.status != ACTIVE or _resting(alert, now):
        return None
    if alert.email.erased:
        alert.unsubscribe()  # the address is gone for good: nothing can be sent any more
        return _saved(site, [alert], f"{loket.slug}: stopped alert {alert_id}: the address was erased")
    found = find(site, loket.slug, alert.filter, "newest", limit=FETCH_LIMIT, published_since=_since(site, alert), with_facets=False)
    new = [row for row in found.rows if row["id"] not in alert.sent]
    if not new:
        return None
    shown = new[:MAX_PER_MAIL]
    message = queue_message(loket.slug, "vacancy-alert", alert.email, _subject(shown, loket.name), _body(site, loket, alert, shown, len(new)))
    alert.record_sent([row["id"] for row in shown], now, message.id)
    line = _saved(site, [alert, message], f"{loket.slug}: alert {alert_id} sent {len(shown)} vacancies")
    if line:
        _keep_address(site, alert, now)
    return line


def _saved(site: Any, aggregates: list[Any], line: str) -> str | None:
    try:
        site.app.save(*aggregates)
    except StaleVersionError:
        return None  # another process handled this alert at the same moment
    return line


def _resting(alert: JobAlert, now: datetime) -> bool:
    return alert.frequency == "daily" and alert.last_sent_at is not None and now - alert.last_sent_at < DAILY


def _since(site: Any, alert: JobAlert) -> str:
    """Vacancies first published after this moment are new to the alert."""
    # Only a confirmed alert is active, and confirming is what can follow the request: version 2.
    confirmed = next(e.timestamp for e in site.app.events.get(alert.id, lte=2) if isinstance(e, JobAlert.AlertConfirmed))
    since = max(confirmed, alert.last_sent_at - LOOK_BACK) if alert.last_sent_at else confirmed
    return since.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _subject(rows: list[dict[str, Any]], loket_name: str) -> str:
    if len(rows) == 1:
        return f"Nieuwe vacature: {rows[0]['title']}"
    return f"{len(rows)} nieuwe vacatures bij {loket_name}"


def _body(site: Any, loket: Any, alert: JobAlert, rows: list[dict[str, Any]], total: int) -> str:
    lines = []
    for row in rows:
        public = json.loads(row["public_json"] or "{}")
        where = ", ".join(p for p in (public.get("schoolName") or row["school_board_name"], row["place"]) if p)
        lines.append(f"- {row['title']}\n  {where}\n  {vacancy_url(site, loket, row['slug'])}")
    more = f"\n\nEr zijn nog {total - len(rows)} nieuwe vacatures meer; bekijk ze op de site." if total > len(rows) else ""
    token = f"{alert.id.hex}.{_unsubscribe_secret(site, alert.id)}"
    return (
        f"Hallo,\n\nNieuwe vacatures die passen bij je zoekopdracht ({_filter_words(loket, alert.filter)}):\n\n"
        + "\n\n".join(lines)
        + more
        + f"\n\nGeen e-mail meer over nieuwe vacatures? Meld je met één klik af:\n{_page_url(site, loket.slug, 'afmelden', token)}"
        + f"\n\nMet vriendelijke groet,\n{loket.name}"
    )


# Links and texts


def vacancy_url(site: Any, loket: Any, slug: str) -> str:
    """Where a person reads the vacancy: the loket's site (setting ``public_url``), or else its
    public detail in this API."""
    template = SettingsSchema().load(loket.settings.get("vacatures", {}))["public_url"]
    return page_url(template, slug) or page_url(f"{site.config.public_url}/api/v1/lokets/{loket.slug}/vacatures/vacancies/", slug)


def _filter_words(loket: Any, filter: dict[str, Any]) -> str:
    return describe_filter(filter, loket.regions) or "alle vacatures"


def _page_url(site: Any, loket: str, page: str, token: str) -> str:
    return f"{site.config.public_url}/api/v1/lokets/{loket}/vacatures/alerts/{page}?token={token}"


def _unsubscribe_secret(site: Any, alert_id: UUID) -> str:
    digest = hmac.new(site.keys.secret(UNSUBSCRIBE_SECRET), alert_id.bytes, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _keep_address(site: Any, alert: JobAlert, now: datetime) -> None:
    """An alert in use keeps its address: the retention of kind ``alert`` counts from its last use."""
    # Never make a key again for an address erased meanwhile.
    if not alert.email.erased and site.keys.key(alert.email.subject) is not None:
        site.privacy.protect(alert.email.person_id, KIND, alert.email.value, now)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()
