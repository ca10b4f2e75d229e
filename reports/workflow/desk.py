"""What a ward does with a report: accept, classify, prioritise, assign, reply, transfer, merge,
hide, attach result photos. Each action appends an audit event naming the actor and the role.

Access (which staff may call these on which report) is decided by ``webapp.policy``; this module
checks the domain rules (an officer of the right ward and field, a ward in force, ...).
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from sqlalchemy import update

from geo.wards import ward_in_force
from reports.accounts.staff import StaffUser
from reports.categories import PRIORITIES, Category, active_category
from reports.errors import InvalidReport, ReportNotFound
from reports.models import Report
from reports.photos.attach import attach_photo
from reports.photos.processing import process_photo
from reports.photos.storage import PhotoStorage
from reports.text import clean_text
from reports.workflow.deadlines import DEFAULT_RULES, DeadlineRules
from reports.workflow.lifecycle import change_status, get_by_tracking_code, hand_to, record_event
from store import db, utcnow

MAX_TEXT = 4000


@dataclass(frozen=True)
class Actor:
    """Who acts: the staff account (or ``resident``), its role, and the channel of the action."""

    name: str
    role: str
    channel: str = "desk"


def _now() -> datetime:
    return utcnow()


def _text(value: str | None, what: str) -> str:
    value = clean_text(value, MAX_TEXT)
    if not value:
        raise InvalidReport(f"{what} is required", key="staff_text_required")
    return value


def _log(report: Report, kind: str, actor: Actor, public: bool = False, message: str | None = None, **data):
    return record_event(report, kind, actor.name, public=public, message=message, role=actor.role,
                        channel=actor.channel, **data)


def accept(report: Report, actor: Actor) -> None:
    change_status(report, "accepted", actor.name, role=actor.role, channel=actor.channel)
    report.accepted_at = _now()
    report.events[-1].data = {**report.events[-1].data,
                              "on_time": bool(report.ack_due_at is None or report.accepted_at <= report.ack_due_at)}


def change_category(report: Report, actor: Actor, category_code: str) -> None:
    found = active_category(category_code)
    if found is None:
        raise InvalidReport(f"unknown category {category_code!r}", key="unknown_category")
    category = db.session.get(Category, found.id)
    before = report.category.code if report.category else None
    report.category = category
    _log(report, "category_changed", actor, before=before, after=category.code, field=category.field)


def set_priority(report: Report, actor: Actor, priority: str, rules: DeadlineRules = DEFAULT_RULES) -> None:
    if priority not in PRIORITIES:
        raise InvalidReport(f"priority must be one of {', '.join(PRIORITIES)}", key="invalid_request")
    before, report.priority = report.priority, priority
    report.deadline_at = rules.resolve_by(priority, report.created_at, report.assigned_at)
    _log(report, "priority_changed", actor, before=before, after=priority,
         deadline_at=report.deadline_at.isoformat())


def ward_staff(report: Report) -> list[StaffUser]:
    """Every active staff member of the report's ward (officers and ward leads), by name."""
    if report.ward is None:
        return []
    staff = db.session.query(StaffUser).filter(StaffUser.active, StaffUser.ward_code == report.ward.code,
                                               StaffUser.role.in_(("officer", "ward_lead"))).all()
    return sorted(staff, key=lambda user: (user.label.lower(), user.id))


def officers_for(report: Report) -> list[StaffUser]:
    """Active officers of the report's ward whose fields include the report's field: those to ask first."""
    field = report.category.field if report.category else None
    return [s for s in ward_staff(report) if s.handles(s.ward_code, field)]


def assignable(report: Report) -> tuple[list[StaffUser], list[StaffUser]]:
    """Who may take the report: the officers of its field first, then everyone else of its ward (the
    ward lead, officers of other fields). Every report can be assigned to somebody of its ward, even where
    nobody handles its field yet."""
    first = officers_for(report)
    return first, [s for s in ward_staff(report) if s not in first]


def assign(report: Report, actor: Actor, officer_id: int, rules: DeadlineRules = DEFAULT_RULES) -> None:
    """Give the report to a staff member of its ward (``assignable``): the officer of its field, or,
    where none is, the ward lead or another officer of the ward."""
    officer = next((s for s in ward_staff(report) if s.id == officer_id), None)
    if officer is None:
        raise InvalidReport("choose a staff member of this report's ward", key="assignee_not_in_ward")
    hand_to(report, officer, actor.name, _now(), rules, role=actor.role, channel=actor.channel)


def reply(report: Report, actor: Actor, message: str) -> None:
    """A public answer to the resident (shown on the tracking page)."""
    _log(report, "reply", actor, public=True, message=_text(message, "a reply"))
    report.first_response_at = report.first_response_at or _now()


def note(report: Report, actor: Actor, message: str) -> None:
    """An internal note: never shown to the public."""
    _log(report, "note", actor, message=_text(message, "a note"))


def set_status(report: Report, actor: Actor, status: str, reason: str | None = None,
               message: str | None = None) -> None:
    change_status(report, status, actor.name, public_message=clean_text(message, MAX_TEXT),
                  reason=reason or None, role=actor.role, channel=actor.channel)


def transfer(report: Report, actor: Actor, ward_code: str, reason: str) -> None:
    """Send the report to another ward (when the pin really lies elsewhere); it starts over there."""
    target = ward_in_force((ward_code or "").strip())
    if target is None or target.id == report.ward_id:
        raise InvalidReport("choose another ward in force", key="invalid_request")
    before = {"code": report.ward.code, "name": report.ward.name}
    report.ward_id, report.assignee, report.status = target.id, None, "received"
    _log(report, "transferred", actor, public=True, message=_text(reason, "a reason"),
         from_code=before["code"], from_name=before["name"], to_code=ward_code, to_name=target.name)


def mark_duplicate(report: Report, actor: Actor, original_code: str,
                   may_see: Callable[[Report], bool]) -> Report:
    """Close ``report`` as a duplicate of ``original_code``; its supporters join the original.

    The original is a second report the actor changes: it must be one ``may_see`` allows (else it
    answers as unknown, like any report of another ward) and still open."""
    try:
        original = get_by_tracking_code(original_code)
    except ReportNotFound:
        original = None
    if original is None or not may_see(original):
        raise InvalidReport("no report has this tracking code", key="report_not_found")
    if original.id == report.id or original.duplicate_of_id == report.id:
        raise InvalidReport("a report cannot duplicate itself", key="invalid_request")
    if original.status_type != "open":
        raise InvalidReport("the original report must be open", key="original_closed")
    change_status(report, "rejected", actor.name, reason="duplicate", role=actor.role, channel=actor.channel)
    report.duplicate_of = original
    db.session.execute(update(Report).where(Report.id == original.id)
                       .values(support_count=Report.support_count + 1 + report.support_count))
    db.session.refresh(original, ["support_count"])
    _log(original, "duplicate_merged", actor, merged=report.tracking_code,
         support_count=original.support_count)
    return original


def hide(report: Report, actor: Actor, reason: str) -> None:
    """Hide the resident's text and photos from the public; the original stays for the audit."""
    report.hidden, report.hidden_reason = True, _text(reason, "a reason")
    _log(report, "hidden", actor, reason_text=report.hidden_reason)


def add_result_photo(report: Report, actor: Actor, data: bytes, storage: PhotoStorage) -> None:
    image_key = attach_photo(report, process_photo(data), storage, kind="result")
    _log(report, "result_photo", actor, public=True, photo=image_key)


def answer(report: Report, actor: Actor, message: str | None, photo: bytes | None, resolve: bool,
           storage: PhotoStorage) -> None:
    """The officer's answer in one step: a public reply, a result photo, and the report marked resolved
    (any of them; at least one). All or nothing: the caller commits once."""
    message = clean_text(message, MAX_TEXT)
    if not (message or photo or resolve):
        raise InvalidReport("write a reply, add a photo or mark the report resolved", key="staff_text_required")
    if message and not resolve:
        reply(report, actor, message)
    if photo:
        add_result_photo(report, actor, photo, storage)
    if resolve:
        set_status(report, actor, "resolved", message=message)


# What the desk offers first for each state; everything else sits in the secondary menu.
NEXT_STEP = {"received": "accept", "reopened": "accept", "accepted": "assign", "assigned": "answer",
             "in_progress": "answer"}


def next_step(report: Report) -> str | None:
    """``accept``, ``assign``, ``answer`` or None (nothing left but the secondary actions)."""
    return NEXT_STEP.get(report.status)
