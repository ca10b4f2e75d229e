"""What operators see: ``/metrics`` in Prometheus's format and one JSON log line per request.

Metrics (prometheus_client): requests by route, method and status with their latency; reports created
by channel; at each scrape, the database pool in use, the jobs waiting and the replica's lag. Under gunicorn every worker
keeps its own counts in ``PROMETHEUS_MULTIPROC_DIR`` (set by ``webapp/gunicorn_conf.py``) and a scrape
adds them up. ``/metrics`` answers only the addresses of ``METRICS_ALLOW`` (CIDRs, after
``PROXY_FIX_HOPS``; default this machine): 404 to anyone else.

Logs: ``{"ts", "level", "request_id", "method", "route", "status", "ms"}`` — the route's *rule*
(``/r/<tracking_code>``, ``/password/reset/<token>``), never the path itself, the query string, a form,
a header or an address, so no token, name, phone, email or password is ever written. The request id is
the ``X-Request-ID`` a proxy sent (nginx sets one), or a new one; it goes back in the response.

A request never waits for the log's output (a full pipe, a journald that lags): it leaves its record in
memory and a thread of the process formats and writes what has gathered every
``LOG_WRITE_INTERVAL_S`` (one write for many lines). When the output falls ``LOG_QUEUE_LINES`` behind,
lines are dropped and counted (``phananh_log_lines_dropped_total``); at exit the thread writes what
is waiting (for up to ``LOG_FLUSH_S``); a killed process loses the last ``LOG_WRITE_INTERVAL_S``.
"""
import atexit
import collections
import ipaddress
import json
import logging
import os
import select
import sys
import threading
import time
import uuid

from flask import Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

from settings import metrics_dir

REQUESTS = Counter("phananh_http_requests_total", "HTTP requests answered", ["route", "method", "status"])
LATENCY = Histogram("phananh_http_request_duration_seconds", "Time to answer a request", ["route"],
                    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
REPORTS_CREATED = Counter("phananh_reports_created_total", "Reports created", ["channel"])
POOL_IN_USE = Gauge("phananh_db_pool_checked_out", "Database connections in use (this process)",
                    multiprocess_mode="livesum")
JOBS_WAITING = Gauge("phananh_jobs_waiting", "Background jobs due and not done", multiprocess_mode="max")
REPLICA_LAG = Gauge("phananh_replica_lag_seconds", "Replay lag of the read replica (-1: none configured or down)",
                    multiprocess_mode="max")
REPLICA_READS = Gauge("phananh_replica_in_use", "1 while read-heavy pages read from the replica", multiprocess_mode="max")

LOG_LINES_DROPPED = Counter("phananh_log_lines_dropped_total",
                            "Request log lines dropped because the log's output did not keep up")

request_log = logging.getLogger("phananh.request")
LOG_QUEUE_LINES = 10_000
LOG_WRITE_INTERVAL_S = 0.05
LOG_FLUSH_S = 5.0


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"), "level": record.levelname.lower(),
                **getattr(record, "fields", {"message": record.getMessage()})}
        return json.dumps(line, ensure_ascii=False)


class BackgroundLog(logging.Handler):
    """Keeps a request's record in memory; a thread of this process formats what has gathered every
    ``interval`` seconds and writes it to ``stream`` in few writes.

    A request only appends to a deque (no lock to wait for, no thread to wake: with a thread woken per
    line locate ran at 0.94× of its baseline, against 1.03× this way, in runs of the same hour); past
    ``size`` lines waiting, a line is dropped and counted. A forked child gets a deque and a thread of
    its own (the parent's thread is not in it)."""

    def __init__(self, stream=None, size: int = LOG_QUEUE_LINES, interval: float = LOG_WRITE_INTERVAL_S):
        super().__init__()
        self.stream, self.size, self.interval = stream or sys.stderr, size, interval
        self._start()
        os.register_at_fork(after_in_child=self._start)
        atexit.register(self.flush_and_stop)

    def _start(self) -> None:
        self.waiting: collections.deque = collections.deque()
        self.stopping = threading.Event()
        self.writer = threading.Thread(target=self._write_every_interval, name="request-log", daemon=True)
        self.writer.start()

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.waiting) >= self.size:
            LOG_LINES_DROPPED.inc()
        else:
            self.waiting.append(record)  # plain data (``fields``): formatted by the writer

    def _write_every_interval(self) -> None:
        while not self.stopping.wait(self.interval):
            self._write_waiting()
        self._write_waiting()

    def _write_waiting(self) -> None:
        """Whole lines in writes of at most ``PIPE_BUF`` bytes: the workers share their output, and a
        write that large is never interleaved with another process's on a pipe."""
        chunk, chunk_bytes = [], 0
        while self.waiting:
            line = self.format(self.waiting.popleft()) + "\n"
            size = len(line.encode())
            if chunk and chunk_bytes + size > select.PIPE_BUF:
                self._write(chunk)
                chunk, chunk_bytes = [], 0
            chunk.append(line)
            chunk_bytes += size
        if chunk:
            self._write(chunk)

    def _write(self, lines: list[str]) -> None:
        try:
            self.stream.write("".join(lines))
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken output: the lines are lost, and counted
            LOG_LINES_DROPPED.inc(len(lines))

    def flush_and_stop(self, timeout: float = LOG_FLUSH_S) -> None:
        """Write what is waiting and end the thread (at exit); gives up after ``timeout`` seconds when
        the output is stuck, so that a process can still exit."""
        self.stopping.set()
        self.writer.join(timeout)


def report_created(channel: str) -> None:
    REPORTS_CREATED.labels(channel=channel or "web").inc()


def _allowed(address: str | None) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(cidr.strip(), strict=False)
               for cidr in current_app.config["METRICS_ALLOW"].split(",") if cidr.strip())


def metrics_view():
    if not _allowed(request.remote_addr):
        abort(404)
    from sqlalchemy import text

    from store import db, replica_status
    POOL_IN_USE.set(db.engine.pool.checkedout())
    replica = replica_status(force=True)
    REPLICA_LAG.set(replica["lag_s"] if replica["lag_s"] is not None else -1)
    REPLICA_READS.set(1 if replica["ok"] else 0)
    try:
        JOBS_WAITING.set(db.session.execute(text(
            "SELECT count(*) FROM job WHERE done_at IS NULL AND failed_at IS NULL AND run_at <= clock_timestamp()")).scalar())
    except Exception:  # noqa: BLE001  (a scrape still answers when the database does not)
        db.session.rollback()
    if metrics_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    return Response(body, mimetype=CONTENT_TYPE_LATEST)


def install(app) -> None:
    if not request_log.handlers:
        background = BackgroundLog()
        background.setFormatter(JsonLines())
        request_log.addHandler(background)
        request_log.setLevel(logging.INFO)
        request_log.propagate = False
    app.add_url_rule("/metrics", "metrics", metrics_view)

    @app.before_request
    def _start():
        g.request_started = time.perf_counter()
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if given and len(given) <= 64 and given.replace("-", "").isalnum() else uuid.uuid4().hex

    @app.after_request
    def _finish(response):
        route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
        elapsed = time.perf_counter() - g.get("request_started", time.perf_counter())
        if route != "/metrics":
            REQUESTS.labels(route=route, method=request.method, status=str(response.status_code)).inc()
            LATENCY.labels(route=route).observe(elapsed)
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if app.config["REQUEST_LOG"]:
            request_log.info("request", extra={"fields": {
                "request_id": g.get("request_id"), "method": request.method, "route": route,
                "status": response.status_code, "ms": round(elapsed * 1000, 1)}})
        return response
