"""Routing of new reports: where an administrator has chosen an officer for a field in a ward
(``FieldRoute``), a new report of that field there is assigned to that officer at once — accepted and
assigned by the system, the officer notified like any assignment — instead of waiting in the queue.
A route whose officer has left (deactivated, moved to another ward or field) is ignored.

A report that a boundary change moved to another ward starts over there as a transferred one does
(:func:`restart_in_new_ward`, called by ``reports.workflow.reassignment``)."""
from datetime import datetime

from sqlalchemy import bindparam, select, update

from reports.accounts.staff import StaffUser
from reports.models import FieldRoute, Report
from reports.states import OPEN_STATUSES
from reports.workflow.lifecycle import hand_to
from store import autocommit_read, db

_ROUTE, _STAFF = FieldRoute.__table__, StaffUser.__table__
# Built once, read through store.read (every submission asks; most wards route nothing).
ROUTED_OFFICER = select(_STAFF.c.id).join(_ROUTE, _ROUTE.c.staff_id == _STAFF.c.id).where(
    _ROUTE.c.ward_code == bindparam("ward"), _ROUTE.c.field == bindparam("field"), _STAFF.c.active,
    _STAFF.c.role == "officer", _STAFF.c.ward_code == bindparam("ward"))


def routed_officer(ward_code: str, field: str) -> StaffUser | None:
    rows = autocommit_read(ROUTED_OFFICER, {"ward": ward_code, "field": field}, prepared=True)
    staff_id = rows[0]["id"] if rows else None
    officer = db.session.get(StaffUser, staff_id) if staff_id is not None else None
    return officer if officer is not None and officer.handles(ward_code, field) else None


def route_new_report(report: Report, ward_code: str, field: str, now: datetime, rules) -> StaffUser | None:
    """Assign ``report`` (new, not flushed) to the routed officer, if any; return the officer."""
    officer = routed_officer(ward_code, field)
    if officer is None:
        return None
    report.accepted_at = now
    hand_to(report, officer, "system", now, rules, routed=True)  # received → assigned: the workflow's own step
    return officer


def restart_in_new_ward(report_ids: list[int]) -> None:
    """Open reports moved to another ward wait there as new ones (their assignee was cleared by the move)."""
    db.session.execute(update(Report).where(Report.id.in_(report_ids), Report.status.in_(OPEN_STATUSES),
                                            Report.status != "received").values(status="received"))
