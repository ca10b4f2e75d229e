"""Rows of the notification system: jobs (the outbox) and subscriptions.

Why an outbox table with ``SELECT … FOR UPDATE SKIP LOCKED`` rather than Procrastinate: a job is
written by the very transaction that causes it (a status change and its notification commit or roll
back together), it needs no new service or dependency, and the claim holds a row lock for the length
of the work, so a worker that dies mid-job releases it at once and the next worker sends it (at least
once; a job is marked done in the transaction of its work). ``dedupe_key`` makes enqueueing the same
message twice a no-op.
"""
from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import BigInteger, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store import db, utcnow


class Job(db.Model):
    __tablename__ = "job"
    __table_args__ = (Index("ix_job_due", "run_at", postgresql_where=text("done_at IS NULL AND failed_at IS NULL")),
                      Index("ix_job_failed", "failed_at", postgresql_where=text("failed_at IS NOT NULL")))
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSONB, default=dict)
    report_event_id: Mapped[int | None] = mapped_column(ForeignKey("report_event.id"), nullable=True)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True, nullable=True)
    # The database's clock decides when a job is due (app servers' clocks may differ).
    run_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.clock_timestamp())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
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
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    report = relationship("Report")


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
