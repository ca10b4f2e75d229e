"""Web Push: a followed report's update reaches a local push service encrypted for the browser
(decrypted here with the subscription's keys, http_ece), signed with our VAPID key; a browser gone
(410) loses its subscription; the server posts to no address outside the allowed push services."""
import json
import os
import threading
from base64 import urlsafe_b64decode, urlsafe_b64encode
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import http_ece
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from reports.notify.models import AreaAlert, Subscription
from store import db
from tests.helpers import login, make_report
from worker.loop import work_due


def b64(raw: bytes) -> str:
    return urlsafe_b64encode(raw).decode().rstrip("=")


class PushService(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):  # noqa: N802  (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        PushService.received.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(410 if "gone" in self.path else 201)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def push_service(app):
    PushService.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), PushService)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{server.server_port}"
    app.config["PUSH_INSECURE_HOSTS"] = (host,)
    yield f"http://{host}"
    app.config["PUSH_INSECURE_HOSTS"] = ()
    server.shutdown()


def browser_subscription(endpoint: str):
    """What a browser's PushManager gives: its endpoint, and its P-256 key and auth secret."""
    private = ec.generate_private_key(ec.SECP256R1())
    auth = os.urandom(16)
    public = private.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    return {"endpoint": endpoint, "keys": {"p256dh": b64(public), "auth": b64(auth)}}, private, auth


def test_an_update_arrives_encrypted_for_the_browser(app, api, client, staff, push_service):
    report = make_report(app)
    info, private, auth = browser_subscription(f"{push_service}/push/abc")
    response = api.post(f"/api/v1/reports/{report.tracking_code}/subscriptions",
                        json={"push": info, "reporter_secret": report.issued_secret})
    assert response.status_code == 202 and response.json["status"] == "active"
    token = login(client, "officer@t.vn")
    client.post(f"/desk/reports/{report.tracking_code}/reply", data={"csrf_token": token, "message": "Đã tiếp nhận."})
    work_due()
    work_due()
    assert len(PushService.received) == 1
    path, headers, body = PushService.received[0]
    assert path == "/push/abc" and headers["content-encoding"] == "aes128gcm"
    assert headers["authorization"].startswith("vapid t=")
    payload = json.loads(http_ece.decrypt(body, private_key=private, auth_secret=auth, version="aes128gcm"))
    unsubscribe = payload.pop("unsubscribe")
    assert payload == {"title": f"{report.tracking_code}: Phường đã trả lời", "body": "Đã tiếp nhận.",
                       "url": f"{app.config['PUBLIC_URL']}/r/{report.tracking_code}", "unsubscribe_label": "Tắt"}
    # The notification's "Tắt" action ends the subscription in one click.
    assert api.post(unsubscribe.removeprefix(app.config["PUBLIC_URL"])).status_code == 200
    assert db.session.query(Subscription).filter_by(report_id=report.id).count() == 0


def test_area_alert_by_push_hears_of_a_new_report_in_its_ward(app, api, push_service):
    first = make_report(app)  # makes the ward and the category
    info, private, auth = browser_subscription(f"{push_service}/push/ward")
    response = api.post("/api/v1/alerts", json={"push": info, "ward": first.ward.code})
    assert response.status_code == 202 and response.json["status"] == "active"
    alert = db.session.query(AreaAlert).one()
    assert alert.push["endpoint"] == info["endpoint"] and alert.email is None and alert.confirmed_at is not None
    work_due()
    PushService.received.clear()
    report = make_report(app)
    work_due()
    work_due()
    assert len(PushService.received) == 1
    payload = json.loads(http_ece.decrypt(PushService.received[0][2], private_key=private, auth_secret=auth,
                                          version="aes128gcm"))
    assert payload["title"] == f"Phản ánh mới gần bạn: {report.tracking_code}"
    assert payload["url"].endswith(f"/r/{report.tracking_code}")
    assert api.post(payload["unsubscribe"].removeprefix(app.config["PUBLIC_URL"])).status_code == 200
    assert db.session.query(AreaAlert).count() == 0


def test_area_alert_by_push_needs_an_allowed_service(app, api):
    report = make_report(app)
    info, _, _ = browser_subscription("https://evil.example/push")
    response = api.post("/api/v1/alerts", json={"push": info, "ward": report.ward.code})
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_subscription"
    assert db.session.query(AreaAlert).count() == 0


def test_a_browser_gone_loses_its_subscription(app, api, client, staff, push_service):
    report = make_report(app)
    info, _, _ = browser_subscription(f"{push_service}/push/gone")
    api.post(f"/api/v1/reports/{report.tracking_code}/subscriptions",
             json={"push": info, "reporter_secret": report.issued_secret})
    token = login(client, "officer@t.vn")
    client.post(f"/desk/reports/{report.tracking_code}/reply", data={"csrf_token": token, "message": "x y"})
    work_due()
    work_due()
    assert db.session.query(Subscription).filter_by(report_id=report.id).count() == 0


@pytest.mark.parametrize("endpoint", ["https://evil.example/push", "http://10.0.0.1/push", "http://127.0.0.1:1/x",
                                      "https://fcm.googleapis.com.evil.example/x", "file:///etc/passwd"])
def test_only_known_push_services(app, api, endpoint):
    report = make_report(app)
    info, _, _ = browser_subscription(endpoint)
    response = api.post(f"/api/v1/reports/{report.tracking_code}/subscriptions",
                        json={"push": info, "reporter_secret": report.issued_secret})
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_subscription"


def test_the_public_key_is_a_p256_point(app, client):
    report = make_report(app)
    page = client.get(f"/r/{report.tracking_code}").get_data(as_text=True)
    key = page.split('data-vapid="', 1)[1].split('"', 1)[0]
    raw = urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4
