"""Issue 14's whole story in Chromium: an administrator invites a new officer (desktop); the officer sets
a password from the invitation email, turns on two-factor sign-in, then accepts, assigns, answers and
resolves a report from a phone; the ward's public page counts it. Screenshots kept in test-output/e2e."""
import re

import pyotp
import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import expect

from devtools.ports import free_port
from reports.accounts.staff import create_user
from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db
from tests.mailbox import Inbox
from worker.loop import work_due

pytestmark = pytest.mark.e2e
ADMIN_PASSWORD = "e2e-admin-password"
OFFICER_PASSWORD = "mat-khau-can-bo-moi-2026"


def resolved_this_month(page) -> int:
    page.goto("/wards/19753")
    row = page.locator("#ward-figures tr").filter(has=page.get_by_role("rowheader", name="Đã xử lý", exact=True))
    return int(row.locator("td").first.inner_text())


def test_an_administrator_onboards_an_officer_who_resolves_a_report_from_a_phone(app, desktop, phone, shots):
    with app.app_context():
        create_user("admin.e2e@t.vn", "admin", ADMIN_PASSWORD, method="pbkdf2:sha256:1000")
        report, _ = submit_report(ReportInput(category="illegal_dumping", description="Phế thải đổ bên đường (kiểm thử tiếp nhận cán bộ mới)",
                                              lat=16.4679, lon=107.5823, acknowledge_duplicate=True),
                                  LocalPhotoStorage(app.config["PHOTO_DIR"]))
        db.session.commit()
        code = report.tracking_code
        while work_due():  # what earlier browser tests left for the worker
            pass
    before = resolved_this_month(phone)

    # 1. the administrator invites the officer
    admin = desktop
    admin.goto("/login")
    admin.fill("#email", "admin.e2e@t.vn")
    admin.fill("#password", ADMIN_PASSWORD)
    admin.get_by_role("button", name="Đăng nhập").click()
    admin.wait_for_url("**/admin")  # an administrator lands on the administration pages
    admin.get_by_role("link", name="Cán bộ", exact=True).first.click()
    admin.get_by_role("link", name="Mời cán bộ").click()
    admin.fill("#email", "can.bo.moi@t.vn")
    admin.fill("#display_name", "Cán bộ Mới Vào")
    admin.select_option("#role", "officer")
    admin.select_option("#ward_code", "19753")
    admin.check('input[name="fields"][value="environment"]')
    shots(admin, "onboard-1-invite")
    admin.get_by_role("button", name="Gửi lời mời").click()
    expect(admin.locator(".flash.success")).to_contain_text("can.bo.moi@t.vn")

    # 2. the invitation goes out by email (the worker, a real SMTP server)
    box, port = Inbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    previous = app.config.get("SMTP_URL")
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{port}"
    try:
        with app.app_context():
            work_due()
    finally:
        app.config["SMTP_URL"] = previous
        controller.stop()
    (message,) = [m for m in box.messages if m["To"] == "can.bo.moi@t.vn"]
    link = re.search(r"https?://\S+(/password/welcome/\S+)", message.get_body(("plain",)).get_content()).group(1)

    # 3. the officer sets a password from a phone, signs in, turns on two-factor sign-in
    officer = phone
    officer.goto(link)
    expect(officer.locator("#welcome")).to_contain_text("can.bo.moi@t.vn")
    officer.fill("#new", OFFICER_PASSWORD)
    officer.fill("#confirm", OFFICER_PASSWORD)
    officer.get_by_role("button", name="Lưu").click()
    officer.fill("#email", "can.bo.moi@t.vn")
    officer.fill("#password", OFFICER_PASSWORD)
    officer.get_by_role("button", name="Đăng nhập").click()
    officer.wait_for_url("**/desk**")
    officer.goto("/account/2fa")
    secret = officer.locator("#totp-secret").inner_text()
    officer.fill("#code", pyotp.TOTP(secret).now())
    officer.get_by_role("button", name="Bật").click()
    expect(officer.locator("#recovery-codes li")).to_have_count(10)
    shots(officer, "onboard-2-two-factor")

    # 4. triage and resolve from the phone, guided step by step
    officer.goto("/desk")
    officer.get_by_role("link", name=code).click()
    officer.locator("#next-step").get_by_role("button", name="Thụ lý").click()
    officer.select_option("#officer_id", label="Cán bộ Mới Vào")  # by name (issue 29)
    officer.locator("#next-step").get_by_role("button", name="Giao xử lý").click()
    officer.fill("#reply-message", "Phường đã thu dọn phế thải, khu vực đã sạch.")
    officer.check("#resolve")
    officer.locator("#next-step").get_by_role("button", name="Gửi", exact=True).click()
    expect(officer.locator("#desk-status")).to_have_attribute("data-status", "resolved")
    shots(officer, "onboard-3-resolved")

    # 5. the ward's public page counts it; the administrator's audit trail names every step
    assert resolved_this_month(officer) == before + 1
    shots(officer, "onboard-4-ward-page")
    admin.goto("/admin/audit")
    expect(admin.locator("#admin-audit")).to_contain_text("can.bo.moi@t.vn")
