"""The leaders' dashboard with demo-like data, in Chromium (screenshot kept)."""
from datetime import date

import pytest
from playwright.sync_api import expect

from reports.accounts.staff import create_user
from reports.demo.sampling import insert_synthetic_reports
from store import db

pytestmark = pytest.mark.e2e


def test_leader_dashboard(app, desktop, output_dir):
    with app.app_context():
        create_user("leader.e2e@t.vn", "leader", "e2e-leader-password", method="pbkdf2:sha256:1000")
        insert_synthetic_reports("46", 400, 7, date.today(), "[synthetic e2e dashboard]")
        db.session.commit()
    page = desktop
    page.goto("/login")
    page.fill("#email", "leader.e2e@t.vn")
    page.fill("#password", "e2e-leader-password")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/dashboard?days=90")
    expect(page.locator("#ward-table tbody tr")).to_have_count(40)
    expect(page.locator("#hotspots")).to_contain_text("Gi*")
    expect(page.frame_locator("#heatmap").locator(".leaflet-container")).to_be_visible()
    expect(page.frame_locator("#choropleth").locator("path.leaflet-interactive").first).to_be_visible()
    expect(page.locator("#hotspot-map .leaflet-tile-container, #hotspot-map canvas, #hotspot-map svg").first).to_be_attached()
    page.wait_for_timeout(800)
    (output_dir / "e2e").mkdir(exist_ok=True)
    page.screenshot(path=str(output_dir / "e2e" / "dashboard.png"), full_page=True)
    page.locator("#ward-table th").nth(1).click()  # sortable
