"""Every event its job, kept by the database (migration 0027's trigger, frozen history):
``reports.notify.updates.NOTIFY_KINDS`` declares which kinds notify, and these tests hold the trigger
to it for every kind of event there is, for writes through the ORM session and for plain SQL alike,
one job per event, in the events' order."""
from sqlalchemy import select, text

from reports.models import ReportEvent
from reports.notify.models import Job
from reports.notify.updates import NOTIFY_KINDS
from store import db, utcnow
from tests.helpers import make_report
from webapp.names import EVENT_NAMES

# Every kind of event a report's history may hold (the names the pages give them), and more.
KINDS = sorted({*NOTIFY_KINDS, *EVENT_NAMES, "status_changed"})


def jobs_of(event_ids) -> dict[int, list[str]]:
    rows = db.session.execute(select(Job.report_event_id, Job.kind).where(Job.report_event_id.in_(event_ids))
                              .order_by(Job.id)).all()
    found: dict[int, list[str]] = {}
    for event_id, kind in rows:
        found.setdefault(event_id, []).append(kind)
    return found


def expected(kind: str, public: bool) -> list[str]:
    if kind == "officer_assigned":
        return ["staff_assignment"]
    if not public:
        return []
    return {"received": ["area_alerts"], **{k: ["report_update"] for k in NOTIFY_KINDS}}.get(kind, [])


def test_a_new_report_starts_its_area_alerts(app):
    report = make_report(app)
    events = {e.kind: e.id for e in report.events}
    assert jobs_of(list(events.values())) == {events["received"]: ["area_alerts"]}


def test_each_kind_through_the_orm(app):
    report = make_report(app)
    added = []
    for public in (True, False):
        for kind in KINDS:
            event = ReportEvent(report_id=report.id, kind=kind, public=public, created_at=utcnow(), actor="test")
            db.session.add(event)
            added.append(event)
    db.session.flush()
    found = jobs_of([e.id for e in added])
    for event in added:
        assert found.get(event.id, []) == expected(event.kind, event.public), (event.kind, event.public)


def test_plain_sql_gets_the_same_jobs_in_order(app):
    """A writer outside the ORM (a script, a bulk import) cannot forget them either: one statement
    adding several events gets one job each, ordered as the events."""
    report = make_report(app)
    ids = db.session.scalars(text("""
        INSERT INTO report_event (report_id, kind, public, created_at, actor, data)
        SELECT :report, kind, true, now(), 'script', '{}'::jsonb FROM unnest(CAST(:kinds AS text[])) WITH ORDINALITY AS k(kind, n)
         ORDER BY n RETURNING id"""), {"report": report.id, "kinds": ["reply", "note", "resolved", "reopened"]}).all()
    jobs = db.session.execute(select(Job.report_event_id, Job.kind).where(Job.report_event_id.in_(ids))
                              .order_by(Job.id)).all()
    assert [tuple(j) for j in jobs] == [(ids[0], "report_update"), (ids[2], "report_update"), (ids[3], "report_update")]
    assert all(job.payload == {} and job.attempts == 0 and job.done_at is None
               for job in db.session.scalars(select(Job).where(Job.report_event_id.in_(ids))))


def test_events_that_start_nothing_add_no_job(app):
    report = make_report(app)
    before = db.session.scalar(select(db.func.count(Job.id)))
    db.session.add(ReportEvent(report_id=report.id, kind="note", public=False, created_at=utcnow(), actor="test"))
    db.session.flush()
    assert db.session.scalar(select(db.func.count(Job.id))) == before
