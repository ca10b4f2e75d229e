"""Boundary generations (the MapIt model), administrative units and the old→new crosswalk.

All geometries are WGS84 lon/lat, SRID 4326. Areas are computed on the spheroid (geography) and
stored in km². Nothing here is ever overwritten: a new :class:`BoundarySet` is imported beside the
old one and takes over from its ``effective_from`` date when activated.

Tables written and read only through SQL (created by the migrations; no class here):
- ``admin_unit_part``: each unit cut by ``ST_Subdivide`` (small polygons make ``ST_Covers`` fast), with
  its code copied so that the border rule (the smallest code wins) needs no join (``geo.boundaries``);
- ``admin_unit_outline``: each unit's outline in Web Mercator simplified to one pixel of a tile zoom
  (``detail``), for the ward tiles (``geo.boundaries``, ``tiles.mvt``);
- ``coverage_run`` / ``coverage_cell``: the service points' coverage per province and hexagon size,
  kept while its inputs stay the same (``geo.coverage``).
"""
from datetime import date, datetime

from geoalchemy2 import Geometry
from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from store import db, utcnow

LEVELS = ("province", "district", "ward")


class BoundarySet(db.Model):
    """One generation of boundaries of one level, in force from ``effective_from`` to ``effective_to``."""

    __tablename__ = "boundary_set"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    level: Mapped[str] = mapped_column(String(20))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    source: Mapped[str] = mapped_column(Text, default="")
    licence: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    content_sha256: Mapped[str] = mapped_column(String(64))
    unit_count: Mapped[int] = mapped_column(Integer, default=0)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    units = relationship("AdminUnit", back_populates="boundary_set", lazy="dynamic")

class AdminUnit(db.Model):
    """A province, district or ward of one boundary set; ``name`` keeps its diacritics."""

    __tablename__ = "admin_unit"
    __table_args__ = (UniqueConstraint("boundary_set_id", "code"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    boundary_set_id: Mapped[int] = mapped_column(ForeignKey("boundary_set.id", ondelete="CASCADE"),
                                                 index=True)
    code: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ascii: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(String(10), index=True)
    population: Mapped[int | None] = mapped_column(Integer, nullable=True)
    area_km2: Mapped[float] = mapped_column(Float)
    properties: Mapped[dict] = mapped_column(JSONB, default=dict)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=4326, spatial_index=True), nullable=False)

    boundary_set = relationship("BoundarySet", back_populates="units")

    def summary(self) -> dict:
        return {"code": self.code, "name": self.name, "province_code": self.province_code}


class CrosswalkEntry(db.Model):
    """One row of the statistics office's old→new ward table (``merge_kind``: whole/partial/other)."""

    __tablename__ = "crosswalk_entry"
    __table_args__ = (UniqueConstraint("old_ward_code", "new_ward_code"),
                      Index("ix_crosswalk_new_ward_code", "new_ward_code"))
    id: Mapped[int] = mapped_column(primary_key=True)
    old_ward_code: Mapped[str] = mapped_column(String(20), index=True)
    old_ward_name: Mapped[str] = mapped_column(String(200))
    old_district_code: Mapped[str] = mapped_column(String(20))
    old_district_name: Mapped[str] = mapped_column(String(200))
    old_province_code: Mapped[str] = mapped_column(String(10))
    new_ward_code: Mapped[str] = mapped_column(String(20))
    new_ward_name: Mapped[str] = mapped_column(String(200))
    new_province_code: Mapped[str] = mapped_column(String(10))
    new_province_name: Mapped[str] = mapped_column(String(200), default="")
    merge_kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class ServicePoint(db.Model):
    """A place where residents get administrative services (WGS84 point, SRID 4326).

    ``ward_id`` is the ward that covers the point; ``declared_ward_code`` is what the source said.
    ``opening_hours`` maps ``mon``..``sun`` to lists of ``["HH:MM", "HH:MM"]`` intervals (local time,
    Asia/Ho_Chi_Minh); an interval may cross midnight. ``kind`` is free text so the list can grow.
    """

    __tablename__ = "service_point"
    __table_args__ = (UniqueConstraint("source", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(50), index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str | None] = mapped_column(String(50), nullable=True)
    opening_hours: Mapped[dict | None] = mapped_column(JSONB, nullable=True)
    hours_assumed: Mapped[bool] = mapped_column(Boolean, default=False)
    services: Mapped[list] = mapped_column(JSONB, default=list)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("admin_unit.id"), nullable=True, index=True)
    declared_ward_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    source: Mapped[str] = mapped_column(String(300))
    licence: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    location = mapped_column(Geometry("POINT", srid=4326, spatial_index=True), nullable=False)

    ward = relationship("AdminUnit")
