"""The minimal report model the spatial core needs: a point, the ward it belongs to, timestamps.

The report issue extends it (category, description, photos, statuses). ``location`` is a WGS84
point (SRID 4326); ``ward_id`` is decided once when the report is stored and only changed by a
boundary re-assignment, which leaves a :class:`ReportEvent` per moved report.
"""
from datetime import datetime

from geoalchemy2 import Geometry
from sqlalchemy import Boolean, DateTime, ForeignKey, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from geo.models import utcnow
from webapp.extensions import db


class Report(db.Model):
    __tablename__ = "report"
    id: Mapped[int] = mapped_column(primary_key=True)
    location = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"), nullable=True,
                                                index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    legacy_unit_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)

    ward = relationship("AdminUnit")
    events = relationship("ReportEvent", back_populates="report", order_by="ReportEvent.id")


class ReportEvent(db.Model):
    """An entry of a report's audit trail (``kind`` e.g. ``ward_reassigned``; details in ``data``)."""

    __tablename__ = "report_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200), default="system")
    data: Mapped[dict] = mapped_column(JSONB, default=dict)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    report = relationship("Report", back_populates="events")
