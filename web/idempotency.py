"""``Idempotency-Key`` on POST: a retried request gets the first answer again instead of acting twice.

Keys are kept per actor for ``KEEP_HOURS`` in the read database (``read.sqlite``, or the PostgreSQL
schema, so every web node sees them). A key reused for a different request is refused (422); a key
whose first request is still running gets 409. A rebuild of the read models leaves them alone.
"""

from __future__ import annotations

import hashlib
import json
import time
from functools import cached_property
from typing import Any

from flask import Flask, Response, g, request

from core.errors import ConflictError, InvalidInputError
from core.http import current_principal

KEEP_HOURS = 24
HEADER = "Idempotency-Key"


class IdempotencyStore:
    def __init__(self, site: Any) -> None:
        self.site = site

    @cached_property
    def database(self) -> Any:
        """The read database, opened at the first request with a key (a web node starts even
        while the store cannot be reached: /readyz says so)."""
        database = self.site.read_database
        with database.transaction(commit=True) as c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS idempotency (scope TEXT, key TEXT, fingerprint TEXT, status INTEGER, "
                "headers TEXT, body BLOB, created REAL, PRIMARY KEY (scope, key))"
            )
        return database

    def begin(self, scope: str, key: str, fingerprint: str) -> Response | None:
        """Claim the key; or return the stored answer of the same request made before."""
        with self.database.transaction(commit=True) as c:
            c.execute("DELETE FROM idempotency WHERE created < ?", (time.time() - KEEP_HOURS * 3600,))
            c.execute(
                "INSERT INTO idempotency VALUES (?, ?, ?, NULL, NULL, NULL, ?) ON CONFLICT DO NOTHING RETURNING key",
                (scope, key, fingerprint, time.time()),
            )
            if c.fetchone() is not None:
                return None  # claimed
            c.execute("SELECT fingerprint, status, headers, body FROM idempotency WHERE scope = ? AND key = ?", (scope, key))
            row = c.fetchone()
        if row is None:  # forgotten by another request between our statements
            return self.begin(scope, key, fingerprint)
        stored_fingerprint, status, headers, body = row[0], row[1], row[2], row[3]
        if stored_fingerprint != fingerprint:
            raise InvalidInputError(
                "This Idempotency-Key was used for a different request.", {HEADER: "use a new key for a new request"}
            )
        if status is None:
            raise ConflictError("A request with this Idempotency-Key is still being handled; retry in a moment.")
        response = Response(bytes(body), status=status, headers=json.loads(headers))
        response.headers["Idempotent-Replayed"] = "true"
        return response

    def finish(self, scope: str, key: str, response: Response, keep_body: bool) -> None:
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "date", "server")}
        # An answer with personal data is replayed without its body (status and headers only).
        body = response.get_data() if keep_body else b""
        with self.database.transaction(commit=True) as c:
            c.execute(
                "UPDATE idempotency SET status = ?, headers = ?, body = ? WHERE scope = ? AND key = ?",
                (response.status_code, json.dumps(headers), body, scope, key),
            )

    def forget(self, scope: str, key: str) -> None:
        with self.database.transaction(commit=True) as c:
            c.execute("DELETE FROM idempotency WHERE scope = ? AND key = ? AND status IS NULL", (scope, key))


def init_idempotency(app: Flask) -> None:
    store = IdempotencyStore(app.extensions["loket.site"])

    @app.before_request
    def replay_or_claim():
        key = request.headers.get(HEADER)
        if request.method != "POST" or not request.path.startswith("/api/") or not key:
            return None
        if len(key) > 200:
            raise InvalidInputError("The Idempotency-Key is too long.", {HEADER: "at most 200 characters"})
        principal = current_principal()
        scope = principal.actor if principal.actor != "anonymous" else f"anonymous:{request.remote_addr}"
        fingerprint = hashlib.sha256(request.method.encode() + request.path.encode() + b"\0" + request.get_data()).hexdigest()
        replay = store.begin(scope, key, fingerprint)
        if replay is None:
            g.idempotency = (scope, key)
        return replay

    @app.after_request
    def remember(response: Response) -> Response:
        claimed = g.pop("idempotency", None)
        if claimed:
            if response.status_code >= 500:
                store.forget(*claimed)
            else:
                store.finish(*claimed, response, keep_body=not g.get("personal_response", False))
        return response

    @app.teardown_request
    def release(error: BaseException | None) -> None:
        claimed = g.pop("idempotency", None)
        if claimed:
            store.forget(*claimed)

