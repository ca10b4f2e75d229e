"""The ward's work queue: filters, counts by status, one page of reports (newest first).

The scope (which reports a user may see) comes from ``webapp.policy.report_scope`` as a SQL condition.
"""
from dataclasses import dataclass, fields
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, func, select

from geo.models import AdminUnit
from reports.categories import Category
from reports.errors import InvalidParameter
from reports.models import Report
from reports.states import OPEN_STATUSES, STATUS_TYPES
from store import db

NEAR_DUE = timedelta(hours=4)
PAGE_SIZE = 50


MAX_AGE_DAYS = 36_500  # a century (and timedelta stays in range)

@dataclass
class QueueFilters:
    status: str = ""
    field: str = ""
    category: str = ""
    priority: str = ""
    age_days: str = ""
    overdue: str = ""
    assignee: str = ""
    ward: str = ""

    @classmethod
    def from_args(cls, args) -> "QueueFilters":
        return cls(**{f.name: (args.get(f.name) or "").strip()[:50] for f in fields(cls)})

    def conditions(self, now: datetime) -> list:
        out = []
        if self.status in STATUS_TYPES:
            out.append(Report.status == self.status)
        elif self.status == "open":
            out.append(Report.status.in_(OPEN_STATUSES))
        # Category ids are looked up first: a literal list gives the planner one scan of the ward's
        # reports instead of one per category (measured by bench/desk.py).
        if self.field:
            ids = db.session.scalars(select(Category.id).where(Category.field == self.field)).all()
            out.append(Report.category_id.in_(ids))
        if self.category:
            ids = db.session.scalars(select(Category.id).where(Category.code == self.category)).all()
            out.append(Report.category_id.in_(ids))
        if self.priority:
            out.append(Report.priority == self.priority)
        if self.age_days and not (self.age_days.isdigit() and int(self.age_days) <= MAX_AGE_DAYS):
            raise InvalidParameter(f"age_days must be a whole number of days up to {MAX_AGE_DAYS}")
        if self.age_days:
            out.append(Report.created_at >= now - timedelta(days=int(self.age_days)))
        if self.overdue == "1":
            out += [Report.status.in_(OPEN_STATUSES), Report.deadline_at < now]
        if self.assignee == "none":
            out.append(Report.assignee_id.is_(None))
        elif self.assignee.isdigit():
            out.append(Report.assignee_id == int(self.assignee))
        if self.ward:
            out.append(Report.ward_id.in_(select(AdminUnit.id).where(AdminUnit.code == self.ward)))
        return out


def deadline_state(report: Report, now: datetime) -> str:
    """``overdue``, ``near_due`` or ``ok`` (closed reports are always ``ok``)."""
    if report.status not in OPEN_STATUSES or report.deadline_at is None:
        return "ok"
    if report.deadline_at < now:
        return "overdue"
    return "near_due" if report.deadline_at - now < NEAR_DUE else "ok"


def queue(scope, filters: QueueFilters, page: int = 1) -> tuple[list[Report], int, dict]:
    """(reports of the page, total matching, counts by status under the other filters)."""
    now = datetime.now(timezone.utc)
    where = and_(scope, *filters.conditions(now))
    total = db.session.scalar(select(func.count()).select_from(Report).where(where))
    rows = db.session.scalars(
        select(Report).where(where).order_by(Report.created_at.desc())
        .limit(PAGE_SIZE).offset(max(page - 1, 0) * PAGE_SIZE)).all()
    unfiltered_status = QueueFilters(**{**filters.__dict__, "status": ""})
    counts = dict(db.session.execute(
        select(Report.status, func.count()).where(and_(scope, *unfiltered_status.conditions(now)))
        .group_by(Report.status)).all())
    counts["overdue"] = db.session.scalar(select(func.count()).select_from(Report).where(
        and_(scope, *unfiltered_status.conditions(now), Report.status.in_(OPEN_STATUSES),
             Report.deadline_at < now)))
    return rows, total, counts
