"""The ward's work queue: one page of reports (newest first), counts by status, deadline states.

Which reports is a :class:`reports.queries.filters.ReportFilter`, its scope (``ward_ids``) given by
``webapp.policy.visible_ward_ids``.
"""
from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, select

from reports.models import Report
from reports.overdue import is_overdue, overdue
from reports.queries.filters import ReportFilter
from reports.states import OPEN_STATUSES
from store import db, utcnow

NEAR_DUE = timedelta(hours=4)
PAGE_SIZE = 50


def deadline_state(report: Report, now: datetime) -> str:
    """``overdue``, ``near_due`` or ``ok`` (closed reports are always ``ok``)."""
    if is_overdue(report, now):
        return "overdue"
    if report.status not in OPEN_STATUSES or report.deadline_at is None:
        return "ok"
    return "near_due" if report.deadline_at - now < NEAR_DUE else "ok"


def lateness(report: Report, now: datetime) -> tuple[int, str] | None:
    """How late an open report is past its deadline: (n, "days") from a day on, else (n, "hours")."""
    if not is_overdue(report, now):
        return None
    hours = (now - report.deadline_at).total_seconds() / 3600
    return (int(hours // 24), "days") if hours >= 24 else (max(int(hours), 1), "hours")


SORTS = ("triage", "newest", "deadline")


def triage_order(now: datetime) -> tuple:
    """What to look at first: overdue reports, the most overdue first; then those waiting to be
    acknowledged, by their acknowledgement deadline; then the rest by their deadline."""
    late = overdue(now)
    waiting = Report.status.in_(("received", "reopened"))
    return (case((late, 0), else_=1), case((late, Report.deadline_at)).asc(), case((waiting, 0), else_=1),
            case((waiting, Report.ack_due_at), else_=Report.deadline_at).asc().nulls_last(), Report.id)


def queue(filters: ReportFilter, page: int = 1, sort: str = "triage") -> tuple[list[Report], int, dict]:
    """(reports of the page, total matching, counts by status under the other filters), in the order
    ``sort`` names: ``triage`` (:func:`triage_order`), ``newest`` or ``deadline`` (the nearest first)."""
    now = utcnow()
    where = and_(*filters.conditions())
    total = db.session.scalar(select(func.count()).select_from(Report).where(where))
    order = {"newest": (Report.created_at.desc(), Report.id.desc()),
             "deadline": (Report.deadline_at.asc().nulls_last(), Report.id)}.get(sort) or triage_order(now)
    rows = db.session.scalars(
        select(Report).where(where).order_by(*order)
        .limit(PAGE_SIZE).offset(max(page - 1, 0) * PAGE_SIZE)).all()
    other_filters = filters.without("status")
    counts = dict(db.session.execute(
        select(Report.status, func.count()).where(and_(*other_filters.conditions()))
        .group_by(Report.status)).all())
    counts["overdue"] = db.session.scalar(select(func.count()).select_from(Report).where(
        and_(*other_filters.conditions(), overdue(now))))
    return rows, total, counts
