"""The web app: ``create_app(site)`` builds Flask around a configured ``Site``."""

from __future__ import annotations

from flask import Flask, Response, request

from core.site import Site


def create_app(site: Site, test_config: dict | None = None) -> Flask:
    """Create the Loket app for ``site`` (whose configuration has been applied)."""
    app = Flask(__name__)
    app.config.from_mapping(JSON_SORT_KEYS=False)
    if test_config:
        app.config.update(test_config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["loket.site"] = site

    from web import api, apidocs, health, openapi
    from core.http import init_request_context
    from web.plugins import mount_plugin_blueprints
    from web.problems import register_error_handlers

    init_request_context(app)
    for blueprint in (health.bp, api.bp, openapi.bp, apidocs.bp):
        app.register_blueprint(blueprint)
    mount_plugin_blueprints(app)
    app.extensions["loket.openapi"] = openapi.build_spec(site.plugins)
    register_error_handlers(app)
    app.after_request(_conditional_get)
    return app


def _conditional_get(response: Response) -> Response:
    # Every successful API GET gets an ETag, so clients can revalidate with If-None-Match (304).
    if request.method == "GET" and request.path.startswith("/api/") and response.status_code == 200:
        response.add_etag()
        return response.make_conditional(request)
    return response
