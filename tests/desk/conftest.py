"""Staff accounts, reports in two wards, and a login helper for the desk tests."""
import re

import pytest

from reports.accounts.staff import create_user
from reports.workflow.intake import ReportInput, submit_report
from reports.photos.storage import LocalPhotoStorage
from store import db

PASSWORD = "correct horse battery"
FAST_HASH = "pbkdf2:sha256:1000"  # the app uses scrypt; tests only need a working hash
PHU_XUAN, KIM_LONG = "19753", "19774"
WARD_POINTS = {PHU_XUAN: (107.5786, 16.4698), KIM_LONG: (107.5435, 16.4575)}


@pytest.fixture
def staff():
    users = {
        "officer": create_user("officer@t.vn", "officer", PASSWORD, PHU_XUAN, ["environment"], method=FAST_HASH),
        "officer_traffic": create_user("traffic@t.vn", "officer", PASSWORD, PHU_XUAN, ["traffic"], method=FAST_HASH),
        "lead": create_user("lead@t.vn", "ward_lead", PASSWORD, PHU_XUAN, method=FAST_HASH),
        "other_officer": create_user("other@t.vn", "officer", PASSWORD, KIM_LONG, ["environment"], method=FAST_HASH),
        "dispatcher": create_user("dispatcher@t.vn", "dispatcher", PASSWORD, method=FAST_HASH),
        "leader": create_user("leader@t.vn", "leader", PASSWORD, method=FAST_HASH),
    }
    db.session.commit()  # a savepoint in tests: a view's rollback must not undo the fixtures
    return users


def make_report(app, ward=PHU_XUAN, hide_identity=True, category="garbage", description="Rác tồn đọng"):
    lon, lat = WARD_POINTS[ward]
    report, _ = submit_report(ReportInput(category=category, description=description, lat=lat, lon=lon,
                                          name="Trần Thị Riêng Tư", phone="0905999888",
                                          hide_identity=hide_identity, acknowledge_duplicate=True),
                              LocalPhotoStorage(app.config["PHOTO_DIR"]))
    db.session.commit()
    return report


@pytest.fixture
def reports(app, staff):
    return {"mine": make_report(app), "other": make_report(app, KIM_LONG),
            "shown": make_report(app, hide_identity=False, description="Đèn hỏng")}


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def login(client, email: str, password: str = PASSWORD):
    page = client.get("/login")
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return csrf_from(client.get("/desk").get_data(as_text=True))
