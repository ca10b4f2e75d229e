"""ReportFilter's conditions are written once each, in two forms (ORM and SQL: reports.queries.filters.
CONDITIONS): for every condition, alone and combined, both forms select the same reports."""
from datetime import timedelta

import pytest
from sqlalchemy import select, text

from reports.models import Report
from reports.queries.filters import CONDITIONS, ReportFilter
from store import db, utcnow
from tests.helpers import KIM_LONG, PHU_XUAN, make_report

NOW = utcnow()


@pytest.fixture
def varied(app, staff):
    made = []
    for i, (ward, category, status, priority, age_h, late_h) in enumerate((
            (PHU_XUAN, "garbage", "received", "normal", 2, None),
            (PHU_XUAN, "pothole", "assigned", "urgent", 50, -3),
            (KIM_LONG, "garbage", "resolved", "normal", 400, -30),
            (KIM_LONG, "drainage_flooding", "in_progress", "urgent", 10, 5),
            (PHU_XUAN, "tree", "rejected", "normal", 1000, None))):
        report = make_report(app, ward=ward, category=category, description=f"Bộ lọc {i}")
        report.status, report.priority = status, priority
        report.created_at = NOW - timedelta(hours=age_h)
        report.deadline_at = None if late_h is None else NOW + timedelta(hours=late_h)
        report.assignee_id = staff["officer"].id if status == "assigned" else None
        report.hidden = status == "in_progress"  # one hidden report: PUBLIC leaves it out
        made.append(report)
    db.session.commit()
    return made


def _filters(varied, staff) -> list[ReportFilter]:
    ward_id = varied[0].ward_id
    return [ReportFilter(start=NOW - timedelta(days=3)), ReportFilter(end=NOW - timedelta(days=1)), ReportFilter(days=1),
            ReportFilter(category="garbage"), ReportFilter(field_code="environment"),
            ReportFilter(categories=("pothole", "drainage_flooding")), ReportFilter(status="open"), ReportFilter(status="closed"),
            ReportFilter(status="resolved"), ReportFilter(priority="urgent"), ReportFilter(ward=KIM_LONG),
            ReportFilter(province="46"), ReportFilter(ward_ids=(ward_id,)), ReportFilter(ward_ids=(ward_id, -1)),
            ReportFilter(ward_ids=()), ReportFilter(overdue_at=NOW), ReportFilter(assignee="none"),
            ReportFilter(assignee=str(staff["officer"].id)), ReportFilter(tracking_codes=(varied[1].tracking_code,)),
            ReportFilter(bbox=(107.0, 16.0, 108.0, 17.0)), ReportFilter(public=True),
            ReportFilter(public=True, status="open", ward=KIM_LONG),
            ReportFilter(status="open", priority="urgent", ward=PHU_XUAN, overdue_at=NOW, days=5)]


def test_every_condition_is_tested():
    assert len(CONDITIONS) == 19


def test_both_forms_select_the_same_reports(varied, staff):
    ids = [r.id for r in varied]
    for f in _filters(varied, staff):
        by_orm = set(db.session.scalars(select(Report.id).where(Report.id.in_(ids), *f.conditions())))
        by_sql = set(db.session.scalars(text(f"SELECT r.id FROM report r WHERE r.id = ANY(:ids) AND {f.sql()}"),
                                        {**f.params(), "ids": ids}))
        assert by_orm == by_sql, f
    # and the filters do select: not every one all or nothing
    sizes = {len(set(db.session.scalars(select(Report.id).where(Report.id.in_(ids), *f.conditions()))))
             for f in _filters(varied, staff)}
    assert len(sizes) >= 4
