"""Vervangingspool: the regional substitute pool — from a school's request to a filled lesson, with
matching that explains itself, race-safe acceptance, calendars and fill-rate reports."""

from __future__ import annotations

from core.hooks import hookimpl


@hookimpl
def register_aggregates():
    from .domain import Pool, PoolMember, Schedule, SubstitutionRequest

    return [Pool, PoolMember, Schedule, SubstitutionRequest]


@hookimpl
def register_projections():
    from .projections import PoolProjection

    return [PoolProjection]


@hookimpl
def settings_schema():
    from .schemas import SettingsSchema

    return SettingsSchema


@hookimpl
def tick(site, now):
    from .service import SubstitutePool

    return SubstitutePool(site).tick(now)
