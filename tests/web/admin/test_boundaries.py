"""A boundary set from the browser: a bad file is refused with its problems and nothing written; a good
one is imported inactive with its validation report, previewed with the count of reports that would
move, then put in force — the re-assignment runs as chunked jobs whose progress the page shows."""
import io
import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select, text

from geo.models import AdminUnit, BoundarySet
from reports.models import Report, ReportEvent
from store import db
from tests.helpers import csrf_from, login, make_report
from worker.loop import work_due


def upload(client, token, content: bytes, name: str, **extra):
    return client.post("/admin/boundaries", content_type="multipart/form-data", data={
        "csrf_token": token, "file": (io.BytesIO(content), "ranh-gioi.geojson"), "name": name, "level": "ward",
        "effective_from": date.today().isoformat(), **extra})


def test_a_bad_file_is_refused_with_its_problems(client, admin):
    login(client, "admin@t.vn")
    token = csrf_from(client.get("/admin/boundaries").get_data(as_text=True))
    bowtie = {"type": "Feature", "properties": {"code": "99001", "name": "Nơ", "province_code": "46"},
              "geometry": {"type": "Polygon", "coordinates": [[[107.5, 16.4], [107.6, 16.5], [107.6, 16.4], [107.5, 16.5],
                                                               [107.5, 16.4]]]}}
    nameless = {"type": "Feature", "properties": {"name": "Không mã"}, "geometry": bowtie["geometry"]}
    response = upload(client, token, json.dumps({"type": "FeatureCollection", "features": [bowtie, nameless]}).encode(),
                      "bad-set")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="problems"' in page and "no code" in page
    assert db.session.scalar(select(BoundarySet).where(BoundarySet.name == "bad-set")) is None
    assert upload(client, token, b"not json", "bad-set-2").status_code == 422


def test_import_preview_then_activate_with_progress(app, client, admin):
    reports = [make_report(app, description=f"Rác trước ranh giới mới {n}") for n in range(3)]
    login(client, "admin@t.vn")
    token = csrf_from(client.get("/admin/boundaries").get_data(as_text=True))
    source = Path(app.config["DATA_DIR"]) / "boundaries" / "46_hue_wards_2025.geojson"
    response = upload(client, token, source.read_bytes(), "hue-wards-2026-test", licence="MIT")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    new_set = db.session.scalar(select(BoundarySet).where(BoundarySet.name == "hue-wards-2026-test"))
    assert new_set.active is False and new_set.unit_count == 40
    page = client.get("/admin/boundaries/hue-wards-2026-test").get_data(as_text=True)
    assert "40 đơn vị" in page and 'id="validation"' in page
    in_huế = db.session.execute(text("SELECT count(*) FROM report r JOIN admin_unit u ON u.id = r.ward_id "
                                     "WHERE u.province_code = '46'")).scalar()
    assert f"{in_huế} phản ánh đã lưu sẽ chuyển" in page  # every report of Huế: new units, new rows
    assert len(client.get("/admin/boundaries/hue-wards-2026-test/units.geojson").json["features"]) == 40
    refused = client.post("/admin/boundaries/hue-wards-2026-test/activate", data={"csrf_token": token})
    assert refused.status_code == 302 and db.session.get(BoundarySet, new_set.id).active is False
    client.post("/admin/boundaries/hue-wards-2026-test/activate", data={"csrf_token": token, "confirm": "y"})
    assert db.session.get(BoundarySet, new_set.id).active is True
    running = client.get("/admin/boundaries/hue-wards-2026-test").get_data(as_text=True)
    assert 'id="progress"' in running and "data-reload-seconds" in running
    while work_due():
        pass
    done = client.get("/admin/boundaries/hue-wards-2026-test").get_data(as_text=True)
    assert f"Xong: đã chuyển {in_huế} phản ánh." in done and "data-reload-seconds" not in done
    for report in reports:
        unit = db.session.get(AdminUnit, db.session.get(Report, report.id).ward_id)
        assert unit.boundary_set_id == new_set.id and unit.code == "19753"
    moved_events = db.session.scalar(select(func.count()).select_from(text("report_event")).where(
        text("kind = 'ward_reassigned' AND data->>'to_set' = 'hue-wards-2026-test'")))
    assert moved_events == in_huế


def square_set(lon: float, lat: float, code: str = "99999") -> bytes:
    """One new ward (a 2 km square around a point) replacing Huế's wards: its reports change ward."""
    d = 0.01
    ring = [[lon - d, lat - d], [lon + d, lat - d], [lon + d, lat + d], [lon - d, lat + d], [lon - d, lat - d]]
    feature = {"type": "Feature", "properties": {"code": code, "name": "Phường Thử Nghiệm", "province_code": "46"},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}
    return json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()


def test_a_set_taking_effect_tomorrow_moves_reports_then_also_those_filed_meanwhile(app, client, admin, staff):
    """Issue 28, finding 9: activation moved reports at once, missed those filed afterwards, and left a
    moved report with its assignee from the other ward."""
    from tests.helpers import PHU_XUAN, WARD_POINTS
    before = make_report(app, description="Rác trước khi kích hoạt")
    officer = staff["officer"]
    login(client, "officer@t.vn")
    officer_token = csrf_from(client.get("/desk").get_data(as_text=True))
    client.post(f"/desk/reports/{before.tracking_code}/accept", data={"csrf_token": officer_token})
    client.post(f"/desk/reports/{before.tracking_code}/assign", data={"csrf_token": officer_token, "officer_id": officer.id})
    assert db.session.get(Report, before.id).assignee_id == officer.id
    client.post("/logout", data={"csrf_token": officer_token})
    login(client, "admin@t.vn")
    token = csrf_from(client.get("/admin/boundaries").get_data(as_text=True))
    tomorrow = date.today() + timedelta(days=1)
    assert upload(client, token, square_set(*WARD_POINTS[PHU_XUAN]), "hue-test-tomorrow",
                  effective_from=tomorrow.isoformat()).status_code == 302
    activated = client.post("/admin/boundaries/hue-test-tomorrow/activate", data={"csrf_token": token, "confirm": "y"},
                            follow_redirects=True).get_data(as_text=True)
    assert f"có hiệu lực từ ngày {tomorrow:%d/%m/%Y}" in activated
    while work_due():
        pass
    assert db.session.get(AdminUnit, db.session.get(Report, before.id).ward_id).code == PHU_XUAN  # not yet
    assert "Đang chờ" in client.get("/admin/boundaries/hue-test-tomorrow").get_data(as_text=True)
    meanwhile = make_report(app, description="Rác sau khi kích hoạt, trước ngày hiệu lực")
    assert db.session.get(AdminUnit, meanwhile.ward_id).code == PHU_XUAN  # the old wards are in force today
    # The day comes: the new set starts today and the old one ends (what the calendar would do).
    new_set = db.session.scalar(select(BoundarySet).where(BoundarySet.name == "hue-test-tomorrow"))
    db.session.execute(text("UPDATE boundary_set SET effective_to = current_date WHERE effective_to = :d"), {"d": tomorrow})
    db.session.execute(text("UPDATE boundary_set SET effective_from = current_date WHERE id = :id"), {"id": new_set.id})
    db.session.execute(text("UPDATE job SET run_at = now() WHERE kind = 'boundary_reassign' AND done_at IS NULL"))
    db.session.commit()
    while work_due():
        pass
    for report in (before, meanwhile):
        moved = db.session.get(Report, report.id)
        db.session.refresh(moved)
        assert db.session.get(AdminUnit, moved.ward_id).code == "99999", report.description
        assert moved.assignee_id is None and moved.status == "received"  # started over, as a transfer does
    event = db.session.scalars(select(ReportEvent).where(ReportEvent.report_id == before.id,
                                                         ReportEvent.kind == "ward_reassigned")).one()
    assert event.public and event.data["to_name"] == "Phường Thử Nghiệm" and event.data["assignee_removed"]
    assert "Xong: đã chuyển" in client.get("/admin/boundaries/hue-test-tomorrow").get_data(as_text=True)
