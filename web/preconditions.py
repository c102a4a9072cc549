"""Optimistic concurrency over HTTP: ``If-Match`` names the version a client read.

Changes (PUT, PATCH, DELETE) require it — 428 when absent, 412 when stale — so that nobody
overwrites a change they have not seen. Actions (POST …/publish) accept it.
"""

from __future__ import annotations

from flask import request

from core.errors import InvalidInputError, LoketError


class PreconditionRequiredError(LoketError):
    """Raised when a change arrives without If-Match."""

    slug = "precondition-required"


def version_etag(version: int) -> str:
    return f'"{version}"'


def expected_version(required: bool) -> int | None:
    """The version named in ``If-Match``; None for ``*`` or (when not required) no header.

    :raise PreconditionRequiredError: required and absent. :raise InvalidInputError: not a version.
    """
    header = request.headers.get("If-Match", "").strip()
    if not header:
        if required:
            raise PreconditionRequiredError(
                'This change needs an If-Match header with the version you read (its ETag), e.g. If-Match: "3".'
            )
        return None
    if header == "*":
        return None
    value = header.removeprefix("W/").strip('"')
    if not value.isdigit():
        raise InvalidInputError("If-Match is not a version.", {"If-Match": 'give the ETag you read, e.g. "3"'})
    return int(value)
