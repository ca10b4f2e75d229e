"""A new report written without the unit of work (``store.insert_new``): what the objects held is what
the database holds, and they behave afterwards as if loaded — changed, they are updated, not inserted."""
from sqlalchemy import func, select, text

from reports.models import Report, ReportEvent
from reports.workflow.lifecycle import change_status
from store import db, insert_new, utcnow
from tests.helpers import make_report


def test_the_report_and_its_events_are_written_as_held(app):
    report = make_report(app)  # submit_report → insert_new, then a commit (a savepoint here)
    stored = db.session.execute(text("""SELECT tracking_code, status, ward_id, category_id, reporter_name,
                                               ST_AsText(location) AS point, tile_key IS NOT NULL AS keyed
                                          FROM report WHERE id = :id"""), {"id": report.id}).mappings().one()
    assert stored["tracking_code"] == report.tracking_code and stored["status"] == "received"
    assert stored["ward_id"] == report.ward_id and stored["category_id"] == report.category_id
    assert stored["reporter_name"] == "Trần Thị Riêng Tư" and stored["keyed"]  # the generated column computed
    assert stored["point"].startswith("POINT(")
    events = db.session.execute(select(ReportEvent.id, ReportEvent.kind, ReportEvent.data, ReportEvent.actor)
                                .where(ReportEvent.report_id == report.id).order_by(ReportEvent.id)).all()
    assert [(e.kind, e.actor) for e in events] == [("received", "resident"), ("ward_assigned", "system")]
    assert events[1].data["ward_code"] and [e.id for e in report.events] == [e.id for e in events]


def test_the_objects_are_persistent_afterwards(app):
    report = make_report(app)
    count = db.session.scalar(select(func.count(Report.id)))
    change_status(report, "accepted", "officer@test")
    db.session.flush()  # an UPDATE and one more event, no second report
    assert db.session.scalar(select(func.count(Report.id))) == count
    assert db.session.scalar(select(Report.status).where(Report.id == report.id)) == "accepted"
    assert [e.kind for e in report.events][-1] == "accepted"
    assert db.session.get(Report, report.id) is report  # the session's own object, not a reload


def test_children_with_different_columns_go_in_one_statement(app):
    """Events setting different columns (a message on one only, data and time on one only) are written
    together: an unset column gets its default (NULL when it has none); ids come back in the objects' order."""
    now = utcnow()
    report = Report(tracking_code="HUE-TEST-INS1", location="SRID=4326;POINT(107.58 16.46)", description="x",
                    status="received", priority="normal", channel="web", created_at=now, updated_at=now)
    report.events = [ReportEvent(kind="received", public=True, actor="resident"),
                     ReportEvent(kind="note", public=False, created_at=now, actor="system", data={"n": 2},
                                 message="một ghi chú")]
    insert_new(report, "events", "photos")
    rows = db.session.execute(select(ReportEvent.id, ReportEvent.kind, ReportEvent.message, ReportEvent.data,
                                     ReportEvent.created_at)
                              .where(ReportEvent.report_id == report.id).order_by(ReportEvent.id)).all()
    assert [(r.kind, r.message, r.data) for r in rows] == [("received", None, {}), ("note", "một ghi chú", {"n": 2})]
    assert rows[0].created_at >= now  # utcnow(), the column's default
    assert [e.id for e in report.events] == [r.id for r in rows]
