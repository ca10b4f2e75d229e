"""Helpers shared by the tests: staff passwords and wards, reports in two wards, signing in."""
import re

from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db

PASSWORD = "correct horse battery"
FAST_HASH = "pbkdf2:sha256:1000"  # the app uses scrypt; tests only need a working hash
PHU_XUAN, KIM_LONG = "19753", "19774"
WARD_POINTS = {PHU_XUAN: (107.5786, 16.4698), KIM_LONG: (107.5435, 16.4575)}


def make_report(app, ward=PHU_XUAN, hide_identity=True, category="garbage", description="Rác tồn đọng"):
    lon, lat = WARD_POINTS[ward]
    report, _ = submit_report(ReportInput(category=category, description=description, lat=lat, lon=lon,
                                          name="Trần Thị Riêng Tư", phone="0905999888",
                                          hide_identity=hide_identity, acknowledge_duplicate=True),
                              LocalPhotoStorage(app.config["PHOTO_DIR"]))
    db.session.commit()
    return report


def csrf_from(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def login(client, email: str, password: str = PASSWORD):
    page = client.get("/login")
    response = client.post("/login", data={"email": email, "password": password,
                                           "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return csrf_from(client.get("/desk").get_data(as_text=True))


def confirm_by_link(client, path: str):
    """What a person does with an emailed confirmation link: open it (nothing is confirmed by opening
    it: mail scanners open links too), then press the button on the page."""
    page = client.get(path)
    assert page.status_code == 200 and 'id="confirm"' in page.get_data(as_text=True), page.get_data(as_text=True)[:300]
    return client.post(path)


