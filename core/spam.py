"""Spam protection on public forms, without third-party services: a honeypot field that people
never see and robots fill in, and a limit on submissions per address."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any

from core.errors import LoketError

HONEYPOT = "website"


class TooManyRequestsError(LoketError):
    """Raised when one address sends more submissions than the limit allows."""

    slug = "too-many-requests"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def is_robot(data: Any) -> bool:
    """True when the hidden honeypot field was filled in: the submission is dropped quietly."""
    return isinstance(data, dict) and bool(str(data.get(HONEYPOT) or "").strip())


class RateLimiter:
    """At most ``limit`` submissions per ``window`` seconds per key (an address and a form)."""

    def __init__(self, limit: int = 10, window: int = 3600) -> None:
        self.limit = limit
        self.window = window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        """Count one submission. :raise TooManyRequestsError: over the limit (nothing is counted)."""
        retry_after = self.blocked_for(key)
        if retry_after:
            raise TooManyRequestsError(f"Too many submissions from this address; try again in {retry_after} seconds.", retry_after)
        self.hit(key)

    def blocked_for(self, key: str) -> int:
        """Seconds until ``key`` may go again (0: now)."""
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            return int(hits[0] + self.window - now) + 1 if len(hits) >= self.limit else 0

    def hit(self, key: str) -> None:
        with self._lock:
            self._hits.setdefault(key, deque()).append(time.monotonic())
