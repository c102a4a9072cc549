"""Vacatures: the vacancy bank — vacancies of the region's school boards, findable by people and by
search engines, with feed imports, job alerts and figures on the shortage."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from core.hooks import hookimpl


def _defaults(settings: dict[str, Any]) -> dict[str, Any]:
    from .schemas import SettingsSchema

    days = SettingsSchema().load(settings)["default_valid_days"]
    return {"valid_through": (date.today() + timedelta(days=days)).isoformat()}


@hookimpl
def register_aggregates():
    from .domain import ExpiryWarning, JobAlert, Vacancy

    return [Vacancy, ExpiryWarning, JobAlert]


@hookimpl
def register_content_types():
    from core.content.registry import ContentType

    from .domain import Vacancy
    from .listing import public_list
    from .schemas import VacancySchema

    return [
        ContentType(
            name="vacancy",
            plural="vacancies",
            aggregate=Vacancy,
            schema=VacancySchema,
            label="Vacature",
            label_plural="Vacatures",
            list_fields=("title", "school_board_name", "place", "valid_through"),
            filters=("sectors", "function", "subjects", "kind", "region", "school_board"),
            search_fields=("title", "summary", "description", "school_name", "school_board_name", "place", "subjects"),
            markdown_fields=("description",),
            sort_fields=("title", "updatedAt", "publishedAt"),
            form_order=(
                "title", "summary", "description", "sectors", "function", "subjects", "kind", "start_date", "end_date",
                "school_board", "school_board_name", "school", "school_name", "region", "place", "postcode",
                "hours_min", "hours_max", "salary_scale", "salary_min", "salary_max", "zij_instroom",
                "apply_url", "apply_email", "contact_name", "contact_email", "contact_phone", "valid_through", "external_id",
            ),
            plugin="vacatures",
            scoped_roles=("recruiter",),
            public_list=public_list,
            defaults=_defaults,
        )
    ]


@hookimpl
def register_projections():
    from .projections import VacancyBoardProjection

    return [VacancyBoardProjection]


@hookimpl
def settings_schema():
    from .schemas import SettingsSchema

    return SettingsSchema


@hookimpl
def api_blueprint():
    from .api import bp

    return bp


@hookimpl
def openapi_paths(spec):
    from . import alerts_api, feeds, figures_api, import_api, lifecycle_api

    parts = (lifecycle_api, feeds, alerts_api, import_api, figures_api)
    return {path: operations for part in parts for path, operations in part.openapi_paths(spec).items()}


@hookimpl
def content_scope(loket, principal, content_type):
    if content_type == "vacancy":
        from .recruiters import boards_of

        return {"school_board": boards_of(loket, principal.actor)}
    return None


@hookimpl
def json_ld(content_type, item):
    if content_type == "vacancy":
        from .linked_data import job_posting

        return job_posting(item)
    return None


@hookimpl
def tick(site, now):
    from .alerts import send_alerts
    from .lifecycle import expire_due, warn_before_expiry

    site.projections.catch_up()
    done = expire_due(site, now) + warn_before_expiry(site, now)
    site.projections.catch_up()  # what expired just now is not sent as new
    return done + send_alerts(site, now)


@hookimpl
def urgency_signals(site, loket):
    from .figures import urgency_signals as signals

    return signals(site, loket)


@hookimpl
def register_commands(cli):
    from .commands import add_commands

    add_commands(cli)


@hookimpl
def seed_demo(site):
    from .demo import seed_demo as seed

    return seed(site)


@hookimpl
def editor_blueprint():
    from .editor import bp

    return bp


@hookimpl
def menu_items(loket, principal):
    from .editor import menu

    return menu(loket, principal)
