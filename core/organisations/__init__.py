"""Organisations: school boards and schools, imported from DUO's open data and linked to lokets.

A core module, always on, built on the same hooks as any plugin: its API is mounted at
``/api/v1/lokets/<loket>/organisations`` and its commands are ``loket organisations …``.
"""

from __future__ import annotations

from core.hooks import hookimpl


@hookimpl
def register_aggregates():
    from core.organisations.domain import School, SchoolBoard

    return [SchoolBoard, School]


@hookimpl
def register_projections():
    from core.organisations.projections import OrganisationsProjection

    return [OrganisationsProjection]


@hookimpl
def register_commands(cli):
    from core.organisations.commands import add_commands

    add_commands(cli)


@hookimpl
def api_blueprint():
    from core.organisations.api import bp

    return bp


@hookimpl
def openapi_paths(spec):
    from core.organisations.api import openapi_paths as paths

    return paths(spec)
