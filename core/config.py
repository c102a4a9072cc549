"""Load and validate ``loket.toml`` into a ``Config``.

Every problem is reported with the file, the key path and the reason, all at once, so that a
project leader can mend the file in one go::

    loket.toml: lokets.voordeklas.plugins[1]: unknown plugin 'vacature'; installed: vacatures, …
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from core.errors import LoketError
from core.privacy import DEFAULT_RETENTION_DAYS
from core.plugins import Plugins
from core.store import DEFAULT_STORE_URL, StoreSettings, parse_store_url
from core.validation import flatten_messages

SECTORS = ("po", "vo", "mbo")
REGION_KINDS = ("rap-po", "rap-vo-mbo", "onderwijsregio", "regionaal-transfercentrum", "provincie")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_RULE = "must be lowercase letters, digits and single hyphens, e.g. 'voor-de-klas'"


class SectorsField(fields.Field):
    """``sector = "po"`` or ``sectors = ["vo", "mbo"]``: always loaded as a list."""

    default_error_messages = {
        "invalid": f"must be one of {', '.join(SECTORS)}, or a list of them",
        "empty": "must name at least one sector",
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[str]:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not all(v in SECTORS for v in values):
            raise self.make_error("invalid")
        if not values:
            raise self.make_error("empty")
        return sorted(set(values), key=SECTORS.index)


class StoreSchema(Schema):
    url = fields.String(load_default=DEFAULT_STORE_URL)


class DataSchema(Schema):
    dir = fields.String(load_default="loket-data", validate=validate.Length(min=1))


class ApiSchema(Schema):
    cors_origins = fields.List(fields.Url(schemes={"http", "https"}, require_tld=False), load_default=list)


class PrivacySchema(Schema):
    keys = fields.String(load_default="loket-keys/keys.sqlite", validate=validate.Length(min=1))
    retention = fields.Dict(
        # The core's kinds (question, registration, account) and the plugins' own (alert, contact, pool, …).
        keys=fields.String(validate=validate.Regexp(r"^[a-z][a-z-]{1,30}$", error="a kind of personal data, e.g. question, alert, pool")),
        values=fields.Integer(validate=validate.Range(min=1, max=3650)),
        load_default=dict,
    )


class MailSchema(Schema):
    host = fields.String(required=True, validate=validate.Length(min=1))
    port = fields.Integer(load_default=25, validate=validate.Range(min=1, max=65535))
    sender = fields.Email(required=True)
    username = fields.String(load_default=None, allow_none=True)
    password = fields.String(load_default=None, allow_none=True)
    starttls = fields.Boolean(load_default=False)
    timeout = fields.Integer(load_default=20, validate=validate.Range(min=1, max=300))


class SiteSchema(Schema):
    public_url = fields.Url(load_default="http://127.0.0.1:8080", require_tld=False, schemes={"http", "https"})


class DemoSchema(Schema):
    seed = fields.Boolean(load_default=False)


class OpsSchema(Schema):
    # /readyz answers 503 while a read model is more than this many events behind the log.
    max_lag = fields.Integer(load_default=1000, validate=validate.Range(min=0))
    # Seconds /readyz and /metrics wait for the store: a load balancer's check must not hang on it.
    ready_timeout = fields.Float(load_default=2.0, validate=validate.Range(min=0.05, max=60))
    log_format = fields.String(load_default="text", validate=validate.OneOf(["text", "json"]))
    # When set, /metrics asks for "Authorization: Bearer <metrics_token>"; empty: open (scraped from inside).
    metrics_token = fields.String(load_default="")


class SearchSchema(Schema):
    # whoosh: an index on local disk (one node); postgres: full-text search in the store's database.
    engine = fields.String(load_default="whoosh", validate=validate.OneOf(["whoosh", "postgres"], error="must be whoosh or postgres"))


class RegionSchema(Schema):
    id = fields.String(required=True, validate=validate.Regexp(SLUG, error=SLUG_RULE))
    name = fields.String(required=True, validate=validate.Length(min=1))
    kind = fields.String(required=True)
    sector = SectorsField(required=True)


class LoketSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1))
    regions = fields.List(fields.String(), required=True, validate=validate.Length(min=1))
    sectors = SectorsField()
    plugins = fields.List(fields.String(), load_default=list)
    settings = fields.Dict(keys=fields.String(), values=fields.Dict(), load_default=dict)
    approval = fields.List(fields.String(), load_default=list, metadata={"description": "content types that need approval"})


class ConfigSchema(Schema):
    store = fields.Nested(StoreSchema, load_default=lambda: StoreSchema().load({}))
    data = fields.Nested(DataSchema, load_default=lambda: DataSchema().load({}))
    api = fields.Nested(ApiSchema, load_default=lambda: ApiSchema().load({}))
    privacy = fields.Nested(PrivacySchema, load_default=lambda: PrivacySchema().load({}))
    mail = fields.Nested(MailSchema, load_default=None, allow_none=True)
    site = fields.Nested(SiteSchema, load_default=lambda: SiteSchema().load({}))
    demo = fields.Nested(DemoSchema, load_default=lambda: DemoSchema().load({}))
    search = fields.Nested(SearchSchema, load_default=lambda: SearchSchema().load({}))
    ops = fields.Nested(OpsSchema, load_default=lambda: OpsSchema().load({}))
    region_kinds = fields.List(fields.String(validate=validate.Regexp(SLUG, error=SLUG_RULE)), load_default=list)
    regions = fields.List(fields.Nested(RegionSchema), required=True)
    lokets = fields.Dict(
        keys=fields.String(validate=validate.Regexp(SLUG, error=SLUG_RULE)),
        values=fields.Nested(LoketSchema),
        required=True,
    )


@dataclass(frozen=True)
class ConfigProblem:
    """One thing wrong with a configuration file."""

    file: str
    key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.reason}" if self.key else f"{self.file}: {self.reason}"


class ConfigError(LoketError):
    """Raised when ``loket.toml`` cannot be read or is invalid; lists every problem found."""

    slug = "invalid-config"

    def __init__(self, problems: list[ConfigProblem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Config:
    """A validated configuration. ``lokets`` maps each slug to its normalised spec: ``name``,
    ``regions`` (the region dicts), ``sectors``, ``plugins`` and loaded ``settings``."""

    path: Path
    sha256: str
    store: StoreSettings
    data_dir: Path  # read models, search index, locks: caches of the log, rebuilt on demand
    cors_origins: tuple[str, ...]
    keys_path: Path  # the per-person keys: outside the event store and its backups (a SQLite file) …
    retention_days: dict[str, int]
    mail: dict[str, Any] | None  # SMTP settings; None: messages wait in the outbox
    public_url: str  # where people reach this installation (links in e-mails)
    demo_seed: bool
    regions: dict[str, dict[str, Any]]
    lokets: dict[str, dict[str, Any]]
    data: dict[str, Any] = field(repr=False)
    search_engine: str = "whoosh"  # [search] engine: whoosh or postgres
    keys_store: StoreSettings | None = None  # … or a PostgreSQL schema of their own ([privacy] keys = "postgresql://…")

    @property
    def base_dir(self) -> Path:
        return self.path.parent


def load_config(path: str | Path, plugins: Plugins, base_dir: Path | None = None) -> Config:
    """Read and validate ``path``; relative paths in it are taken from ``base_dir`` (default: the
    file's folder). :raise ConfigError: with every problem found."""
    path = Path(path)
    name = str(path)
    try:
        raw_bytes = path.read_bytes()
    except OSError as error:
        raise ConfigError([ConfigProblem(name, "", f"cannot read the file: {error.strerror or error}")]) from None
    try:
        document = tomllib.loads(raw_bytes.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError([ConfigProblem(name, "", "the file is not UTF-8 text")]) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError([_toml_problem(name, str(error))]) from None

    try:
        data = ConfigSchema().load(document)
    except ValidationError as error:
        raise ConfigError([ConfigProblem(name, key, reason) for key, reason in flatten_messages(error.messages)]) from None

    problems: list[ConfigProblem] = []
    store = _check_store(name, data, base_dir or path.parent, problems)
    keys_store = _check_keys(name, data, base_dir or path.parent, store, problems)
    _check_search(name, data, store, problems)
    regions = _check_regions(name, data, problems)
    lokets = {slug: _check_loket(name, slug, spec, regions, plugins, problems) for slug, spec in data["lokets"].items()}
    if problems:
        raise ConfigError(problems)
    assert store is not None
    return Config(
        path=path,
        sha256=hashlib.sha256(raw_bytes).hexdigest(),
        store=store,
        data_dir=(base_dir or path.parent) / data["data"]["dir"],
        cors_origins=tuple(origin.rstrip("/") for origin in data["api"]["cors_origins"]),
        keys_path=(base_dir or path.parent) / data["privacy"]["keys"],
        retention_days={**DEFAULT_RETENTION_DAYS, **data["privacy"]["retention"]},
        mail=data["mail"],
        public_url=data["site"]["public_url"].rstrip("/"),
        demo_seed=data["demo"]["seed"],
        regions=regions,
        lokets=lokets,
        data=data,
        search_engine=data["search"]["engine"],
        keys_store=keys_store,
    )


def _toml_problem(name: str, message: str) -> ConfigProblem:
    # tomllib says "Cannot declare ('lokets', 'x') twice (at line 9, column 15)".
    position = re.search(r"\(at line (\d+), column (\d+)\)", message)
    reason = message[: position.start()].strip() if position else message
    where = f"{name}:{position.group(1)}:{position.group(2)}" if position else name
    duplicate = re.match(r"Cannot (?:declare|overwrite a value) \('lokets', '([^']+)'\)", reason)
    if duplicate:
        return ConfigProblem(where, f"lokets.{duplicate.group(1)}", f"duplicate loket slug '{duplicate.group(1)}'")
    return ConfigProblem(where, "", f"TOML syntax error: {reason}")


def _check_store(name: str, data: dict, base_dir: Path, problems: list[ConfigProblem]) -> StoreSettings | None:
    try:
        return parse_store_url(data["store"]["url"], base_dir)
    except ValueError as error:
        problems.append(ConfigProblem(name, "store.url", str(error)))
        return None


def _check_keys(name: str, data: dict, base_dir: Path, store: StoreSettings | None, problems: list[ConfigProblem]) -> StoreSettings | None:
    """``[privacy] keys`` as a PostgreSQL URL (for installations of several hosts), or None (a file)."""
    keys = data["privacy"]["keys"]
    if not keys.startswith(("postgresql:", "postgres:")):
        return None
    try:
        keys_store = parse_store_url(keys, base_dir)
    except ValueError as error:
        problems.append(ConfigProblem(name, "privacy.keys", str(error)))
        return None
    if store is not None and store.is_postgres and _same_place(keys_store, store):
        problems.append(
            ConfigProblem(
                name,
                "privacy.keys",
                "the keys must be kept apart from the events: give them a schema (?schema=…) or a database of their own",
            )
        )
    return keys_store


def _same_place(a: StoreSettings, b: StoreSettings) -> bool:
    names = ("POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_DBNAME")
    return all(a.env[n] == b.env[n] for n in names) and a.env.get("POSTGRES_SCHEMA", "public") == b.env.get("POSTGRES_SCHEMA", "public")


def _check_search(name: str, data: dict, store: StoreSettings | None, problems: list[ConfigProblem]) -> None:
    if data["search"]["engine"] == "postgres" and store is not None and not store.is_postgres:
        problems.append(
            ConfigProblem(
                name,
                "search.engine",
                "'postgres' searches in the store's PostgreSQL database, but [store] url is "
                f"{store.safe_url}; use a postgresql:// store URL, or engine = \"whoosh\"",
            )
        )


def _check_regions(name: str, data: dict, problems: list[ConfigProblem]) -> dict[str, dict[str, Any]]:
    kinds = list(REGION_KINDS) + data["region_kinds"]
    regions: dict[str, dict[str, Any]] = {}
    for index, region in enumerate(data["regions"]):
        key = f"regions[{index}]"
        if region["id"] in regions:
            problems.append(ConfigProblem(name, f"{key}.id", f"duplicate region id '{region['id']}'"))
            continue
        if region["kind"] not in kinds:
            problems.append(
                ConfigProblem(
                    name,
                    f"{key}.kind",
                    f"unknown region kind '{region['kind']}'; known: {', '.join(kinds)} "
                    "(add your own with region_kinds = [...])",
                )
            )
        regions[region["id"]] = {
            "id": region["id"],
            "name": region["name"],
            "kind": region["kind"],
            "sectors": region["sector"],
        }
    return regions


def _check_loket(
    name: str,
    slug: str,
    spec: dict[str, Any],
    regions: dict[str, dict[str, Any]],
    plugins: Plugins,
    problems: list[ConfigProblem],
) -> dict[str, Any]:
    key = f"lokets.{slug}"
    installed = plugins.names
    installed_text = ", ".join(installed) if installed else "(none installed)"
    seen_regions: list[str] = []
    for index, region_id in enumerate(spec["regions"]):
        if region_id not in regions:
            known = ", ".join(regions) or "(none defined)"
            problems.append(ConfigProblem(name, f"{key}.regions[{index}]", f"unknown region '{region_id}'; defined regions: {known}"))
        elif region_id in seen_regions:
            problems.append(ConfigProblem(name, f"{key}.regions[{index}]", f"region '{region_id}' is listed twice"))
        else:
            seen_regions.append(region_id)
    enabled: list[str] = []
    for index, plugin in enumerate(spec["plugins"]):
        if plugin not in installed:
            problems.append(ConfigProblem(name, f"{key}.plugins[{index}]", f"unknown plugin '{plugin}'; installed plugins: {installed_text}"))
        elif plugin in enabled:
            problems.append(ConfigProblem(name, f"{key}.plugins[{index}]", f"plugin '{plugin}' is listed twice"))
        else:
            enabled.append(plugin)
    settings: dict[str, dict[str, Any]] = {}
    for plugin in sorted(set(enabled) | set(spec["settings"])):
        settings_key = f"{key}.settings.{plugin}"
        if plugin not in installed:
            problems.append(ConfigProblem(name, settings_key, f"settings for unknown plugin '{plugin}'; installed plugins: {installed_text}"))
            continue
        schema = plugins.call(plugin, "settings_schema")
        raw = spec["settings"].get(plugin, {})
        if schema is None:
            if raw:
                problems.append(ConfigProblem(name, settings_key, f"plugin '{plugin}' takes no settings"))
            continue
        schema = schema() if isinstance(schema, type) else schema
        try:
            # Dumped again so that what is recorded is plain JSON (dates as text, and so on).
            settings[plugin] = schema.dump(schema.load(raw))
        except ValidationError as error:
            problems += [ConfigProblem(name, f"{settings_key}.{k}" if k else settings_key, r) for k, r in flatten_messages(error.messages)]
    content_types = {t.name for t in plugins.collect("register_content_types")}
    approval = []
    for index, type_name in enumerate(spec["approval"]):
        if type_name not in content_types:
            known = ", ".join(sorted(content_types))
            problems.append(ConfigProblem(name, f"{key}.approval[{index}]", f"unknown content type '{type_name}'; known: {known}"))
        elif type_name not in approval:
            approval.append(type_name)
    region_specs = [regions[r] for r in seen_regions]
    sectors = spec.get("sectors") or sorted({s for r in region_specs for s in r["sectors"]}, key=SECTORS.index)
    return {"name": spec["name"], "regions": region_specs, "sectors": sectors, "plugins": enabled, "settings": settings, "approval": approval}
