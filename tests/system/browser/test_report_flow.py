"""A resident reports from a phone, follows the report, rates it; in English; and offline."""
import re

import pytest
from playwright.sync_api import expect

from reports.models import Report
from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from reports.workflow.lifecycle import change_status, get_by_tracking_code
from store import db
from tests.helpers import PHU_XUAN, make_report
from tests.reports.images import jpeg_with_gps, phone_photo

pytestmark = pytest.mark.e2e
CODE = re.compile(r"^HUE-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$")


def resolve(app, code):
    with app.app_context():
        change_status(get_by_tracking_code(code), "resolved", "officer.19753@demo.local",
                      public_message="Đã thu gom rác, vệ sinh khu vực.")
        db.session.commit()


def test_report_follow_and_rate_in_vietnamese(app, phone, shots, tmp_path):
    photo = tmp_path / "rac.jpg"
    photo.write_bytes(jpeg_with_gps((1200, 900)))
    phone.goto("/")
    expect(phone.locator("html")).to_have_attribute("lang", "vi")
    phone.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(phone.locator("#ward-status")).to_have_text("Phường Phú Xuân sẽ tiếp nhận")
    expect(phone.locator("#accuracy")).to_contain_text("12 m")
    phone.select_option("#category", "garbage")
    phone.fill("#description", "Rác thải tập kết trên vỉa hè đường Đinh Tiên Hoàng (kiểm thử e2e)")
    phone.set_input_files("#photos", str(photo))
    shots(phone, "1-report-form-vi")
    phone.get_by_role("button", name="Gửi phản ánh").click()
    code_el = phone.locator("#tracking-code")
    expect(code_el).to_be_visible()
    code = code_el.inner_text()
    assert CODE.match(code)
    expect(phone.locator("#nearest-centre")).to_contain_text("Trung tâm phục vụ gần nhất: Trung tâm phục vụ hành chính công Phường Phú Xuân")
    shots(phone, "2-tracking-code-vi")

    phone.get_by_role("link", name="Theo dõi phản ánh của tôi").click()
    expect(phone.locator("h1.code")).to_have_text(code)
    expect(phone.locator("#status")).to_have_text("Đã tiếp nhận")
    expect(phone.locator(".photos img")).to_have_count(1)
    resolve(app, code)
    phone.reload()
    expect(phone.locator("#status")).to_have_text("Đã xử lý")
    expect(phone.locator("#timeline")).to_contain_text("Đã thu gom rác")
    stars = phone.locator("#rate-form .stars label")
    assert all(stars.nth(i).bounding_box()["height"] >= 44 and stars.nth(i).bounding_box()["width"] >= 44
               for i in range(5))  # targets a thumb can hit
    stars.filter(has_text="5★").click()  # the whole box, not only the radio
    expect(phone.locator("#rate-form input[value='5']")).to_be_checked()
    phone.fill("#comment", "Xử lý nhanh, cảm ơn phường.")
    phone.get_by_role("button", name="Gửi đánh giá").click()
    expect(phone.locator(".flash.success")).to_have_text("Cảm ơn bạn đã đánh giá.")
    expect(phone.locator("#rating-given")).to_contain_text("5/5")
    expect(phone.locator("#rate-form")).to_have_count(0)
    shots(phone, "3-rated-vi")
    with app.app_context():
        assert get_by_tracking_code(code).rating == 5


def test_report_in_english_by_tapping_the_map(phone, shots):
    phone.goto("/?lang=en")
    phone.get_by_role("link", name="Tiếng Việt")  # the switch back is offered
    phone.locator("#map").click(position={"x": 195, "y": 150})
    expect(phone.locator("#ward-status")).to_have_text(re.compile(r"^(Phường|Xã) .+ will handle this report$"))
    phone.select_option("#category", "pothole")
    phone.fill("#description", "Deep pothole in the right lane (e2e test)")
    phone.get_by_role("button", name="Send report").click()
    expect(phone.locator("#tracking-code")).to_have_text(CODE)
    expect(phone.locator("#done-step h1")).to_have_text("Thank you! Your report was received.")
    shots(phone, "4-tracking-code-en")


def test_outside_the_service_area_is_explained(phone):
    """The message names the area, and the map comes back to it (issue 29)."""
    phone.context.set_geolocation({"latitude": 16.60, "longitude": 107.66})
    phone.goto("/")
    phone.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(phone.locator("#ward-status")).to_contain_text("ngoài địa bàn")
    expect(phone.locator("#ward-status")).to_contain_text("Thành phố Huế")
    phone.get_by_role("button", name="Gửi phản ánh").click()
    expect(phone.locator("#err-place")).to_contain_text("ngoài địa bàn")
    expect(phone.locator("#err-category")).to_have_text("Vui lòng chọn loại vấn đề.")  # every problem at once
    expect(phone.locator("#err-description")).to_have_text("Vui lòng mô tả vấn đề.")


def test_offline_draft_is_sent_when_the_network_returns(app, phone, shots):
    description = "Đèn đường hỏng cả dãy phố (gửi lại khi có mạng, e2e)"
    phone.goto("/")
    phone.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(phone.locator("#ward-status")).to_have_text("Phường Phú Xuân sẽ tiếp nhận")
    phone.select_option("#category", "street_light")
    phone.fill("#description", description)
    phone.context.set_offline(True)
    phone.get_by_role("button", name="Gửi phản ánh").click()
    expect(phone.locator("#draft-step")).to_be_visible()
    shots(phone, "5-offline-draft")
    with app.app_context():
        assert db.session.query(Report).filter_by(description=description).count() == 0
    phone.context.set_offline(False)
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    expect(phone.locator("#tracking-code")).to_have_text(CODE, timeout=15000)
    shots(phone, "6-offline-draft-sent")
    with app.app_context():
        assert db.session.query(Report).filter_by(description=description).count() == 1


def test_public_map_draws_report_tiles(phone, shots):
    phone.goto("/map")
    expect(phone.locator("#map-count")).to_contain_text("phản ánh")
    expect(phone.locator("#map path.leaflet-interactive").first).to_be_attached()  # drawn from vector tiles
    shots(phone, "7-public-map")


def test_service_point_locator(phone, shots):
    phone.goto("/service-points")
    phone.get_by_role("button", name="Dùng vị trí của tôi").click()
    first = phone.locator("#points li").first
    expect(first).to_contain_text("Phường Phú Xuân")
    expect(first).to_contain_text("394 Đinh Tiên Hoàng")
    expect(first.get_by_role("link", name="Chỉ đường")).to_have_attribute("href", re.compile("openstreetmap.org/directions"))
    expect(phone.locator("#points li")).to_have_count(5)
    expect(phone.locator("#attribution")).to_contain_text("CC-BY-4.0")
    shots(phone, "8-service-points")


def test_a_service_centre_name_is_shown_as_text_never_as_html(app, phone):
    """Issue 28, finding 19: names from an imported file went into the map's popups as HTML."""
    from sqlalchemy import text
    hostile = " <img src=x id=injected onerror=document.body.dataset.owned=1>"
    with app.app_context():
        db.session.execute(text("UPDATE service_point SET name = name || :h"), {"h": hostile})
        db.session.commit()
    try:
        phone.goto("/service-points")
        phone.get_by_role("button", name="Dùng vị trí của tôi").click()
        expect(phone.locator("#points li")).to_have_count(5)
        phone.locator("#map path.leaflet-interactive").first.click()
        popup = phone.locator(".leaflet-popup-content")
        expect(popup).to_contain_text("<img src=x id=injected")
        assert phone.locator("#injected").count() == 0 and phone.evaluate("document.body.dataset.owned") is None
    finally:
        with app.app_context():
            db.session.execute(text("UPDATE service_point SET name = replace(name, :h, '')"), {"h": hostile})
            db.session.commit()


def test_a_tap_on_the_public_map_opens_without_errors(app, phone):
    """A tap on a dot zooms into a cluster or opens the report's popup, and never throws (it threw
    inside Leaflet.VectorGrid for points drawn smaller than 11 px)."""
    with app.app_context():  # a report of its own on the map (a field no other browser test reports)
        make_report(app, ward=PHU_XUAN, category="tree", description="Cây gãy (kiểm thử bản đồ)")
        db.session.commit()
    errors, deep_tiles = [], []
    phone.on("pageerror", lambda error: errors.append(str(error)))
    phone.on("request", lambda r: deep_tiles.append(r.url) if re.search(r"/tiles/reports/1[5-9]/", r.url) else None)
    phone.goto("/map")
    dots = '#map path[fill="#d9480f"], #map path[fill="#2b8a3e"], #map image'  # reports, clusters (with counts)
    expect(phone.locator(dots).first).to_be_attached()
    # The centre of a dot on screen and on top of everything else there (the first one may lie off-screen;
    # tiles still coming in: asked again for a few seconds).
    for _ in range(50):
        point = phone.evaluate("""dots => {
            for (const path of document.querySelectorAll(dots)) {
                const r = path.getBoundingClientRect(), x = r.left + r.width / 2, y = r.top + r.height / 2;
                if (x > 0 && y > 0 && x < innerWidth && y < innerHeight && document.elementFromPoint(x, y) === path) {
                    return [x, y];
                }
            }
            return null; }""", dots)
        if point is not None:
            break
        phone.wait_for_timeout(100)
    assert point is not None, "no report dot is visible on the map"
    phone.mouse.click(*point)
    for _ in range(50):  # a cluster zooms in (tiles of zoom 15), a single report opens its popup
        if deep_tiles or phone.locator(".leaflet-popup-content").count():
            break
        phone.wait_for_timeout(100)
    assert deep_tiles or phone.locator(".leaflet-popup-content").count()
    assert errors == []


def test_the_duplicate_prompt_tells_look_alikes_apart(app, phone):
    """A look-alike nearby is shown with its photo, status, day (four-digit year), distance and a link,
    and numbered on the map beside the new pin."""
    with app.app_context():
        existing, _ = submit_report(ReportInput(category="encroachment", description="Quán lấn chiếm vỉa hè",
                                                lat=16.4698, lon=107.5786, photos=[jpeg_with_gps((800, 600))],
                                                acknowledge_duplicate=True), LocalPhotoStorage(app.config["PHOTO_DIR"]))
        db.session.commit()
        code, photo = existing.tracking_code, existing.photos[0].sha256
    phone.goto("/")
    phone.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(phone.locator("#ward-status")).to_have_text("Phường Phú Xuân sẽ tiếp nhận")
    phone.select_option("#category", "encroachment")
    phone.fill("#description", "Lấn chiếm vỉa hè trước số 10 (kiểm thử trùng lặp)")
    phone.get_by_role("button", name="Gửi phản ánh").click()
    item = phone.locator("#duplicate-list li").filter(has_text="Quán lấn chiếm vỉa hè")
    expect(item).to_be_visible()
    expect(item.locator(".duplicate-meta")).to_have_text(re.compile(r"^Đã tiếp nhận · \d\d/\d\d/\d{4} · "))
    expect(item.get_by_role("link", name="Xem")).to_have_attribute("href", f"/r/{code}")
    expect(item.locator("img.look-alike-photo")).to_have_attribute("src", f"/photos/{photo}_t.jpg")
    number = item.locator(".look-alike-number").inner_text()
    expect(phone.locator("#map .look-alike-marker", has_text=number)).to_be_visible()


def test_a_phone_photo_is_shrunk_before_it_is_sent_with_progress(app, phone, shots, tmp_path):
    """A 12-megapixel photo (~4 MB) leaves the phone as at most 600 KB, over a 4 Mbit/s uplink with a
    progress bar; the server still keeps its own re-encoded copy."""
    photo = tmp_path / "IMG_0001.jpg"
    photo.write_bytes(phone_photo())
    assert photo.stat().st_size > 3_000_000
    sent = []
    phone.on("request", lambda r: sent.append(len(r.post_data_buffer or b"")) if r.url.endswith("/api/v1/reports") else None)
    cdp = phone.context.new_cdp_session(phone)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 40, "downloadThroughput": 4e6 / 8,
                                                  "uploadThroughput": 4e6 / 8})
    phone.goto("/")
    phone.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(phone.locator("#ward-status")).to_have_text("Phường Phú Xuân sẽ tiếp nhận")
    phone.select_option("#category", "fire_risk")  # a category no other browser test reports here
    phone.fill("#description", "Dây điện chập cháy (ảnh điện thoại, kiểm thử thu nhỏ)")
    phone.set_input_files("#photos", str(photo))
    expect(phone.locator("#photo-status")).to_contain_text("sẵn sàng", timeout=15000)
    phone.get_by_role("button", name="Gửi phản ánh").click()
    expect(phone.locator("#send-progress")).to_be_visible()
    shots(phone, "9-photo-progress")
    expect(phone.locator("#tracking-code")).to_be_visible(timeout=20000)
    assert len(sent) == 1 and sent[0] <= 600 * 1024, sent
    with app.app_context():
        report = get_by_tracking_code(phone.locator("#tracking-code").inner_text())
        assert len(report.photos) == 1 and max(report.photos[0].width, report.photos[0].height) <= 2048