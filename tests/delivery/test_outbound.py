"""The worker calls no host a resident chose unless it is a known push service on a public address, and
no call outlives its deadline: the endpoint is parsed as the sender connects (the backslash trick of
issue 28 is refused), the name is resolved and checked when sending, redirects are not followed, and a
server that never answers or trickles bytes is cut off."""
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from delivery import outbound
from delivery.outbound import DeadlineExceeded, OutboundRefused, address_is_public, parse_url, post
from reports.notify.models import AreaAlert
from store import db
from tests.delivery.test_push import browser_subscription
from tests.helpers import make_report

REFUSED = ["https://127.0.0.2\\@fcm.googleapis.com/fcm/send/abc",  # urllib3 connects to 127.0.0.2
           "https://x@fcm.googleapis.com/fcm/send/abc", "https://fcm.googleapis.com:443/fcm/send/abc",
           "https://fcm.googleapis.com:8443/x", "https://FCM.googleapis.com/x", "https://fcm.googleapis.com./x",
           "https://fcm.googleapis.com/x#y", "https://fcm.googleapis.com/x y", "https://fcm.googleapis.com/%zz",
           "https://2130706433/x", "https://127.0.0.1/x", "https://[::1]/x", "https://0x7f.0.0.1/x",
           "https://fcm%2egoogleapis.com/x", "https:/fcm.googleapis.com/x", "https://fcm.googleapis.com\t/x",
           "ftp://fcm.googleapis.com/x", "https://fcm.googleapis.com.evil.example/x", " https://fcm.googleapis.com/x"]


@pytest.mark.parametrize("endpoint", REFUSED)
def test_a_push_alert_to_an_ambiguous_or_foreign_endpoint_is_refused(app, api, endpoint):
    report = make_report(app)
    info, _, _ = browser_subscription(endpoint)
    response = api.post("/api/v1/alerts", json={"push": info, "ward": report.ward.code})
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_subscription"
    assert db.session.query(AreaAlert).count() == 0


def test_real_push_services_endpoints_are_taken():
    for endpoint in ("https://fcm.googleapis.com/fcm/send/dQ-1:APA91bH_x",
                     "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABl-x_y",
                     "https://web.push.apple.com/QGuQyavXutnMy7ZwSBx",
                     "https://wns2-par02p.notify.windows.com/w/?token=BQYAAABm%2bLx%2f9A"):
        assert parse_url(endpoint).host == endpoint.split("/")[2]


@pytest.mark.parametrize("address, public", [("8.8.8.8", True), ("2001:4860:4860::8888", True),
                                             ("127.0.0.2", False), ("10.1.2.3", False), ("172.16.0.1", False),
                                             ("192.168.1.1", False), ("169.254.169.254", False), ("100.64.0.1", False),
                                             ("0.0.0.0", False), ("224.0.0.1", False), ("::1", False), ("fe80::1", False),
                                             ("fc00::1", False), ("::ffff:127.0.0.1", False), ("64:ff9b::a00:1", False),
                                             ("2002:7f00:1::1", False)])
def test_which_addresses_are_public(address, public):
    assert address_is_public(address) is public


def test_a_name_that_resolves_to_a_private_address_is_refused_when_sending(app):
    # "localhost" stands for a push service's name that someone made resolve to an inside address.
    with pytest.raises(OutboundRefused):
        post("https://localhost/push/abc", b"x", {}, deadline_s=2)


class Redirecting(BaseHTTPRequestHandler):
    hits: list = []

    def do_POST(self):  # noqa: N802
        Redirecting.hits.append(self.path)
        self.send_response(307)
        self.send_header("Location", f"http://127.0.0.1:{self.server.server_port}/inside")
        self.end_headers()

    def log_message(self, *args):
        pass


def test_a_redirect_is_not_followed():
    Redirecting.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirecting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    host = f"127.0.0.1:{server.server_port}"
    try:
        answer = post(f"http://{host}/push/x", b"x", {}, deadline_s=5, plain_http_hosts=(host,))
    finally:
        server.shutdown()
    assert answer.status == 307 and Redirecting.hits == ["/push/x"]  # /inside was never asked for


def trickling_server(tls: bool):
    """A server that accepts and then sends one byte of an HTTP answer every 0.2 s, for ever (or, with
    ``tls``, never even finishes the TLS handshake)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=trickle, args=(connection,), daemon=True).start()

    def trickle(connection):
        try:
            connection.recv(65536)
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000:
                if stop.wait(0.2) or tls:
                    continue
                connection.send(bytes([byte]))
        except OSError:
            pass
    threading.Thread(target=serve, daemon=True).start()
    return listener, stop


@pytest.mark.parametrize("tls", [False, True], ids=["trickling-http", "silent-https"])
def test_no_call_outlives_its_deadline(tls):
    listener, stop = trickling_server(tls)
    host = f"127.0.0.1:{listener.getsockname()[1]}"
    started = time.monotonic()
    try:
        with pytest.raises(DeadlineExceeded):
            post(f"{'https' if tls else 'http'}://{host}/push/x", b"x", {}, deadline_s=1.5,
                 plain_http_hosts=(host,), context=ssl.create_default_context())
    finally:
        stop.set()
        listener.close()
    assert 1.4 < time.monotonic() - started < 3  # a per-read timeout alone would wait for ever


def test_the_watchdog_forgets_calls_that_finished_in_time():
    fired = []
    token = outbound.WATCHDOG.watch(time.monotonic() + 0.2, lambda: fired.append(1))
    outbound.WATCHDOG.forget(token)
    outbound.WATCHDOG.watch(time.monotonic() + 0.1, lambda: fired.append(2))
    time.sleep(0.4)
    assert fired == [2]
