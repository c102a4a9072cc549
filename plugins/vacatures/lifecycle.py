"""A vacancy's own steps beyond the generic content lifecycle: filled, expired at its last day
(with a warning to the contact some days before), extended, duplicated.

Expiry and warnings run in ``loket tick`` (and the server's timer) as ``system``; each is safe to
run twice and from two processes at once: an expired vacancy is not published any more, and a
warning's id follows from the vacancy and its last day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from core.envelope import acting
from core.errors import ConflictError, NotFoundError, StaleVersionError
from core.outbox.service import queue_message
from core.content.service import Saved, Scope

from .domain import ExpiryWarning, Vacancy
from .schemas import SettingsSchema

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TYPE = "vacancy"


def today_in_nl(now: datetime) -> date:
    return now.astimezone(AMSTERDAM).date()


def fill(site: Any, loket: str, item_id: UUID, reason: str = "", expected_version: int | None = None, scope: Scope = None) -> Saved:
    return site.content.change(TYPE, loket, item_id, lambda v: v.fill(reason), expected_version, scope)


def extend(site: Any, loket: str, item_id: UUID, valid_through: str, expected_version: int | None = None, scope: Scope = None) -> Saved:
    return site.content.change(TYPE, loket, item_id, lambda v: v.extend(valid_through), expected_version, scope)


def duplicate(site: Any, loket: str, item_id: UUID, scope: Scope = None) -> Saved:
    """A new draft with the fields of an existing vacancy (without its external id), to post a
    similar job quickly."""
    original = site.content.item(TYPE, loket, item_id, scope)
    content_type = site.content_types.get(TYPE)
    data = content_type.schema().dump({**original.fields, "external_id": None})
    data.pop("slug", None)
    data["validThrough"] = None  # the loket's default again
    return site.content.create(TYPE, loket, data, scope)


def expire_due(site: Any, now: datetime) -> list[str]:
    """Close as ``expired`` every published vacancy whose last day has passed (Dutch time)."""
    today = today_in_nl(now).isoformat()
    view = site.projection("vacatures").view
    done = []
    for row in view.query(
        "SELECT id, loket, slug FROM vacatures_board WHERE status = 'published' AND valid_through < ? ORDER BY valid_through, id", (today,)
    ):
        if "vacatures" not in site.lokets.enabled_plugins(row["loket"]):
            continue  # a loket with the plugin off keeps its vacancies as they are
        with acting(actor="system", loket=row["loket"], correlation_id=f"tick-{now.isoformat()}"):
            try:
                vacancy = site.app.get(UUID(row["id"]), Vacancy)
                vacancy.expire()
                site.app.save(vacancy)
            except (ConflictError, StaleVersionError, NotFoundError):
                continue  # changed meanwhile (or by another node): the next tick sees the new state
        done.append(f"{row['loket']}: expired vacancy {row['slug']}")
    return done


def warn_before_expiry(site: Any, now: datetime) -> list[str]:
    """Tell each published vacancy's contact, once per last day, that it is near (the loket's
    ``warn_days_before``), through the outbox."""
    done = []
    today = today_in_nl(now)
    view = site.projection("vacatures").view
    for loket in site.lokets.all():
        if "vacatures" not in loket.plugins:
            continue
        settings = SettingsSchema().load(loket.settings.get("vacatures", {}))
        if not settings["warn_days_before"]:
            continue
        horizon = (today + timedelta(days=settings["warn_days_before"])).isoformat()
        for row in view.query(
            "SELECT id, slug, valid_through FROM vacatures_board WHERE loket = ? AND status = 'published' "
            "AND valid_through >= ? AND valid_through <= ? ORDER BY id",
            (loket.slug, today.isoformat(), horizon),
        ):
            line = _warn(site, loket, row, now)
            if line:
                done.append(line)
    return done


def _warn(site: Any, loket: Any, row: dict[str, Any], now: datetime) -> str | None:
    warning_id = ExpiryWarning.create_id(UUID(row["id"]), row["valid_through"])
    if site.app.recorder.select_events(warning_id, limit=1):
        return None
    vacancy = site.app.get(UUID(row["id"]), Vacancy)
    fields = vacancy.published_fields or vacancy.fields
    address = fields.get("contact_email") or fields.get("apply_email")
    if not address:
        return None
    with acting(actor="system", loket=loket.slug, correlation_id=f"tick-{now.isoformat()}"):
        person_id, person = site.privacy.person(address)
        to = site.privacy.protect(person_id, "contact", address)
        last_day = date.fromisoformat(row["valid_through"]).strftime("%d-%m-%Y")
        message = queue_message(
            loket.slug,
            "vacancy-expiry-warning",
            to,
            f"Vacature verloopt op {last_day}: {fields['title']}",
            f"Beste {fields.get('contact_name') or 'contactpersoon'},\n\n"
            f"De vacature '{fields['title']}' staat online tot en met {last_day}. Daarna verdwijnt ze van de site.\n"
            f"Is de vacature nog open? Vraag de redactie van {loket.name} om haar te verlengen, of verleng haar zelf in het beheer.\n"
            f"Is ze vervuld? Meld dat, dan halen we haar meteen offline.\n\nMet vriendelijke groet,\n{loket.name}",
        )
        warning = ExpiryWarning(loket=loket.slug, vacancy_id=vacancy.id, valid_through=row["valid_through"], message_id=message.id)
        try:
            site.app.save(*([person] if person else []), warning, message)
        except StaleVersionError:
            return None  # another process warned at the same moment
    return f"{loket.slug}: warned the contact of vacancy {row['slug']} (last day {row['valid_through']})"
