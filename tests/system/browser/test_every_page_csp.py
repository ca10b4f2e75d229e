"""Every page, at phone and desktop width, works under the strict Content-Security-Policy: the
fixtures fail the test on any violation (inline script or style without the nonce, an outside host).
A page without inline blocks is served with no nonce at all."""
import re

import pytest
from playwright.sync_api import expect

from reports.accounts.staff import create_user
from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-dispatcher-password"
PUBLIC_PAGES = ["/", "/map", "/service-points", "/login", "/r/{code}", "/r/HUE-2222-3333", "/alerts", "/wards",
                "/wards/19753", "/password/forgot"]
STAFF_PAGES = ["/desk", "/desk/reports/{code}", "/desk/new", "/dashboard", "/dashboard/inspection",
               "/dashboard/coverage", "/account/password", "/account/2fa"]


@pytest.fixture(scope="module")
def code(app):
    with app.app_context():
        create_user("dispatcher.csp@t.vn", "dispatcher", PASSWORD, method="pbkdf2:sha256:1000")
        report, _ = submit_report(ReportInput(category="garbage", description="Rác (kiểm tra CSP)",
                                              lat=16.4655, lon=107.5905, acknowledge_duplicate=True),
                                  LocalPhotoStorage(app.config["PHOTO_DIR"]))
        db.session.commit()
        return report.tracking_code


def visit(page, paths, code):
    for path in paths:
        response = page.goto(path.format(code=code))
        assert response.status in (200, 404), path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
        in_page = set(re.findall(r'nonce="([^"]+)"', response.text()))
        in_header = set(re.findall(r"'nonce-([^']+)'", policy))
        assert in_page <= in_header and len(in_header) <= 1, path  # the page's nonce, or none at all
        page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_public_pages(request, code, width):
    page = request.getfixturevalue(width)
    visit(page, PUBLIC_PAGES, code)
    page.goto("/")
    expect(page.locator("#map .leaflet-container, #map.leaflet-container").first).to_be_attached()


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_staff_pages(request, code, width):
    page = request.getfixturevalue(width)
    page.goto("/login")
    page.fill("#email", "dispatcher.csp@t.vn")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    visit(page, STAFF_PAGES, code)
    page.goto("/dashboard")
    expect(page.frame_locator("#heatmap").locator(".leaflet-container")).to_be_visible()  # framed by self
