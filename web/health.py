"""``/healthz``: the process is up and can answer."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """Answers 200 while the process runs; the store is not consulted (that is ``/readyz``'s job)."""
    return {"status": "ok"}
