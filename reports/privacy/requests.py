"""A person's requests about their personal data, answered within the deadlines of Decree 356/2025:
acknowledged within 2 working days; a copy or a correction within 10; withdrawing consent or
restricting within 15; deletion within 20 (settings ``PRIVACY_*_DAYS``, counted in working days on the
desk's calendar: weekends, public holidays and the days off at ``/admin/days-off`` do not count).

A request made with the report's key (the reporter's secret) is verified by it; one made by email
is verified by the link sent there (the answer never tells whether the address is known). Once
verified, a deletion, a withdrawal or a restriction is carried out by the worker after the
acknowledgement window — unless staff put it on hold with a reason (a legal duty to keep), which the
person is told by email — and an access request made with the key is answered at once with the copy.
What a deletion erases: the reporter's name, phone and email, their own words to the ward (the
rating's comment, the reasons to reopen), every subscription to the report, the originals of its photos (their public copies, faces blurred, stay), and the report's trail records that and when (never what). The report stays, anonymised, for the
ward's figures.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reports.accounts.staff import StaffUser
from reports.errors import InvalidReport
from reports.models import Report
from reports.notify.models import Subscription
from reports.notify.phones import CODE, new_proof_code
from reports.notify.queue import enqueue
from reports.photos.public_copy import make_public_copy, public_copy_ready
from reports.text import EMAIL, clean_text, mobile_number
from reports.workflow.lifecycle import record_event
from reports.workflow.reporter_secret import require_reporter
from store import db, utcnow

KINDS = ("access", "correct", "delete", "restrict", "withdraw")
CARRIED_OUT = ("delete", "restrict", "withdraw")  # by the worker; access and correct are answered by staff


class InvalidPrivacyRequest(InvalidReport):
    code = "invalid_privacy_request"


class PrivacyRequest(db.Model):
    __tablename__ = "privacy_request"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    status: Mapped[str] = mapped_column(String(10), default="received")
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id", ondelete="SET NULL"), nullable=True)
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    proof_code: Mapped[str | None] = mapped_column(String(10), nullable=True)  # a request by phone: "PA 123456"
    detail: Mapped[str] = mapped_column(Text, default="")
    hold_reason: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    acknowledge_by: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    report = relationship(Report)

    def public_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "status": self.status, "due_at": self.due_at.isoformat()}


@dataclass(frozen=True)
class Deadlines:
    calendar: object  # reports.workflow.deadlines.WorkCalendar
    days: dict

    def of(self, kind: str, received_at: datetime) -> tuple[datetime, datetime]:
        return (self.calendar.add_working_days(received_at, self.days["acknowledge"]),
                self.calendar.add_working_days(received_at, self.days[kind]))


def _new(kind: str, deadlines: Deadlines, detail: str | None, **fields) -> PrivacyRequest:
    if kind not in KINDS:
        raise InvalidPrivacyRequest(f"kind must be one of {', '.join(KINDS)}", key="invalid_privacy_request")
    now = utcnow()
    acknowledge_by, due_at = deadlines.of(kind, now)
    request = PrivacyRequest(kind=kind, received_at=now, acknowledge_by=acknowledge_by, due_at=due_at,
                             detail=clean_text(detail, 2000) or "", **fields)
    db.session.add(request)
    return request


def request_with_key(report: Report, secret: str | None, kind: str, deadlines: Deadlines,
                     detail: str | None = None) -> tuple[PrivacyRequest, dict | None]:
    """A request the report's key proves (checked here, as rating and reopening check it): verified
    now; an access request answered now with the copy (:func:`copy_of`, returned beside the request);
    the others queued for the worker after the acknowledgement window."""
    require_reporter(report, secret)
    request = _new(kind, deadlines, detail, report=report)
    request.status, request.verified_at = "verified", request.received_at
    db.session.flush()
    if kind == "access":
        request.status, request.done_at, request.answer = "done", request.received_at, "copy given at once"
    elif kind in CARRIED_OUT:
        enqueue("privacy_request", {"request_id": request.id}, run_at=request.acknowledge_by,
                dedupe_key=f"privacy-request:{request.id}")
    record_event(report, "privacy_request", "resident", public=False, role="resident", request_kind=kind)
    return request, copy_of(report) if kind == "access" else None


def request_by_email(email: str, kind: str, deadlines: Deadlines) -> PrivacyRequest | None:
    """A request from someone who no longer holds a report's key: recorded and a confirmation link sent
    to the address (the worker's email job), whether or not any report or subscription names it."""
    email = clean_text(email, 200) or ""
    if not EMAIL.match(email):
        raise InvalidPrivacyRequest("give a valid email address", key="invalid_privacy_request")
    request = _new(kind, deadlines, None, email=email.lower())
    db.session.flush()
    enqueue("email", {"template": "privacy_confirm", "privacy_request_id": request.id},
            dedupe_key=f"privacy-confirm:{request.id}")
    return request


def request_by_phone(phone: str, kind: str, deadlines: Deadlines) -> PrivacyRequest:
    """A request from a mobile number: recorded with a code that the number itself sends by SMS to the
    city's number (as a phone proves itself for updates: nothing is sent to a number that asked for
    nothing); the same answer whether or not any report names the number."""
    number = mobile_number(phone or "")
    if number is None:
        raise InvalidPrivacyRequest("give a Vietnamese mobile number", key="invalid_privacy_request")
    request = _new(kind, deadlines, None, phone=number, proof_code=new_proof_code())
    db.session.flush()
    return request


def verify_by_sms(sender: str, text: str) -> int:
    """An SMS the city's number received: the pending requests of that number carrying its code are
    confirmed (``webapp.api.hooks``). Returns how many."""
    number, match = mobile_number(sender or ""), CODE.search(text or "")
    if number is None or match is None:
        return 0
    pending = db.session.scalars(select(PrivacyRequest).where(
        PrivacyRequest.phone == number, PrivacyRequest.proof_code == f"PA {match.group(1)}",
        PrivacyRequest.status == "received")).all()
    for request in pending:
        request.proof_code = None
        verify(request)
    return len(pending)


def verify(request: PrivacyRequest) -> None:
    """The person proved the address (the link in the email): carried out after the acknowledgement window."""
    if request.status != "received":
        return
    request.status, request.verified_at = "verified", utcnow()
    if request.kind in CARRIED_OUT:
        enqueue("privacy_request", {"request_id": request.id}, run_at=max(request.acknowledge_by, request.verified_at),
                dedupe_key=f"privacy-request:{request.id}")


def reports_of(request: PrivacyRequest) -> list[Report]:
    if request.report is not None:
        return [request.report]
    if request.email:
        return list(db.session.scalars(select(Report).where(func.lower(Report.reporter_email) == request.email)))
    if request.phone:  # stored as typed: compared on the last nine digits (a rare job: a scan is fine)
        digits = func.right(func.regexp_replace(Report.reporter_phone, "[^0-9]", "", "g"), 9)
        return list(db.session.scalars(select(Report).where(Report.reporter_phone.is_not(None),
                                                            digits == request.phone[-9:])))
    return []


def carry_out(request: PrivacyRequest, now: datetime, storage=None) -> bool:
    """Do a verified deletion, withdrawal or restriction (the worker's job); False when it waits
    (on hold, not verified) or is done. A deletion also removes the photos' originals from ``storage``
    (their public copies, faces blurred, stay with the report)."""
    if request.status != "verified" or request.kind not in CARRIED_OUT:
        return False
    for report in reports_of(request):
        if request.kind == "delete":
            report.reporter_name = report.reporter_phone = report.reporter_email = None
            _erase_own_words(report)
            if storage is not None:
                _erase_originals(report, storage)
        if request.kind == "restrict":
            report.hide_identity = True  # the ward no longer sees who reported it
        if request.kind in ("delete", "withdraw"):
            db.session.execute(delete(Subscription).where(Subscription.report_id == report.id))
        record_event(report, "privacy_request_done", "system", public=False, request_kind=request.kind)
    if request.kind in ("delete", "withdraw") and request.email:
        db.session.execute(delete(Subscription).where(func.lower(Subscription.email) == request.email))
    if request.kind in ("delete", "withdraw") and request.phone:
        db.session.execute(delete(Subscription).where(Subscription.phone == request.phone))
    request.status, request.done_at = "done", now
    if request.kind == "delete":
        request.email = request.phone = None  # nothing of the person stays with the request either
    return True


def _erase_own_words(report: Report) -> None:
    """The reporter's own words to the ward: the rating's comment and the reasons given to reopen
    (other residents' comments on the report are theirs, and stay)."""
    report.rating_comment = None
    for event in report.events:
        if event.kind == "resident_comment" and (event.data or {}).get("about") == "reopened":
            event.message = None


def _erase_originals(report: Report, storage) -> None:
    for photo in report.photos:
        if not public_copy_ready(storage, photo.sha256):
            make_public_copy(storage, photo.sha256)  # the report keeps its public photo
        storage.delete(f"{photo.sha256}.jpg")
        storage.delete(f"{photo.sha256}_t.jpg")


def hold(request: PrivacyRequest, reason: str) -> None:
    reason = clean_text(reason, 1000) or ""
    if not reason:
        raise InvalidPrivacyRequest("a hold needs its reason (the legal duty to keep)", key="invalid_privacy_request")
    request.status, request.hold_reason = "on_hold", reason
    _email_the_person(request, "privacy_held")


def release(request: PrivacyRequest) -> None:
    if request.status == "on_hold":
        request.status = "verified" if request.verified_at else "received"
        if request.status == "verified" and request.kind in CARRIED_OUT:
            enqueue("privacy_request", {"request_id": request.id}, dedupe_key=f"privacy-request:{request.id}:again")


def answer(request: PrivacyRequest, text: str, now: datetime) -> None:
    """Staff's answer (a copy, a correction made): the request is done and the answer emailed to the
    person when an address is known, as a hold is."""
    request.answer, request.status, request.done_at = clean_text(text, 4000) or "", "done", now
    _email_the_person(request, "privacy_answer")


REMIND_BEFORE = timedelta(days=3)


def due_soon(now: datetime) -> list[PrivacyRequest]:
    """Requests not done whose answer is due within :data:`REMIND_BEFORE` (or late)."""
    return [r for r in open_requests() if r.due_at <= now + REMIND_BEFORE]


def enqueue_reminders(now: datetime, day: str) -> None:
    """Each morning, every administrator is told of the requests due soon (one email a day each)."""
    if not due_soon(now):
        return
    for staff_id in db.session.scalars(select(StaffUser.id).where(StaffUser.role == "admin", StaffUser.active)):
        enqueue("email", {"template": "staff_privacy_due", "staff_id": staff_id, "day": day},
                dedupe_key=f"privacy-due:{staff_id}:{day}")


def _email_the_person(request: PrivacyRequest, template: str) -> None:
    if request.email or (request.report is not None and request.report.reporter_email):
        enqueue("email", {"template": template, "privacy_request_id": request.id},
                dedupe_key=f"{template}:{request.id}:{utcnow().timestamp()}")


def open_requests() -> list[PrivacyRequest]:
    """Every request not done, the first due first."""
    return list(db.session.scalars(select(PrivacyRequest).where(PrivacyRequest.status != "done")
                                   .order_by(PrivacyRequest.due_at, PrivacyRequest.id)))


def copy_of(report: Report) -> dict:
    """Everything held about the reporter of ``report``: the report, its trail, its subscriptions and
    photos (a JSON document for the person)."""
    return {
        "report": {"tracking_code": report.tracking_code, "created_at": report.created_at.isoformat(),
                   "description": report.description, "status": report.status,
                   "name": report.reporter_name, "phone": report.reporter_phone, "email": report.reporter_email,
                   "show_identity_to_ward": not report.hide_identity, "notice_version": report.notice_version,
                   "rating": report.rating, "rating_comment": report.rating_comment},
        "events": [{"kind": e.kind, "at": e.created_at.isoformat(), "public": e.public, "message": e.message}
                   for e in report.events if e.public or e.actor_role == "resident"],
        "subscriptions": [{"channel": s.channel, "email": s.email, "phone": s.phone,
                           "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None}
                          for s in db.session.scalars(select(Subscription).where(Subscription.report_id == report.id))],
        "photos": [{"sha256": p.sha256, "kind": p.kind} for p in report.photos],
    }
