"""A person's requests about their data (reports.privacy.requests) through the web: with the report's
key, a deletion erases every personal field once its window for a hold has passed and keeps the
report; a hold stops it; an access request gives the copy at once; by email, the answer never tells
whether the address is known and the emailed link confirms; every due date follows the working
calendar (weekends, holidays and days off do not count)."""
import re
from datetime import date, datetime

from sqlalchemy import text

from reports.models import Report, ReportPhoto
from reports.notify.models import Subscription
from reports.photos.processing import process_photo
from reports.photos.public_copy import public_keys
from reports.photos.storage import photo_keys
from reports.privacy.requests import Deadlines, PrivacyRequest
from reports.workflow.deadlines import rules_with_holidays
from reports.workflow.lifecycle import record_event
from store import LOCAL_TZ, db
from tests.helpers import FAST_HASH, PASSWORD, confirm_by_link, login, make_report
from tests.reports.images import jpeg_with_gps
from worker.loop import work_due

EMAIL = "chi.hoa@example.vn"


def _reporter(app):
    report = make_report(app, hide_identity=False, description="Rác trước nhà")
    report.reporter_email = EMAIL
    db.session.add(Subscription(report_id=report.id, channel="email", email=EMAIL, token="privacy-test"))
    db.session.commit()
    return report


def _ask(api, report, **body):
    return api.post(f"/api/v1/reports/{report.tracking_code}/privacy-requests", json=body)


def _window_passed():
    db.session.execute(text("UPDATE job SET run_at = now() WHERE kind = 'privacy_request'"))
    work_due()


def test_a_deletion_with_the_key_erases_the_persons_data_after_the_window_and_keeps_the_report(app, api):
    report = _reporter(app)
    storage = app.extensions["photo_storage"]
    processed = process_photo(jpeg_with_gps((640, 480)))
    key, thumb = photo_keys(processed.image)
    storage.put(key, processed.image)
    storage.put(thumb, processed.thumbnail)
    report.photos.append(ReportPhoto(sha256=key[:64], width=processed.width, height=processed.height))
    report.rating_comment = "Tôi là Hoa ở số 12, gọi tôi"
    record_event(report, "resident_comment", "resident", public=False, message="Nhà tôi số 12 vẫn ngập", about="reopened")
    record_event(report, "resident_comment", "resident", public=False, message="Lời người khác", about="comment")
    db.session.commit()
    assert _ask(api, report, kind="delete").status_code == 403
    assert _ask(api, report, kind="delete", reporter_secret="sai").json["error"]["code"] == "reporter_secret_required"
    wrong = _ask(api, report, kind="forget", reporter_secret=report.issued_secret)
    assert wrong.status_code == 400 and wrong.json["error"]["code"] == "invalid_privacy_request"
    response = _ask(api, report, kind="delete", reporter_secret=report.issued_secret)
    assert response.status_code == 202
    assert response.json["request"]["kind"] == "delete" and response.json["request"]["status"] == "verified"
    work_due()  # within the window for a hold: nothing yet
    db.session.refresh(report)
    assert report.reporter_email == EMAIL and report.reporter_name
    _window_passed()
    db.session.refresh(report)
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == (None, None, None)
    assert db.session.query(Subscription).filter_by(report_id=report.id).count() == 0
    assert report.description == "Rác trước nhà" and db.session.get(Report, report.id) is not None
    assert storage.path(key) is None and storage.path(thumb) is None  # the originals: gone
    assert report.rating_comment is None  # the reporter's own words too, not another resident's
    assert [e.message for e in report.events if e.kind == "resident_comment"] == [None, "Lời người khác"]
    assert storage.path(public_keys(key[:64])[0]) is not None  # the public copy, faces blurred, stays
    assert [e.kind for e in report.events][-1] == "privacy_request_done" and not report.events[-1].public
    assert EMAIL not in str([e.data for e in report.events])  # the trail says that, never what
    done = db.session.get(PrivacyRequest, response.json["request"]["id"])
    assert done.status == "done" and done.done_at is not None


def test_a_hold_stops_it_and_the_admin_page_shows_it(app, api, client, staff, inbox):
    from reports.accounts.staff import create_user
    report = _reporter(app)
    request_id = _ask(api, report, kind="delete", reporter_secret=report.issued_secret).json["request"]["id"]
    create_user("admin@t.vn", "admin", PASSWORD, method=FAST_HASH)
    db.session.commit()
    token = login(client, "admin@t.vn")
    page = client.get("/admin/privacy/requests").get_data(as_text=True)
    assert f'data-request="{request_id}"' in page and "xoá dữ liệu" in page
    refused = client.post(f"/admin/privacy/requests/{request_id}/hold", data={"csrf_token": token, "text": ""})
    assert refused.status_code == 302 and db.session.get(PrivacyRequest, request_id).status == "verified"
    client.post(f"/admin/privacy/requests/{request_id}/hold",
                data={"csrf_token": token, "text": "Hồ sơ đang được cơ quan điều tra yêu cầu giữ"})
    assert db.session.get(PrivacyRequest, request_id).status == "on_hold"
    _window_passed()
    db.session.refresh(report)
    assert report.reporter_email == EMAIL  # held: kept
    assert "Tạm dừng" in client.get("/admin/privacy/requests").get_data(as_text=True)
    told = [m for m in inbox.messages if m["To"] == EMAIL]  # the person is told why
    assert len(told) == 1 and "cơ quan điều tra yêu cầu giữ" in told[0].get_body(("plain",)).get_content()


def test_an_access_request_with_the_key_gives_the_copy_at_once(app, api):
    report = _reporter(app)
    response = _ask(api, report, kind="access", reporter_secret=report.issued_secret)
    assert response.status_code == 202 and response.json["request"]["status"] == "done"
    copy = response.json["copy"]
    assert copy["report"]["email"] == EMAIL and copy["report"]["name"] and copy["subscriptions"][0]["email"] == EMAIL
    assert copy["report"]["tracking_code"] == report.tracking_code and copy["events"]


def test_by_email_the_answer_never_tells_and_the_link_confirms(app, api, client, inbox):
    report = _reporter(app)
    db.session.query(Subscription).filter_by(report_id=report.id).update({"email": "Chi.Hoa@example.vn"})  # as typed
    db.session.commit()
    known = api.post("/api/v1/privacy-requests", json={"email": EMAIL.upper(), "kind": "withdraw"})  # any case
    unknown = api.post("/api/v1/privacy-requests", json={"email": "khong.co@example.vn", "kind": "withdraw"})
    assert known.status_code == unknown.status_code == 202 and known.json == unknown.json
    assert api.post("/api/v1/privacy-requests", json={"email": "sai", "kind": "withdraw"}).status_code == 400
    work_due()
    mine = [m for m in inbox.messages if m["To"] == EMAIL]
    assert len(mine) == 1
    link = re.search(r"https?://\S+/privacy-requests/confirm/\S+", mine[0].get_body(("plain",)).get_content()).group(0)
    confirm_by_link(client, link[link.index("/privacy-requests"):])
    _window_passed()
    assert db.session.query(Subscription).filter_by(report_id=report.id).count() == 0


def test_due_dates_follow_the_working_calendar():
    friday = datetime(2026, 12, 11, 16, 0, tzinfo=LOCAL_TZ)
    plain = Deadlines(rules_with_holidays("").calendar, {"acknowledge": 2, "delete": 20})
    acknowledge_by, due_at = plain.of("delete", friday)
    assert acknowledge_by.date() == date(2026, 12, 15)  # Monday and Tuesday: two working days
    assert due_at.date() == date(2027, 1, 11)  # 20 working days, New Year's Day off
    with_day_off = Deadlines(rules_with_holidays("", days_off=(date(2026, 12, 14),)).calendar, plain.days)
    assert with_day_off.of("delete", friday)[0].date() == date(2026, 12, 16)


def test_the_tracking_page_form_gives_the_copy_or_records_the_request(app, client):
    report = _reporter(app)
    page = client.get(f"/r/{report.tracking_code}").get_data(as_text=True)
    assert 'id="privacy-form"' in page and "Dữ liệu cá nhân của tôi trong phản ánh này" in page
    path = f"/r/{report.tracking_code}/privacy"
    copy = client.post(path, data={"kind": "access", "reporter_secret": report.issued_secret})
    assert copy.status_code == 200 and copy.mimetype == "application/json" and "attachment" in copy.headers["Content-Disposition"]
    assert copy.json["report"]["email"] == EMAIL and "no-store" in copy.headers["Cache-Control"]
    refused = client.post(path, data={"kind": "access"})
    assert refused.status_code == 302 and db.session.query(PrivacyRequest).count() == 1
    recorded = client.post(path, data={"kind": "restrict", "reporter_secret": report.issued_secret}, follow_redirects=True)
    assert "Yêu cầu của bạn đã được ghi nhận" in recorded.get_data(as_text=True)


def test_staff_answer_reaches_the_person_and_admins_are_reminded_before_the_due_date(app, api, client, inbox):
    from datetime import timedelta

    from reports.accounts.staff import create_user
    from reports.notify.schedule import enqueue_periodic
    from store import utcnow
    report = _reporter(app)
    request_id = _ask(api, report, kind="correct", reporter_secret=report.issued_secret,
                      detail="Số điện thoại đúng là 0905 111 222").json["request"]["id"]
    create_user("admin@t.vn", "admin", PASSWORD, method=FAST_HASH)
    found = db.session.get(PrivacyRequest, request_id)
    found.due_at = utcnow() + timedelta(days=1)  # due tomorrow
    db.session.commit()
    enqueue_periodic(datetime.now(LOCAL_TZ).replace(hour=7, minute=30), timedelta(hours=2))
    work_due()
    reminders = [m for m in inbox.messages if m["To"] == "admin@t.vn"]
    assert len(reminders) == 1 and "chỉnh sửa dữ liệu" in reminders[0].get_body(("plain",)).get_content()
    token = login(client, "admin@t.vn")
    client.post(f"/admin/privacy/requests/{request_id}/answer", data={"csrf_token": token, "text": "Đã sửa số điện thoại."})
    work_due()
    answers = [m for m in inbox.messages if m["To"] == EMAIL]
    assert len(answers) == 1 and "Đã sửa số điện thoại." in answers[0].get_body(("plain",)).get_content()
    assert db.session.get(PrivacyRequest, request_id).status == "done"


def test_by_phone_the_number_proves_itself_by_sms(app, api, client, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_INBOUND_NUMBER", None)
    off = api.post("/api/v1/privacy-requests", json={"phone": "0905 999 888", "kind": "delete"})
    assert off.status_code == 400 and off.json["error"]["message"].startswith("Nơi này chưa nhận yêu cầu qua điện thoại")
    monkeypatch.setitem(app.config, "SMS_INBOUND_NUMBER", "8077")
    monkeypatch.setitem(app.config, "SMS_INBOUND_TOKEN", "inbound-token")
    report = _reporter(app)  # its reporter's phone is 0905999888, as typed
    made = api.post("/api/v1/privacy-requests", json={"phone": "+84 905 999 888", "kind": "delete"})
    other = api.post("/api/v1/privacy-requests", json={"phone": "0912 000 111", "kind": "delete"})
    assert made.status_code == other.status_code == 202 and made.json["to"] == "8077"
    assert set(made.json) == set(other.json) and re.fullmatch(r"PA \d{6}", made.json["send"])
    def sms(sender, text):
        return client.post("/api/v1/hooks/sms", json={"from": sender, "text": text},
                           headers={"Authorization": "Bearer inbound-token"})
    assert sms("0912000111", made.json["send"]).json["confirmed"] == 0  # another phone's code proves nothing
    assert sms("0905999888", made.json["send"]).json["confirmed"] == 1
    _window_passed()
    db.session.refresh(report)
    assert (report.reporter_name, report.reporter_phone, report.reporter_email) == (None, None, None)
