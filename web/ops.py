"""Operations: ``/readyz`` for load balancers, ``/metrics`` for Prometheus, and the request
instrumentation behind both (counts, latencies, ``X-Request-Id``, a JSON access line).

Outside ``/api/`` on purpose: they are for the machines around a node, not for API clients, and
they need no login (``/metrics`` may ask for a token: ``[ops] metrics_token``).
"""

from __future__ import annotations

import hmac
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from flask import Blueprint, Flask, Response, current_app, g, json, request
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.process_collector import ProcessCollector
from prometheus_client.registry import Collector

from core.http import get_site
from core.logs import ACCESS_LOGGER
from core.outbox.domain import QUEUED, RETRYING, SENDING
from core.site import Site
from web.problems import PROBLEM_TYPE, problem

bp = Blueprint("ops", __name__)

log = logging.getLogger(__name__)
access_log = logging.getLogger(ACCESS_LOGGER)
T = TypeVar("T")

#: The route label of a request that matched no URL rule: one value for every unknown path, so that
#: a scanner trying ten thousand paths makes one series, not ten thousand.
UNMATCHED = "(unmatched)"

#: Methods counted by name; any other (clients may send anything) is counted as "other".
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

#: Outbox messages that are still to be sent (queued, being sent, waiting for a retry).
BACKLOG_STATUSES = (QUEUED, SENDING, RETRYING)


def ops_settings(site: Site) -> dict[str, Any]:
    """The ``[ops]`` section (its defaults when the file has none)."""
    from core.config import OpsSchema

    return site.config.data.get("ops") or OpsSchema().load({})


# /readyz


@bp.get("/readyz")
def readyz() -> Response:
    """200 while the event store answers and every read model is within ``[ops] max_lag`` events of
    the log; 503 problem+json naming what is wrong. Says nothing a stranger could use: no URLs,
    hosts or error texts (those go to the log)."""
    site = get_site()
    settings = ops_settings(site)
    max_lag = settings["max_lag"]
    probe: StoreProbe = current_app.extensions["loket.metrics"].probe
    try:
        log_position, lags = probe.run(lambda: (site.app.position(), _lags(site)), settings["ready_timeout"])
    except ProbeTimeout as error:
        log.warning("readyz: %s", error)
        return _not_ready(f"The event store does not answer within {settings['ready_timeout']:g} s.", {"store": "unreachable"})
    except Exception as error:  # any failure to reach the store or the read models means: not ready
        log.warning("readyz: the store does not answer: %s", error)
        return _not_ready("The event store or the read models do not answer.", {"store": "unreachable"})
    behind = {name: lag for name, lag in lags.items() if lag > max_lag}
    if behind:
        names = ", ".join(f"{name} ({lag} events behind)" for name, lag in behind.items())
        return _not_ready(
            f"Read models lag more than {max_lag} events behind the log: {names}.",
            {"logPosition": log_position, "maxLag": max_lag, "projections": lags},
        )
    return current_app.response_class(
        json.dumps({"status": "ready", "logPosition": log_position, "projections": lags}),
        mimetype="application/json",
        headers={"Cache-Control": "no-store"},
    )


def _lags(site: Site) -> dict[str, int]:
    runner = site.projections
    lags = {}
    for status in runner.status():
        # A snapshot (loket serve --snapshot) stays where it was built: measured against that moment.
        target = status.log_position if runner.frozen_at is None else min(status.log_position, runner.frozen_at)
        lags[status.name] = max(0, target - status.position)
    return lags


def _not_ready(detail: str, members: dict[str, Any]) -> Response:
    # RFC 9457 allows extension members: the lags are in the body for whoever reads it.
    body = {"type": PROBLEM_TYPE.format("not-ready"), "title": "Not ready", "status": 503, "detail": detail, **members}
    return current_app.response_class(
        json.dumps(body), status=503, mimetype="application/problem+json", headers={"Cache-Control": "no-store", "Retry-After": "5"}
    )


class ProbeTimeout(Exception):
    """Raised when the store did not answer a probe in time, or an earlier probe still waits on it."""


class StoreProbe:
    """Asks the store on a thread of its own, waiting at most a given time.

    A store that is down can take its whole connect timeout (seconds) to say so; a load balancer's
    check must not wait that long, nor pile up server threads behind it: one probe at a time is in
    flight, and a check that comes while it still waits is answered "not ready" at once.
    """

    def __init__(self) -> None:
        self._in_flight = threading.Lock()

    def run(self, question: Callable[[], T], timeout: float) -> T:
        """``question()``'s answer or its exception. :raise ProbeTimeout: no answer within ``timeout``."""
        if not self._in_flight.acquire(blocking=False):
            raise ProbeTimeout("an earlier probe of the store is still waiting for its answer")
        outcome: dict[str, Any] = {}

        def ask() -> None:
            try:
                outcome["answer"] = question()
            except BaseException as error:  # handed to the caller, who decides
                outcome["error"] = error
            finally:
                self._in_flight.release()

        thread = threading.Thread(target=ask, name="loket-store-probe", daemon=True)
        thread.start()
        thread.join(timeout)
        if thread.is_alive():
            raise ProbeTimeout(f"the store did not answer within {timeout:g} s")
        if "error" in outcome:
            raise outcome["error"]
        return outcome["answer"]


# /metrics


@bp.get("/metrics")
def metrics() -> Response:
    """Prometheus text exposition of this app's registry."""
    token = ops_settings(get_site())["metrics_token"]
    if token:
        scheme, _, given = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
            return problem(401, "not-authenticated", "Not authenticated", "This needs 'Authorization: Bearer <[ops] metrics_token>'.", headers={"WWW-Authenticate": "Bearer"})
    registry: CollectorRegistry = current_app.extensions["loket.metrics"].registry
    return current_app.response_class(generate_latest(registry), content_type=CONTENT_TYPE_LATEST, headers={"Cache-Control": "no-store"})


class Metrics:
    """The metrics of one Flask app, in a registry of its own (never the library's global one: a
    process may build many apps, and tests do).

    Under gunicorn each worker process counts its own requests; with ``PROMETHEUS_MULTIPROC_DIR``
    set (a fresh empty folder, before the workers start) the counters live in files there and any
    worker's ``/metrics`` answers for all of them (the client library's multiprocess mode).
    """

    def __init__(self, site: Site) -> None:
        self.shared_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None
        self.registry = CollectorRegistry()
        # In multiprocess mode the values go to the files and are read back from all of them, so
        # the metrics themselves are registered nowhere (else this process would count twice).
        own = None if self.shared_dir else self.registry
        self.requests = Counter(
            "loket_http_requests", "HTTP requests answered, by method, URL rule and status.", ("method", "route", "status"), registry=own
        )
        self.seconds = Histogram(
            "loket_http_request_seconds", "Time to answer an HTTP request, by method and URL rule.", ("method", "route"), registry=own
        )
        self.probe = StoreProbe()
        self.registry.register(SiteCollector(site, self.probe, counted_in_files=self.shared_dir is not None))
        if self.shared_dir:
            MultiProcessCollector(self.registry, path=self.shared_dir)
        else:
            # process_* (memory, CPU, open files) from /proc: cheap, and absent (not failing) without
            # /proc. Left out in multiprocess mode, where it would describe one worker at random.
            ProcessCollector(registry=self.registry)


class SiteCollector(Collector):
    """What is read at scrape time: the log position, each projection's lag, the outbox backlog and
    the events this process appended. A store that does not answer gives ``loket_store_up 0``
    instead of a failed scrape."""

    def __init__(self, site: Site, probe: StoreProbe, counted_in_files: bool = False) -> None:
        self.site = site
        self.probe = probe
        self.counted_in_files = counted_in_files

    def describe(self) -> list[Metric]:
        # Nothing up front: registering must not query the store.
        return []

    def collect(self) -> Iterator[Metric]:
        site = self.site
        up = GaugeMetricFamily("loket_store_up", "1 when the event store answered this scrape, else 0.")
        try:
            position, lags, backlog = self.probe.run(lambda: (site.app.position(), _lags(site), _backlog(site)), self.timeout())
        except Exception as error:  # a scrape reports the failure, it does not fail
            log.warning("metrics: the store does not answer: %s", error)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield GaugeMetricFamily("loket_log_position", "Notification id of the newest event in the log.", value=position)
        appended = site.app.__dict__.get(APPEND_COUNTER)
        if appended is not None and not self.counted_in_files:
            yield from appended.collect()
        lag = GaugeMetricFamily("loket_projection_lag", "Events in the log not yet processed by a projection.", labels=["projection"])
        for name, behind in lags.items():
            lag.add_metric([name], behind)
        yield lag
        yield GaugeMetricFamily("loket_outbox_backlog", "Messages in the outbox not yet sent (queued, sending, retrying).", value=backlog)

    def timeout(self) -> float:
        return ops_settings(self.site)["ready_timeout"]


def _backlog(site: Site) -> int:
    return len(site.projection("outbox").view.messages(statuses=BACKLOG_STATUSES))


# Events appended by this process: counted through the library's after-save hook (``_notify``), so
# every save counts — requests, the tick, the outbox — and a failed save does not.

APPEND_COUNTER = "_loket_append_counter"
_counter_lock = threading.Lock()


def count_appends(site: Site) -> None:
    """Count the events ``site``'s application saves from now on (once per application object; a
    closed and reopened site gets a new one, counted from zero, as after a restart)."""
    app = site.__dict__.get("app")
    if app is None or APPEND_COUNTER in app.__dict__:
        return  # not opened yet (the store is opened on first use, never by instrumentation)
    with _counter_lock:
        if APPEND_COUNTER in app.__dict__:
            return
        counter = Counter("loket_events_appended", "Events this process appended to the log.", registry=None)
        after_save = app._notify

        def notify(recordings: list[Any]) -> None:
            after_save(recordings)
            counter.inc(len(recordings))

        app._notify = notify
        app.__dict__[APPEND_COUNTER] = counter


# Request instrumentation


def init_ops(app: Flask, site: Site) -> None:
    """Register ``/readyz`` and ``/metrics`` and time every request. Call before the other
    ``after_request`` hooks are registered: Flask runs those in reverse, so these run last and see
    the final status (a 304 from revalidation) and the whole duration (the read-your-writes catch-up)."""
    app.extensions["loket.metrics"] = Metrics(site)
    app.register_blueprint(bp)
    count_appends(site)
    app.before_request(_start_timer)
    app.after_request(_observe)


def _start_timer() -> None:
    g.ops_started = time.perf_counter()
    count_appends(get_site())


def _observe(response: Response) -> Response:
    started = g.get("ops_started")
    duration = time.perf_counter() - started if started is not None else 0.0
    route = request.url_rule.rule if request.url_rule is not None else UNMATCHED
    method = request.method if request.method in METHODS else "other"
    metrics: Metrics = current_app.extensions["loket.metrics"]
    metrics.requests.labels(method, route, str(response.status_code)).inc()
    metrics.seconds.labels(method, route).observe(duration)
    correlation_id = _correlation_id()
    if correlation_id and "X-Request-Id" not in response.headers:
        response.headers["X-Request-Id"] = correlation_id
    if access_log.isEnabledFor(logging.INFO):
        # The route, not the path: paths and query strings can hold search words and tokens.
        access_log.info(
            "%s %s %s",
            method,
            route,
            response.status_code,
            extra={"method": method, "route": route, "status": response.status_code, "duration_ms": round(duration * 1000, 2)},
        )
    return response


def _correlation_id() -> str | None:
    from core.envelope import current_envelope
    from core.errors import MissingEnvelopeError

    try:
        return current_envelope().correlation_id
    except MissingEnvelopeError:
        return request.headers.get("X-Request-Id", "")[:64] or None
