"""The plugin contract: every hook a plugin may implement (pluggy project name ``loket``).

A plugin is a module (or package) whose functions carry ``@hookimpl``; it takes only the
arguments it needs. ``docs/plugins.md`` documents each hook with an example, and a test fails when
a hook here is missing there. Hooks that feed one loket are called only for the plugins that loket
has switched on (``core.plugins.Plugins``).
"""

from __future__ import annotations

import pluggy

hookspec = pluggy.HookspecMarker("loket")
hookimpl = pluggy.HookimplMarker("loket")


@hookspec
def register_aggregates():
    """Return the aggregate classes this plugin records events with.

    Example::

        @hookimpl
        def register_aggregates():
            from .domain import Vacancy
            return [Vacancy]
    """


@hookspec
def register_content_types():
    """Return the content types this plugin adds (``core.content.registry.ContentType``).

    A content type gets the generic API (list, detail, create, revise, publish, schedule, revert,
    withdraw), search, OpenAPI, editor screens and audit without further code. Its aggregate
    subclasses ``core.content.domain.ContentItem``.

    Example::

        @hookimpl
        def register_content_types():
            return [ContentType(name="vacancy", plural="vacancies", aggregate=Vacancy,
                                schema=VacancySchema, label="Vacature", label_plural="Vacatures",
                                plugin="vacatures")]
    """


@hookspec
def register_projections():
    """Return the projection classes that build this plugin's read models from the log:
    subclasses of ``core.projections.LoketProjection`` naming their ``view_class``, ``topics`` and
    one handler per event.

    Example::

        @hookimpl
        def register_projections():
            from .projections import PublishedVacancies
            return [PublishedVacancies]
    """


@hookspec
def settings_schema():
    """Return the marshmallow schema (class or instance) of this plugin's per-loket settings.

    ``[lokets.<slug>.settings.<plugin>]`` in ``loket.toml`` is loaded through it; errors are
    reported with file and key path, and the loaded (defaults filled) settings are recorded.

    Example::

        @hookimpl
        def settings_schema():
            from .schemas import VacatureSettingsSchema
            return VacatureSettingsSchema
    """


@hookspec
def api_blueprint():
    """Return a Flask blueprint for the public and token API of this plugin.

    The core mounts it at ``/api/v1/lokets/<loket>/<plugin>``: every view receives ``loket``,
    and answers 404 ``plugin-disabled`` for a loket that has this plugin switched off.

    Example::

        @hookimpl
        def api_blueprint():
            from .api import bp
            return bp
    """


@hookspec
def editor_blueprint():
    """Return a Flask blueprint for this plugin's bespoke editor screens.

    Mounted at ``/beheer/<loket>/<plugin>`` with the same plugin-disabled guard as the API.

    Example::

        @hookimpl
        def editor_blueprint():
            from .editor import bp
            return bp
    """


@hookspec
def openapi_paths(spec):
    """Add this plugin's paths and schemas to ``spec`` (an ``apispec.APISpec``).

    Paths are relative to the plugin's mount point, ``/api/v1/lokets/{loket}/<plugin>``.

    Example::

        @hookimpl
        def openapi_paths(spec):
            spec.components.schema("Vacancy", schema=VacancySchema)
            return {"/vacancies": {"get": {"responses": {"200": {"description": "Vacancies"}}}}}
    """


@hookspec
def register_commands(cli):
    """Add click commands to ``cli``, the ``loket`` command group.

    Example::

        @hookimpl
        def register_commands(cli):
            @cli.group()
            def vacatures():
                "Vacancies: import feeds, expire."
    """


@hookspec
def menu_items(loket, principal):
    """Return editor menu entries for ``loket`` as seen by ``principal``:
    a list of ``{"label": str, "href": str}`` in Dutch.

    Example::

        @hookimpl
        def menu_items(loket, principal):
            if principal.has_role(loket, "editor", "recruiter"):
                return [{"label": "Vacatures", "href": f"/beheer/{loket}/vacatures/"}]
    """


@hookspec
def search_documents(domain_event):
    """Return the search documents that ``domain_event`` adds, replaces or removes, beyond the
    published content items (which are indexed without this hook).

    A list of dicts with ``id``, ``loket``, ``type`` and either the indexed fields
    (``title``, ``body``, ``slug``, and the facet lists ``sector`` and ``tag``) or ``"deleted": True``.

    Example::

        @hookimpl
        def search_documents(domain_event):
            if isinstance(domain_event, Vacancy.Published):
                return [{"id": str(domain_event.originator_id), "type": "vacancy", ...}]
    """


@hookspec
def json_ld(content_type, item):
    """Return schema.org JSON-LD (a dict) for ``item`` of ``content_type``, or None.

    Example::

        @hookimpl
        def json_ld(content_type, item):
            if content_type == "vacancy":
                return {"@context": "https://schema.org", "@type": "JobPosting", ...}
    """


@hookspec
def urgency_signals(site, loket):
    """Return what this plugin knows about the staff shortage in ``loket``: a list of
    ``{"signal": str, "value": number, "label": str}`` (label in Dutch), optionally with a
    ``"breakdown"`` (by sector, function, … → value) and a monthly ``"series"``.

    Example::

        @hookimpl
        def urgency_signals(loket):
            return [{"signal": "open-substitution-requests", "value": 12,
                     "label": "Openstaande vervangingsaanvragen"}]
    """


@hookspec
def tick(site, now):
    """Carry out what is due at ``now`` (an aware datetime): scheduled publication, expiry,
    retention. Called by ``loket tick`` and by the server's timer. Return a list of one-line
    descriptions of what was done.

    Example::

        @hookimpl
        def tick(site, now):
            return [f"expired vacancy {v}" for v in expire_vacancies(site, now)]
    """


@hookspec
def content_scope(loket, principal, content_type):
    """Narrow what ``principal`` may see and change of this plugin's ``content_type`` (a name) in
    ``loket``, for a role in the type's ``scoped_roles``. Return filter values that every item the
    principal touches must match (``{"school_board": ["41234"]}``); an empty list means nothing.
    Editors, admins and auditors are never narrowed. Called only for the type's own plugin.

    Example::

        @hookimpl
        def content_scope(loket, principal, content_type):
            if content_type == "vacancy":
                return {"school_board": boards_of(loket, principal.actor)}
            return None
    """


@hookspec
def seed_demo(site):
    """Create this plugin's demo content through the ordinary commands, once (when it has none
    yet), for the lokets that have the plugin on; called by ``loket serve`` when ``[demo] seed =
    true``. Return how many items were made.

    Example::

        @hookimpl
        def seed_demo(site):
            made = 0
            for loket in site.lokets.all():
                if "vacatures" in loket.plugins and not has_vacancies(site, loket.slug):
                    with acting(actor="system", loket=loket.slug, correlation_id="demo-seed"):
                        made += create_demo_vacancies(site, loket.slug)
            return made
    """
