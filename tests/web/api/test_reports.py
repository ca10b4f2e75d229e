"""HTTP contract of /api/v1/reports: creation, idempotency, every error, privacy."""
import io
import json
import uuid
from contextlib import nullcontext

import pytest
from flask import has_app_context
from PIL import Image
from sqlalchemy import func, select

from reports.models import Report
from reports.workflow.lifecycle import change_status, get_by_tracking_code
from store import db
from tests.reports.images import GPS_IFD, jpeg_with_gps
from webapp.extensions import limiter
from worker.loop import work_due

CITADEL = {"lat": 16.4698, "lon": 107.5786}
PRIVATE = {"name": "Nguyễn Văn Bí Mật", "phone": "0905 123 456", "email": "bimat@example.vn"}


def report(**overrides):
    body = {"category": "garbage", "description": f"Rác tồn đọng {uuid.uuid4()}", **CITADEL,
            "acknowledge_duplicate": True, **PRIVATE}
    body.update(overrides)
    return body


def count_reports():
    return db.session.scalar(select(func.count(Report.id)))


def test_create_and_read_back_without_personal_data(api):
    response = api.post("/api/v1/reports", json=report())
    assert response.status_code == 201
    body = response.json
    assert body["status"] == "received" and body["ward"] == {"code": "19753", "name": "Phường Phú Xuân"}
    assert body["url"] == f"/r/{body['tracking_code']}"
    public = api.get(body["url"].replace("/r/", "/api/v1/reports/"))
    assert public.status_code == 200
    assert public.json["category"]["code"] == "garbage" and public.json["support_count"] == 0
    assert [e["kind"] for e in public.json["timeline"]] == ["received", "ward_assigned"]
    page = api.get(body["url"], headers={"Accept": "text/html"})
    for text in (public.get_data(as_text=True), page.get_data(as_text=True),
                 api.get("/api/v1/reports/map").get_data(as_text=True)):
        for value in PRIVATE.values():
            assert value not in text
    stored = get_by_tracking_code(body["tracking_code"])
    assert stored.reporter_email == PRIVATE["email"] and stored.hide_identity is True


def test_same_idempotency_key_returns_the_first_report(api):
    key, secret = str(uuid.uuid4()), "phone-made-secret-0123456789"
    first = api.post("/api/v1/reports", json=report(reporter_secret=secret), headers={"Idempotency-Key": key})
    before = count_reports()
    again = api.post("/api/v1/reports", json=report(description="changed", reporter_secret=secret),
                     headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json == first.json and first.json["reporter_secret"] == secret
    assert count_reports() == before
    # A replay that does not carry the secret does not learn it.
    stranger = api.post("/api/v1/reports", json=report(), headers={"Idempotency-Key": key})
    assert stranger.status_code == 200 and "reporter_secret" not in stranger.json


@pytest.mark.parametrize("overrides,status,code", [
    ({"category": "no_such_thing"}, 400, "invalid_report"),
    ({"description": "   "}, 400, "invalid_report"),
    ({"description": "x" * 4001}, 400, "invalid_report"),
    ({"email": "not-an-email"}, 400, "invalid_report"),
    ({"lat": 16.60, "lon": 107.66}, 422, "outside_service_area"),
    ({"lat": "abc"}, 400, "invalid_coordinates"),
    ({"lat": None}, 400, "invalid_coordinates"),
    ({"lon": 1e400}, 400, "invalid_coordinates"),
])
def test_errors_write_nothing(api, overrides, status, code):
    before = count_reports()
    response = api.post("/api/v1/reports", json=report(**overrides))
    assert response.status_code == status
    assert response.json["error"]["code"] == code and response.json["error"]["message"]
    assert count_reports() == before


def test_error_messages_are_vietnamese_first_english_on_request(api):
    vi = api.post("/api/v1/reports", json=report(description=""))
    en = api.post("/api/v1/reports", json=report(description=""), headers={"Accept-Language": "en"})
    assert vi.json["error"]["message"] == "Vui lòng mô tả vấn đề."
    assert en.json["error"]["message"] == "Please describe the problem."


def test_not_json_object_is_refused(api):
    response = api.post("/api/v1/reports", data="[1, 2]", content_type="application/json")
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_report"


def test_possible_duplicate_then_acknowledged(api):
    spot = {"lat": 16.4630, "lon": 107.5950, "category": "street_light"}
    first = api.post("/api/v1/reports", json=report(**spot, acknowledge_duplicate=False))
    assert first.status_code == 201
    nearby = {"lat": 16.4635, "lon": 107.5950}  # ~55 m north
    dup = api.post("/api/v1/reports", json=report(category="street_light", acknowledge_duplicate=False, **nearby))
    assert dup.status_code == 409
    (candidate,) = dup.json["error"]["candidates"]
    assert candidate["tracking_code"] == first.json["tracking_code"] and 40 < candidate["distance_m"] < 70
    assert "email" not in json.dumps(candidate)
    listed = api.get(f"/api/v1/reports/nearby?lat={nearby['lat']}&lon={nearby['lon']}&category=street_light")
    assert [c["tracking_code"] for c in listed.json["candidates"]] == [first.json["tracking_code"]]
    other_category = api.post("/api/v1/reports", json=report(category="pothole", acknowledge_duplicate=False, **nearby))
    assert other_category.status_code == 201
    insisted = api.post("/api/v1/reports", json=report(category="street_light", acknowledge_duplicate=True, **nearby))
    assert insisted.status_code == 201
    support = api.post(f"/api/v1/reports/{first.json['tracking_code']}/support")
    assert support.json["support_count"] == 1


def test_multipart_with_a_photo_strips_gps(api, app):
    data = {k: str(v) for k, v in report().items()}
    data["photos"] = (io.BytesIO(jpeg_with_gps()), "IMG_0001.jpg")
    response = api.post("/api/v1/reports", data=data, content_type="multipart/form-data")
    assert response.status_code == 201, response.json
    photos = api.get(f"/api/v1/reports/{response.json['tracking_code']}").json["photos"]
    assert len(photos) == 1
    assert api.get(photos[0]["url"]).status_code == 404  # until the worker made its public copy
    with nullcontext() if has_app_context() else app.app_context():
        work_due()
    served = api.get(photos[0]["url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(served.data))
    assert not image.getexif().get_ifd(GPS_IFD) and len(image.getexif()) == 0
    assert api.get(photos[0]["thumbnail_url"]).status_code == 200


def test_a_file_that_is_not_an_image_is_refused(api):
    before = count_reports()
    data = {k: str(v) for k, v in report().items()}
    data["photos"] = (io.BytesIO(b"MZ\x90\x00 definitely not a photo"), "virus.jpg")
    response = api.post("/api/v1/reports", data=data, content_type="multipart/form-data")
    assert response.status_code == 415 and response.json["error"]["code"] == "invalid_photo"
    assert count_reports() == before


def test_csrf_token_is_required(client):
    response = client.post("/api/v1/reports", json=report())
    assert response.status_code == 400 and response.json["error"]["code"] == "csrf_failed"


@pytest.fixture
def strict_limit(app):
    """A small submission limit for one test (the suite runs with a generous one)."""
    default = app.config["SUBMIT_RATE_LIMIT"]
    app.config["SUBMIT_RATE_LIMIT"] = "2 per minute"
    limiter.reset()
    yield
    app.config["SUBMIT_RATE_LIMIT"] = default
    limiter.reset()


def test_rate_limit_answers_429_with_retry_after(api, strict_limit):
    statuses = [api.post("/api/v1/reports", json=report(description="")).status_code for _ in range(3)]
    assert statuses == [400, 400, 429]
    response = api.post("/api/v1/reports", json=report())
    assert response.status_code == 429 and response.json["error"]["code"] == "rate_limited"
    assert int(response.headers["Retry-After"]) > 0


def test_rate_then_reopen_rules(api):
    created = api.post("/api/v1/reports", json=report()).json
    code, secret = created["tracking_code"], created["reporter_secret"]
    early = api.post(f"/api/v1/reports/{code}/rating", json={"rating": 5, "reporter_secret": secret})
    assert early.status_code == 409
    change_status(get_by_tracking_code(code), "resolved", "officer", public_message="Đã thu gom.")
    db.session.commit()
    assert api.post(f"/api/v1/reports/{code}/rating", json={"rating": 9, "reporter_secret": secret}).status_code == 400
    # The tracking code is public: without the reporter's secret nobody rates or reopens.
    for body in ({"rating": 1}, {"rating": 1, "reporter_secret": "x" * 24}):
        refused = api.post(f"/api/v1/reports/{code}/rating", json=body)
        assert refused.status_code == 403 and refused.json["error"]["code"] == "reporter_secret_required"
    assert api.post(f"/api/v1/reports/{code}/reopen", json={"reason": "troll"}).status_code == 403
    assert api.post(f"/api/v1/reports/{code}/rating", json={"rating": 4, "comment": "ok"},
                    headers={"X-Reporter-Secret": secret}).status_code == 200
    assert api.post(f"/api/v1/reports/{code}/rating", json={"rating": 5, "reporter_secret": secret}).status_code == 409
    reopened = api.post(f"/api/v1/reports/{code}/reopen", json={"reason": "Rác vẫn còn", "reporter_secret": secret})
    assert reopened.status_code == 200 and reopened.json["status"] == "reopened"
    kinds = [e["kind"] for e in api.get(f"/api/v1/reports/{code}").json["timeline"]]
    assert kinds[-3:] == ["resolved", "rated", "reopened"]


def test_reopen_after_seven_days_is_refused(api):
    from datetime import datetime, timedelta, timezone
    created = api.post("/api/v1/reports", json=report()).json
    code = created["tracking_code"]
    stored = get_by_tracking_code(code)
    change_status(stored, "resolved", "officer")
    stored.resolved_at = datetime.now(timezone.utc) - timedelta(days=8)
    db.session.commit()
    response = api.post(f"/api/v1/reports/{code}/reopen", json={"reason": "late", "reporter_secret": created["reporter_secret"]})
    assert response.status_code == 409 and response.json["error"]["code"] == "not_allowed"


def test_unknown_tracking_code_is_404(api):
    assert api.get("/api/v1/reports/HUE-2222-3333").status_code == 404
    assert api.get("/api/v1/reports/garbage").status_code == 404


def test_categories_grouped_by_field(api):
    categories = api.get("/api/v1/categories").json["categories"]
    fields = {c["field"]["code"] for c in categories}
    assert {"environment", "traffic", "infrastructure", "fire", "administration", "other"} <= fields
    garbage = next(c for c in categories if c["code"] == "garbage")
    assert garbage["name"]["vi"] and garbage["name"]["en"] == "Garbage"
