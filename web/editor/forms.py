"""Forms from a content type's marshmallow schema: one input per field, and the submitted form back
into the API's input form, so that the screens validate exactly as the API does."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from marshmallow import Schema, fields, validate

from core.content.schemas import Moment
from core.messages import dutch_reason, t

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
LONG_TEXT = ("body", "answer", "summary", "description")


@dataclass
class FormField:
    """One input: its name (the API's key), label, kind of input, value, choices and errors."""

    name: str
    label: str
    kind: str  # text, textarea, number, checkbox, checkboxes, select, url, email, datetime, list, steps, group
    required: bool = False
    value: Any = None
    choices: list[str] = field(default_factory=list)
    hint: str = ""
    errors: list[str] = field(default_factory=list)
    children: list[FormField] = field(default_factory=list)

    @property
    def input_id(self) -> str:
        return "veld-" + self.name.replace(".", "-")


def form_fields(schema: Schema, data: dict[str, Any], errors: dict[str, str], prefix: str = "") -> list[FormField]:
    """The fields of ``schema`` filled with ``data`` (the API's form, camelCase) and ``errors``
    (``invalidParams`` names → reasons)."""
    result = []
    for name, schema_field in schema.fields.items():
        key = schema_field.data_key or name
        path = f"{prefix}{key}"
        value = data.get(key) if isinstance(data, dict) else None
        form_field = FormField(
            name=path,
            label=_label(key),
            kind=_kind(name, schema_field),
            required=schema_field.required,
            value=value,
            choices=_choices(schema_field),
            errors=[dutch_reason(reason) for error_name, reason in errors.items() if error_name == path or error_name.startswith(f"{path}[")],
        )
        if form_field.kind == "group":
            form_field.children = form_fields(schema_field.schema, value or {}, errors, prefix=f"{path}.")
        if form_field.kind == "list":
            form_field.hint = t("field.list_hint")
        if form_field.kind == "steps":
            form_field.hint = t("field.steps_hint")
        if form_field.kind == "datetime":
            form_field.hint = t("field.moment_hint")
        result.append(form_field)
    return result


def submitted(schema: Schema, form: Any, prefix: str = "") -> dict[str, Any]:
    """The submitted form as the API's input (camelCase), ready for the schema to validate."""
    data: dict[str, Any] = {}
    for name, schema_field in schema.fields.items():
        key = schema_field.data_key or name
        path = f"{prefix}{key}"
        kind = _kind(name, schema_field)
        raw = form.get(path)
        if kind == "group":
            nested = submitted(schema_field.schema, form, prefix=f"{path}.")
            data[key] = nested if any(v not in ("", None, []) for v in nested.values()) else None
        elif kind == "checkboxes":
            data[key] = form.getlist(path)
        elif kind == "checkbox":
            data[key] = raw is not None
        elif kind == "list":
            data[key] = [part.strip() for part in (raw or "").split(",") if part.strip()]
        elif kind == "steps":
            data[key] = [_step(line) for line in (raw or "").splitlines() if line.strip()]
        elif raw is None or (not raw.strip() and not schema_field.required and kind in ("text", "textarea")):
            continue  # left empty: the schema's default applies (a slug is made from the title)
        elif kind == "number":
            data[key] = int(raw) if raw.strip().lstrip("-").isdigit() else (None if not raw.strip() else raw)
        elif kind == "datetime":
            data[key] = _moment(raw)
        elif not raw.strip() and not schema_field.required:
            # An optional input left empty (an address, a choice) is "not given": None where the
            # schema allows it, else the schema's default — never "", which it would refuse.
            if schema_field.allow_none:
                data[key] = None
        else:
            data[key] = raw.replace("\r\n", "\n")  # browsers send CRLF; the API's texts use LF
    return data


def display(value: Any, kind: str) -> str:
    """A value as its input shows it."""
    if value is None:
        return ""
    if kind == "list":
        return ", ".join(value)
    if kind == "steps":
        return "\n".join(f"{s.get('title', '')} | {s.get('description', '')}".rstrip(" |") for s in value)
    if kind == "datetime":
        try:
            return datetime.fromisoformat(str(value)).astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")
        except ValueError:
            return str(value)
    return str(value)


def _kind(name: str, schema_field: fields.Field) -> str:
    if isinstance(schema_field, Moment):
        return "datetime"
    if isinstance(schema_field, fields.Nested):
        return "group"
    if isinstance(schema_field, fields.List):
        inner = schema_field.inner
        if isinstance(inner, fields.Nested):
            return "steps"
        return "checkboxes" if _choices(inner) else "list"
    if isinstance(schema_field, fields.Boolean):
        return "checkbox"
    if isinstance(schema_field, fields.Integer):
        return "number"
    if isinstance(schema_field, fields.Url):
        return "url"
    if isinstance(schema_field, fields.Email):
        return "email"
    if _choices(schema_field):
        return "select"
    return "textarea" if name in LONG_TEXT else "text"


def _choices(schema_field: fields.Field) -> list[str]:
    validators = schema_field.validators if hasattr(schema_field, "validators") else []
    for validator in validators:
        if isinstance(validator, validate.OneOf):
            return [str(choice) for choice in validator.choices]
    if isinstance(schema_field, fields.List):
        return _choices(schema_field.inner)
    return []


def _step(line: str) -> dict[str, str]:
    title, _, description = line.partition("|")
    return {"title": title.strip(), "description": description.strip()}


def _moment(raw: str) -> str | None:
    if not raw.strip():
        return None
    try:
        return datetime.fromisoformat(raw).replace(tzinfo=AMSTERDAM).isoformat()
    except ValueError:
        return raw


def labels() -> dict[str, str]:
    """The label of each field by its key in the API (a key without one is its own label)."""
    return {
        "title": t("field.title"), "slug": t("field.slug"), "summary": t("field.summary"), "body": t("field.body"),
        "sectors": t("field.sectors"), "tags": t("field.tags"), "professions": t("field.professions"), "audiences": t("field.audiences"),
        "kind": t("field.kind"), "duration": t("field.duration"), "durationMonths": t("field.durationMonths"), "cost": t("field.cost"),
        "costEuros": t("field.costEuros"), "conditions": t("field.conditions"), "steps": t("field.steps"),
        "onderwijsloketUrl": t("field.onderwijsloketUrl"), "question": t("field.question"), "answer": t("field.answer"),
        "topic": t("field.topic"), "position": t("field.position"), "startsAt": t("field.startsAt"), "endsAt": t("field.endsAt"),
        "timezone": t("field.timezone"), "attendance": t("field.attendance"), "location": t("field.location"), "name": t("field.name"),
        "street": t("field.street"), "postcode": t("field.postcode"), "place": t("field.place"), "onlineUrl": t("field.onlineUrl"),
        "capacity": t("field.capacity"), "waitingList": t("field.waitingList"), "cancelled": t("field.cancelled"),
        "organiser": t("field.organiser"),
    }


def _label(key: str) -> str:
    known = labels()
    if key in known:
        return known[key]
    text = t("field." + key)  # a plugin's field: its label in the catalogue, when it has one
    return key if text == "field." + key else text
