"""Reports, their photos and their audit trail.

``location`` is a WGS84 point (SRID 4326); ``ward_id`` is decided once when the report is stored
and only changed by a boundary re-assignment or a ward transfer, each leaving a
:class:`ReportEvent`. Personal data (name, phone, email) lives only in the ``reporter_*`` columns
and never leaves through a public view (``reports.queries.public``: ``public_view`` and ``summary``).
"""
from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import (
    BigInteger,
    Boolean,
    Computed,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reports.privacy.notice import NOTICE_VERSION
from reports.states import STATUS_TYPES
from store import db, utcnow

# Carried by the created_at index (migration 0011) so that period figures need no table visit.
PERIOD_INDEX_COLUMNS = ["id", "ward_id", "category_id", "status", "tile_key", "deadline_at", "first_response_at",
                        "resolved_at", "rating"]


class Report(db.Model):
    __tablename__ = "report"
    __table_args__ = (Index("ix_report_ward_created", "ward_id", text("created_at DESC")),
                      Index("ix_report_ward_status", "ward_id", "status"),
                      Index("ix_report_tile_key", "tile_key",
                            postgresql_include=["created_at", "status", "category_id", "ward_id"]),
                      Index("ix_report_created_at", "created_at", postgresql_include=PERIOD_INDEX_COLUMNS),
                      Index("ix_report_public_updated", text("updated_at DESC"), text("id DESC"),
                            postgresql_where=text("tracking_code IS NOT NULL AND NOT hidden")))
    id: Mapped[int] = mapped_column(primary_key=True)
    tracking_code: Mapped[str | None] = mapped_column(String(20), unique=True, nullable=True)
    location = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    # Web Mercator copy for vector tiles (EPSG:3857, metres), kept by PostgreSQL itself.
    location_3857 = mapped_column(Geometry("POINT", srid=3857, spatial_index=True),
                                  Computed("ST_Transform(location, 3857)", persisted=True))
    # Z-order key of the zoom-24 pixel grid (geo.tile_key, migration 0009): low-zoom tiles count by it.
    tile_key: Mapped[int | None] = mapped_column(
        BigInteger, Computed("tile_key_3857(ST_Transform(location, 3857))", persisted=True))
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"), nullable=True, index=True)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id"), nullable=True, index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)
    priority: Mapped[str] = mapped_column(String(20), default="normal")
    channel: Mapped[str] = mapped_column(String(20), default="web")
    notice_version: Mapped[str | None] = mapped_column(String(20), default=NOTICE_VERSION)  # reports.privacy.notice
    reporter_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    reporter_phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    reporter_email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    hide_identity: Mapped[bool] = mapped_column(Boolean, default=True)
    # SHA-256 of the reporter's secret (reports.workflow.reporter_secret): rating and reopening require it.
    reporter_secret_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True, nullable=True)
    legacy_unit_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    deadline_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True, index=True)
    ack_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    assigned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    first_response_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True, index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"), nullable=True, index=True)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    rating_comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    rated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)

    ward = relationship("AdminUnit")
    category = relationship("Category")
    assignee = relationship("StaffUser")
    duplicate_of = relationship("Report", remote_side=[id])
    events = relationship("ReportEvent", back_populates="report", order_by="ReportEvent.id")
    photos = relationship("ReportPhoto", back_populates="report", order_by="ReportPhoto.id")

    @property
    def status_type(self) -> str:
        return STATUS_TYPES.get(self.status, "open")


RESIDENT = "resident"  # the actor of what a resident does (reopen, rate, support, a comment)
# An event's words as the public may read them (the ORM form is ReportEvent.ward_words): the ward's, the
# city's systems' and the officers' words; what a resident writes after sending the report (a reopening
# reason, a comment) stays with the staff. For statements on report_event aliased ``e``.
WARD_WORDS_SQL = f"CASE WHEN e.actor = '{RESIDENT}' THEN NULL ELSE e.message END"


class ReportEvent(db.Model):
    """An entry of a report's audit trail: who (and in which role), what, before → after (in ``data``),
    when, through which channel. Append-only: a database trigger refuses UPDATE and DELETE.
    ``public`` events form the resident's timeline; of their ``message`` the public reads
    :attr:`ward_words` only."""

    __tablename__ = "report_event"
    __table_args__ = (Index("ix_report_event_reopened", "report_id", postgresql_where=text("kind = 'reopened'")),)
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200), default="system")
    actor_role: Mapped[str | None] = mapped_column(String(20), nullable=True)
    channel: Mapped[str | None] = mapped_column(String(20), nullable=True)
    public: Mapped[bool] = mapped_column(Boolean, default=False, server_default=text("false"))
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    data: Mapped[dict] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    report = relationship("Report", back_populates="events")

    @property
    def ward_words(self) -> str | None:
        """The message as the public may read it (see ``WARD_WORDS_SQL``): never a resident's words."""
        return None if self.actor == RESIDENT else self.message


class ReportPhoto(db.Model):
    """A photo stored content-addressed (``sha256`` of the re-encoded JPEG) by the photo storage."""

    __tablename__ = "report_photo"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20), default="report")  # report | result
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)  # by the desk: in no public output
    # Rectangles [left, top, right, bottom] as fractions of the photo, blurred in its public copy (the desk).
    blurred: Mapped[list] = mapped_column(JSONB, default=list)

    report = relationship("Report", back_populates="photos")


class ReplyTemplate(db.Model):
    """A reusable public reply; ``ward_code`` None means city-wide, ``field`` None every field."""

    __tablename__ = "reply_template"
    id: Mapped[int] = mapped_column(primary_key=True)
    ward_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    field: Mapped[str | None] = mapped_column(String(50), nullable=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)


class DayOff(db.Model):
    """A day nobody works that the ``holidays`` library does not know (a day off the city or the
    government grants at short notice), added by an administrator; deadlines skip it like a holiday."""

    __tablename__ = "day_off"
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class FieldRoute(db.Model):
    """Routing set by an administrator: a new report of ``field`` in ward ``ward_code`` goes straight to
    this officer (``reports.workflow.routing``)."""

    __tablename__ = "field_route"
    ward_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    field: Mapped[str] = mapped_column(String(50), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
