"""``/api/``: the API described for people, rendered from the OpenAPI document (no CDN, no JavaScript).

The page is built in two steps. :func:`build_reference` turns any OpenAPI 3.x dict into a plain view
model (groups of operations, parameter and property rows, schema tables), tolerating missing keys,
wrong types, ``$ref`` chains and cycles; the template only walks that model. Text from the spec is
never marked safe: Jinja escapes all of it, and the only ``href``s built from the spec are in-page
anchors made of ``[A-Za-z0-9_-]``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from flask import Blueprint, current_app, render_template

bp = Blueprint("apidocs", __name__, template_folder="templates", static_folder="static", static_url_path="/static/loket")

HTTP_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "trace")
DEFAULT_GROUP = "Algemeen"
PARAMETER_ORDER = {"path": 0, "query": 1, "header": 2, "cookie": 3}
# Ids the template uses itself; generated anchors never take these.
FIXED_IDS = ("hoofdinhoud", "inhoudsopgave", "afspraken", "schemas")
MAX_DEPTH = 6  # how deep inline schemas are described or flattened into rows
MAX_REF_HOPS = 32  # a $ref chain longer than this is treated as a cycle


@bp.get("/api/")
def index():
    """The API reference page."""
    spec = current_app.extensions.get("loket.openapi")
    # The page is Dutch; the spec's own text (summaries, descriptions) is English, as code is,
    # and is marked so (WCAG 3.1.2). A spec may name its language in info.x-language.
    info = spec.get("info") if isinstance(spec, dict) else None
    language = info.get("x-language") if isinstance(info, dict) else None
    spec_lang = language if isinstance(language, str) and language else "en"
    return render_template("apidocs.html", ref=build_reference(spec), spec_lang=spec_lang)


@bp.app_template_filter("paragraphs")
def paragraphs(text: Any) -> list[str]:
    """Text split on blank lines, for one ``<p>`` each (the text stays plain and escaped)."""
    if text is None:
        return []
    return [part.strip() for part in re.split(r"\n\s*\n", str(text)) if part.strip()]


# View model


@dataclass
class Fragment:
    """A piece of a type description: plain text, or a link to a schema in the "Schema's" section."""

    text: str
    href: str | None = None


@dataclass
class PropertyRow:
    name: str
    type: list[Fragment]
    required: bool
    description: str
    notes: list[str]


@dataclass
class ParameterRow:
    name: str
    location: str
    required: bool
    type: list[Fragment]
    description: str
    notes: list[str]


@dataclass
class Body:
    """One schema shown as a type line plus, when it (or its item type) is an object, a property table."""

    type: list[Fragment]
    rows: list[PropertyRow]
    rows_of: list[Fragment]  # whose properties the rows are, e.g. "Greeting" or "elk item"


@dataclass
class MediaBody:
    media_type: str
    body: Body


@dataclass
class RequestBody:
    description: str
    required: bool
    contents: list[MediaBody]


@dataclass
class ResponseRow:
    status: str
    description: str
    media_type: str
    schema: list[Fragment]


@dataclass
class Operation:
    id: str
    method: str
    path: str
    summary: str
    description: str
    operation_id: str
    deprecated: bool
    security: list[str] | None  # None: not stated; []: no login needed
    parameters: list[ParameterRow]
    request_body: RequestBody | None
    responses: list[ResponseRow]
    tags: list[str]


@dataclass
class Group:
    name: str
    id: str
    description: str
    operations: list[Operation] = field(default_factory=list)  # described in this section
    also: list[Operation] = field(default_factory=list)  # described under an earlier tag


@dataclass
class SchemaEntry:
    name: str
    id: str
    description: str
    body: Body


@dataclass
class Reference:
    title: str
    version: str
    openapi: str
    description: str
    groups: list[Group]
    schemas: list[SchemaEntry]


def _text(value: Any) -> str:
    """Spec text as a string; anything that is not text (a missing key, a number, a list) gracefully."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, int, float)):
        return json.dumps(value)
    return ""


def _dict(value: Any) -> Mapping:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else []


def _literal(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except (TypeError, ValueError):  # keys that are not text, or a circular structure
        return "…"


def _join(items: list[list[Fragment]], separator: str, last: str | None = None) -> list[Fragment]:
    out: list[Fragment] = []
    for index, item in enumerate(items):
        if index:
            out.append(Fragment(last if last is not None and index == len(items) - 1 else separator))
        out.extend(item)
    return out


class _Ids:
    """Unique, stable anchor ids: ``prefix-`` and a lower-case slug of the name (``get-api-v1-lokets-loket``),
    with ``-2``, ``-3``… only on a clash."""

    def __init__(self) -> None:
        self.taken: set[str] = set(FIXED_IDS)

    def make(self, prefix: str, name: str) -> str:
        slug = re.sub(r"[^a-z0-9_]+", "-", name.lower()).strip("-") or "x"
        candidate = base = f"{prefix}-{slug}"
        number = 2
        while candidate in self.taken:
            candidate = f"{base}-{number}"
            number += 1
        self.taken.add(candidate)
        return candidate


class _Builder:
    def __init__(self, spec: Mapping) -> None:
        self.spec = spec
        self.ids = _Ids()
        components = _dict(spec.get("components"))
        self.schemas = _dict(components.get("schemas"))
        names = sorted((name for name in self.schemas if isinstance(name, str)), key=lambda n: (n.lower(), n))
        self.schema_ids = {name: self.ids.make("schema", name) for name in names}

    # $ref

    def _pointer(self, ref: Any) -> Any:
        """The node a local ``$ref`` (``#/a/b~1c``) points at, or None."""
        if not isinstance(ref, str) or not ref.startswith("#"):
            return None
        node: Any = self.spec
        fragment = unquote(ref[1:])
        if not fragment:
            return node
        if not fragment.startswith("/"):
            return None
        for raw in fragment[1:].split("/"):
            part = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, Mapping):
                if part not in node:
                    return None
                node = node[part]
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                return None
        return node

    def resolve(self, node: Any) -> Any:
        """Follow ``$ref``s to the node they mean; an unresolvable or circular one gives ``{}``."""
        seen = 0
        while isinstance(node, Mapping) and "$ref" in node:
            seen += 1
            target = self._pointer(node["$ref"])
            if target is None or seen > MAX_REF_HOPS:
                return {}
            node = target
        return node

    def schema_name(self, ref: Any) -> str | None:
        """``X`` for a ``$ref`` to ``#/components/schemas/X`` that exists."""
        prefix = "#/components/schemas/"
        if isinstance(ref, str) and ref.startswith(prefix):
            name = unquote(ref[len(prefix):]).replace("~1", "/").replace("~0", "~")
            if name in self.schema_ids:
                return name
        return None

    def ref_fragment(self, ref: Any) -> Fragment:
        name = self.schema_name(ref)
        if name is not None:
            return Fragment(name, "#" + self.schema_ids[name])
        text = _text(ref)
        return Fragment(text.rsplit("/", 1)[-1] if text.startswith("#/") else text or "?")

    # Schemas

    def describe(self, schema: Any, depth: int = 0) -> list[Fragment]:
        """A schema in words: ``string (date-time)``, ``array van Greeting``, ``een van: A of B``."""
        if depth > MAX_DEPTH:
            return [Fragment("…")]
        if schema is True:
            return [Fragment("elke waarde")]
        if schema is False:
            return [Fragment("geen waarde toegestaan")]
        if not isinstance(schema, Mapping):
            return [Fragment("elke waarde")]
        if "$ref" in schema:
            return [self.ref_fragment(schema["$ref"])]
        for key, label, last in (("oneOf", "een van: ", " of "), ("anyOf", "een van: ", " of "), ("allOf", "alle van: ", " en ")):
            options = _list(schema.get(key))
            if options:
                described = [self.describe(option, depth + 1) for option in options]
                if len(described) == 1:
                    return described[0]
                return [Fragment(label), *_join(described, ", ", last)]
        if "not" in schema:
            return [Fragment("niet: "), *self.describe(schema["not"], depth + 1)]
        if "const" in schema:
            return [Fragment(f"vaste waarde {_literal(schema['const'])}")]

        types = schema.get("type")
        types = [t for t in (types if isinstance(types, list) else [types]) if isinstance(t, str)]
        if not types:
            if "properties" in schema or "additionalProperties" in schema:
                types = ["object"]
            elif "items" in schema or "prefixItems" in schema:
                types = ["array"]
        described: list[list[Fragment]] = []
        for kind in types:
            if kind == "array":
                items = schema.get("items")
                if isinstance(items, (Mapping, bool)) and items != {}:
                    described.append([Fragment("array van "), *self.describe(items, depth + 1)])
                else:
                    described.append([Fragment("array")])
            elif kind == "object" and isinstance(schema.get("additionalProperties"), Mapping) and schema["additionalProperties"]:
                described.append([Fragment("object met waarden: "), *self.describe(schema["additionalProperties"], depth + 1)])
            elif kind in ("string", "integer", "number") and isinstance(schema.get("format"), str):
                described.append([Fragment(f"{kind} ({schema['format']})")])
            else:
                described.append([Fragment(kind)])
        out = _join(described, ", ", " of ") if described else [Fragment("elke waarde")]
        if schema.get("nullable") is True and "null" not in types:  # OpenAPI 3.0
            out.append(Fragment(" of null"))
        enum = _list(schema.get("enum"))
        if enum:
            out.append(Fragment(", toegestaan: " + ", ".join(_literal(value) for value in enum)))
        return out

    def notes(self, schema: Any) -> list[str]:
        """Constraints and flags worth knowing, in Dutch."""
        schema = _dict(schema)
        out = []
        for key, words in (
            ("minimum", "minimaal {}"),
            ("exclusiveMinimum", "groter dan {}"),
            ("maximum", "maximaal {}"),
            ("exclusiveMaximum", "kleiner dan {}"),
            ("multipleOf", "veelvoud van {}"),
            ("minLength", "minstens {} teken{}"),
            ("maxLength", "hoogstens {} teken{}"),
            ("pattern", "patroon: {}"),
            ("minItems", "minstens {} item{}"),
            ("maxItems", "hoogstens {} item{}"),
        ):
            value = schema.get(key)
            if isinstance(value, (int, float, str)) and not isinstance(value, bool):
                out.append(words.format(value, "" if value == 1 else "s"))
        if schema.get("uniqueItems") is True:
            out.append("unieke items")
        if "default" in schema:
            out.append(f"standaard: {_literal(schema['default'])}")
        if schema.get("readOnly") is True:
            out.append("alleen-lezen")
        if schema.get("writeOnly") is True:
            out.append("alleen-schrijven")
        if schema.get("deprecated") is True:
            out.append("verouderd")
        return out

    def _object_parts(self, schema: Any, depth: int, seen: tuple[int, ...] = ()) -> tuple[dict, set]:
        """Properties and required names of an object schema, with ``allOf`` parts merged in."""
        properties: dict = {}
        required: set = set()
        schema = self.resolve(schema)
        if not isinstance(schema, Mapping) or id(schema) in seen or depth > MAX_DEPTH:
            return properties, required
        seen = (*seen, id(schema))
        for part in _list(schema.get("allOf")):
            more, more_required = self._object_parts(part, depth + 1, seen)
            properties.update(more)
            required |= more_required
        properties.update({name: value for name, value in _dict(schema.get("properties")).items() if isinstance(name, str)})
        required |= {name for name in _list(schema.get("required")) if isinstance(name, str)}
        return properties, required

    def property_rows(self, schema: Any, prefix: str = "", depth: int = 0) -> list[PropertyRow]:
        """One row per property; inline (not ``$ref``) objects and arrays of them are flattened as
        ``parent.child`` and ``parent[].child``."""
        properties, required = self._object_parts(schema, depth)
        rows = []
        for name, prop in properties.items():
            prop_dict = _dict(prop)
            description = _text(prop_dict.get("description")) or _text(prop_dict.get("title"))
            if not description and "$ref" in prop_dict:
                description = _text(_dict(self.resolve(prop_dict)).get("description"))
            rows.append(PropertyRow(prefix + name, self.describe(prop, depth), name in required, description, self.notes(prop)))
            if depth >= MAX_DEPTH or "$ref" in prop_dict:
                continue
            items = prop_dict.get("items")
            if prop_dict.get("properties") or prop_dict.get("allOf"):
                rows.extend(self.property_rows(prop_dict, f"{prefix}{name}.", depth + 1))
            elif isinstance(items, Mapping) and "$ref" not in items and (items.get("properties") or items.get("allOf")):
                rows.extend(self.property_rows(items, f"{prefix}{name}[].", depth + 1))
        return rows

    def body(self, schema: Any) -> Body:
        """A schema's type line, and the properties of the object it is (or holds, as an array)."""
        type_line = self.describe(schema)
        target, whose = schema, type_line
        resolved = _dict(self.resolve(schema))
        if resolved.get("type") == "array" or ("items" in resolved and "properties" not in resolved):
            target = resolved.get("items")
            whose = [Fragment("elk item ("), *self.describe(target), Fragment(")")]
        return Body(type_line, self.property_rows(target), whose)

    # Operations

    def parameters(self, path_item: Mapping, operation: Mapping) -> list[ParameterRow]:
        merged: dict[tuple[str, str], Mapping] = {}
        for raw in [*_list(path_item.get("parameters")), *_list(operation.get("parameters"))]:
            parameter = _dict(self.resolve(raw))
            name, location = _text(parameter.get("name")), _text(parameter.get("in"))
            if name or location:
                merged[(name, location)] = parameter  # the operation's own overrides the path's
        rows = []
        for (name, location), parameter in merged.items():
            schema = parameter.get("schema")
            if schema is None:  # a parameter described by `content` instead
                for media in _dict(parameter.get("content")).values():
                    schema = _dict(media).get("schema")
                    break
            resolved = _dict(self.resolve(schema))
            notes = self.notes(resolved)
            if parameter.get("deprecated") is True and "verouderd" not in notes:
                notes.append("verouderd")
            required = parameter.get("required") is True or location == "path"
            rows.append(ParameterRow(name, location, required, self.describe(schema), _text(parameter.get("description")) or _text(resolved.get("description")), notes))
        rows.sort(key=lambda row: PARAMETER_ORDER.get(row.location, len(PARAMETER_ORDER)))
        return rows

    def request_body(self, raw: Any) -> RequestBody | None:
        if raw is None:
            return None
        request_body = _dict(self.resolve(raw))
        contents = [
            MediaBody(_text(media_type), self.body(_dict(media).get("schema")))
            for media_type, media in _dict(request_body.get("content")).items()
        ]
        return RequestBody(_text(request_body.get("description")), request_body.get("required") is True, contents)

    def responses(self, raw: Any) -> list[ResponseRow]:
        rows = []
        for status, response in _dict(raw).items():
            response = _dict(self.resolve(response))
            description = _text(response.get("description"))
            content = _dict(response.get("content"))
            if not content:
                rows.append(ResponseRow(_text(status), description, "", []))
            for media_type, media in content.items():
                schema = _dict(media).get("schema")
                rows.append(ResponseRow(_text(status), description, _text(media_type), self.describe(schema) if schema is not None else []))
        return rows

    def security(self, operation: Mapping) -> list[str] | None:
        requirements = operation.get("security", self.spec.get("security"))
        if not isinstance(requirements, list):
            return None
        if any(isinstance(r, Mapping) and not r for r in requirements) or not requirements:
            return []  # an empty requirement ({}) means: also without login
        return [name for requirement in requirements for name in _dict(requirement) if isinstance(name, str)]

    def operations(self) -> list[Operation]:
        out = []
        for path, path_item in _dict(self.spec.get("paths")).items():
            path_item = _dict(self.resolve(path_item))
            for method in HTTP_METHODS:
                operation = path_item.get(method)
                if not isinstance(operation, Mapping):
                    continue
                tags = list(dict.fromkeys(tag for tag in _list(operation.get("tags")) if isinstance(tag, str) and tag.strip()))
                out.append(
                    Operation(
                        id=self.ids.make(method, _text(path)),
                        method=method.upper(),
                        path=_text(path),
                        summary=_text(operation.get("summary")) or _text(path_item.get("summary")),
                        description=_text(operation.get("description")) or _text(path_item.get("description")),
                        operation_id=_text(operation.get("operationId")),
                        deprecated=operation.get("deprecated") is True,
                        security=self.security(operation),
                        parameters=self.parameters(path_item, operation),
                        request_body=self.request_body(operation.get("requestBody")),
                        responses=self.responses(operation.get("responses")),
                        tags=tags or [DEFAULT_GROUP],
                    )
                )
        return out

    def groups(self, operations: list[Operation]) -> list[Group]:
        """Declared tags first, in the spec's order, then tags only used, then "Algemeen"; an
        operation is described under its first tag and listed under the others."""
        descriptions: dict[str, str] = {}
        for tag in _list(self.spec.get("tags")):
            tag = _dict(tag)
            name = _text(tag.get("name"))
            if name and name not in descriptions:
                descriptions[name] = _text(tag.get("description"))
        order = [*descriptions]
        for operation in operations:
            order.extend(tag for tag in operation.tags if tag not in order and tag != DEFAULT_GROUP)
        order.append(DEFAULT_GROUP)
        groups = {name: Group(name, "", descriptions.get(name, "")) for name in dict.fromkeys(order)}
        for operation in operations:
            groups[operation.tags[0]].operations.append(operation)
            for tag in operation.tags[1:]:
                if all(listed is not operation for listed in groups[tag].also):
                    groups[tag].also.append(operation)
        used = [group for group in groups.values() if group.operations or group.also]
        for group in used:
            group.id = self.ids.make("tag", group.name)
        return used

    def schema_entries(self) -> list[SchemaEntry]:
        return [
            SchemaEntry(name, anchor, _text(_dict(self.schemas[name]).get("description")), self.body(self.schemas[name]))
            for name, anchor in self.schema_ids.items()
        ]

    def build(self) -> Reference:
        info = _dict(self.spec.get("info"))
        operations = self.operations()
        return Reference(
            title=_text(info.get("title")) or "Loket API",
            version=_text(info.get("version")),
            openapi=_text(self.spec.get("openapi")),
            description=_text(info.get("description")),
            groups=self.groups(operations),
            schemas=self.schema_entries(),
        )


def build_reference(spec: Any) -> Reference:
    """The view model of the reference page for an OpenAPI document (any dict; odd parts are skipped)."""
    return _Builder(spec if isinstance(spec, Mapping) else {}).build()
