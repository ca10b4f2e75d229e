"""Open311 GeoReport v2 conformance, written from the specification's text: every endpoint in both
formats, fields and types, XML element names, date and status filters, paging, errors, API keys."""
from datetime import datetime, timedelta, timezone
from xml.etree import ElementTree as ET

import pytest

from reports.accounts.api_keys import create_api_key, revoke_api_key
from reports.workflow.lifecycle import change_status, get_by_tracking_code
from store import db
from webapp.extensions import limiter

REQUEST_FIELDS = {"service_request_id": str, "status": str, "status_notes": (str, type(None)),
                  "service_name": str, "service_code": str, "description": (str, type(None)),
                  "agency_responsible": str, "service_notice": type(None), "requested_datetime": str,
                  "updated_datetime": str, "expected_datetime": (str, type(None)), "address": (str, type(None)),
                  "address_id": type(None), "zipcode": type(None), "lat": float, "long": float,
                  "media_url": (str, type(None))}
SERVICE_FIELDS = {"service_code": str, "service_name": str, "description": str, "metadata": bool,
                  "type": str, "keywords": str, "group": str}


@pytest.fixture
def api_key():
    _, key = create_api_key("conformance tests")
    db.session.commit()
    return key


def post(client, key, **fields):
    data = {"api_key": key, "service_code": "garbage", "lat": "16.4698", "long": "107.5786",
            "description": "Rác ven đường (Open311)", "email": "open311@example.vn", "first_name": "Minh",
            "last_name": "Trần", "phone": "0905000111", "acknowledge_duplicate": "true", **fields}
    return client.post("/open311/v2/requests.json", data={k: v for k, v in data.items() if v is not None})


def xml(response) -> ET.Element:
    assert response.mimetype == "text/xml"
    return ET.fromstring(response.data)  # well-formed or it raises


def test_discovery_both_formats(client):
    body = client.get("/open311/v2/discovery.json").json
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert set(body["endpoints"][0]["formats"]) == {"application/json", "text/xml"}
    root = xml(client.get("/open311/v2/discovery.xml"))
    assert root.tag == "discovery" and root.find("endpoints/endpoint/specification") is not None
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["application/json", "text/xml"]


def test_services_both_formats(client):
    services = client.get("/open311/v2/services.json").json
    assert len(services) >= 16
    for service in services:
        assert {k: type(service[k]) for k in SERVICE_FIELDS} == {k: v for k, v in SERVICE_FIELDS.items()}
        assert service["type"] in ("realtime", "batch", "blackbox")
    root = xml(client.get("/open311/v2/services.xml"))
    assert root.tag == "services" and len(root.findall("service")) == len(services)
    assert root.find("service/metadata").text in ("true", "false")
    definition = client.get("/open311/v2/services/garbage.json").json
    assert definition == {"service_code": "garbage", "attributes": []}
    assert xml(client.get("/open311/v2/services/garbage.xml")).tag == "service_definition"


def test_post_then_read_back_without_personal_data(client, api_key):
    response = post(client, api_key)
    assert response.status_code == 201
    (created,) = response.json
    code = created["service_request_id"]
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    report = get_by_tracking_code(code)
    assert report.channel == "open311" and report.ward.code == "19753" and report.deadline_at is not None
    assert report.reporter_email == "open311@example.vn"
    (item,) = client.get(f"/open311/v2/requests/{code}.json").json
    for field, kind in REQUEST_FIELDS.items():
        assert isinstance(item[field], kind), field
    assert item["status"] == "open" and item["agency_responsible"] == "Phường Phú Xuân"
    for forbidden in ("open311@example.vn", "0905000111", "Trần"):
        assert forbidden not in client.get(f"/open311/v2/requests/{code}.json").get_data(as_text=True)
        assert forbidden not in client.get(f"/open311/v2/requests/{code}.xml").get_data(as_text=True)
    root = xml(client.get(f"/open311/v2/requests/{code}.xml"))
    assert root.tag == "service_requests" and root.find("request/service_request_id").text == code
    assert root.find("request/lat").text == "16.4698"
    assert client.get(f"/open311/v2/tokens/{code}.json").json[0]["service_request_id"] == code


def test_status_mapping_and_filters(client, api_key):
    code = post(client, api_key).json[0]["service_request_id"]
    change_status(get_by_tracking_code(code), "resolved", "officer", public_message="Đã dọn sạch.")
    db.session.commit()
    (item,) = client.get(f"/open311/v2/requests/{code}.json").json
    assert item["status"] == "closed" and item["status_notes"] == "Đã dọn sạch."
    closed = {r["service_request_id"] for r in client.get("/open311/v2/requests.json?status=closed").json}
    opened = {r["service_request_id"] for r in client.get("/open311/v2/requests.json?status=open").json}
    assert code in closed and code not in opened
    by_id = client.get(f"/open311/v2/requests.json?service_request_id={code},HUE-2222-2222").json
    assert [r["service_request_id"] for r in by_id] == [code]
    by_code = client.get("/open311/v2/requests.json?service_code=pothole").json
    assert all(r["service_code"] == "pothole" for r in by_code)


def test_date_filters_and_paging(client, api_key):
    post(client, api_key, lat="16.4600", long="107.5900")
    code = post(client, api_key).json[0]["service_request_id"]
    now = datetime.now(timezone.utc)
    within = f"start_date={(now - timedelta(hours=1)).isoformat()}&end_date={(now + timedelta(hours=1)).isoformat()}"
    assert code in {r["service_request_id"] for r in client.get(f"/open311/v2/requests.json?{within}".replace("+", "%2B")).json}
    before = (now - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert code not in {r["service_request_id"] for r in client.get(f"/open311/v2/requests.json?end_date={before}").json}
    for bad in ("start_date=2026-11-23", "end_date=yesterday", "status=pending", "page=0", "page_size=1001",
                "bbox=1,2,3"):
        response = client.get(f"/open311/v2/requests.json?{bad}")
        assert response.status_code == 400 and response.json[0]["code"] == 400 and response.json[0]["description"]
    first = client.get("/open311/v2/requests.json?page_size=1&page=1").json
    second = client.get("/open311/v2/requests.json?page_size=1&page=2").json
    assert len(first) == len(second) == 1 and first[0]["service_request_id"] != second[0]["service_request_id"]
    inside = client.get("/open311/v2/requests.json?bbox=107.57,16.46,107.59,16.48").json
    assert code in {r["service_request_id"] for r in inside}
    assert code not in {r["service_request_id"] for r in client.get("/open311/v2/requests.json?bbox=105,20,106,21").json}


def test_api_key_rules(client, api_key):
    assert post(client, None).status_code == 403
    wrong = client.post("/open311/v2/requests.xml", data={"api_key": "pa_wrong", "service_code": "garbage"})
    assert wrong.status_code == 403 and xml(wrong).find("error/code").text == "403"
    revoke_api_key(api_key[:10])
    db.session.commit()
    assert post(client, api_key).status_code == 403


@pytest.mark.parametrize("fields,status", [
    ({"service_code": "nope"}, 400), ({"lat": None, "long": None, "address_string": "1 Lê Lợi"}, 400),
    ({"lat": "16.60", "long": "107.66"}, 422), ({"description": ""}, 400), ({"lat": "abc"}, 400),
])
def test_bad_requests_use_the_error_list(client, api_key, fields, status):
    response = post(client, api_key, **fields)
    assert response.status_code == status
    (error,) = response.json
    assert error["code"] == status and error["description"]


def test_a_possible_duplicate_is_accepted_and_flagged_for_the_desk(client, api_key):
    """Open311 has no "possible duplicate" answer: an outside system would retry a refusal for ever."""
    first = post(client, api_key, lat="16.4550", long="107.6000", service_code="tree").json[0]["service_request_id"]
    dup = post(client, api_key, lat="16.4551", long="107.6000", service_code="tree", acknowledge_duplicate=None)
    assert dup.status_code == 201
    flagged = get_by_tracking_code(dup.json[0]["service_request_id"]).events[-1]
    assert flagged.kind == "possible_duplicate" and flagged.data["candidates"] == [first] and not flagged.public


def test_unknown_things_are_404_in_both_formats(client):
    assert client.get("/open311/v2/requests/HUE-2222-2222.json").json[0]["code"] == 404
    assert xml(client.get("/open311/v2/requests/HUE-2222-2222.xml")).find("error/code").text == "404"
    assert client.get("/open311/v2/services.yaml").status_code == 404


def test_submissions_are_rate_limited_per_key(app, client, api_key):
    default, app.config["OPEN311_KEY_RATE_LIMIT"] = app.config["OPEN311_KEY_RATE_LIMIT"], "2 per minute"
    limiter.reset()
    try:
        statuses = [post(client, api_key, description="").status_code for _ in range(3)]
        assert statuses == [400, 400, 429]
    finally:
        app.config["OPEN311_KEY_RATE_LIMIT"] = default
        limiter.reset()
