"""The web app: ``create_app(site)`` builds Flask around a configured ``Site``."""

from __future__ import annotations

from flask import Flask, Response, request

from core.site import Site

READS = ("GET", "HEAD", "OPTIONS")


def create_app(site: Site, test_config: dict | None = None, read_only: bool = False) -> Flask:
    """Create the Loket app for ``site`` (whose configuration has been applied). ``read_only``
    serves an auditor's snapshot: every write is refused."""
    app = Flask(__name__)
    if test_config:
        app.config.update(test_config)
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    app.extensions["loket.site"] = site

    from core.http import init_request_context
    from web import api, apidocs, audit_api, cancel_page, health, openapi, search_api
    from web.content_api import register_content_routes
    from web.cors import init_cors
    from web.idempotency import init_idempotency
    from web.ops import init_ops
    from web.plugins import mount_plugin_blueprints
    from web.problems import register_error_handlers

    init_request_context(app)
    # First among the hooks: its after_request then runs last and sees the final answer (see init_ops).
    init_ops(app, site)
    for blueprint in (health.bp, api.bp, openapi.bp, apidocs.bp, search_api.bp, cancel_page.bp, audit_api.bp):
        app.register_blueprint(blueprint)
    register_content_routes(app)
    from web.editor import init_editor

    init_editor(app, site.config.public_url, site.keys.secret("session"))
    mount_plugin_blueprints(app)
    init_idempotency(app)
    init_cors(app, site.config.cors_origins)
    app.extensions["loket.openapi"] = openapi.build_spec(site)
    register_error_handlers(app)
    if read_only:
        app.before_request(_refuse_writes)
    app.after_request(_read_your_writes)
    app.after_request(_conditional_get)
    return app


def _refuse_writes() -> None:
    if request.method not in READS and request.path != "/beheer/inloggen":
        from core.errors import PermissionDeniedError

        raise PermissionDeniedError("This is a read-only snapshot of the past: nothing can be changed here.")


def _read_your_writes(response: Response) -> Response:
    # A client that got 2xx for a write sees it in its next read from this node: the read models
    # catch up before the answer leaves. Every API answer says which log position it reflects.
    from core.http import get_site

    site = get_site()
    if request.method not in READS and response.status_code < 400:
        site.projections.catch_up()
    if request.path.startswith("/api/"):
        response.headers.setdefault("X-Loket-Position", str(site.projections.position()))
    return response


def _conditional_get(response: Response) -> Response:
    # Every successful API GET has an ETag (its version, or a hash of its body), so clients can
    # revalidate with If-None-Match and get 304.
    if request.method == "GET" and request.path.startswith("/api/") and response.status_code == 200:
        if "ETag" not in response.headers:
            response.add_etag()
        return response.make_conditional(request)
    return response
