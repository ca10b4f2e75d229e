"""/metrics for the operators' Prometheus (only from allowed addresses) and one JSON line per request
that names the route's rule, never a token, a name, a phone or an email."""
import json
import logging
import subprocess
import sys
import textwrap
import threading

from settings import PROJECT_ROOT
from webapp.observability import LOG_LINES_DROPPED, BackgroundLog, JsonLines, request_log


class Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.setFormatter(JsonLines())
        self.lines: list[str] = []

    def emit(self, record):
        self.lines.append(self.format(record))


def test_metrics_count_requests_and_reports_by_channel(client, api):
    client.get("/api/v1/categories")
    token = client.get("/api/v1/csrf-token").json["csrf_token"]
    created = client.post("/api/v1/reports", json={"category": "garbage", "description": "Rác (đo đếm)", "lat": 16.4698,
                                                   "lon": 107.5786, "acknowledge_duplicate": True},
                          headers={"X-CSRFToken": token})
    assert created.status_code == 201
    body = client.get("/metrics").get_data(as_text=True)
    assert 'phananh_http_requests_total{method="GET",route="/api/v1/categories",status="200"}' in body
    assert 'phananh_reports_created_total{channel="web"}' in body
    assert "phananh_http_request_duration_seconds_bucket" in body
    assert "phananh_db_pool_checked_out" in body and "phananh_jobs_waiting" in body
    assert "phananh_replica_lag_seconds -1.0" in body  # no replica in this test
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.9"}).status_code == 404


def test_one_json_line_per_request_without_tokens_or_personal_data(client):
    handler = Lines()
    request_log.addHandler(handler)
    try:
        response = client.get("/password/reset/eyJpZCI6MX0.secret-token-part", headers={"X-Request-ID": "abc-123"})
        assert response.headers["X-Request-ID"] == "abc-123"
        token = client.get("/api/v1/csrf-token").json["csrf_token"]
        client.post("/api/v1/reports?email=rieng.tu@example.vn", headers={"X-CSRFToken": token},
                    json={"category": "garbage", "description": "Rác", "lat": 16.4698, "lon": 107.5786,
                          "name": "Trần Thị Riêng Tư", "phone": "0905999888", "acknowledge_duplicate": True})
        generated = client.get("/api/v1/categories").headers["X-Request-ID"]
        assert len(generated) == 32
    finally:
        request_log.removeHandler(handler)
    lines = [json.loads(line) for line in handler.lines]
    first = lines[0]
    assert first["route"] == "/password/reset/<token>" and first["request_id"] == "abc-123" and first["status"] == 400
    assert set(first) == {"ts", "level", "request_id", "method", "route", "status", "ms"}
    text = "\n".join(handler.lines)
    for secret in ("secret-token-part", "Riêng Tư", "0905999888", "rieng.tu", "example.vn"):
        assert secret not in text
    assert any(line["route"] == "/api/v1/reports" and line["method"] == "POST" for line in lines)


class StuckOutput:
    """A log output that takes nothing until it is let go (a full pipe, a journald that lags)."""

    def __init__(self):
        self.let_go = threading.Event()
        self.text = ""

    def write(self, text):
        self.let_go.wait(5)
        self.text += text

    def flush(self):
        pass


def test_requests_do_not_wait_for_a_stuck_log_output_and_lines_beyond_the_limit_are_counted(client):
    output = StuckOutput()
    background = BackgroundLog(output, size=3)
    background.setFormatter(JsonLines())
    dropped_before = LOG_LINES_DROPPED._value.get()
    request_log.addHandler(background)
    try:
        for _ in range(8):
            assert client.get("/api/v1/categories").status_code == 200
        assert output.text == ""  # written in the request (or waited for), it would be here by now
    finally:
        request_log.removeHandler(background)
        output.let_go.set()
        background.flush_and_stop()
    dropped = LOG_LINES_DROPPED._value.get() - dropped_before
    lines = [json.loads(line) for line in output.text.splitlines()]
    assert 2 <= dropped <= 5  # up to three in the writer's hands, three waiting
    assert len(lines) == 8 - dropped
    assert {line["route"] for line in lines} == {"/api/v1/categories"}


def test_lines_waiting_at_exit_are_written_in_the_parent_and_in_a_forked_child():
    script = textwrap.dedent("""
        import logging, os, sys
        from webapp.observability import BackgroundLog, JsonLines
        background = BackgroundLog(sys.stdout)
        background.setFormatter(JsonLines())
        log = logging.getLogger("exit-test")
        log.addHandler(background)
        log.setLevel(logging.INFO)
        log.propagate = False
        child = os.fork()
        who = "parent" if child else "child"
        for n in range(3000):
            log.info("line", extra={"fields": {"who": who, "n": n}})
        if child:
            os.waitpid(child, 0)
        sys.exit(0)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    for who in ("parent", "child"):
        assert [line["n"] for line in lines if line["who"] == who] == list(range(3000))
