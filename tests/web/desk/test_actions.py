"""Desk actions through HTTP: each changes the report, appends an attributed event, and the
resident sees what is public."""
import io

import pytest
from sqlalchemy import text
from sqlalchemy.exc import InternalError

from reports.models import ReportEvent
from store import db
from tests.helpers import KIM_LONG, PHU_XUAN, login
from tests.reports.images import jpeg_with_gps


def act(client, token, report, action, **form):
    return client.post(f"/desk/reports/{report.tracking_code}/{action}", data={"csrf_token": token, **form},
                       content_type="multipart/form-data" if "photo" in form else None)


def kinds(report):
    return [e.kind for e in report.events]


def test_accept_assign_reply_resolve_with_photo(client, reports, staff):
    token = login(client, "lead@t.vn")
    report = reports["mine"]
    act(client, token, report, "accept")
    assert report.status == "accepted" and report.accepted_at and report.events[-1].data["on_time"] is True
    act(client, token, report, "assign", officer_id=str(staff["other_officer"].id))  # another ward's
    assert report.assignee is None
    act(client, token, report, "assign", officer_id=str(staff["officer"].id))
    assert report.status == "assigned" and report.assignee.email == "officer@t.vn"
    assert report.deadline_at > report.assigned_at
    token = login(client, "officer@t.vn")
    act(client, token, report, "reply", message="Đã cử tổ vệ sinh đến thu gom.")
    act(client, token, report, "status", status="in_progress")
    act(client, token, report, "result-photo", photo=(io.BytesIO(jpeg_with_gps((800, 600))), "after.jpg"))
    act(client, token, report, "status", status="resolved", message="Đã thu gom xong.")
    assert report.status == "resolved"
    assert kinds(report)[-4:] == ["reply", "in_progress", "result_photo", "resolved"]
    public = client.get(f"/api/v1/reports/{report.tracking_code}").json
    messages = [e["message"] for e in public["timeline"] if e["message"]]
    assert "Đã cử tổ vệ sinh đến thu gom." in messages and "Đã thu gom xong." in messages
    assert len(public["result_photos"]) == 1
    roles = {(e.kind, e.actor_role) for e in report.events}
    assert ("accepted", "ward_lead") in roles and ("resolved", "officer") in roles


def test_illegal_status_change_is_refused_with_a_message(client, reports):
    token = login(client, "officer@t.vn")
    report = reports["mine"]
    response = act(client, token, report, "status", status="closed")
    assert response.status_code == 302 and report.status == "received"
    page = client.get(f"/desk/reports/{report.tracking_code}").get_data(as_text=True)
    assert "Không được phép chuyển sang trạng thái này." in page


def test_transfer_to_another_ward(client, reports):
    token = login(client, "officer@t.vn")
    report = reports["mine"]
    act(client, token, report, "transfer", ward_code=KIM_LONG, reason="Điểm nằm bên kia sông")
    assert report.ward.code == KIM_LONG and report.status == "received"
    assert client.get(f"/desk/reports/{report.tracking_code}").status_code == 404  # no longer ours
    login(client, "other@t.vn")
    assert report.tracking_code in client.get("/desk").get_data(as_text=True)
    event = report.events[-1]
    assert event.public and (event.data["from_code"], event.data["to_code"]) == (PHU_XUAN, KIM_LONG)


def test_mark_duplicate_merges_support(client, reports, app):
    from tests.helpers import make_report
    token = login(client, "officer@t.vn")
    original, copy = reports["mine"], make_report(app)
    copy.support_count = 2
    act(client, token, copy, "duplicate", original=original.tracking_code.lower().replace("-", " "))
    assert copy.status == "rejected" and copy.duplicate_of_id == original.id
    assert original.support_count == 3 and original.events[-1].kind == "duplicate_merged"


def test_hide_keeps_the_original_for_the_audit(client, reports):
    token = login(client, "officer@t.vn")
    report = reports["mine"]
    act(client, token, report, "hide", reason="Lời lẽ xúc phạm")
    public = client.get(f"/api/v1/reports/{report.tracking_code}").json
    assert public["hidden"] is True and public["description"] is None
    assert report.description == "Rác tồn đọng" and report.hidden_reason == "Lời lẽ xúc phạm"


def test_priority_and_category(client, reports):
    token = login(client, "officer@t.vn")
    report = reports["mine"]
    before = report.deadline_at
    act(client, token, report, "priority", priority="urgent")
    assert report.priority == "urgent" and report.deadline_at < before
    act(client, token, report, "category", category="illegal_dumping")
    assert report.category.code == "illegal_dumping" and report.events[-1].data["before"] == "garbage"


def test_intake_on_behalf_of_a_resident_keeps_the_channel(client, staff):
    token = login(client, "officer@t.vn")
    response = client.post("/desk/new", data={"csrf_token": token, "channel": "zalo", "category": "garbage",
                                              "description": "Người dân báo qua Zalo", "lat": "16.4698",
                                              "lon": "107.5786", "name": "Bà Lan"})
    assert response.status_code == 302 and "/desk/reports/HUE-" in response.headers["Location"]
    code = response.headers["Location"].rsplit("/", 1)[-1]
    from reports.workflow.lifecycle import get_by_tracking_code
    report = get_by_tracking_code(code)
    assert report.channel == "zalo" and report.events[0].actor == "officer@t.vn"
    assert report.events[0].channel == "zalo"


def test_intake_finds_the_place_by_the_words_the_caller_uses_and_keeps_photos(client, staff):
    """Issue 29, item 9: a place found by its name (no diacritics needed), photos, no category chosen
    before the officer chooses one."""
    token = login(client, "officer@t.vn")
    form = client.get("/desk/new").get_data(as_text=True)
    assert '<option value="">' in form.split('id="category"')[1][:200] and 'id="intake-map"' in form
    found = client.get("/desk/places.json?q=phu xuan").json["places"]
    assert found[0]["name"] == "Phường Phú Xuân" and found[0]["kind"] == "ward"
    assert client.get("/desk/places.json?q=xuan phu").json["places"][0]["name"] == "Phường Phú Xuân"  # any order
    assert client.get("/desk/places.json?q=").json["places"] == []
    place = found[0]
    response = client.post("/desk/new", content_type="multipart/form-data", data={
        "csrf_token": token, "channel": "hotline", "category": "garbage", "description": "Báo qua đường dây nóng",
        "lat": str(place["lat"]), "lon": str(place["lon"]), "photos": (io.BytesIO(jpeg_with_gps((640, 480))), "a.jpg")})
    assert response.status_code == 302
    from reports.workflow.lifecycle import get_by_tracking_code
    report = get_by_tracking_code(response.headers["Location"].rsplit("/", 1)[-1])
    assert report.ward.name == "Phường Phú Xuân" and len(report.photos) == 1 and report.channel == "hotline"
    refused = client.post("/desk/new", data={"csrf_token": token, "channel": "hotline", "category": "",
                                              "description": "Thiếu loại", "lat": "16.4698", "lon": "107.5786"})
    assert refused.status_code == 200 and "Thiếu loại" in refused.get_data(as_text=True)  # nothing lost


def test_events_are_append_only(reports):
    event_id = reports["mine"].events[0].id
    for statement in ("UPDATE report_event SET message = 'x' WHERE id = :id",
                      "DELETE FROM report_event WHERE id = :id"):
        with pytest.raises(InternalError, match="append-only"):
            with db.session.begin_nested():
                db.session.execute(text(statement), {"id": event_id})
    assert db.session.get(ReportEvent, event_id) is not None


def test_the_status_list_chooses_nothing_and_speaks_vietnamese(client, reports, staff):
    """No destructive default: nothing is selected until the officer chooses (a careless tap once
    rejected a report), and statuses and priorities read in the page's language."""
    login(client, "lead@t.vn")
    page = client.get(f"/desk/reports/{reports['mine'].tracking_code}").get_data(as_text=True)
    select = page.split('id="new-status"', 1)[1].split("</select>", 1)[0]
    assert '<option value="" selected disabled>Chọn trạng thái mới</option>' in select
    assert select.count("selected") == 1
    assert ">Từ chối<" in select and ">rejected<" not in select
    assert ">Thường<" in page and ">normal<" not in page


def test_the_answer_step_replies_adds_the_photo_and_resolves_at_once(client, reports, staff):
    token = login(client, "lead@t.vn")
    report = reports["mine"]
    page = client.get(f"/desk/reports/{report.tracking_code}").get_data(as_text=True)
    assert 'id="form-accept"' in page and 'id="next-step"' in page  # received: the first step is to accept
    act(client, token, report, "accept")
    act(client, token, report, "assign", officer_id=str(staff["officer"].id))
    token = login(client, "officer@t.vn")
    page = client.get(f"/desk/reports/{report.tracking_code}").get_data(as_text=True)
    assert 'id="form-answer"' in page
    before = len(report.events)
    response = act(client, token, report, "answer")  # nothing written, nothing ticked
    assert response.status_code == 302 and len(report.events) == before and report.status == "assigned"
    act(client, token, report, "answer", message="Đã thu gom xong, vỉa hè thông thoáng.", resolve="1",
        photo=(io.BytesIO(jpeg_with_gps((800, 600))), "sau.jpg"))
    assert report.status == "resolved" and report.first_response_at is not None
    assert kinds(report)[before:] == ["result_photo", "resolved"]
    assert report.events[-1].message == "Đã thu gom xong, vỉa hè thông thoáng." and report.events[-1].public
    assert [p.kind for p in report.photos][-1] == "result"


def test_every_report_can_be_assigned_even_without_an_officer_of_its_field(client, reports, staff):
    """Issue 29, item 7: the demo's wards have environment officers only, so an encroachment report
    stopped at "change the category or transfer it". Now the ward lead and everyone of the ward are
    offered (the field's officers first), the lead can take it, and the advice says what to do."""
    staff["lead"].display_name, staff["officer_traffic"].display_name = "Lãnh đạo Phú Xuân", "Cán bộ giao thông"
    db.session.commit()
    token = login(client, "lead@t.vn")
    report = reports["mine"]
    act(client, token, report, "accept")
    db.session.execute(text("UPDATE staff_user SET active = false WHERE email = 'officer@t.vn'"))
    page = client.get(f"/desk/reports/{report.tracking_code}").get_data(as_text=True)
    assert 'id="no-officer"' in page and "Môi trường" in page.split('id="no-officer"')[1][:300]
    assert 'id="form-assign"' in page and 'id="form-take"' in page
    assert "Cán bộ giao thông" in page.split('label="Cán bộ khác của phường"')[1]  # others offered, by name
    act(client, token, report, "assign", officer_id=str(staff["officer_traffic"].id))
    assert report.assignee.email == "traffic@t.vn" and report.status == "assigned"
    flash = client.get(f"/desk/reports/{report.tracking_code}").get_data(as_text=True)
    assert "Đã giao:" in flash
    act(client, token, report, "assign", officer_id=str(staff["lead"].id))  # "Tôi nhận xử lý"
    assert report.assignee.email == "lead@t.vn"
    audit = client.get(f"/desk/reports/{report.tracking_code}").get_data(as_text=True).split('id="audit"')[1]
    assert "lead@t.vn" not in audit and "traffic@t.vn" not in audit  # staff by name, not email
    assert "Lãnh đạo Phú Xuân" in audit and audit.count("Giao cho cán bộ") <= 2
