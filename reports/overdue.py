"""Overdue: a report still open whose deadline has passed. The one rule, in the three forms the code
needs — on a loaded report (:func:`is_overdue`), as an ORM condition (:func:`overdue`) and as SQL on a
report aliased ``r`` (:func:`overdue_sql`, ``:open_statuses`` bound by the caller from
``reports.states.OPEN_STATUSES``) — so that the desk, its map, the reminders and the leaders' figures
can never disagree about which reports are late. ``tests/reports/test_overdue.py`` checks that the
three select the same reports."""
from datetime import datetime

from sqlalchemy import and_

from reports.models import Report
from reports.states import OPEN_STATUSES


def is_overdue(report: Report, now: datetime) -> bool:
    return report.status in OPEN_STATUSES and report.deadline_at is not None and report.deadline_at < now


def overdue(now) -> object:
    """The ORM condition; ``now`` a datetime or a SQL expression."""
    return and_(Report.status.in_(OPEN_STATUSES), Report.deadline_at < now)


def overdue_sql(alias: str = "r", now: str = "now()") -> str:
    """The SQL condition on ``report`` ``alias``; ``now`` a bind parameter (``:now``) or SQL."""
    return f"{alias}.status = ANY(:open_statuses) AND {alias}.deadline_at < {now}"
