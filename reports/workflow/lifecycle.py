"""What happens to a report after it is filed: status changes, support, rating, reopening.

Every change leaves a :class:`ReportEvent`; the ones residents see are marked ``public``.
"""
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update

from reports.errors import InvalidReport, NotAllowedNow, ReportNotFound
from reports.models import RESIDENT, Report, ReportEvent
from reports.states import REJECTION_REASONS, TRANSITIONS, check_transition
from reports.text import clean_text
from reports.tracking import normalise_tracking_code
from reports.workflow.reporter_secret import require_reporter
from store import db, utcnow

REOPEN_WINDOW = timedelta(days=7)
MAX_COMMENT = 2000


BY_CODE = select(Report).where(Report.tracking_code == bindparam("code"))  # built once, run many times


def get_by_tracking_code(raw: str) -> Report:
    """The report of a tracking code (as typed or read aloud); or ReportNotFound."""
    code = normalise_tracking_code(raw)
    report = db.session.scalar(BY_CODE, {"code": code}) if code else None
    if report is None:
        raise ReportNotFound("no report has this tracking code", key="report_not_found")
    return report


def record_event(report: Report, kind: str, actor: str, public: bool = True, message: str | None = None,
                 role: str | None = None, channel: str | None = None, **data) -> ReportEvent:
    """Append one audit event (who, role, what, before → after in ``data``, when, channel)."""
    event = ReportEvent(kind=kind, actor=actor, actor_role=role, channel=channel, public=public,
                        message=message, data=data, created_at=utcnow())
    report.events.append(event)
    report.updated_at = event.created_at
    return event


def change_status(report: Report, new_status: str, actor: str, public_message: str | None = None,
                  reason: str | None = None, role: str | None = None, channel: str | None = None) -> ReportEvent:
    """Move ``report`` to ``new_status`` if the state machine allows it."""
    check_transition(report.status, new_status)
    if new_status == "rejected" and reason not in REJECTION_REASONS:
        raise InvalidReport(f"a rejection needs a reason: {', '.join(REJECTION_REASONS)}",
                            key="rejection_reason")
    now = utcnow()
    previous, report.status = report.status, new_status
    extra = {"reason": reason} if reason else {}
    if new_status == "resolved":
        report.resolved_at = now
        if report.deadline_at:
            extra["on_time"] = now <= report.deadline_at
    if public_message and report.first_response_at is None:
        report.first_response_at = now
    return record_event(report, new_status, actor, message=public_message, role=role, channel=channel,
                        before=previous, after=new_status, **extra)


def add_support(report: Report) -> int:
    """A resident says "me too" instead of filing a duplicate; return the new count. The count is
    raised by PostgreSQL itself (``n = n + 1``): concurrent supports are never lost."""
    if report.status_type != "open":
        raise NotAllowedNow("this report is already closed", key="support_closed")
    count = db.session.execute(update(Report).where(Report.id == report.id)
                               .values(support_count=Report.support_count + 1)
                               .returning(Report.support_count)).scalar_one()
    db.session.expire(report, ["support_count"])
    record_event(report, "supported", RESIDENT, public=False)
    return count


def rate(report: Report, rating, comment: str | None, secret: str | None) -> None:
    """Rate the answer 1–5, once, after resolution: the reporter only (their secret)."""
    require_reporter(report, secret)
    try:
        rating = int(rating)
    except (TypeError, ValueError):
        rating = 0
    if not 1 <= rating <= 5:
        raise InvalidReport("the rating must be a whole number from 1 to 5", key="invalid_rating")
    if report.status not in ("resolved", "closed"):
        raise NotAllowedNow("a report can be rated once it is resolved", key="rate_not_resolved")
    if report.rating is not None:
        raise NotAllowedNow("this report has already been rated", key="already_rated")
    report.rating = rating
    report.rating_comment = clean_text(comment, MAX_COMMENT)
    report.rated_at = utcnow()
    record_event(report, "rated", RESIDENT, rating=rating)


def reopen(report: Report, reason: str | None, secret: str | None) -> None:
    """Reopen within 7 days of resolution when the problem was not really fixed: the reporter only.
    The reopening is public; the reason is for the ward's staff (an internal ``resident_comment``): a
    resident's words are never published as the ward's answer, and may name the resident."""
    require_reporter(report, secret)
    if report.status != "resolved" or report.resolved_at is None:
        raise NotAllowedNow("only a resolved report can be reopened", key="reopen_not_resolved")
    if utcnow() - report.resolved_at > REOPEN_WINDOW:
        raise NotAllowedNow("reports can be reopened for 7 days after resolution",
                            key="reopen_too_late")
    reason = clean_text(reason, MAX_COMMENT)
    if not reason:
        raise InvalidReport("say what is still wrong", key="reopen_reason_required")
    change_status(report, "reopened", RESIDENT)
    record_event(report, "resident_comment", RESIDENT, public=False, message=reason, about="reopened")


def add_comment(report: Report, text: str | None) -> None:
    """A resident's words on an open report (the duplicate prompt's "add what I wrote"): for the ward's
    staff only, like every word a resident writes after the report is sent."""
    if report.status_type != "open":
        raise NotAllowedNow("this report is already closed", key="support_closed")
    text = clean_text(text, MAX_COMMENT)
    if not text:
        raise InvalidReport("write something first", key="comment_required")
    record_event(report, "resident_comment", RESIDENT, public=False, message=text, about="comment")


def hand_to(report: Report, officer, actor: str, now: datetime, rules, role: str | None = None,
            channel: str | None = None, **event_data) -> None:
    """Give ``report`` to ``officer`` — the one way a report is assigned (the desk, routing): the assignee
    and the time, the ``assigned`` status where the workflow allows it, the answer deadline counted from
    now (``rules``: ``reports.workflow.deadlines``) and one ``officer_assigned`` event (before → after)."""
    before = report.assignee.email if report.assignee else None
    report.assignee, report.assigned_at = officer, now
    if "assigned" in TRANSITIONS.get(report.status, set()):
        change_status(report, "assigned", actor, role=role, channel=channel)
    report.deadline_at = rules.resolve_by(report.priority, report.created_at or now, now)
    record_event(report, "officer_assigned", actor, public=False, role=role, channel=channel, before=before,
                 after=officer.email, deadline_at=report.deadline_at.isoformat(), **event_data)
