"""The nginx site a city deploys (``deploy/nginx/phananh.conf`` with ``phananh-app.conf``) in Debian's
own nginx: it loads, serves the static files itself with a long cache and HSTS over HTTPS, sends
plain HTTP to HTTPS and proxies the rest with a request id. Its placeholders (the certificate, the
code's folder, the ports) are filled in for this machine; nothing else of it is changed."""
import http.client
import os
import re
import socket
import ssl
import subprocess
import time

import pytest

from devtools.ports import free_port
from devtools.stack import ensure_nginx, start_node
from settings import PROJECT_ROOT

SITE = PROJECT_ROOT / "deploy" / "nginx" / "phananh.conf"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    home = tmp_path_factory.mktemp("nginx-site")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-keyout", str(home / "key.pem"), "-out", str(home / "cert.pem")], check=True, capture_output=True)
    http_port, https_port, node_a, node_b = (free_port() for _ in range(4))  # nothing answers on the nodes
    text = SITE.read_text().replace("/srv/phananh", str(PROJECT_ROOT))
    text = text.replace("/etc/ssl/phananh/fullchain.pem", str(home / "cert.pem"))
    text = text.replace("/etc/ssl/phananh/privkey.pem", str(home / "key.pem"))
    text = text.replace("127.0.0.1:5001", f"127.0.0.1:{node_a}").replace("127.0.0.1:5002", f"127.0.0.1:{node_b}")
    text = re.sub(r"listen 80;", f"listen 127.0.0.1:{http_port};", text)
    text = re.sub(r"listen 443 ", f"listen 127.0.0.1:{https_port} ", text)
    (home / "site.conf").write_text(text)
    (home / "nginx.conf").write_text(f"""pid {home}/nginx.pid;
error_log {home}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {home}/body;
    proxy_temp_path {home}/proxy;
    include {home}/site.conf;
}}
""")
    nginx = ensure_nginx()
    checked = subprocess.run([nginx, "-t", "-c", str(home / "nginx.conf"), "-e", str(home / "error.log")],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    served = subprocess.Popen([nginx, "-c", str(home / "nginx.conf"), "-e", str(home / "error.log"), "-g", "daemon off;"])
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.05)
    yield http_port, https_port, node_a
    served.terminate()
    served.wait(10)


def get(port: int, path: str, tls: bool = True):
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the test's own certificate
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=context, timeout=10)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Host": "phananh.example.vn"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response, body


def test_static_files_come_from_nginx_with_a_long_cache_and_hsts(site):
    _, https_port, _ = site
    response, body = get(https_port, "/static/vendor/leaflet/leaflet.js")
    assert response.status == 200 and body == (PROJECT_ROOT / "webapp/static/vendor/leaflet/leaflet.js").read_bytes()
    assert response.getheader("Cache-Control") == "public, max-age=2592000"
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"


def test_plain_http_is_sent_to_https(site):
    http_port, _, _ = site
    response, _ = get(http_port, "/r/HUE-ABC", tls=False)
    assert response.status == 301 and response.getheader("Location") == "https://phananh.example.vn/r/HUE-ABC"


def test_the_rest_goes_to_the_app_nodes_with_a_request_id(site):
    _, https_port, _ = site
    response, _ = get(https_port, "/api/v1/categories")
    assert response.status == 502  # the proxying was tried: no node answers in this test
    assert re.fullmatch(r"[0-9a-f]{32}", response.getheader("X-Request-ID") or "")


def test_metrics_are_scraped_through_nginx_from_a_production_node(site, app, tmp_path):
    """Issue 28, finding 18: ``location = /metrics`` sent no Host, and TRUSTED_HOSTS refused it (400)."""
    _, https_port, node_a = site
    env = {**os.environ, "PHANANH_ENV": "production", "SECRET_KEY": "p" * 20 + "0123456789abcdefghijklmnop",
           "PUBLIC_URL": "https://phananh.example.vn", "PROXY_FIX_HOPS": "1", "WEB_WORKERS": "1",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg2", ""),
           "PHOTO_DIR": str(tmp_path / "photos"), "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics")}
    node = start_node(env, node_a, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            response, body = get(https_port, "/healthz")
            if response.status == 200:
                break
            time.sleep(0.3)
        assert response.status == 200, body[:200]
        response, body = get(https_port, "/metrics")
        assert response.status == 200 and b"phananh_http_requests_total" in body, body[:300]
    finally:
        node.terminate()
        node.wait(30)
