"""Updates by SMS and by Zalo (ZNS): off unless configured; when on, nothing is sent to a number until
that phone has sent the city its code by SMS (SMS pumping, issue 28), then one message per event,
posted to a real local HTTP gateway in the formats the adapters document; caps per report, per number
and per gateway; a phone number never appears in a job's error."""
import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from reports.notify.models import Job, MessageQuota, Subscription, VerifiedPhone
from store import LOCAL_TZ, db
from tests.helpers import login, make_report
from worker.loop import work_due


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
                "ZALO_ZNS_ACCESS_TOKEN": "oa-token", "ZALO_ZNS_TEMPLATES": {"update": "301"},
                "SMS_INBOUND_NUMBER": "8077", "SMS_INBOUND_TOKEN": "inbound-token", "PHONE_DAILY_CAP": 5,
                "SMS_DAILY_CAP": 2000}
    previous = {key: app.config[key] for key in settings}
    app.config.update(settings)
    yield base
    app.config.update(previous)
    server.shutdown()


def subscribe(api, report, channel, phone):
    return api.post(f"/api/v1/reports/{report.tracking_code}/subscriptions",
                    json={channel: phone, "reporter_secret": report.issued_secret})


def sms_received(client, sender, text, token="inbound-token"):
    """What the gateway posts when the city's number receives an SMS."""
    return client.post("/api/v1/hooks/sms", json={"from": sender, "text": text},
                       headers={"Authorization": f"Bearer {token}"})


def proven(api, client, report, channel, phone):
    """Subscribe, then send the code from that phone."""
    answer = subscribe(api, report, channel, phone)
    assert answer.status_code == 202 and answer.json["status"] == "proof_required"
    assert answer.json["proof"]["send_to"] == "8077"
    assert sms_received(client, phone, f"ok {answer.json['proof']['text']} cam on").json == {"confirmed": 1}


def reply(client, report, text="Đã tiếp nhận."):
    token = login(client, "officer@t.vn")
    client.post(f"/desk/reports/{report.tracking_code}/reply", data={"csrf_token": token, "message": text})
    for _ in range(3):
        work_due()


def test_off_by_default(app, api, client):
    report = make_report(app)
    response = subscribe(api, report, "sms", "0905123456")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_subscription"
    assert response.json["error"]["message"] == "Hệ thống chưa hỗ trợ nhận thông tin qua kênh này."
    assert 'name="phone"' not in client.get(f"/r/{report.tracking_code}").get_data(as_text=True)


def test_a_gateway_without_a_number_to_prove_phones_to_is_off(app, api, client, gateway):
    app.config["SMS_INBOUND_NUMBER"] = None
    report = make_report(app)
    assert subscribe(api, report, "sms", "0905123456").json["error"]["code"] == "invalid_subscription"
    assert 'name="phone"' not in client.get(f"/r/{report.tracking_code}").get_data(as_text=True)


def test_nothing_is_sent_to_a_number_until_it_proves_itself(app, api, client, staff, gateway):
    report = make_report(app)
    assert 'name="phone"' in client.get(f"/r/{report.tracking_code}").get_data(as_text=True)
    answer = subscribe(api, report, "sms", "0905 123 456")
    assert answer.status_code == 202 and answer.json["status"] == "proof_required"
    code = answer.json["proof"]["text"]
    reply(client, report)
    assert Gateway.received == []  # no confirmation SMS, no update: the number has asked for nothing yet
    assert sms_received(client, "0905123456", code, token="wrong").status_code == 401
    assert sms_received(client, "0905999999", code).json == {"confirmed": 0}  # another phone cannot prove it
    assert sms_received(client, "+84905123456", code.lower()).json == {"confirmed": 1}
    reply(client, report, "Đang xử lý.")
    assert len(Gateway.received) == 1
    path, headers, body = Gateway.received[0]
    assert path == "/sms" and headers["authorization"] == "Bearer sms-token" and body["to"] == "84905123456"
    update = body["text"]
    assert update.startswith(f"{report.tracking_code}: Phường đã trả lời. Đang xử lý.")
    assert update.endswith(f"/r/{report.tracking_code}") and len(update) <= 300
    # A proven number's next subscription is active at once.
    other = make_report(app)
    assert subscribe(api, other, "sms", "0905123456").json["status"] == "active"


def test_at_most_two_numbers_follow_a_report(app, api, gateway):
    report = make_report(app)
    for phone in ("0905000001", "0905000002"):
        assert subscribe(api, report, "sms", phone).status_code == 202
    assert subscribe(api, report, "zalo", "0905000001").status_code == 202  # the same number, another channel
    third = subscribe(api, report, "sms", "0905000003")
    assert third.status_code == 429 and third.json["error"]["code"] == "too_many_subscriptions"
    assert db.session.query(Subscription).filter_by(report_id=report.id).count() == 3


def test_daily_caps_per_number_and_per_gateway(app, api, client, staff, gateway):
    report = make_report(app)
    proven(api, client, report, "sms", "0905123456")
    app.config["PHONE_DAILY_CAP"] = 1
    reply(client, report, "Một.")
    reply(client, report, "Hai.")
    assert [body["text"].split(". ")[1] for _, _, body in Gateway.received] == ["Một"]
    waiting = db.session.query(Job).filter_by(kind="sms", done_at=None).one()
    assert waiting.attempts == 0 and waiting.run_at.astimezone(LOCAL_TZ).time() == datetime.min.time()  # tomorrow
    assert "905123456" not in str([(q.key, q.count) for q in db.session.query(MessageQuota)])
    app.config.update(PHONE_DAILY_CAP=5, SMS_DAILY_CAP=1)
    second = make_report(app)
    subscribe(api, second, "sms", "0905123456")  # proven: active at once
    reply(client, second, "Ba.")
    assert len(Gateway.received) == 1  # the gateway's cap for the day is spent too


def test_zalo_uses_the_approved_templates(app, api, client, staff, gateway):
    report = make_report(app)
    proven(api, client, report, "zalo", "+84 905 123 456")
    reply(client, report)
    path, headers, body = Gateway.received[0]
    assert path == "/zalo" and headers["access_token"] == "oa-token"
    assert body["phone"] == "84905123456" and body["template_id"] == "301"
    assert body["template_data"]["tracking_code"] == report.tracking_code and body["tracking_id"]
    assert db.session.query(VerifiedPhone).filter_by(phone="84905123456").count() == 1


def test_a_zalo_refusal_is_retried_and_names_no_phone(app, api, client, staff, gateway):
    report = make_report(app)
    proven(api, client, report, "zalo", "0905123456")
    Gateway.zalo_error = -124
    token = login(client, "officer@t.vn")
    client.post(f"/desk/reports/{report.tracking_code}/reply", data={"csrf_token": token, "message": "x y"})
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
