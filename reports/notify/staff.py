"""Staff notifications: an officer hears of a new assignment at once and of a deadline coming
(``REMINDER_MINUTES`` before it); a ward lead gets a morning digest of the ward's overdue reports.
Each message is deduplicated (per assignment event, per report and deadline, per lead and day)."""
from datetime import datetime, timedelta

from sqlalchemy import func, select

from geo.wards import units_of_ward
from reports.accounts.staff import StaffUser
from reports.models import Report
from reports.notify.models import Job
from reports.notify.queue import enqueue
from reports.overdue import overdue
from reports.states import OPEN_STATUSES
from store import db, utcnow


def assignment(job: Job) -> None:
    """``staff_assignment``: the officer now holding the report is told."""
    report = db.session.get(Report, job.event.report_id)
    if report is not None and report.assignee_id is not None:
        enqueue("email", {"template": "staff_assigned", "staff_id": report.assignee_id, "report_id": report.id},
                dedupe_key=f"assigned:{job.event.id}")


def enqueue_reminders(now: datetime, before: timedelta) -> None:
    """Open, assigned reports whose deadline falls within ``before`` from ``now``."""
    rows = db.session.execute(select(Report.id, Report.assignee_id, Report.deadline_at).where(
        Report.status.in_(OPEN_STATUSES), Report.assignee_id.is_not(None),
        Report.deadline_at > now, Report.deadline_at <= now + before))
    for report_id, staff_id, deadline in rows:
        enqueue("email", {"template": "staff_reminder", "staff_id": staff_id, "report_id": report_id},
                dedupe_key=f"remind:{report_id}:{deadline:%Y%m%d%H%M}")


def enqueue_overdue_digests(day: str) -> None:
    for staff_id in db.session.scalars(select(StaffUser.id).where(StaffUser.role == "ward_lead", StaffUser.active)):
        enqueue("email", {"template": "staff_overdue", "staff_id": staff_id, "day": day},
                dedupe_key=f"overdue:{staff_id}:{day}")


def overdue_reports(ward_code: str, now: datetime, limit: int = 100) -> list[Report]:
    return list(db.session.scalars(select(Report).where(
        Report.ward_id.in_(units_of_ward(ward_code)), overdue(now))
        .order_by(Report.deadline_at).limit(limit)))


def password_reset_job(job) -> None:
    """``password_reset``: the account of the typed address, if any, gets its link (at most one
    message an hour per account)."""
    user = db.session.scalar(select(StaffUser).where(
        StaffUser.active, func.encode(func.sha256(func.convert_to(StaffUser.email, "UTF8")), "hex")
        == job.payload.get("email_sha256", "")))
    if user is not None:
        enqueue("email", {"template": "staff_password_reset", "staff_id": user.id},
                dedupe_key=f"password-reset:{user.id}:{utcnow():%Y%m%d%H}")
