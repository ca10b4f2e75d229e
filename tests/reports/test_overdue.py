"""Overdue is one rule in three forms (reports.overdue): on a loaded report, as an ORM condition and as
SQL. They select the same reports, across every status and deadlines past, future and missing."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import select, text

from reports.models import Report
from reports.overdue import is_overdue, overdue, overdue_sql
from reports.states import OPEN_STATUSES, STATUS_TYPES
from store import db
from tests.helpers import make_report

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=timezone.utc)


def test_the_three_forms_agree(app):
    made = []
    for status in STATUS_TYPES:
        for deadline in (NOW - timedelta(hours=3), NOW + timedelta(hours=3), None):
            report = make_report(app, description=f"Quá hạn? {status} {deadline}")
            report.status, report.deadline_at = status, deadline
            made.append(report)
    db.session.commit()
    ids = [r.id for r in made]
    by_python = {r.id for r in made if is_overdue(r, NOW)}
    by_orm = set(db.session.scalars(select(Report.id).where(Report.id.in_(ids), overdue(NOW))))
    by_sql = set(db.session.scalars(text(f"SELECT r.id FROM report r WHERE r.id = ANY(:ids) AND {overdue_sql('r', ':now')}"),
                                    {"ids": ids, "now": NOW, "open_statuses": list(OPEN_STATUSES)}))
    assert by_python == by_orm == by_sql and len(by_python) == len(OPEN_STATUSES)
