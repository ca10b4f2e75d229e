"""The three users and the administrator walk their whole journeys in Chromium, as people would (no API
call in between), with the Huế demo's accounts (issue 29): a resident and a ward official on a
390 × 844 phone, a leader and an administrator on a 1366 × 768 laptop. Every step leaves a screenshot
in test-output/e2e/journeys/."""
import re

import pytest
from playwright.sync_api import expect

from reports.demo.accounts import DEMO_DOMAIN, create_demo_accounts
from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db
from tests.helpers import FAST_HASH
from tests.reports.images import jpeg_with_gps
from tests.system.browser.conftest import CspWatch
from worker.loop import work_due

pytestmark = pytest.mark.e2e
DEMO_PASSWORD = "mat-khau-demo-e2e"
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture(scope="module")
def demo(app):
    """The demo's staff accounts (``flask demo load`` makes them), and reports for them to work on."""
    with app.app_context():
        create_demo_accounts("46", DEMO_PASSWORD, FAST_HASH)
        storage = LocalPhotoStorage(app.config["PHOTO_DIR"])
        made = {}
        for name, category, lat, lon, text in (
                ("encroachment", "encroachment", 16.4671, 107.5862, "Quán lấn chiếm vỉa hè đường Lê Huân (hành trình)"),
                ("neighbour", "drainage_flooding", 16.4629, 107.5828, "Cống nghẹt gây ngập đường Đinh Tiên Hoàng (hành trình)")):
            report, _ = submit_report(ReportInput(category=category, description=text, lat=lat, lon=lon,
                                                  name="Người Khác", acknowledge_duplicate=True), storage)
            made[name] = report.tracking_code
        db.session.commit()
    return made


def new_page(browser, live_server, viewport, mobile: bool):
    options = {"viewport": viewport, "base_url": live_server, "locale": "vi-VN",
               "geolocation": {"latitude": 16.4712, "longitude": 107.5755, "accuracy": 10},
               "permissions": ["geolocation", "clipboard-read", "clipboard-write"]}
    if mobile:
        options.update(device_scale_factor=2, is_mobile=True, has_touch=True)
    context = browser.new_context(**options)
    watch = CspWatch(context)
    return context, watch, context.new_page()


@pytest.fixture
def step(output_dir):
    folder = output_dir / "e2e" / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    taken = []

    def shoot(page, name: str):
        taken.append(name)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    return shoot


def sign_in(page, email: str):
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def drain(app):
    with app.app_context():
        while work_due():
            pass


def test_a_resident_keeps_their_report_and_follows_another(app, browser, live_server, demo, inbox, step, tmp_path):
    context, watch, phone = new_page(browser, live_server, PHONE, mobile=True)
    phone.goto("/")
    phone.get_by_role("button", name="Gửi phản ánh").click()  # nothing filled in yet: every problem at once
    expect(phone.locator("#err-place")).to_be_visible()
    expect(phone.locator("#err-category")).to_have_text("Vui lòng chọn loại vấn đề.")
    expect(phone.locator("#err-description")).to_have_text("Vui lòng mô tả vấn đề.")
    step(phone, "resident-1-every-problem-at-once")
    phone.get_by_role("button", name="Dùng vị trí của tôi").click()
    expect(phone.locator("#ward-status")).to_contain_text("sẽ tiếp nhận")
    expect(phone.locator("#err-place")).to_be_hidden()  # cleared once fixed
    phone.select_option("#category", "garbage")
    expect(phone.locator("#err-category")).to_be_hidden()
    phone.fill("#description", "Rác đổ thành đống trước chợ, bốc mùi (hành trình người dân)")
    expect(phone.locator("#description-count")).to_contain_text("/ 4.000")
    (tmp_path / "note.txt").write_text("không phải ảnh")
    photo = tmp_path / "rac.jpg"
    photo.write_bytes(jpeg_with_gps((1200, 900)))
    phone.set_input_files("#photos", [str(tmp_path / "note.txt"), str(photo)])
    expect(phone.locator("#err-photos")).to_contain_text("note.txt không phải là ảnh")
    expect(phone.locator("#photo-list img")).to_have_count(1)
    step(phone, "resident-2-form-with-a-photo")
    phone.get_by_role("button", name="Gửi phản ánh").click()
    expect(phone.locator("#tracking-code")).to_be_visible(timeout=20000)
    code = phone.locator("#tracking-code").inner_text()
    # garbage is answered within the day it must be acknowledged: one deadline, said once
    expect(phone.locator("#done-ack")).to_contain_text("Phường tiếp nhận và trả lời trước")
    expect(phone.locator("#done-answer")).to_be_hidden()
    phone.get_by_role("button", name="Sao chép hoặc chia sẻ đường dẫn riêng").click()
    expect(phone.locator("#done-share-status")).to_contain_text("Đã sao chép")
    private_link = phone.evaluate("navigator.clipboard.readText()")
    assert re.search(rf"/r/{code}#k=\w+$", private_link)
    step(phone, "resident-3-done-page")

    # The browser is closed; later "Phản ánh của tôi" still has the report.
    phone.close()
    again = context.new_page()
    again.goto("/")
    again.get_by_role("link", name="Phản ánh của tôi").click()
    mine = again.locator("#my-reports li", has_text=code)
    expect(mine).to_contain_text("Đã tiếp nhận")
    step(again, "resident-4-my-reports")

    # A second phone (or Zalo's own browser) opens the private link: the report is the resident's there too.
    other, other_watch, second = new_page(browser, live_server, PHONE, mobile=True)
    second.goto(private_link.replace(live_server, ""))
    expect(second.locator("#share-private")).to_be_visible()
    second.goto("/my-reports")
    expect(second.locator("#my-reports li", has_text=code)).to_be_visible()
    step(second, "resident-5-second-phone")

    # They follow a neighbour's report (not theirs) and hear of its update by email.
    second.goto(f"/r/{demo['neighbour']}")
    second.get_by_role("link", name="Theo dõi phản ánh này").click()
    second.fill("#follow-email", "hang.xom.hanh.trinh@example.vn")
    second.get_by_role("button", name="Theo dõi qua email").click()
    expect(second.locator(".flash.success")).to_contain_text("email")
    step(second, "resident-6-following")
    drain(app)
    confirm = next(m for m in inbox.messages if m["To"] == "hang.xom.hanh.trinh@example.vn")
    link = re.search(r"https?://\S+/subscriptions/confirm/\S+", confirm.get_body(("plain",)).get_content()).group(0)
    second.goto(link.replace(app.config["PUBLIC_URL"], ""))
    second.get_by_role("button", name="Xác nhận").click()
    expect(second.locator("#subscription-state")).to_contain_text("Đã xác nhận")
    with app.app_context():
        from reports.workflow.desk import Actor, reply
        from reports.workflow.lifecycle import get_by_tracking_code
        reply(get_by_tracking_code(demo["neighbour"]), Actor(f"lead.19753@{DEMO_DOMAIN}", "ward_lead"),
              "Phường đã cho khơi thông cống.")
        db.session.commit()
    drain(app)
    update = [m for m in inbox.messages if m["To"] == "hang.xom.hanh.trinh@example.vn"][-1]
    assert "Phường đã cho khơi thông cống." in update.get_body(("plain",)).get_content()
    for ctx, w in ((context, watch), (other, other_watch)):
        assert w.violations(ctx) == [] and w.errors == []
        ctx.close()


def test_an_official_accepts_assigns_and_answers_an_encroachment_report(browser, live_server, demo, step):
    context, watch, phone = new_page(browser, live_server, PHONE, mobile=True)
    sign_in(phone, f"lead.19753@{DEMO_DOMAIN}")
    expect(phone).to_have_url(re.compile(r"/desk$"))
    step(phone, "official-1-queue-on-a-phone")
    phone.get_by_role("link", name=demo["encroachment"]).click()
    phone.locator("#next-step").get_by_role("button", name="Thụ lý").click()
    expect(phone.locator(".flash.success")).to_contain_text("Đã tiếp nhận")
    # The demo has environment officers only: encroachment goes to someone of the ward all the same.
    expect(phone.locator("#no-officer")).to_contain_text("Giao thông & trật tự đô thị")
    step(phone, "official-2-nobody-of-the-field")
    phone.locator("#next-step").get_by_role("button", name="Tôi nhận xử lý").click()
    expect(phone.locator(".flash.success")).to_contain_text("Đã giao")
    phone.fill("#reply-message", "Phường đã yêu cầu chủ quán dọn dẹp, trả lại vỉa hè.")
    phone.check("#resolve")
    phone.locator("#next-step").get_by_role("button", name="Gửi", exact=True).click()
    expect(phone.locator(".flash.success")).to_contain_text("Đã lưu câu trả lời")
    expect(phone.locator("#desk-status")).to_have_attribute("data-status", "resolved")
    step(phone, "official-3-answered")
    assert watch.violations(context) == [] and watch.errors == []
    context.close()


def test_a_leader_finds_the_dashboard_and_gets_a_plan_for_every_team(browser, live_server, demo, step):
    context, watch, laptop = new_page(browser, live_server, LAPTOP, mobile=False)
    sign_in(laptop, f"leader@{DEMO_DOMAIN}")
    expect(laptop).to_have_url(re.compile(r"/dashboard$"))  # leaders land on their page
    laptop.goto("/")
    laptop.get_by_role("link", name="Bảng điều hành").click()  # and find it from any page
    expect(laptop.locator("h1")).to_have_text("Bảng điều hành thành phố")
    step(laptop, "leader-1-dashboard")
    laptop.locator("#plan-link-top").click()
    teams = laptop.locator("section.team")
    expect(teams.first).to_be_visible()
    for k in range(teams.count()):
        assert teams.nth(k).locator("li.visit").count() >= 1  # every team has somewhere to go
    expect(laptop.locator("main")).not_to_contain_text("0 điểm nóng")
    expect(laptop.locator("main")).not_to_contain_text("khoảng 0 m")  # one place has no distance to tell
    step(laptop, "leader-2-inspection-plan")
    assert watch.violations(context) == [] and watch.errors == []
    context.close()


def test_an_administrator_invites_a_traffic_officer(app, browser, live_server, demo, inbox, step):
    context, watch, laptop = new_page(browser, live_server, LAPTOP, mobile=False)
    sign_in(laptop, f"admin@{DEMO_DOMAIN}")
    expect(laptop).to_have_url(re.compile(r"/admin$"))  # administrators land on their pages
    laptop.goto("/")
    laptop.get_by_role("link", name="Quản trị").click()  # and find them from any page
    laptop.get_by_role("navigation", name="Quản trị").get_by_role("link", name="Cán bộ").click()
    laptop.get_by_role("link", name="Mời cán bộ").click()
    laptop.fill("#email", "can.bo.giao.thong@example.vn")
    laptop.fill("#display_name", "Cán bộ Giao thông Phú Xuân")
    laptop.select_option("#role", "officer")
    laptop.select_option("#ward_code", label="Phường Phú Xuân")
    traffic = laptop.get_by_label("Giao thông")
    box, label = traffic.bounding_box(), laptop.locator("label", has_text="Giao thông").first.bounding_box()
    assert abs((box["y"] + box["height"] / 2) - (label["y"] + label["height"] / 2)) < 12  # beside it, not above
    traffic.check()
    step(laptop, "admin-1-invite-form")
    laptop.get_by_role("button", name="Gửi lời mời", exact=True).click()
    expect(laptop.locator(".flash.success")).to_contain_text("can.bo.giao.thong@example.vn")
    step(laptop, "admin-2-invited")
    drain(app)
    invitation = next(m for m in inbox.messages if m["To"] == "can.bo.giao.thong@example.vn")
    assert "Phường Phú Xuân" in invitation.get_body(("plain",)).get_content()  # the ward's name, not its code
    assert watch.violations(context) == [] and watch.errors == []
    context.close()
