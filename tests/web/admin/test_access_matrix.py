"""Every /admin route, for every role: only an administrator gets in (200 on every page, its sample ids
made to exist); others get 403; nobody signed in goes to the sign-in page (a GET) or is refused for
the missing CSRF token (a POST: 400). Routes are read from the app's URL map, so a new admin page is
covered — and needs its sample argument below."""
import re

import pytest
from sqlalchemy import select

from geo.models import ServicePoint
from reports.accounts.api_keys import create_api_key
from reports.models import ReplyTemplate
from store import db
from tests.helpers import csrf_from, login

SAMPLE_ARGS = {"user_id": "1", "code": "garbage", "template_id": "1", "key_id": "1", "action": "deactivate",
               "day": "2026-12-31", "ward_code": "19753", "field": "environment",
               "point_id": "1", "name": "hue-wards-2025", "request_id": "1",
               "breach_id": "1", "step": "reported"}


def admin_requests(app, args: dict | None = None) -> list[tuple[str, str]]:
    args = {**SAMPLE_ARGS, **(args or {})}
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin"):
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: args[m.group(1)], rule.rule)
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
        if method == "GET":
            assert response.status_code == 302 and "/login" in response.headers["Location"], (method, path)
        else:
            assert response.status_code == 400, (method, path)  # a POST without its CSRF token


def test_an_administrator_gets_in(app, client, admin):
    template = ReplyTemplate(title="Đã xử lý", body="Phường đã xử lý.")
    db.session.add(template)
    key, _secret = create_api_key("ma trận quyền")
    db.session.commit()
    point = db.session.scalars(select(ServicePoint.id).limit(1)).first()
    assert point is not None
    existing = {"user_id": str(admin.id), "template_id": str(template.id), "key_id": str(key.id), "point_id": str(point)}
    login(client, "admin@t.vn")
    for method, path in admin_requests(app, existing):
        if method == "GET" and not path.endswith(".geojson"):
            response = client.get(path)
            assert response.status_code == 200, (method, path)
        elif method == "GET":
            response = client.get(path)
            assert response.status_code == 200 and response.mimetype.endswith("json"), (method, path)
    home = client.get("/admin").get_data(as_text=True)
    assert 'id="admin-link"' in home and csrf_from(home)
