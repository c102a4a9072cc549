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


@hookimpl
def urgency_signals(site, loket):
    from .reports import urgency_signals as signals

    return signals(site, loket)


@hookimpl
def api_blueprint():
    from .api import bp

    return bp


@hookimpl
def openapi_paths(spec):
    from .openapi import paths

    return paths(spec)


@hookimpl
def editor_blueprint():
    from .editor import bp

    return bp


@hookimpl
def menu_items(loket, principal):
    from .editor import menu

    return menu(loket, principal)


@hookimpl
def seed_demo(site):
    from .demo import seed_demo as seed

    return seed(site)
