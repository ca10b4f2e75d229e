"""/metrics for the operators' Prometheus (only from allowed addresses) and one JSON line per request
that names the route's rule, never a token, a name, a phone or an email."""
import json
import logging

from webapp.observability import JsonLines, request_log


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
