"""The plugin's API, mounted by the core at /api/v1/lokets/<loket>/vacatures (beside the generic
content routes of vacancies at …/vacatures/vacancies): feeds for search engines and readers, job
alerts, feed imports and the figures. Each part is a blueprint of its own, nested here."""

from __future__ import annotations

from flask import Blueprint

from . import alerts_api, feeds, figures_api, import_api, lifecycle_api

bp = Blueprint("vacatures", __name__)
for part in (lifecycle_api.bp, feeds.bp, alerts_api.bp, import_api.bp, figures_api.bp):
    bp.register_blueprint(part)
