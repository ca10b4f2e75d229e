"""Every /admin route, for every role: only an administrator gets in; others get 403, nobody signed in
goes to the sign-in page. Routes are read from the app's URL map, so a new admin page is covered."""
import re

import pytest

from tests.helpers import csrf_from, login

SAMPLE_ARGS = {"user_id": "1", "code": "garbage", "template_id": "1", "key_id": "1", "action": "deactivate",
               "day": "2026-12-31", "ward_code": "19753", "field": "environment",
               "point_id": "1", "name": "hue-wards-2025"}


def admin_requests(app) -> list[tuple[str, str]]:
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE_ARGS[m.group(1)], rule.rule)
        out += [(method, path) for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]
    return out


def test_the_matrix_covers_every_admin_page(app):
    routes = admin_requests(app)
    assert len(routes) >= 15 and ("GET", "/admin/staff") in routes and ("POST", "/admin/api-keys/1/revoke") in routes


@pytest.mark.parametrize("email", ["officer@t.vn", "lead@t.vn", "leader@t.vn", "dispatcher@t.vn"])
def test_other_roles_are_refused(app, client, staff, email):
    token = login(client, email)
    for method, path in admin_requests(app):
        response = client.open(path, method=method, data={"csrf_token": token} if method == "POST" else None)
        assert response.status_code == 403, (email, method, path)


def test_nobody_signed_in_goes_to_the_sign_in_page(app, client, staff):
    for method, path in admin_requests(app):
        response = client.open(path, method=method)
        assert response.status_code in (302, 400), (method, path)  # 400: a POST without its CSRF token
        if response.status_code == 302:
            assert "/login" in response.headers["Location"], (method, path)


def test_an_administrator_gets_in(app, client, admin):
    login(client, "admin@t.vn")
    for method, path in admin_requests(app):
        if method == "GET":
            response = client.get(path)
            assert response.status_code in (200, 404), (method, path)  # 404: the sample id may not exist
    home = client.get("/admin").get_data(as_text=True)
    assert 'id="admin-link"' in home and csrf_from(home)
