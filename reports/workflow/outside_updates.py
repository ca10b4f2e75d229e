"""Updates that outside systems (a city's CRM, over Open311's ``servicerequestupdates``) add to a
report, and the public updates they read back (mySociety's GeoReport v2 extension).

An outside update is a public event: ``closed`` resolves an open report, ``open`` reopens a closed
one, otherwise it is a reply. It is idempotent by the sender's ``update_id`` (kept in the event's
data), and refused for a hidden report.
"""
from datetime import datetime

from sqlalchemy import select

from reports.errors import InvalidReport, NotAllowedNow
from reports.models import Report, ReportEvent
from reports.states import TRANSITIONS
from reports.text import clean_text
from reports.workflow.lifecycle import change_status, record_event
from store import db

# Public events an outside system may read as updates.
UPDATE_KINDS = ("accepted", "assigned", "in_progress", "reply", "resolved", "rejected", "reopened", "closed",
                "transferred", "result_photo")
MAX_UPDATE_ID = 100


def find_updates(start: datetime, end: datetime, limit: int) -> list[tuple[ReportEvent, Report]]:
    """Public update events in ``start`` ≤ time < ``end``, oldest first."""
    return list(db.session.execute(
        select(ReportEvent, Report).join(Report, Report.id == ReportEvent.report_id)
        .where(ReportEvent.public.is_(True), ReportEvent.kind.in_(UPDATE_KINDS), Report.tracking_code.is_not(None),
               ReportEvent.created_at >= start, ReportEvent.created_at < end)
        .order_by(ReportEvent.created_at, ReportEvent.id).limit(limit)).all())


def add_outside_update(report: Report, update_id: str, status: str, description: str | None,
                       source: str) -> tuple[ReportEvent, bool]:
    """Record the update; return ``(event, created)`` (``created`` False for a repeated update_id)."""
    update_id = (update_id or "").strip()
    if not update_id or len(update_id) > MAX_UPDATE_ID:
        raise InvalidReport("update_id is required (at most 100 characters)", key="invalid_request")
    if status not in ("open", "closed"):
        raise InvalidReport("status must be open or closed", key="invalid_request")
    if report.hidden:
        raise NotAllowedNow("this report is hidden", key="not_found")
    existing = db.session.scalar(select(ReportEvent).where(
        ReportEvent.report_id == report.id, ReportEvent.data["external_update_id"].astext == update_id))
    if existing is not None:
        return existing, False
    message = clean_text(description, 4000)
    actor = f"open311:{source}"
    if status == "closed" and report.status_type == "open" and "resolved" in TRANSITIONS.get(report.status, ()):
        event = change_status(report, "resolved", actor, public_message=message, channel="open311")
    elif status == "open" and report.status_type == "closed" and "reopened" in TRANSITIONS.get(report.status, ()):
        event = change_status(report, "reopened", actor, public_message=message, channel="open311")
    else:
        if not message:
            raise InvalidReport("description is required", key="staff_text_required")
        event = record_event(report, "reply", actor, public=True, message=message, channel="open311")
    event.data = {**(event.data or {}), "external_update_id": update_id}
    return event, True
