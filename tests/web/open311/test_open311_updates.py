"""mySociety's GeoReport v2 extension ``servicerequestupdates``, as FixMyStreet's Open311 client and
partner CRMs use it: GET the public updates of a period, POST an outside system's update
(idempotent by update_id, refused for a hidden report); an API key for both; no personal data."""
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

import pytest

from reports.accounts.api_keys import create_api_key
from reports.queries.open311 import w3c
from reports.workflow.lifecycle import change_status, get_by_tracking_code
from store import db
from tests.helpers import make_report

URL = "/open311/v2/servicerequestupdates"


@pytest.fixture
def key():
    _, secret = create_api_key("CRM of the city")
    db.session.commit()
    return secret


def window() -> dict:
    now = datetime.now(timezone.utc)
    return {"start_date": w3c(now - timedelta(hours=1)), "end_date": w3c(now + timedelta(hours=1))}


def test_get_lists_public_updates_without_personal_data(app, client, key):
    report = make_report(app, description="Rác ven sông (updates)")
    change_status(report, "in_progress", "officer@t.vn", public_message="Đang thu gom.", role="officer")
    db.session.commit()
    assert client.get(f"{URL}.json", query_string=window()).status_code == 403
    body = client.get(f"{URL}.json", query_string={**window(), "api_key": key})
    mine = [u for u in body.json if u["service_request_id"] == report.tracking_code]
    assert [(u["status"], u["description"]) for u in mine] == [("open", "Đang thu gom.")]
    assert set(mine[0]) == {"update_id", "service_request_id", "status", "updated_datetime", "description", "media_url"}
    text = body.get_data(as_text=True)
    assert "officer@t.vn" not in text and "Trần Thị Riêng Tư" not in text and "0905999888" not in text
    xml = ET.fromstring(client.get(f"{URL}.xml", query_string={**window(), "api_key": key}).data)
    assert xml.tag == "service_request_updates" and xml.find("request_update/update_id") is not None


def test_post_adds_a_public_update_once_per_update_id(app, client, key):
    report = make_report(app)
    form = {"api_key": key, "service_request_id": report.tracking_code, "update_id": "crm-77", "status": "open",
            "description": "Đội công trình đã tiếp nhận."}
    first = client.post(f"{URL}.json", data=form)
    again = client.post(f"{URL}.json", data=form)
    assert (first.status_code, again.status_code) == (201, 200) and first.json == again.json
    public = client.get(f"/api/v1/reports/{report.tracking_code}").json["timeline"]
    assert [e["message"] for e in public].count("Đội công trình đã tiếp nhận.") == 1
    closed = client.post(f"{URL}.json", data={**form, "update_id": "crm-78", "status": "closed",
                                              "description": "Đã xong."})
    assert closed.json[0]["status"] == "closed" and get_by_tracking_code(report.tracking_code).status == "resolved"


@pytest.mark.parametrize("change,status", [({"update_id": ""}, 400), ({"status": "maybe"}, 400),
                                           ({"api_key": "wrong"}, 403), ({"service_request_id": "HUE-2222-3333"}, 404)])
def test_post_refusals(app, client, key, change, status):
    report = make_report(app)
    form = {"api_key": key, "service_request_id": report.tracking_code, "update_id": "x1", "status": "open",
            "description": "cập nhật", **change}
    response = client.post(f"{URL}.json", data=form)
    assert response.status_code == status and response.json[0]["code"] == status


def test_a_hidden_report_takes_no_update(app, client, key):
    report = make_report(app)
    report.hidden, report.hidden_reason = True, "vi phạm"
    db.session.commit()
    response = client.post(f"{URL}.json", data={"api_key": key, "service_request_id": report.tracking_code,
                                                "update_id": "h1", "status": "open", "description": "x"})
    assert response.status_code == 404
