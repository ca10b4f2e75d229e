"""Local alerts (ward or radius, field, digest, double opt-in, one-click end) and staff messages
(new assignment, deadline reminder, the ward lead's overdue digest), received by a real SMTP server."""
import re
from datetime import datetime, timedelta, timezone

from reports.notify.models import AreaAlert
from reports.notify.schedule import enqueue_periodic
from store import db
from tests.helpers import KIM_LONG, PHU_XUAN, WARD_POINTS, confirm_by_link, login, make_report
from worker.loop import work_due


def confirm_from(message, client, app):
    link = re.search(r"https?://\S+/alerts/confirm/\S+", message.get_body(("plain",)).get_content()).group(0)
    return confirm_by_link(client, link[len(app.config["PUBLIC_URL"]):])


def drain():
    for _ in range(3):
        work_due()


def alert(api, **body):
    return api.post("/api/v1/alerts", json=body)


def test_ward_and_radius_alerts_with_a_field(app, api, client, inbox):
    lon, lat = WARD_POINTS[PHU_XUAN]
    assert alert(api, email="phuong@example.vn", ward=PHU_XUAN).status_code == 202
    assert alert(api, email="gan.nha@example.vn", lat=lat, lon=lon, radius_m=300, field="environment").status_code == 202
    assert alert(api, email="giao.thong@example.vn", ward=PHU_XUAN, field="traffic").status_code == 202
    drain()
    assert len(inbox.messages) == 3
    for message in inbox.messages:
        assert "Đã xác nhận" in confirm_from(message, client, app).get_data(as_text=True)
    inbox.messages.clear()
    garbage = make_report(app)  # Phú Xuân, at the point, field environment (garbage)
    make_report(app, KIM_LONG)  # another ward, 3.9 km away: nobody here
    drain()
    assert sorted(m["To"] for m in inbox.messages) == ["gan.nha@example.vn", "phuong@example.vn"]
    assert all(garbage.tracking_code in m["Subject"] for m in inbox.messages)
    drain()
    assert len(inbox.messages) == 2  # once each


def test_unconfirmed_alert_gets_nothing_and_one_click_ends_it(app, api, client, inbox):
    alert(api, email="chua@example.vn", ward=PHU_XUAN)
    drain()
    make_report(app)
    drain()
    assert len(inbox.messages) == 1  # the confirmation only
    unsubscribe = inbox.messages[0]["List-Unsubscribe"].strip("<>")
    client.post(unsubscribe[len(app.config["PUBLIC_URL"]):])
    assert db.session.query(AreaAlert).filter_by(email="chua@example.vn").count() == 0


def test_daily_digest_instead_of_one_email_per_report(app, api, client, inbox):
    alert(api, email="moi.ngay@example.vn", ward=PHU_XUAN, digest=True)
    drain()
    confirm_from(inbox.messages[0], client, app)
    inbox.messages.clear()
    codes = {make_report(app).tracking_code for _ in range(2)}
    drain()
    assert inbox.messages == []  # no instant email for a digest alert
    morning = datetime.now(timezone.utc).replace(hour=1, minute=30)  # 08:30 in Huế
    enqueue_periodic(morning, timedelta(hours=2))
    enqueue_periodic(morning, timedelta(hours=2))  # the worker's loop runs it often: still one digest
    drain()
    digests = [m for m in inbox.messages if m["To"] == "moi.ngay@example.vn"]
    assert len(digests) == 1 and all(code in digests[0].get_body(("plain",)).get_content() for code in codes)


def test_bad_alerts_are_refused(api):
    for body in ({"email": "x@example.vn"}, {"email": "nope", "ward": PHU_XUAN},
                 {"email": "x@example.vn", "lat": 16.4, "lon": 107.5, "radius_m": 50},
                 {"email": "x@example.vn", "ward": PHU_XUAN, "field": ["a"]}):
        response = alert(api, **body)
        assert response.status_code == 400 and response.json["error"]["code"] == "invalid_subscription"


def test_officer_hears_of_assignment_and_deadline(app, client, staff, inbox):
    report = make_report(app)
    token = login(client, "lead@t.vn")
    client.post(f"/desk/reports/{report.tracking_code}/assign",
                data={"csrf_token": token, "officer_id": str(staff["officer"].id)})
    drain()
    assert [(m["To"], report.tracking_code in m["Subject"]) for m in inbox.messages] == [("officer@t.vn", True)]
    assert "Trần Thị Riêng Tư" not in inbox.messages[0].as_string()  # staff mail names no resident
    report.deadline_at = datetime.now(timezone.utc) + timedelta(minutes=30)
    db.session.commit()
    for _ in range(2):
        enqueue_periodic(datetime.now(timezone.utc), timedelta(hours=2))
        drain()
    reminders = [m for m in inbox.messages if m["Subject"].startswith("Sắp đến hạn")]
    assert len(reminders) == 1 and reminders[0]["To"] == "officer@t.vn"


def test_ward_lead_morning_digest_of_overdue_reports(app, staff, inbox):
    late = make_report(app)
    late.deadline_at = datetime.now(timezone.utc) - timedelta(hours=3)
    db.session.commit()
    enqueue_periodic(datetime.now(timezone.utc).replace(hour=0, minute=30), timedelta(hours=2))  # 07:30 in Huế
    drain()
    digests = [m for m in inbox.messages if m["To"] == "lead@t.vn"]
    assert len(digests) == 1 and late.tracking_code in digests[0].get_body(("plain",)).get_content()
