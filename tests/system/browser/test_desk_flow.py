"""A ward officer works a report in Chromium: login, queue, map, assign, reply, resolve with a photo;
the resident sees the reply and rates the answer."""
import re

import pytest
from playwright.sync_api import expect

from reports.accounts.staff import create_user
from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db
from tests.reports.images import jpeg_with_gps

pytestmark = pytest.mark.e2e
PASSWORD = "e2e-officer-password"


@pytest.fixture
def officer_and_report(app):
    with app.app_context():
        create_user("officer.e2e@t.vn", "officer", PASSWORD, "19753", ["environment"],
                    "Cán bộ Nguyễn E2E", method="pbkdf2:sha256:1000")
        report, _ = submit_report(ReportInput(category="illegal_dumping", description="Đổ phế thải xây dựng bên bờ sông (e2e desk)",
                                              lat=16.4712, lon=107.5801, acknowledge_duplicate=True),
                                  LocalPhotoStorage(app.config["PHOTO_DIR"]))
        db.session.commit()
        return report.tracking_code, report.issued_secret


def test_officer_works_the_report_and_the_resident_rates_it(phone, officer_and_report, shots, tmp_path):
    code, secret = officer_and_report
    photo = tmp_path / "sau-khi-xu-ly.jpg"
    photo.write_bytes(jpeg_with_gps((900, 700)))
    phone.goto("/desk")
    phone.fill("#email", "officer.e2e@t.vn")
    phone.fill("#password", PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    expect(phone.locator("#queue")).to_contain_text(code)
    shots(phone, "desk-1-queue")
    phone.get_by_role("button", name="Bản đồ").click()
    expect(phone.locator("#map-pane")).to_be_visible()
    expect(phone.locator("#map path.leaflet-interactive").first).to_be_attached()  # staff vector tiles
    shots(phone, "desk-2-map")
    phone.get_by_role("button", name="Danh sách").click()
    phone.get_by_role("link", name=code).click()
    expect(phone.locator("#desk-status")).to_have_attribute("data-status", "received")
    expect(phone.locator("#desk-status")).to_have_text("Đã tiếp nhận")

    def above(button) -> float:
        """How far down the page (CSS px) the action's button sits: at most two phone screens."""
        return button.evaluate("b => b.getBoundingClientRect().top + window.scrollY")

    heights = {}
    accept = phone.locator("#next-step").get_by_role("button", name="Thụ lý")
    heights["accept"] = above(accept)
    accept.click()
    expect(phone.locator("#desk-status")).to_have_attribute("data-status", "accepted")
    assign = phone.locator("#next-step").get_by_role("button", name="Giao xử lý")
    heights["assign"] = above(assign)
    assign.click()
    expect(phone.locator("#desk-status")).to_have_attribute("data-status", "assigned")
    phone.fill("#reply-message", "Phường đã cử đội trật tự đô thị đến xử lý, buộc dọn dẹp phế thải.")
    phone.set_input_files("#result-photo", str(photo))
    phone.check("#resolve")
    send = phone.locator("#next-step").get_by_role("button", name="Gửi", exact=True)
    heights["reply and resolve"] = above(send)
    send.click()
    expect(phone.locator(".flash.success")).to_have_text("Đã lưu câu trả lời và gửi cho người phản ánh.")
    expect(phone.locator("#desk-status")).to_have_attribute("data-status", "resolved")
    expect(phone.locator("#audit")).to_contain_text("Cán bộ Nguyễn E2E (cán bộ)")  # by name, not email (issue 29)
    expect(phone.locator("#audit")).to_contain_text("Đã tiếp nhận → Đã thụ lý")
    print("page height above each action at 390 × 844 (px):", heights)
    assert all(h <= 2 * 844 for h in heights.values()), heights
    shots(phone, "desk-3-resolved")

    phone.goto(f"/r/{code}")  # without the private link: the form asks for the report's key
    expect(phone.locator("#rate-form [data-secret-entry]")).to_be_visible()
    phone.goto(f"/r/{code}#k={secret}")  # the private link the resident received
    phone.reload()  # (the same page with a fragment is not loaded again by itself)
    expect(phone.locator("#rate-form [data-secret-entry]")).to_be_hidden()
    assert "#k=" not in phone.url  # the key leaves the address bar (kept on the phone only)
    expect(phone.locator("#status")).to_have_text("Đã xử lý")
    expect(phone.locator("#timeline")).to_contain_text("Phường đã cử đội trật tự đô thị đến xử lý")
    expect(phone.locator(".photos img")).to_have_count(1)  # the result photo
    phone.locator("#rate-form input[value='4']").check()
    phone.get_by_role("button", name="Gửi đánh giá").click()
    expect(phone.locator("#rating-given")).to_contain_text("4/5")
    shots(phone, "desk-4-resident-rated")


def test_a_tap_on_the_desk_map_opens_the_report_with_its_first_action(app, phone, shots):
    """The desk map's popup: the report's card and its next step (accept) in one tap, no script error."""
    with app.app_context():
        create_user("officer.map@t.vn", "officer", PASSWORD, "19753", ["environment"], "Cán bộ Bản Đồ",
                    method="pbkdf2:sha256:1000")
        report, _ = submit_report(ReportInput(category="garbage", description="Rác ở ngõ (bản đồ bàn xử lý)",
                                              lat=16.4741, lon=107.5712, acknowledge_duplicate=True),
                                  LocalPhotoStorage(app.config["PHOTO_DIR"]))
        db.session.commit()
        code = report.tracking_code
    phone.goto("/login")
    phone.fill("#email", "officer.map@t.vn")
    phone.fill("#password", PASSWORD)
    phone.get_by_role("button", name="Đăng nhập").click()
    phone.goto("/desk#19/16.4741/107.5712")
    phone.get_by_role("button", name="Bản đồ").click()
    expect(phone.locator('#map path[fill="#d9480f"]').first).to_be_attached()
    phone.locator("#map").scroll_into_view_if_needed()
    phone.wait_for_timeout(300)
    box = phone.locator("#map").bounding_box()  # the report's own dot is at the centre of the view
    phone.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = phone.locator(".leaflet-popup-content .desk-card")
    expect(popup).to_contain_text(code)
    expect(popup.locator(".report-card")).to_contain_text("Rác thải sinh hoạt")
    expect(popup.get_by_role("link", name="Mở")).to_have_attribute("href", f"/desk/reports/{code}")
    shots(phone, "desk-map-popup")
    popup.get_by_role("button", name="Thụ lý").click()
    expect(phone.locator(".flash.success")).to_contain_text("Đã tiếp nhận")
    expect(phone.locator("#desk-status")).to_have_attribute("data-status", "accepted")


def test_bulk_triage_from_the_keyboard_on_a_desktop(app, desktop):
    """j / k move through the queue, x selects, a goes to the officer; the bar accepts what is selected."""
    with app.app_context():
        create_user("lead.keys@t.vn", "ward_lead", PASSWORD, "19774", method="pbkdf2:sha256:1000")
        for n in range(2):
            submit_report(ReportInput(category="garbage", description=f"Rác bàn phím {n}", lat=16.4575 + n * 0.001,
                                      lon=107.5435, acknowledge_duplicate=True), LocalPhotoStorage(app.config["PHOTO_DIR"]))
        db.session.commit()
    page = desktop
    page.goto("/login")
    page.fill("#email", "lead.keys@t.vn")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto("/desk?status=received&sort=newest")  # its two reports on top, before older overdue ones
    rows = page.locator("#queue tbody tr")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("j")
    page.keyboard.press("x")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bchosen\b"))
    expect(page.locator('#queue input[name="codes"]:checked')).to_have_count(2)
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bchosen\b"))
    page.keyboard.press("a")
    expect(page.locator("#bulk-officer")).to_be_focused()
    page.select_option("#bulk-action", "accept")
    page.locator("#bulk-apply").click()
    expect(page.locator(".flash.success")).to_contain_text("Đã xong cho 2 phản ánh.")
