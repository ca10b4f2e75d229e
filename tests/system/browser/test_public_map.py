"""The public map at phone size: a tap on a report opens its card (photo, category, status, ward, link),
and the list beside the map follows the view and the filters. Any script error fails the test."""
import re

import pytest
from playwright.sync_api import expect

from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db
from tests.reports.images import jpeg_with_gps

pytestmark = pytest.mark.e2e
SPOT = (16.4391, 107.6288)  # lat, lon: a corner of Huế no other browser test reports in


def test_a_tap_opens_the_report_and_the_list_follows_the_map(app, phone, shots):
    with app.app_context():
        report, _ = submit_report(ReportInput(category="pothole", description="Ổ gà sâu (kiểm thử bản đồ)",
                                              lat=SPOT[0], lon=SPOT[1], photos=[jpeg_with_gps((900, 600))],
                                              name="Người Gửi Kín", acknowledge_duplicate=True),
                                  LocalPhotoStorage(app.config["PHOTO_DIR"]))
        db.session.commit()
        code, photo = report.tracking_code, report.photos[0].sha256
    phone.goto(f"/map#18/{SPOT[0]}/{SPOT[1]}")
    mine = phone.locator(f'#recent li[data-code="{code}"]')
    expect(mine).to_be_visible()
    expect(mine).to_contain_text("Ổ gà, hư hỏng mặt đường")
    expect(mine.locator("img")).to_have_attribute("src", f"/photos/{photo}_t.jpg")
    assert "Người Gửi Kín" not in phone.content()

    # the report's own dot is under the centre of the map: a tap opens its card
    dot = '#map path[fill="#d9480f"]'
    expect(phone.locator(dot).first).to_be_attached()
    box = phone.locator("#map").bounding_box()
    phone.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    card = phone.locator(".leaflet-popup-content .report-card")
    expect(card).to_contain_text("Ổ gà, hư hỏng mặt đường")
    expect(card).to_contain_text("Đã tiếp nhận")
    expect(card.get_by_role("link", name="Xem phản ánh")).to_have_attribute("href", f"/r/{code}")
    shots(phone, "public-map-card")

    # a filter that leaves it out empties the list; the map moved away shows other reports only
    phone.select_option("#map-status", "closed")
    expect(mine).to_have_count(0)
    phone.select_option("#map-status", "")
    expect(mine).to_be_visible()
    phone.evaluate("window.location.hash = '#16/16.4698/107.5786'")  # the Citadel
    expect(mine).to_have_count(0)
    expect(phone.locator("#recent-status")).not_to_be_empty()
    assert phone.evaluate("window.location.hash") == "#16/16.46980/107.57860"


def test_a_ward_page_shows_its_backlog_on_a_small_map(app, phone):
    with app.app_context():
        submit_report(ReportInput(category="pothole", description="Ổ gà trước trường (trang phường)", lat=16.4580,
                                  lon=107.5450, acknowledge_duplicate=True), LocalPhotoStorage(app.config["PHOTO_DIR"]))
        db.session.commit()
    phone.goto("/wards/19774")
    expect(phone.locator('#ward-map path[fill="#d9480f"], #ward-map image').first).to_be_attached()
    expect(phone.get_by_role("link", name="Xem trên bản đồ, kèm danh sách phản ánh")).to_have_attribute(
        "href", re.compile(r"^/map#15/16\.\d{5}/107\.\d{5}$"))
