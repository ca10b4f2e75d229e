"""What the leaders' figures count, as SQL conditions on a report aliased ``r``: one definition for the
figures computed from the reports (``dashboard.WARD_FIGURES_SQL``), the rows the worker keeps per day
(``daily.FOLD_SQL``) and the reports a kept period still reads itself (``dashboard.KEPT_WARD_COUNTS_SQL``),
so that "on time" or "due" can never mean two things on one dashboard. ``:open_statuses`` is bound by
the caller (``reports.states.OPEN_STATUSES``). ``WARD_FIGURES_SQL`` counts the reopened reports by a
join on the same events (``kind = 'reopened'``, read from their partial index) rather than ``REOPENED``
per report: one scan of the events instead of a probe for each of half a million reports.

A report is *due* once it is resolved or its deadline has passed while it is open; it is *on time* when
it was resolved by its deadline (one without a deadline is on time whenever resolved). The on-time rate
is on time / due.
"""
from reports.overdue import overdue_sql

OPEN = "r.status = ANY(:open_statuses)"
OVERDUE = overdue_sql("r", "now()")
RESOLVED = "r.resolved_at IS NOT NULL"
DUE = f"{RESOLVED} OR ({OVERDUE})"
ON_TIME = f"{RESOLVED} AND r.resolved_at <= coalesce(r.deadline_at, 'infinity')"
GOOD_RATING = "r.rating >= 4"
REOPENED = "EXISTS (SELECT 1 FROM report_event e WHERE e.report_id = r.id AND e.kind = 'reopened')"
