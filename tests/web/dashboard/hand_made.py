"""The dashboard tests' hand-made reports: two wards of Huế whose right figures are known."""
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from reports.categories import Category, upsert_category
from reports.models import Report, ReportEvent
from store import db

NOW = datetime.now(timezone.utc)
PHU_XUAN = (107.5786, 16.4698)
KIM_LONG = (107.5435, 16.4575)


def ward_id(code):
    return db.session.execute(text("SELECT u.id FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id "
                                   "WHERE u.code = :c AND s.name = 'hue-wards-2025'"), {"c": code}).scalar()


def add(point, ward, days_ago, status="received", hours_to_resolve=None, deadline_h=72, first_h=None,
        rating=None, category="dash_a", reopened=False):
    created = NOW - timedelta(days=days_ago)
    category_id = db.session.query(Category.id).filter_by(code=category).scalar()
    report = Report(location=f"SRID=4326;POINT({point[0]} {point[1]})", ward_id=ward_id(ward), status=status,
                    category_id=category_id, tracking_code=None, created_at=created, updated_at=created,
                    deadline_at=created + timedelta(hours=deadline_h), description="fixture",
                    resolved_at=created + timedelta(hours=hours_to_resolve) if hours_to_resolve else None,
                    first_response_at=created + timedelta(hours=first_h) if first_h else None, rating=rating)
    if reopened:
        report.events = [ReportEvent(kind="reopened", public=True, created_at=created)]
    db.session.add(report)
    return report


# The fixture's own categories (field "other"), so that reports committed by browser and fuzz tests
# elsewhere in the run never enter these figures: every assertion filters on FIELD.
FIELD = "other"


def make_fixture_reports():
    upsert_category("dash_a", FIELD, "Mục kiểm thử A", "Fixture A")
    upsert_category("dash_b", FIELD, "Mục kiểm thử B", "Fixture B")
    db.session.flush()
    # Phú Xuân: 12 resolved (9 on time: 10 h vs a 72 h deadline; 3 late: 100 h), 3 open of which 1 overdue.
    for i in range(9):
        add(PHU_XUAN, "19753", 5, "resolved", hours_to_resolve=10, first_h=2, rating=5 if i < 6 else 3)
    for _ in range(3):
        add(PHU_XUAN, "19753", 5, "resolved", hours_to_resolve=100, first_h=4, rating=2, reopened=True)
    add(PHU_XUAN, "19753", 10, "received", deadline_h=24)      # overdue
    add(PHU_XUAN, "19753", 1, "received", deadline_h=72)       # not yet due
    add(PHU_XUAN, "19753", 1, "in_progress", deadline_h=72, category="dash_b")
    # Kim Long: 2 resolved only: a small sample.
    add(KIM_LONG, "19774", 3, "resolved", hours_to_resolve=5, first_h=1, rating=4)
    add(KIM_LONG, "19774", 3, "resolved", hours_to_resolve=7, first_h=1, rating=4)
    add(KIM_LONG, "19774", 60, "resolved", hours_to_resolve=7)  # outside a 30-day period
    db.session.flush()
