"""The database itself refuses what the application never writes (migration 0012): a direct or
buggy write cannot store an unknown status, a rating of 6, a negative count, an unknown role, or a
ward officer without a ward."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from store import db
from tests.helpers import make_report


@pytest.mark.parametrize("assignment", ["status = 'lost'", "priority = 'whenever'", "rating = 6",
                                        "rating = 0", "support_count = -1"])
def test_report_rules(app, assignment):
    report = make_report(app)
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.execute(text(f"UPDATE report SET {assignment} WHERE id = :id"), {"id": report.id})


@pytest.mark.parametrize("values", ["('x@t.vn', 'h', 'superuser', NULL)", "('y@t.vn', 'h', 'officer', NULL)"])
def test_staff_rules(values):
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.execute(text("INSERT INTO staff_user (email, password_hash, role, ward_code, fields, "
                                    "display_name, active, created_at, session_token) "
                                    f"SELECT e, p, r, w, '[]', '', true, now(), md5(e) FROM (VALUES {values}) AS v(e, p, r, w)"))


def test_an_event_written_by_raw_sql_is_internal_by_default(app):
    report = make_report(app)
    db.session.execute(text("INSERT INTO report_event (report_id, kind, actor, data, created_at) "
                            "VALUES (:id, 'raw', 'system', '{}', now())"), {"id": report.id})
    assert db.session.execute(text("SELECT public FROM report_event WHERE kind = 'raw' AND report_id = :id"),
                              {"id": report.id}).scalar_one() is False


def test_only_a_residents_own_words_can_be_erased_from_the_trail(app):
    """The trail is append-only (migration 0005) but for one change a deletion request needs
    (migration 0037): a resident's words set to NULL, nothing else of the event."""
    import pytest
    from sqlalchemy import text
    from sqlalchemy.exc import InternalError

    from reports.workflow.lifecycle import record_event
    from store import db
    from tests.helpers import make_report
    report = make_report(app)
    words = record_event(report, "resident_comment", "resident", public=False, message="Nhà tôi số 12", about="reopened")
    note = record_event(report, "note", "officer@t.vn", public=False, message="Gọi lại chiều nay")
    db.session.commit()
    for statement, event in (("UPDATE report_event SET message = 'khác' WHERE id = :id", words),
                             ("UPDATE report_event SET message = NULL, public = true WHERE id = :id", words),
                             ("UPDATE report_event SET message = NULL WHERE id = :id", note)):
        with pytest.raises(InternalError, match="append-only"):
            with db.session.begin_nested():
                db.session.execute(text(statement), {"id": event.id})
    db.session.execute(text("UPDATE report_event SET message = NULL WHERE id = :id"), {"id": words.id})
    assert db.session.execute(text("SELECT message FROM report_event WHERE id = :id"), {"id": words.id}).scalar() is None
