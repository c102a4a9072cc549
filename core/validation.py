"""Marshmallow errors as Loket reports them: one ``(key path, reason)`` per problem; and the field
types the schemas share."""

from __future__ import annotations

from datetime import date
from typing import Any

from marshmallow import Schema, ValidationError, fields

from core.errors import InvalidInputError


def flatten_messages(messages: Any, path: str = "") -> list[tuple[str, str]]:
    """Turn marshmallow's nested messages into ``(key path, reason)`` pairs: ``steps[0].title``."""
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [(path, " ".join(messages).rstrip(".").lower().replace("unknown field", "unknown key"))]
    if isinstance(messages, dict):
        pairs: list[tuple[str, str]] = []
        for key, value in messages.items():
            if key == "value":  # a Dict field's value: same path
                pairs += flatten_messages(value, path)
            elif key == "key":  # a Dict field's key
                pairs += [(p, f"invalid key: {r}") for p, r in flatten_messages(value, path)]
            elif key == "_schema":
                pairs += flatten_messages(value, path)
            elif isinstance(key, int):
                pairs += flatten_messages(value, f"{path}[{key}]")
            else:
                pairs += flatten_messages(value, f"{path}.{key}" if path else str(key))
        return pairs
    return [(path, str(messages))]


def load(schema: Schema, data: Any, message: str, partial: bool = False) -> dict[str, Any]:
    """``schema.load(data)``. :raise InvalidInputError: naming every field that is wrong."""
    if not isinstance(data, dict):
        raise InvalidInputError(message, {"": "expected a JSON object"})
    try:
        return schema.load(data, partial=partial)
    except ValidationError as error:
        raise InvalidInputError(message, dict(flatten_messages(error.messages))) from None


class DateText(fields.String):
    """A calendar date, ``YYYY-MM-DD``, kept as that text: it sorts and compares as a date, and
    events carry it as it is."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            raise ValidationError("give a date as YYYY-MM-DD, e.g. 2027-01-31") from None
