"""Residents hear back by email: subscribe → confirm by the emailed link → the ward replies and
resolves on the desk → exactly one email per event, in the subscriber's language, with working
links; one-click unsubscribe deletes the address. A real SMTP server receives every message."""
import io
import re

from reports.notify.models import Job, Subscription
from store import db
from tests.helpers import confirm_by_link, login, make_report
from tests.reports.images import jpeg_with_gps
from worker.loop import work_due


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def path_of(url: str, app) -> str:
    assert url.startswith(app.config["PUBLIC_URL"])
    return url[len(app.config["PUBLIC_URL"]):]


def subscribe(api, report, email, lang="vi"):
    return api.post(f"/api/v1/reports/{report.tracking_code}/subscriptions", headers={"Accept-Language": lang},
                    json={"email": email, "reporter_secret": report.issued_secret})


def test_subscribe_confirm_then_one_email_per_event(app, api, client, staff, inbox):
    report = make_report(app)
    assert subscribe(api, report, "ban.doc@example.vn").status_code == 202
    work_due()
    assert len(inbox.messages) == 1
    confirmation = inbox.messages[0]
    assert confirmation["To"] == "ban.doc@example.vn" and report.tracking_code in confirmation["Subject"]
    link = re.search(r"https?://\S+/subscriptions/confirm/\S+", text_of(confirmation)).group(0)
    assert "Đã xác nhận" in confirm_by_link(client, path_of(link, app)).get_data(as_text=True)

    token = login(client, "officer@t.vn")
    for action, form in (("reply", {"message": "Đã cử tổ vệ sinh."}), ("status", {"status": "resolved"})):
        client.post(f"/desk/reports/{report.tracking_code}/{action}", data={"csrf_token": token, **form})
    work_due()  # fan out
    work_due()  # send
    work_due()  # nothing left: no second copy
    updates = inbox.messages[1:]
    assert len(updates) == 2
    assert "Phường đã trả lời" in updates[0]["Subject"] and "Đã cử tổ vệ sinh." in text_of(updates[0])
    assert "Đã xử lý" in updates[1]["Subject"]
    for message in updates:
        assert f"/r/{report.tracking_code}" in text_of(message)
        assert "officer@t.vn" not in message.as_string()  # never the officer's personal data
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_english_subscriber_gets_english(app, api, inbox):
    report = make_report(app)
    subscribe(api, report, "reader@example.com", lang="en")
    work_due()
    assert inbox.messages[0]["Subject"] == f"Confirm updates for report {report.tracking_code}"


def test_one_click_unsubscribe_deletes_the_address(app, api, client, inbox):
    report = make_report(app)
    subscribe(api, report, "roi.di@example.vn")
    work_due()
    unsubscribe = inbox.messages[0]["List-Unsubscribe"].strip("<>")
    assert client.post(path_of(unsubscribe, app)).status_code == 200  # what a mail client sends, no CSRF
    assert db.session.query(Subscription).filter_by(email="roi.di@example.vn").count() == 0
    assert "roi.di@example.vn" not in client.get(f"/api/v1/reports/{report.tracking_code}").get_data(as_text=True)


def test_bad_subscriptions_are_refused(app, api):
    report = make_report(app)
    assert subscribe(api, report, "not-an-email").json["error"]["code"] == "invalid_subscription"
    # Anyone may follow a report (issue 29) with the page's CSRF token, never without it.
    no_token = api.client.post(f"/api/v1/reports/{report.tracking_code}/subscriptions", json={"email": "x@example.vn"})
    assert no_token.status_code == 400 and no_token.json["error"]["code"] == "csrf_failed"
    assert api.post("/api/v1/reports/HUE-2222-3333/subscriptions", json={"email": "x@example.vn"}).status_code == 404


def test_anyone_may_follow_and_only_the_reporter_gets_the_private_link(app, api, inbox):
    report = make_report(app)
    assert api.post(f"/api/v1/reports/{report.tracking_code}/subscriptions",
                    json={"email": "hang.xom@example.vn"}).status_code == 202  # a neighbour, no key
    subscribe(api, report, "nguoi.gui@example.vn")
    work_due()
    by_address = {m["To"]: text_of(m) for m in inbox.messages}
    assert "#k=" not in by_address["hang.xom@example.vn"]
    link = re.search(r"https?://\S+/r/\S+#k=(\S+)", by_address["nguoi.gui@example.vn"])
    assert link and link.group(1) == report.issued_secret  # the reporter's own key, to rate from any phone
    assert report.issued_secret not in str(db.session.query(Job.payload).all())  # sealed in the queue


def test_an_unconfirmed_subscription_gets_no_updates(app, api, client, staff, inbox):
    report = make_report(app)
    subscribe(api, report, "chua.xac.nhan@example.vn")
    token = login(client, "officer@t.vn")
    client.post(f"/desk/reports/{report.tracking_code}/reply", data={"csrf_token": token, "message": "Đang xử lý."})
    for _ in range(3):
        work_due()
    assert [m["Subject"] for m in inbox.messages] == [f"Xác nhận nhận thông báo về phản ánh {report.tracking_code}"]


def test_the_resolved_email_links_the_result_photo_and_the_rating(app, api, client, staff, inbox):
    report = make_report(app)
    subscribe(api, report, "ket.qua@example.vn")
    work_due()
    confirm_by_link(client, path_of(re.search(r"https?://\S+/subscriptions/confirm/\S+", text_of(inbox.messages[0])).group(0), app))
    token = login(client, "officer@t.vn")
    url = f"/desk/reports/{report.tracking_code}/result-photo"
    client.post(url, data={"csrf_token": token, "photo": (io.BytesIO(jpeg_with_gps((800, 600))), "after.jpg")},
                content_type="multipart/form-data")
    client.post(f"/desk/reports/{report.tracking_code}/status", data={"csrf_token": token, "status": "resolved"})
    work_due()
    work_due()
    resolved = inbox.messages[-1]
    assert "Đã xử lý" in resolved["Subject"]
    text = text_of(resolved)
    photo = re.search(r"Ảnh kết quả xử lý: (\S+)", text).group(1)
    assert client.get(path_of(photo, app)).status_code == 200  # a public file, anyone with the link sees it
    assert re.search(rf"Đánh giá kết quả xử lý: \S+/r/{report.tracking_code}#rate-form", text)
    assert photo in resolved.get_body(("html",)).get_content()
