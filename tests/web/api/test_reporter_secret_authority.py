"""The reporter's own actions (rate, reopen, subscribe) are authorised by the reporter's secret, not by a
session: they take no CSRF token, and the tracking page that offers them sets no cookie. Everything a
session authorises keeps its token (webapp.security.authorised_by_reporter_secret)."""
from sqlalchemy import func, select

from reports.notify.models import Subscription
from reports.workflow.lifecycle import change_status
from store import db
from tests.helpers import make_report


def resolved_report(app):
    report = make_report(app)
    change_status(report, "resolved", "officer", public_message="Đã thu gom.")
    db.session.commit()
    return report


def subscriptions_of(report) -> int:
    return db.session.scalar(select(func.count()).select_from(Subscription).where(Subscription.report_id == report.id))


def test_the_tracking_page_makes_no_session(app):
    report = resolved_report(app)
    page = app.test_client().get(f"/r/{report.tracking_code}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="rate-form"' in html and 'id="subscribe-form"' in html
    assert "Set-Cookie" not in page.headers and "csrf" not in html.lower()
    # A page whose scripts post with the session's token still carries it (and so sets the cookie).
    home = app.test_client().get("/")
    assert 'name="csrf-token"' in home.get_data(as_text=True) and "session=" in home.headers["Set-Cookie"]


def test_the_forms_need_the_secret_and_no_session(app):
    report = resolved_report(app)
    code, secret = report.tracking_code, report.issued_secret
    stranger = app.test_client()  # no cookie, no token: as a form posted from anywhere
    refused = stranger.post(f"/r/{code}/rate", data={"rating": "1", "reporter_secret": "x" * 24})
    assert refused.status_code == 302
    db.session.refresh(report)
    assert report.rating is None  # nothing written
    stranger.post(f"/r/{code}/subscribe", data={"email": "ke.la@example.vn"})
    assert subscriptions_of(report) == 0
    assert "Set-Cookie" in refused.headers  # the refusal's flash message needs a session, for the redirect

    resident = app.test_client()
    done = resident.post(f"/r/{code}/rate", data={"rating": "5", "comment": "Sạch rồi", "reporter_secret": secret})
    assert done.status_code == 302 and done.headers["Location"].endswith(f"/r/{code}")
    db.session.refresh(report)
    assert report.rating == 5
    resident.post(f"/r/{code}/subscribe", data={"email": "nguoi.bao@example.vn", "reporter_secret": secret})
    assert subscriptions_of(report) == 1
    reopened = resident.post(f"/r/{code}/reopen", data={"reason": "Rác lại đầy", "reporter_secret": secret})
    db.session.refresh(report)
    assert reopened.status_code == 302 and report.status == "reopened"


def test_the_api_takes_the_secret_without_a_token(app):
    report = resolved_report(app)
    client = app.test_client()
    wrong = client.post(f"/api/v1/reports/{report.tracking_code}/rating", json={"rating": 2, "reporter_secret": "y" * 24})
    assert wrong.status_code == 403 and wrong.json["error"]["code"] == "reporter_secret_required"
    right = client.post(f"/api/v1/reports/{report.tracking_code}/rating", json={"rating": 4},
                        headers={"X-Reporter-Secret": report.issued_secret})
    assert right.status_code == 200 and right.json["rating"] == 4


def test_what_a_session_authorises_keeps_its_token(app):
    report = make_report(app)
    client = app.test_client()
    support = client.post(f"/api/v1/reports/{report.tracking_code}/support")
    assert support.status_code == 400 and support.json["error"]["code"] == "csrf_failed"
    alert = client.post("/api/v1/alerts", json={"ward": "46.19753", "email": "a@example.vn"})
    assert alert.status_code == 400 and alert.json["error"]["code"] == "csrf_failed"
    db.session.refresh(report)
    assert report.support_count == 0
