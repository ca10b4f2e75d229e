"""The breach register (/admin/privacy/breaches): an administrator records an incident; the page gives
the authority's 72-hour deadline, marks it late once passed, drafts both notices in Vietnamese, and
records when the authority and the people were told; bad input is refused and writes nothing."""
from datetime import timedelta

from reports.privacy.breaches import Breach
from store import LOCAL_TZ, db, utcnow
from tests.helpers import login


def test_an_incident_is_recorded_with_its_clock_and_its_notices(app, client, admin, monkeypatch):
    monkeypatch.setitem(app.config, "PRIVACY_CONTROLLER", "UBND thành phố Huế")
    token = login(client, "admin@t.vn")
    found = (utcnow() - timedelta(hours=80)).astimezone(LOCAL_TZ).replace(second=0, microsecond=0, tzinfo=None)
    bad = client.post("/admin/privacy/breaches", data={"csrf_token": token, "found_at": found.isoformat(), "what": "",
                                                       "data_kinds": "email", "people": "3"})
    assert bad.status_code == 302 and db.session.query(Breach).count() == 0
    client.post("/admin/privacy/breaches", data={"csrf_token": token, "found_at": found.isoformat(),
                                                 "what": "Bản xuất CSV gửi nhầm địa chỉ", "data_kinds": "email, số điện thoại",
                                                 "people": "37", "actions": "Đã yêu cầu người nhận xoá"})
    breach = db.session.query(Breach).one()
    assert breach.people == 37 and breach.authority_due == breach.found_at + timedelta(hours=72)
    page = client.get("/admin/privacy/breaches").get_data(as_text=True)
    assert f'data-breach="{breach.id}" class="late"' in page  # 80 hours ago, not yet reported
    assert "Thông báo vi phạm quy định bảo vệ dữ liệu cá nhân. Bên kiểm soát dữ liệu: UBND thành phố Huế" in page
    assert "số người bị ảnh hưởng: 37" in page
    client.post(f"/admin/privacy/breaches/{breach.id}/reported", data={"csrf_token": token})
    db.session.refresh(breach)
    assert breach.reported_at is not None
    assert f'data-breach="{breach.id}" class=""' in client.get("/admin/privacy/breaches").get_data(as_text=True)
