"""Updates by SMS and by Zalo (ZNS): off unless configured; when on, the same double opt-in as
email (a confirmation link sent to the phone) and one message per event, posted to a real local
HTTP gateway in the formats the adapters document; a phone number never appears in a job's error."""
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reports.notify.models import Job, Subscription
from store import db
from tests.helpers import login, make_report
from webapp.worker import work_due


class Gateway(BaseHTTPRequestHandler):
    received: list = []
    zalo_error = 0

    def do_POST(self):  # noqa: N802  (http.server's name)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        Gateway.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        answer = json.dumps({"error": Gateway.zalo_error, "message": "ok"} if "zalo" in self.path else {"id": 1})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(app):
    Gateway.received, Gateway.zalo_error = [], 0
    server = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    settings = {"SMS_GATEWAY_URL": f"{base}/sms", "SMS_GATEWAY_TOKEN": "sms-token", "ZALO_ZNS_URL": f"{base}/zalo",
                "ZALO_ZNS_ACCESS_TOKEN": "oa-token", "ZALO_ZNS_TEMPLATES": {"update": "301", "confirm": "302"}}
    previous = {key: app.config[key] for key in settings}
    app.config.update(settings)
    yield base
    app.config.update(previous)
    server.shutdown()


def subscribe(api, report, channel, phone):
    return api.post(f"/api/v1/reports/{report.tracking_code}/subscriptions",
                    json={channel: phone, "reporter_secret": report.issued_secret})


def test_off_by_default(app, api, client):
    report = make_report(app)
    response = subscribe(api, report, "sms", "0905123456")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_subscription"
    assert response.json["error"]["message"] == "Hệ thống chưa hỗ trợ nhận thông tin qua kênh này."
    assert 'name="phone"' not in client.get(f"/r/{report.tracking_code}").get_data(as_text=True)


def test_sms_confirm_then_one_message_per_event(app, api, client, staff, gateway):
    report = make_report(app)
    assert 'name="phone"' in client.get(f"/r/{report.tracking_code}").get_data(as_text=True)
    assert subscribe(api, report, "sms", "0905 123 456").status_code == 202
    work_due()
    path, headers, body = Gateway.received[0]
    assert path == "/sms" and headers["authorization"] == "Bearer sms-token"
    assert body["to"] == "84905123456" and report.tracking_code in body["text"]
    link = re.search(r"https?://\S+/subscriptions/confirm/\S+", body["text"]).group(0)
    client.get(link.removeprefix(app.config["PUBLIC_URL"]))
    token = login(client, "officer@t.vn")
    client.post(f"/desk/reports/{report.tracking_code}/reply", data={"csrf_token": token, "message": "Đã tiếp nhận."})
    work_due()
    work_due()
    work_due()
    assert len(Gateway.received) == 2
    update = Gateway.received[1][2]["text"]
    assert update.startswith(f"{report.tracking_code}: Phường đã trả lời. Đã tiếp nhận.")
    assert update.endswith(f"/r/{report.tracking_code}") and len(update) <= 300


def test_zalo_uses_the_approved_templates(app, api, client, staff, gateway):
    report = make_report(app)
    assert subscribe(api, report, "zalo", "+84 905 123 456").status_code == 202
    work_due()
    path, headers, body = Gateway.received[0]
    assert path == "/zalo" and headers["access_token"] == "oa-token"
    assert body["phone"] == "84905123456" and body["template_id"] == "302"
    assert body["template_data"]["tracking_code"] == report.tracking_code and body["tracking_id"]
    client.get(body["template_data"]["url"].removeprefix(app.config["PUBLIC_URL"]))
    assert db.session.query(Subscription).filter_by(report_id=report.id).one().confirmed_at is not None


def test_a_zalo_refusal_is_retried_and_names_no_phone(app, api, gateway):
    report = make_report(app)
    Gateway.zalo_error = -124
    subscribe(api, report, "zalo", "0905123456")
    work_due()
    job = db.session.query(Job).filter_by(kind="zalo").one()
    assert job.done_at is None and job.attempts == 1 and "-124" in job.last_error
    assert "905123456" not in job.last_error


@pytest.mark.parametrize("phone", ["12345", "0123456789", "+1 202 555 0100", ""])
def test_not_a_vietnamese_mobile_number(app, api, gateway, phone):
    report = make_report(app)
    response = subscribe(api, report, "sms", phone)
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_subscription"
    assert db.session.query(Subscription).filter_by(report_id=report.id).count() == 0
