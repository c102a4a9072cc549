"""A ``Site``: one configured Loket installation — its configuration, plugins, store, read side and
services. The CLI and the web app both start from here, so they see the same thing::

    site = Site.open("loket.toml")
    site.apply_config()
    site.projections.catch_up()
"""

from __future__ import annotations

from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from core.activities.service import Registrations
from core.application import LoketApplication
from core.config import Config, load_config
from core.content.locks import Locks
from core.content.projections import ContentView
from core.content.registry import ContentType, ContentTypes
from core.content.service import Content, Scope
from core.helpdesk.service import Helpdesk
from core.identity import Identity
from core.lokets import Lokets
from core.outbox.service import Outbox
from core.plugins import CORE_PLUGINS, Plugins
from core.privacy import KeyStore, Privacy
from core.privacy_index import PersonalDataIndex
from core.projections import ProjectionRunner
from core.readmodel import ReadDatabase, open_read_database
from core.readmodel_postgres import PostgresReadDatabase
from core.search import SearchBackend, SearchProjection, WhooshIndex
from core.search_postgres import PostgresSearchIndex
from core.spam import RateLimiter


class Site:
    """Everything a command or request needs, built once per process."""

    def __init__(self, config: Config, plugins: Plugins, read_models_in_folder: bool = False) -> None:
        self.config = config
        self.plugins = plugins
        #: Read models and search in the data folder whatever the store: an auditor's replay or
        #: snapshot, which must never touch the shared ones of a PostgreSQL store.
        self.read_models_in_folder = read_models_in_folder
        #: Set on a site that serves an auditor's snapshot (``loket serve --snapshot``): its moment.
        self.snapshot: dict[str, Any] | None = None
        #: Another process (``loket worker``) runs the projections: see ``follow_projections()``.
        self.projections_elsewhere = False

    @classmethod
    def open(cls, config_path: str | Path, plugins: Plugins | None = None, base_dir: Path | None = None) -> Site:
        """Validate ``config_path`` (nothing is recorded yet). :raise ConfigError:"""
        plugins = plugins or Plugins()
        return cls(load_config(config_path, plugins, base_dir), plugins)

    # The write side

    @cached_property
    def keys(self) -> KeyStore:
        return KeyStore(self.config.keys_path, self.config.keys_store)

    @cached_property
    def app(self) -> LoketApplication:
        return LoketApplication(self.config.store, self.keys)

    @cached_property
    def lokets(self) -> Lokets:
        return Lokets(self.app)

    @cached_property
    def identity(self) -> Identity:
        return Identity(self.app, self.lokets, self.privacy)

    @cached_property
    def content_types(self) -> ContentTypes:
        return ContentTypes(self.plugins.collect("register_content_types"))

    @cached_property
    def content(self) -> Content:
        return Content(self.app, self.content_types, self.lokets)

    @cached_property
    def locks(self) -> Locks:
        return Locks(self.app)

    @cached_property
    def privacy(self) -> Privacy:
        return Privacy(self.app, self.keys, self.config.retention_days, self.projection("personal-data").view)

    @cached_property
    def helpdesk(self) -> Helpdesk:
        return Helpdesk(self.app, self.privacy, self.lokets, self.content)

    @cached_property
    def registrations(self) -> Registrations:
        return Registrations(self.app, self.privacy, self.lokets, self.config.public_url)

    @cached_property
    def outbox(self) -> Outbox:
        return Outbox(self.app, self.projection("outbox").view, self.config.mail)

    @cached_property
    def rate_limiter(self) -> RateLimiter:
        return RateLimiter()

    @cached_property
    def login_failures(self) -> RateLimiter:
        """Five failed logins per name and address, then a pause of five minutes."""
        return RateLimiter(limit=5, window=300)

    # The read side

    @cached_property
    def read_database(self) -> ReadDatabase | PostgresReadDatabase:
        """Beside the events: ``read.sqlite`` in the data folder, or tables in the PostgreSQL schema."""
        if self.config.store.is_postgres and not self.read_models_in_folder:
            return PostgresReadDatabase(self.config.store)
        return open_read_database(self.config.data_dir / "read.sqlite")

    @cached_property
    def search_index(self) -> WhooshIndex | PostgresSearchIndex:
        """The search projection's view and the search backend: ``[search] engine`` says which."""
        if self.config.search_engine == "postgres" and not self.read_models_in_folder:
            return PostgresSearchIndex(self.config.store)
        return WhooshIndex(self.config.data_dir / "search")

    @property
    def search(self) -> SearchBackend:
        return self.search_index

    @cached_property
    def projections(self) -> ProjectionRunner:
        classes = [SearchProjection, PersonalDataIndex, *self.plugins.collect("register_projections")]
        return ProjectionRunner(
            self.app, [cls.build(self) for cls in classes], self.config.data_dir / "projections.lock", follower=self.projections_elsewhere,
            read_database=self.read_database,
        )

    def follow_projections(self) -> None:
        """Leave the projections to ``loket worker``: a catch-up waits (bounded) for the read
        models to reach the log instead of projecting (web nodes of a scaled-out installation)."""
        self.projections_elsewhere = True
        if "projections" in self.__dict__:
            self.projections.follower = True

    @property
    def content_view(self) -> ContentView:
        return self.projection("content").view

    @property
    def questions_view(self) -> Any:
        return self.projection("questions").view

    def projection(self, name: str) -> Any:
        for projection in self.projections.projections:
            if projection.name == name:
                return projection
        raise KeyError(name)

    # Lokets and plugins

    def apply_config(self) -> list[Any]:
        """Record what changed in the configuration; return the new events."""
        return self.lokets.apply_config(self.config)

    def loket_hook(self, hook: str, loket: str, **kwargs: Any) -> list[tuple[str, Any]]:
        """``(plugin, result)`` of ``hook`` for the core and the plugins ``loket`` has switched on."""
        return self.plugins.each(hook, [*CORE_PLUGINS, *self.lokets.enabled_plugins(loket)], loket=loket, **kwargs)

    def content_scope(self, loket: str, principal: Any, content_type: ContentType, write: bool = True) -> Scope:
        """What ``principal`` may touch of ``content_type`` in ``loket``: None for editors and admins
        (and, to read, auditors); for a scoped role, what the type's plugin says (nothing when it
        says nothing) — so an auditor who is also a recruiter writes only within the scope."""
        unrestricted = ("editor", "admin") if write else ("editor", "admin", "auditor")
        if principal.has_role(loket, *unrestricted) or not content_type.scoped_roles:
            return None
        if content_type.plugin is None or not principal.has_role(loket, *content_type.scoped_roles):
            return {"id": []}
        scope = self.plugins.call(content_type.plugin, "content_scope", loket=loket, principal=principal, content_type=content_type.name)
        return scope if scope is not None else {"id": []}

    def tick(self, now: datetime) -> list[str]:
        """Carry out everything due at ``now``: each plugin's (and the core's) ``tick`` hook."""
        return self.plugins.collect("tick", site=self, now=now)

    def close(self) -> None:
        """Close what was opened (twice is harmless); the site can be used again after."""
        for name in ("search_index", "read_database", "app", "keys"):
            opened = self.__dict__.pop(name, None)
            if opened is not None:
                opened.close()
        for name in ("projections", "lokets", "identity", "content", "privacy", "helpdesk", "registrations", "outbox"):
            self.__dict__.pop(name, None)
