"""Every response's security headers (webapp/headers.py): the strict CSP, and a nonce only where the
page has inline blocks that carry it."""
import re

from tests.helpers import login
from tests.web.dashboard.hand_made import make_fixture_reports

NONCE_IN_HEADER = re.compile(r"script-src 'self' 'nonce-([A-Za-z0-9_-]{16,})'; style-src 'self' 'nonce-\1'")


def directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split(" ", 1)[0]: part.split(" ", 1)[1] for part in policy.split("; ")}


def test_a_json_answer_allows_no_inline_block(client):
    response = client.get("/api/v1/categories")
    policy = directives(response)
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'" and response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["Permissions-Policy"] == \
        "geolocation=(self), camera=(self), microphone=(), browsing-topics=()"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP: a browser ignores it there


def test_a_page_with_inline_blocks_gets_its_own_nonce(client):
    nonces = []
    for _ in range(2):
        response = client.get("/map")
        html = response.get_data(as_text=True)
        found = NONCE_IN_HEADER.search(response.headers["Content-Security-Policy"])
        assert found, response.headers["Content-Security-Policy"]
        in_page = set(re.findall(r'<script nonce="([^"]+)"', html))
        assert in_page == {found.group(1)}  # every inline script carries the header's nonce
        nonces.append(found.group(1))
    assert nonces[0] != nonces[1]


def test_a_page_without_inline_blocks_allows_none(client):
    response = client.get("/login")
    assert "nonce" not in response.get_data(as_text=True)
    assert directives(response)["script-src"] == "'self'"


def test_hsts_over_https_only(client):
    response = client.get("/api/v1/categories", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    spoofed = client.get("/api/v1/categories", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in spoofed.headers  # no proxy trusted (PROXY_FIX_HOPS=0)


def test_only_the_dashboard_maps_may_be_framed_and_by_the_app_alone(client, staff):
    make_fixture_reports()
    login(client, "leader@t.vn")
    framed = client.get("/dashboard/maps/heat?days=30")
    assert framed.status_code == 200
    assert directives(framed)["frame-ancestors"] == "'self'" and framed.headers["X-Frame-Options"] == "SAMEORIGIN"
    nonce = NONCE_IN_HEADER.search(framed.headers["Content-Security-Policy"]).group(1)
    scripts = re.findall(r"<script(?=[\s>])[^>]*>", framed.get_data(as_text=True))
    assert scripts and all(f'nonce="{nonce}"' in tag for tag in scripts)  # Folium's inline blocks too
    page = client.get("/dashboard")
    assert directives(page)["frame-ancestors"] == "'none'" and page.headers["X-Frame-Options"] == "DENY"
