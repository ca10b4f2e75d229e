"""What an administrator does from /admin: each change made, audited, and what it means for the others."""
from sqlalchemy import select

from reports.accounts.admin_log import AdminEvent
from reports.accounts.api_keys import ApiKey, valid_api_key
from reports.accounts.staff import StaffUser
from reports.categories import Category
from reports.models import ReplyTemplate
from reports.notify.models import Job
from store import db
from tests.helpers import PHU_XUAN, csrf_from, login


def audited(action: str) -> list[AdminEvent]:
    return db.session.scalars(select(AdminEvent).where(AdminEvent.action == action)).all()


def form_token(client, path: str) -> str:
    return csrf_from(client.get(path).get_data(as_text=True))


def test_invite_change_and_deactivate_an_officer(client, admin):
    login(client, "admin@t.vn")
    token = form_token(client, "/admin/staff/invite")
    response = client.post("/admin/staff/invite", data={
        "csrf_token": token, "email": "New.Officer@t.vn", "display_name": "Cán bộ Mới", "role": "officer",
        "ward_code": PHU_XUAN, "fields": ["environment", "traffic"]})
    assert response.status_code == 302
    user = db.session.scalar(select(StaffUser).where(StaffUser.email == "new.officer@t.vn"))
    assert (user.role, user.ward_code, user.fields, user.last_login_at) == ("officer", PHU_XUAN, ["environment", "traffic"], None)
    job = db.session.scalars(select(Job).where(Job.payload["template"].astext == "staff_invite")).all()[-1]
    assert job.payload["staff_id"] == user.id and "password" not in str(job.payload)
    assert audited("staff_invited")[-1].target == "new.officer@t.vn"
    # the same address again: refused, nothing written
    again = client.post("/admin/staff/invite", data={"csrf_token": token, "email": "new.officer@t.vn", "role": "leader"},
                        follow_redirects=True)
    assert "Đã có tài khoản dùng email này." in again.get_data(as_text=True)  # the rule in the reader's language (issue 29)
    # an officer without a field is refused with the reason
    bad = client.post(f"/admin/staff/{user.id}", data={"csrf_token": token, "role": "officer", "ward_code": PHU_XUAN},
                      follow_redirects=True)
    assert db.session.get(StaffUser, user.id).fields == ["environment", "traffic"] and bad.status_code == 200
    # moved to another ward: the change is audited and its sessions end
    session_before = user.session_token
    client.post(f"/admin/staff/{user.id}", data={"csrf_token": token, "role": "officer", "ward_code": "19774",
                                                 "fields": ["environment"], "display_name": "Cán bộ Mới"})
    db.session.refresh(user)
    assert user.ward_code == "19774" and user.session_token != session_before
    assert audited("staff_changed")[-1].data["ward_code"] == [PHU_XUAN, "19774"]
    # the audit page tells both by name: two fields invited are two fields, a move is before → after
    trail = client.get("/admin/audit?target=new.officer@t.vn").get_data(as_text=True)
    assert "Lĩnh vực: Môi trường &amp; vệ sinh, Giao thông &amp; trật tự đô thị" in trail
    assert "Phường, xã: Phường Phú Xuân → Phường Kim Long" in trail and "Vai trò: cán bộ" in trail
    # a leaver
    client.post(f"/admin/staff/{user.id}/deactivate", data={"csrf_token": token})
    db.session.refresh(user)
    assert user.active is False and audited("staff_deactivate")
    listing = client.get("/admin/staff?q=new.officer").get_data(as_text=True)
    assert 'data-email="new.officer@t.vn" class="inactive"' in listing


def test_categories_templates_and_api_keys(client, admin):
    login(client, "admin@t.vn")
    token = form_token(client, "/admin/categories")
    client.post("/admin/categories", data={"csrf_token": token, "code": "stray_dogs", "field": "other",
                                           "name_vi": "Chó thả rông", "name_en": "Stray dogs", "default_priority": "normal",
                                           "sort_order": "5", "active": "y"})
    category = db.session.scalar(select(Category).where(Category.code == "stray_dogs"))
    assert category.active and category.name_vi == "Chó thả rông"
    client.post("/admin/categories/stray_dogs", data={"csrf_token": token, "code": "ignored", "field": "other",
                                                      "name_vi": "Chó thả rông", "name_en": "Stray dogs",
                                                      "default_priority": "urgent", "sort_order": "5"})  # unticked: retired
    db.session.refresh(category)
    assert (category.code, category.active, category.default_priority) == ("stray_dogs", False, "urgent")
    assert audited("category_changed")[-1].data["active"] == [True, False]
    assert "stray_dogs" not in client.get("/api/v1/categories").get_data(as_text=True)  # retired: not offered

    client.post("/admin/templates", data={"csrf_token": token, "title": "Đã thu gom", "body": "Phường đã thu gom rác.",
                                          "ward_code": PHU_XUAN, "field": "environment"})
    template = db.session.scalar(select(ReplyTemplate).where(ReplyTemplate.title == "Đã thu gom"))
    assert (template.ward_code, template.field) == (PHU_XUAN, "environment")

    page = client.post("/admin/api-keys", data={"csrf_token": token, "name": "Ứng dụng đối tác"})
    assert page.headers["Cache-Control"] == "no-store"
    shown = page.get_data(as_text=True).split("<code>")[1].split("</code>")[0]
    assert shown.startswith("pa_") and valid_api_key(shown) is not None
    key = db.session.scalar(select(ApiKey).where(ApiKey.name == "Ứng dụng đối tác"))
    assert shown not in str([e.data for e in audited("api_key_created")])  # never written down
    client.post(f"/admin/api-keys/{key.id}/revoke", data={"csrf_token": token})
    assert valid_api_key(shown) is None
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "Thu hồi khoá API" in audit and "admin@t.vn" in audit


def test_a_day_off_added_here_moves_the_deadlines(app, client, admin):
    from datetime import date, datetime, timezone

    from store import LOCAL_TZ
    from webapp.extensions import deadline_rules
    monday = datetime(2030, 6, 3, 9, 0, tzinfo=LOCAL_TZ)  # an ordinary Monday morning, no holiday near
    before = deadline_rules().acknowledge_by(monday)
    login(client, "admin@t.vn")
    token = form_token(client, "/admin/days-off")
    page = client.get("/admin/days-off").get_data(as_text=True)
    assert "Tết Nguyên Đán" in page  # the library's holidays are shown
    client.post("/admin/days-off", data={"csrf_token": token, "day": "2030-06-03", "name": "Nghỉ bù của thành phố"})
    after = deadline_rules().acknowledge_by(monday)
    assert after > before and after.astimezone(LOCAL_TZ).date() >= date(2030, 6, 4)
    assert audited("day_off_added")[-1].target == "2030-06-03"
    client.post("/admin/days-off/2030-06-03/delete", data={"csrf_token": token})
    assert deadline_rules().acknowledge_by(monday) == before
    assert before.tzinfo is not None and datetime.now(timezone.utc)


def test_routing_sends_a_new_report_straight_to_its_officer(app, client, admin, staff):
    from tests.helpers import make_report
    login(client, "admin@t.vn")
    token = form_token(client, "/admin/routing")
    refused = client.post("/admin/routing", data={"csrf_token": token, "ward_code": PHU_XUAN, "field": "environment",
                                                  "staff_id": staff["officer_traffic"].id}, follow_redirects=True)
    assert "không làm việc ở phường hoặc lĩnh vực này" in refused.get_data(as_text=True)
    client.post("/admin/routing", data={"csrf_token": token, "ward_code": PHU_XUAN, "field": "environment",
                                        "staff_id": staff["officer"].id})
    report = make_report(app)  # garbage: field environment, in Phú Xuân
    assert report.status == "assigned" and report.assignee.email == "officer@t.vn"
    assert report.accepted_at and report.deadline_at > report.assigned_at
    assigned = [e for e in report.events if e.kind == "officer_assigned"]
    assert assigned and assigned[0].data["routed"] is True and not assigned[0].public
    jobs = db.session.scalars(select(Job).where(Job.kind == "staff_assignment", Job.report_event_id == assigned[0].id)).all()
    assert len(jobs) == 1  # the officer hears of it like any assignment
    traffic = make_report(app, category="encroachment")  # another field: waits in the queue
    assert traffic.status == "received" and traffic.assignee is None
    staff["officer"].deactivate()  # a leaver's route is ignored
    db.session.commit()
    assert make_report(app, description="Rác sau khi cán bộ nghỉ").status == "received"
    assert audited("route_set")[-1].target == f"{PHU_XUAN}/environment"


def test_a_service_centre_is_edited_and_its_place_checked(client, admin):
    from geo.models import ServicePoint
    point = db.session.scalars(select(ServicePoint).where(ServicePoint.name.ilike("%Phú Xuân%"))).first()
    login(client, "admin@t.vn")
    path = f"/admin/service-points/{point.id}"
    token = form_token(client, path)
    base = {"csrf_token": token, "name": point.name, "address": "394 Đinh Tiên Hoàng, Phú Xuân", "phone": "0234 3512345",
            "services": "Hộ tịch, Đất đai", "hours_mon": "07:00-11:30, 13:30-17:00", "hours_sat": "07:30-11:30"}
    # the sea: outside the service area, refused, nothing changed
    client.post(path, data={**base, "lat": "16.60", "lon": "107.66"})
    db.session.refresh(point)
    assert point.phone != "0234 3512345"
    # Kim Long: another ward than the declared one, refused until confirmed
    client.post(path, data={**base, "lat": "16.4575", "lon": "107.5435"})
    db.session.refresh(point)
    assert point.declared_ward_code == PHU_XUAN
    # a few metres away inside Phú Xuân, with hours and services
    client.post(path, data={**base, "lat": "16.46985", "lon": "107.57865"})
    db.session.refresh(point)
    assert point.phone == "0234 3512345" and point.services == ["Hộ tịch", "Đất đai"]
    assert point.opening_hours["mon"] == [["07:00", "11:30"], ["13:30", "17:00"]] and point.opening_hours["sun"] == []
    assert point.hours_assumed is False and audited("service_point_changed")[-1].target == point.name
    bad_hours = client.post(path, data={**base, "hours_tue": "morning", "lat": "16.46985", "lon": "107.57865"},
                            follow_redirects=True)
    assert "tue" in bad_hours.get_data(as_text=True) and point.opening_hours.get("tue") != "morning"
