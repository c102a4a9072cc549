"""``Idempotency-Key`` on POST: a retried request gets the first answer again instead of acting twice.

Keys are kept per actor for ``KEEP_HOURS`` in ``idempotency.sqlite`` in the data folder. A key reused
for a different request is refused (422); a key whose first request is still running gets 409.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
from pathlib import Path

from flask import Flask, Response, g, request

from core.errors import ConflictError, InvalidInputError
from core.http import current_principal

KEEP_HOURS = 24
HEADER = "Idempotency-Key"


class IdempotencyStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self._local = threading.local()
        with self._connection() as conn:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS idempotency (scope TEXT, key TEXT, fingerprint TEXT, status INTEGER, "
                "headers TEXT, body BLOB, created REAL, PRIMARY KEY (scope, key))"
            )

    def _connection(self) -> sqlite3.Connection:
        if not hasattr(self._local, "conn"):
            self._local.conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self._local.conn.execute("PRAGMA journal_mode=WAL")
        return self._local.conn

    def begin(self, scope: str, key: str, fingerprint: str) -> Response | None:
        """Claim the key; or return the stored answer of the same request made before."""
        conn = self._connection()
        conn.execute("DELETE FROM idempotency WHERE created < ?", (time.time() - KEEP_HOURS * 3600,))
        try:
            conn.execute("INSERT INTO idempotency VALUES (?, ?, ?, NULL, NULL, NULL, ?)", (scope, key, fingerprint, time.time()))
            return None
        except sqlite3.IntegrityError:
            row = conn.execute("SELECT fingerprint, status, headers, body FROM idempotency WHERE scope = ? AND key = ?", (scope, key)).fetchone()
        if row is None:  # expired between our statements
            return self.begin(scope, key, fingerprint)
        stored_fingerprint, status, headers, body = row
        if stored_fingerprint != fingerprint:
            raise InvalidInputError(
                "This Idempotency-Key was used for a different request.", {HEADER: "use a new key for a new request"}
            )
        if status is None:
            raise ConflictError("A request with this Idempotency-Key is still being handled; retry in a moment.")
        response = Response(body, status=status, headers=json.loads(headers))
        response.headers["Idempotent-Replayed"] = "true"
        return response

    def finish(self, scope: str, key: str, response: Response, keep_body: bool) -> None:
        headers = {k: v for k, v in response.headers.items() if k.lower() not in ("content-length", "date", "server")}
        # An answer with personal data is replayed without its body (status and headers only).
        body = response.get_data() if keep_body else b""
        self._connection().execute(
            "UPDATE idempotency SET status = ?, headers = ?, body = ? WHERE scope = ? AND key = ?",
            (response.status_code, json.dumps(headers), body, scope, key),
        )

    def forget(self, scope: str, key: str) -> None:
        self._connection().execute("DELETE FROM idempotency WHERE scope = ? AND key = ? AND status IS NULL", (scope, key))


def init_idempotency(app: Flask) -> None:
    store = IdempotencyStore(get_site_config_dir(app) / "idempotency.sqlite")

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


def get_site_config_dir(app: Flask) -> Path:
    return app.extensions["loket.site"].config.data_dir
