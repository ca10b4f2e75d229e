"""Filing a report: validation, ward assignment, the duplicate check, photos, idempotency.

Everything is checked before anything is written; the caller commits. A retry with the same
idempotency key returns the first report, even when two retries race (the unique key decides).
"""
import re
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError

from geo import ward_for_point
from geo.coords import parse_lon_lat
from reports.categories import ActiveCategory, active_category
from reports.errors import InvalidReport, PossibleDuplicate
from reports.models import Report, ReportEvent
from reports.photos.attach import attach_photo
from reports.photos.processing import MAX_PHOTOS, process_photo
from reports.photos.storage import PhotoStorage
from reports.queries.nearby import nearby_open_reports
from reports.text import EMAIL, clean_text
from reports.tracking import new_tracking_code
from reports.workflow.deadlines import DEFAULT_RULES, DeadlineRules
from reports.workflow.reporter_secret import is_reporter, reporter_secret, secret_hash
from reports.workflow.routing import route_new_report
from store import db, insert_new, utcnow

MAX_DESCRIPTION = 4000
PHONE = re.compile(r"^\+?[0-9 .()-]{6,20}$")


@dataclass
class ReportInput:
    category: str
    description: str
    lat: object
    lon: object
    name: str | None = None
    phone: str | None = None
    email: str | None = None
    hide_identity: bool = True
    acknowledge_duplicate: bool = False
    channel: str = "web"
    recorded_by: str | None = None  # the officer who records a report received by phone, Zalo, ...
    recorded_role: str | None = None
    photos: list[bytes] = field(default_factory=list)
    # Generated on the phone and kept there (so a retried submission carries the same one); made here
    # when the client sends none. Rating, reopening and subscriptions require it.
    reporter_secret: str | None = None


def _validate(data: ReportInput) -> tuple[ActiveCategory, str, float, float]:
    """The category (its id, field and default priority), the cleaned description and the point."""
    category = active_category((data.category or "").strip())
    if category is None:
        raise InvalidReport(f"unknown category {data.category!r}", key="unknown_category")
    description = clean_text(data.description, MAX_DESCRIPTION + 1) or ""
    if not description:
        raise InvalidReport("a description is required", key="description_required")
    if len(description) > MAX_DESCRIPTION:
        raise InvalidReport(f"the description is longer than {MAX_DESCRIPTION} characters",
                            key="description_too_long")
    data.name, data.phone = clean_text(data.name, 200), clean_text(data.phone, 40)
    data.email = clean_text(data.email, 200)
    if data.email and not EMAIL.match(data.email):
        raise InvalidReport("the email address is not valid", key="invalid_email")
    if data.phone and not PHONE.match(data.phone):
        raise InvalidReport("the phone number is not valid", key="invalid_phone")
    if len(data.photos) > MAX_PHOTOS:
        raise InvalidReport(f"at most {MAX_PHOTOS} photos", key="too_many_photos")
    lon, lat = parse_lon_lat(data.lon, data.lat)
    return category, description, lon, lat


def duplicate_candidates(lon: float, lat: float, category: ActiveCategory) -> list[tuple[Report, float]]:
    """Open reports of the same category within 150 m (FixMyStreet's "is it one of these?")."""
    return nearby_open_reports(lon, lat, category.id, public=True)


def _replayed(report: Report, data: ReportInput) -> Report:
    """A retried submission gets its secret back only if it carries it (a phone's retry does)."""
    report.issued_secret = data.reporter_secret if is_reporter(report, data.reporter_secret) else None
    return report


def submit_report(data: ReportInput, storage: PhotoStorage, idempotency_key: str | None = None,
                  rules: DeadlineRules = DEFAULT_RULES) -> tuple[Report, bool]:
    """Return ``(report, created)``; ``created`` is False for a replayed idempotency key.

    A replay is found by the key's unique index when the insert fails (no lookup first: one round
    trip less for every submission); a submission with photos looks first, so that a phone's retry
    does not have its photos processed and stored again."""
    if idempotency_key and data.photos:
        existing = db.session.query(Report).filter_by(idempotency_key=idempotency_key).one_or_none()
        if existing is not None:
            return _replayed(existing, data), False
    category, description, lon, lat = _validate(data)
    secret = reporter_secret(data.reporter_secret)
    ward = ward_for_point(lon, lat)
    if not data.acknowledge_duplicate:
        candidates = duplicate_candidates(lon, lat, category)
        if candidates:
            raise PossibleDuplicate("open reports of this category lie nearby", candidates=candidates)
    processed = [process_photo(raw) for raw in data.photos]
    now = utcnow()
    report = Report(
        tracking_code=new_tracking_code(ward.province_code), location=f"SRID=4326;POINT({lon} {lat})",
        ward_id=ward.id, category_id=category.id, description=description, status="received",
        priority=category.default_priority, channel=data.channel,
        reporter_name=data.name, reporter_phone=data.phone, reporter_email=data.email,
        reporter_secret_hash=secret_hash(secret), hide_identity=bool(data.hide_identity),
        idempotency_key=idempotency_key, created_at=now, updated_at=now,
        deadline_at=rules.resolve_by(category.default_priority, now),
        ack_due_at=rules.acknowledge_by(now, category.default_priority))
    report.events = [
        ReportEvent(kind="received", public=True, created_at=now, channel=data.channel,
                    actor=data.recorded_by or "resident", actor_role=data.recorded_role,
                    data={"channel": data.channel}),
        ReportEvent(kind="ward_assigned", public=True, created_at=now, actor="system",
                    data={"ward_code": ward.code, "ward_name": ward.name})]
    route_new_report(report, ward.code, category.field, now, rules)
    for photo in processed:
        attach_photo(report, photo, storage)
    report.ward_summary = {"code": ward.code, "name": ward.name}  # spares a query for the reply
    report.issued_secret = secret  # returned once to the submitter; only its hash is kept
    try:
        insert_new(report, "events", "photos")
    except IntegrityError:
        # Two retries raced with the same key: the other one won. Nothing else was written in
        # this transaction, so rolling it back loses nothing.
        db.session.rollback()
        if idempotency_key:
            existing = db.session.query(Report).filter_by(idempotency_key=idempotency_key).one_or_none()
            if existing is not None:
                return _replayed(existing, data), False
        raise
    return report, True
