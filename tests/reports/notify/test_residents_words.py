"""A resident's words are never published as the ward's answer (issue 28, finding 5): a reopening
reason ("Chưa dọn. Gọi tôi: Trần Thị B, 0905 111 222") reaches the ward's desk and no public output —
the report's JSON and page, the map's list, Open311's requests and updates, the Atom feeds, a
follower's update email — nor does an older public event written by a resident; reopening is no
"first response" of the ward."""
from datetime import datetime, timedelta, timezone

from reports.accounts.api_keys import create_api_key
from reports.models import ReportEvent
from reports.notify.updates import subscribe
from reports.queries.open311 import w3c
from store import db
from tests.helpers import login, make_report
from worker.loop import work_due

REASON = "Chưa dọn. Gọi tôi: Trần Thị B, 0905 111 222"
LEGACY = "Lời cũ của người dân: Lê Văn C, 0911 000 111"


def public_outputs(client, report, key) -> dict[str, str]:
    now = datetime.now(timezone.utc)
    window = f"start_date={w3c(now - timedelta(hours=1))}&end_date={w3c(now + timedelta(hours=1))}".replace("+", "%2B")
    code, ward = report.tracking_code, report.ward.code
    urls = {"api": f"/api/v1/reports/{code}", "page": f"/r/{code}",
            "recent": "/api/v1/reports/recent?bbox=107.5,16.4,107.7,16.5&limit=50",
            "open311": f"/open311/v2/requests/{code}.json", "open311 list": "/open311/v2/requests.json",
            "updates": f"/open311/v2/servicerequestupdates.json?api_key={key}&{window}",
            "report feed": f"/feeds/reports/{code}.atom", "ward feed": f"/feeds/wards/{ward}.atom"}
    answers = {}
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code == 200, (name, response.status_code)
        answers[name] = response.get_data(as_text=True)
    return answers


def test_a_reopening_reason_reaches_the_desk_and_nothing_public(app, api, client, staff, inbox):
    report = make_report(app)
    follower = subscribe(report, "nguoi.theo.doi@example.vn", "vi", report.issued_secret)
    follower.confirmed_at = datetime.now(timezone.utc)
    _, key = create_api_key("CRM")
    db.session.commit()
    token = login(client, "officer@t.vn")
    client.post(f"/desk/reports/{report.tracking_code}/status", data={"csrf_token": token, "status": "resolved"})
    db.session.refresh(report)
    first_response = report.first_response_at
    client.post("/logout", data={"csrf_token": token})
    response = api.post(f"/api/v1/reports/{report.tracking_code}/reopen",
                        json={"reason": REASON, "reporter_secret": report.issued_secret})
    assert response.status_code == 200 and response.json["status"] == "reopened"
    db.session.add(ReportEvent(report_id=report.id, kind="reply", actor="resident", public=True, message=LEGACY))
    db.session.commit()
    for name, body in public_outputs(client, report, key).items():
        assert "Trần Thị B" not in body and "0905 111 222" not in body, name
        assert "Lê Văn C" not in body, name
    assert '"kind":"reopened"' in client.get(f"/api/v1/reports/{report.tracking_code}").get_data(as_text=True).replace(" ", "")
    for _ in range(3):
        work_due()
    reopened = [m for m in inbox.messages if m["To"] == "nguoi.theo.doi@example.vn"][-1]
    assert "Trần Thị B" not in reopened.as_string() and "0905" not in reopened.get_body(("plain",)).get_content()
    db.session.refresh(report)
    assert report.first_response_at == first_response  # a resident's reason is not the ward's answer
    login(client, "officer@t.vn")
    desk = client.get(f"/desk/reports/{report.tracking_code}").get_data(as_text=True)
    assert REASON in desk and "Người phản ánh viết (chỉ cán bộ xem)" in desk


def test_the_forms_say_what_is_public(app, client):
    report = make_report(app)
    assert "được công khai trên bản đồ" in client.get("/").get_data(as_text=True)
    page = client.get(f"/r/{report.tracking_code}").get_data(as_text=True)
    assert page.count("không được công khai") == 0  # no rating or reopening form before resolution


def test_the_rule_reads_the_same_in_sql_and_in_python(app):
    from sqlalchemy import text

    from reports.models import WARD_WORDS_SQL
    report = make_report(app)
    events = [ReportEvent(report_id=report.id, kind="reply", actor=actor, public=True, message=f"lời của {actor}")
              for actor in ("resident", "officer@t.vn", "system", "open311:CRM")]
    db.session.add_all(events)
    db.session.flush()
    for event in events:
        in_sql = db.session.execute(text(f"SELECT {WARD_WORDS_SQL} FROM report_event e WHERE e.id = :id"),
                                    {"id": event.id}).scalar()
        assert in_sql == event.ward_words
    assert [e.ward_words for e in events] == [None, "lời của officer@t.vn", "lời của system", "lời của open311:CRM"]
