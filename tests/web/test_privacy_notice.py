"""The privacy notice (/privacy): in Vietnamese and English, its periods the retention settings, the
controller a city fills in; linked from every page and beside every form that collects personal
data; and each report, subscription and area alert records the notice version it was made under."""
from reports.notify.models import AreaAlert, Subscription
from reports.privacy.notice import NOTICE_VERSION
from store import db
from tests.helpers import make_report


def test_the_notice_says_what_how_long_and_who(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "RETAIN_CONTACT_DAYS", 90)
    monkeypatch.setitem(app.config, "PRIVACY_CONTROLLER", "Ủy ban nhân dân thành phố Huế")
    page = client.get("/privacy").get_data(as_text=True)
    assert "Thông báo về xử lý dữ liệu cá nhân" in page and "Ủy ban nhân dân thành phố Huế" in page
    assert "90 ngày sau khi phản ánh được đóng" in page and NOTICE_VERSION in page
    english = client.get("/privacy?lang=en").get_data(as_text=True)
    assert "Privacy notice" in english and "90 days after your report is closed" in english
    monkeypatch.setitem(app.config, "PRIVACY_CONTROLLER", None)
    assert "đơn vị vận hành chưa điền" in client.get("/privacy?lang=vi").get_data(as_text=True)


def test_every_form_that_collects_personal_data_links_to_it(app, client):
    code = make_report(app).tracking_code
    for path in ("/", "/alerts", f"/r/{code}/follow"):
        page = client.get(path).get_data(as_text=True)
        assert page.count('href="/privacy"') >= 2, path  # beside the form, and in every page's footer


def test_each_consent_records_the_notice_version(app):
    report = make_report(app)
    db.session.add_all([Subscription(report_id=report.id, channel="email", email="a@example.vn", token="t1"),
                        AreaAlert(email="b@example.vn", ward_code="19753", token="t2")])
    db.session.commit()
    assert report.notice_version == NOTICE_VERSION
    versions = {s.notice_version for s in db.session.query(Subscription).filter_by(token="t1")}
    assert versions == {NOTICE_VERSION}
    assert db.session.query(AreaAlert).filter_by(token="t2").one().notice_version == NOTICE_VERSION


def test_a_request_by_email_from_the_notice_page(app, client):
    from reports.privacy.requests import PrivacyRequest
    from tests.helpers import csrf_from
    token = csrf_from(client.get("/privacy").get_data(as_text=True))
    sent = client.post("/privacy", data={"csrf_token": token, "email": "ai.do@example.vn", "kind": "access"},
                       follow_redirects=True)
    assert "email kèm đường dẫn xác nhận đang được gửi" in sent.get_data(as_text=True)
    assert db.session.query(PrivacyRequest).filter_by(email="ai.do@example.vn", status="received").count() == 1
    bad = client.post("/privacy", data={"csrf_token": token, "email": "không", "kind": "access"}, follow_redirects=True)
    assert "địa chỉ email hợp lệ" in bad.get_data(as_text=True)


def test_a_request_by_phone_from_the_notice_page(app, client, monkeypatch):
    from tests.helpers import csrf_from
    assert 'id="privacy-phone"' not in client.get("/privacy").get_data(as_text=True)  # no SMS number: email only
    monkeypatch.setitem(app.config, "SMS_INBOUND_NUMBER", "8077")
    page = client.get("/privacy").get_data(as_text=True)
    assert 'id="privacy-phone"' in page
    sent = client.post("/privacy", data={"csrf_token": csrf_from(page), "phone": "0905 111 222", "kind": "delete"},
                       follow_redirects=True).get_data(as_text=True)
    assert "từ số điện thoại đó đến 8077" in sent
