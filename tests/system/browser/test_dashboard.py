"""The leaders' dashboard with demo-like data, in Chromium (screenshot kept)."""
import re
from datetime import date

import pytest
from playwright.sync_api import expect

from reports.accounts.staff import create_user
from reports.demo.sampling import insert_synthetic_reports
from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db

pytestmark = pytest.mark.e2e


def test_leader_dashboard(app, desktop, output_dir):
    with app.app_context():
        create_user("leader.e2e@t.vn", "leader", "e2e-leader-password", method="pbkdf2:sha256:1000")
        insert_synthetic_reports("46", 400, 7, date.today(), "[synthetic e2e dashboard]")
        for n in range(50):  # two markets where garbage piles up: hotspots whatever the random reports
            lat, lon = (16.4520, 107.6000) if n % 2 else (16.4575, 107.5435)
            submit_report(ReportInput(category="garbage", description=f"Rác chợ {n}", lat=lat + n * 1e-5,
                                      lon=lon, acknowledge_duplicate=True), LocalPhotoStorage(app.config["PHOTO_DIR"]))
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
    # a hotspot row and a ward row focus the hotspot map (the ranked hexagons drawn in their classes)
    expect(page.locator("#hotspot-legend")).to_contain_text("#1–3")
    first = page.locator("#hotspots tbody tr[data-rank]").first
    expect(first).to_be_attached()
    expect(page.locator("#hotspot-map .rank-label")).to_have_count(page.locator("#hotspots tbody tr[data-rank]").count())
    view = page.locator("#hotspot-map")
    before = view.get_attribute("data-view")
    first.click()
    expect(first).to_have_class(re.compile(r"\bchosen\b"))
    page.wait_for_timeout(600)
    on_hotspot = view.get_attribute("data-view")
    assert on_hotspot != before
    before = on_hotspot
    ward = page.locator("#ward-table tbody tr").nth(5)
    ward.focus()
    page.keyboard.press("Enter")
    expect(ward).to_have_class(re.compile(r"\bchosen\b"))
    page.wait_for_timeout(600)
    assert view.get_attribute("data-view") != before
    # the printable plan: a section per team, a small map per hotspot
    spots = page.locator("#hotspots tbody tr[data-rank]").count()
    assert spots >= 2
    page.goto("/dashboard/inspection?days=90&n=10&teams=2")
    expect(page.locator("section.team")).to_have_count(2)
    expect(page.locator(".spot-map.leaflet-container")).to_have_count(spots)
    expect(page.locator(".team-map .visit-number").first).to_be_visible()
    page.screenshot(path=str(output_dir / "e2e" / "inspection-plan.png"), full_page=True)
