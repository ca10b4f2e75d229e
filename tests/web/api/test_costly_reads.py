"""Anonymous reads cost what a page costs (issue 28, finding 17): Open311's list loads a page of
reports in a few statements whatever its length; the map's points are at most 5,000, built by
PostgreSQL, without hidden reports; both are rate limited."""
import pytest
from sqlalchemy import event

from reports.workflow.desk import Actor, hide
from store import db
from tests.helpers import make_report
from tiles.points import public_report_points_json


@pytest.fixture
def statements(app):
    seen = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)
    engine = db.session.get_bind()
    engine = getattr(engine, "engine", engine)
    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def test_open311_lists_a_page_in_a_few_statements(app, client, statements):
    for n in range(25):
        make_report(app, description=f"Open311 trang {n}")
    statements.clear()
    response = client.get("/open311/v2/requests.json?page_size=25")
    assert response.status_code == 200 and len(response.json) == 25
    assert len(statements) <= 8, f"{len(statements)} statements for 25 requests"


def test_the_map_points_leave_out_hidden_reports_and_stop_at_their_limit(app, client):
    shown, hidden = make_report(app, description="Điểm công khai"), make_report(app, description="Điểm bị ẩn")
    hide(hidden, Actor("dispatcher@t.vn", "dispatcher"), "Nội dung vi phạm")
    db.session.commit()
    codes = [p[4] for p in client.get("/api/v1/reports/map").json["points"]]
    assert shown.tracking_code in codes and hidden.tracking_code not in codes
    import json
    assert len(json.loads(public_report_points_json(limit=1))["points"]) == 1


def test_costly_reads_are_rate_limited(app, client):
    app.config["ANONYMOUS_READ_RATE_LIMIT"] = "2 per minute"
    try:
        answers = [client.get("/api/v1/wards?province=46&simplify=200", environ_base={"REMOTE_ADDR": "203.0.113.9"})
                   .status_code for _ in range(3)]
    finally:
        app.config["ANONYMOUS_READ_RATE_LIMIT"] = "10000 per minute"
    assert answers == [200, 200, 429]
