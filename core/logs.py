"""Logging for operators: every line knows which request (correlation id), loket and actor it
belongs to — the same correlation id the events of that request carry — so a log line leads to the
events in the audit log and back.

``configure_logging("json")`` writes one JSON object per line (for a log collector);
``configure_logging("text")`` (the default) writes readable lines for a person at a terminal::

    {"time": "2025-03-01T09:12:03.120+00:00", "level": "INFO", "logger": "loket.access",
     "message": "POST /api/v1/lokets/<loket>/pages 201", "correlation_id": "4c1f…", "loket": "alpha",
     "actor": "token:9b2e…", "method": "POST", "route": "/api/v1/lokets/<loket>/pages", "status": 201,
     "duration_ms": 12.4}
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone
from typing import IO, Any

from core.envelope import current_envelope
from core.errors import MissingEnvelopeError

FORMATS = ("text", "json")

#: One line per answered request (method, route, status, duration_ms), written by the web app.
ACCESS_LOGGER = "loket.access"

#: Fields that a log call may add with ``extra=`` and that the JSON line then carries.
REQUEST_FIELDS = ("method", "route", "status", "duration_ms")

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(correlation_id)s] %(message)s"


class EnvelopeFilter(logging.Filter):
    """Adds ``correlation_id``, ``loket`` and ``actor`` to every record: from the envelope of the
    commands now running, else (inside a request that has none yet) the request's ``X-Request-Id``.
    Values given with ``extra=`` are kept. Put it on a handler, so that it sees every logger's records."""

    def filter(self, record: logging.LogRecord) -> bool:
        correlation_id, loket, actor = _context()
        for name, value in (("correlation_id", correlation_id), ("loket", loket), ("actor", actor)):
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


def _context() -> tuple[str | None, str | None, str | None]:
    try:
        envelope = current_envelope()
    except MissingEnvelopeError:
        return _request_id(), None, None
    return envelope.correlation_id, envelope.loket, envelope.actor


def _request_id() -> str | None:
    # Imported here: logging must work in processes that never load the web app (the CLI, workers).
    flask = sys.modules.get("flask")
    if flask is None or not flask.has_request_context():
        return None
    return flask.request.headers.get("X-Request-Id", "")[:64] or None


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (ISO 8601, UTC), level, logger, message, correlation_id, loket,
    actor; for request lines method, route, status and duration_ms; the traceback as ``exception``."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None),
            "loket": getattr(record, "loket", None),
            "actor": getattr(record, "actor", None),
        }
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        # default=str: a log call must never fail on a value JSON does not know (a UUID, a date).
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """Readable lines with the correlation id in brackets (``-`` outside any request or command)."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "correlation_id", None) is None:
            record.correlation_id = "-"
        return super().format(record)


def make_handler(log_format: str = "text", stream: IO[str] | None = None) -> logging.Handler:
    """A handler writing ``log_format`` lines to ``stream`` (standard error by default), with the
    envelope filter on it."""
    if log_format not in FORMATS:
        raise ValueError(f"unknown log format {log_format!r}: use {' or '.join(FORMATS)}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter() if log_format == "json" else TextFormatter())
    handler.addFilter(EnvelopeFilter())
    return handler


def configure_logging(log_format: str = "text", level: int = logging.INFO, stream: IO[str] | None = None) -> logging.Handler:
    """Send the process's log records through one handler of ``log_format``, replacing the root
    logger's handlers (calling it twice does not double the lines).

    Request lines (``loket.access``) are written in the JSON format only: a log collector wants every
    request, a person at a terminal wants warnings and errors, and a line per request costs time on
    the read path that the default should not pay.
    """
    handler = make_handler(log_format, stream)
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger(ACCESS_LOGGER).setLevel(logging.INFO if log_format == "json" else logging.WARNING)
    return handler
