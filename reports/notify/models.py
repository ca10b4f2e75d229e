"""Rows of the notification system: jobs (the outbox) and subscriptions.

Why an outbox table with ``SELECT … FOR UPDATE SKIP LOCKED`` rather than Procrastinate: a job is
written by the very transaction that causes it (a status change and its notification commit or roll
back together) and it needs no new service or dependency. A claim leases the job (``locked_until``)
and commits at once, so no transaction is held while a message is sent; a worker that dies mid-job
leaves the lease to run out and the next worker sends it (at least once). ``dedupe_key`` makes
enqueueing the same message twice a no-op; ``priority`` orders the lanes (``reports.notify.queue``).
"""
from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reports.privacy.notice import NOTICE_VERSION
from store import db, utcnow


class Job(db.Model):
    __tablename__ = "job"
    __table_args__ = (Index("ix_job_due", "run_at", postgresql_where=text("done_at IS NULL AND failed_at IS NULL")),
                      Index("ix_job_next", "priority", "run_at", "id",
                            postgresql_where=text("done_at IS NULL AND failed_at IS NULL")),
                      Index("ix_job_failed", "failed_at", postgresql_where=text("failed_at IS NOT NULL")))
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSONB, default=dict)
    report_event_id: Mapped[int | None] = mapped_column(ForeignKey("report_event.id"), nullable=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    # The database's clock decides when a job is due (app servers' clocks may differ).
    run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.clock_timestamp())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    priority: Mapped[int] = mapped_column(SmallInteger, default=2, server_default=text("2"))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    failed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.clock_timestamp())

    event = relationship("ReportEvent")


class Subscription(db.Model):
    """Someone who asked to hear about one report: by email, SMS or Zalo (confirmed by a link sent
    there) or by Web Push (active at once). ``channel`` says which of ``email``, ``phone`` (digits,
    ``84…``) or ``push`` is set. The address is personal data: it lives only here and the row is
    deleted when the subscription ends (or the browser's push service says it is gone)."""

    __tablename__ = "subscription"
    __table_args__ = (UniqueConstraint("report_id", "email", name="uq_subscription_report_email"),
                      UniqueConstraint("report_id", "channel", "phone", name="uq_subscription_report_phone"))
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    push: Mapped[dict | None] = mapped_column(JSONB, nullable=True)  # the browser's PushSubscription
    push_endpoint: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    channel: Mapped[str] = mapped_column(String(10), default="email")  # email | push | sms | zalo
    language: Mapped[str] = mapped_column(String(5), default="vi")
    token: Mapped[str] = mapped_column(String(64), unique=True)  # unsubscribe links
    # SMS and Zalo: the code the phone must send us by SMS before anything is sent to it (reports.notify.phones)
    proof_code: Mapped[str | None] = mapped_column(String(12), nullable=True)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    notice_version: Mapped[str | None] = mapped_column(String(20), default=NOTICE_VERSION)  # reports.privacy.notice

    report = relationship("Report")


class VerifiedPhone(db.Model):
    """A mobile number that sent us its proof code by SMS (``reports.notify.phones``): personal data,
    kept while it may receive updates (``PHONE_PROOF_DAYS``)."""

    __tablename__ = "verified_phone"
    phone: Mapped[str] = mapped_column(String(20), primary_key=True)  # 84 + 9 digits
    verified_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MessageQuota(db.Model):
    """Messages sent on a day through a paid channel, per number (a digest of it, ``key``) and in all
    (``key`` = ``*``): the daily caps of ``reports.notify.phones``."""

    __tablename__ = "message_quota"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    channel: Mapped[str] = mapped_column(String(10), primary_key=True)
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


class WorkerHeartbeat(db.Model):
    """A running worker says, every few seconds, how many of its threads are alive (``/healthz``)."""

    __tablename__ = "worker_heartbeat"
    name: Mapped[str] = mapped_column(String(200), primary_key=True)  # host:pid
    threads: Mapped[int] = mapped_column(Integer)
    threads_alive: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    beat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AreaAlert(db.Model):
    """Someone who asked to hear of new reports in a ward, or within ``radius_m`` metres of a point
    (SRID 4326), optionally of one field; at once or in a daily digest. By email (confirmed by a link:
    double opt-in) or by Web Push (``push``, active at once); the row, and the address with it, is
    deleted on unsubscribe."""

    __tablename__ = "area_alert"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    push: Mapped[dict | None] = mapped_column(JSONB, nullable=True)
    push_endpoint: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    language: Mapped[str] = mapped_column(String(5), default="vi")
    token: Mapped[str] = mapped_column(String(64), unique=True)
    ward_code: Mapped[str | None] = mapped_column(String(20), nullable=True, index=True)
    location = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=True)
    radius_m: Mapped[int | None] = mapped_column(Integer, nullable=True)
    field: Mapped[str | None] = mapped_column(String(40), nullable=True)
    digest: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    notice_version: Mapped[str | None] = mapped_column(String(20), default=NOTICE_VERSION)  # reports.privacy.notice
