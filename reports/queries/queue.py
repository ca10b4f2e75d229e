"""The ward's work queue: one page of reports (newest first), counts by status, deadline states.

Which reports is a :class:`reports.queries.filters.ReportFilter`, its scope (``ward_ids``) given by
``webapp.policy.visible_ward_ids``.
"""
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, func, select

from reports.models import Report
from reports.queries.filters import ReportFilter
from reports.states import OPEN_STATUSES
from store import db

NEAR_DUE = timedelta(hours=4)
PAGE_SIZE = 50


def deadline_state(report: Report, now: datetime) -> str:
    """``overdue``, ``near_due`` or ``ok`` (closed reports are always ``ok``)."""
    if report.status not in OPEN_STATUSES or report.deadline_at is None:
        return "ok"
    if report.deadline_at < now:
        return "overdue"
    return "near_due" if report.deadline_at - now < NEAR_DUE else "ok"


def lateness(report: Report, now: datetime) -> tuple[int, str] | None:
    """How late an open report is past its deadline: (n, "days") from a day on, else (n, "hours")."""
    if report.deadline_at is None or report.status_type != "open" or report.deadline_at >= now:
        return None
    hours = (now - report.deadline_at).total_seconds() / 3600
    return (int(hours // 24), "days") if hours >= 24 else (max(int(hours), 1), "hours")


def queue(filters: ReportFilter, page: int = 1) -> tuple[list[Report], int, dict]:
    """(reports of the page, total matching, counts by status under the other filters)."""
    now = datetime.now(timezone.utc)
    where = and_(*filters.conditions())
    total = db.session.scalar(select(func.count()).select_from(Report).where(where))
    # The overdue list, latest first (the most overdue at the top); otherwise the newest first.
    order = (Report.deadline_at.asc(), Report.id) if filters.overdue_at else (Report.created_at.desc(),)
    rows = db.session.scalars(
        select(Report).where(where).order_by(*order)
        .limit(PAGE_SIZE).offset(max(page - 1, 0) * PAGE_SIZE)).all()
    other_filters = filters.without("status")
    counts = dict(db.session.execute(
        select(Report.status, func.count()).where(and_(*other_filters.conditions()))
        .group_by(Report.status)).all())
    counts["overdue"] = db.session.scalar(select(func.count()).select_from(Report).where(
        and_(*other_filters.conditions(), Report.status.in_(OPEN_STATUSES), Report.deadline_at < now)))
    return rows, total, counts
