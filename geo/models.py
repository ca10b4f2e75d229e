"""Boundary generations (the MapIt model), administrative units and the old→new crosswalk.

All geometries are WGS84 lon/lat, SRID 4326. Areas are computed on the spheroid (geography) and
stored in km². Nothing here is ever overwritten: a new :class:`BoundarySet` is imported beside the
old one and takes over from its ``effective_from`` date when activated.
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


class AdminUnitPart(db.Model):
    """A unit cut by ``ST_Subdivide`` (SRID 4326): small polygons make ``ST_Covers`` lookups fast.

    Rebuilt whenever a set is imported; ``code`` is copied here so that the border tie rule
    (smallest official code wins) needs no join.
    """

    __tablename__ = "admin_unit_part"
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id", ondelete="CASCADE"), index=True)
    boundary_set_id: Mapped[int] = mapped_column(ForeignKey("boundary_set.id", ondelete="CASCADE"),
                                                 index=True)
    code: Mapped[str] = mapped_column(String(20))
    geom = mapped_column(Geometry("POLYGON", srid=4326, spatial_index=True), nullable=False)


class AdminUnitOutline(db.Model):
    """A unit's outline in Web Mercator (SRID 3857, metres), simplified for map tiles of zoom ``detail``.

    The tolerance is one tile pixel of that zoom (extent 4096): the ward tile layer picks the first
    detail at or above the requested zoom, so no outline is simplified while a tile is served.
    Written with the unit when its set is imported (``geo.boundaries``).
    """

    __tablename__ = "admin_unit_outline"
    __table_args__ = (Index("ix_admin_unit_outline_detail_set", "detail", "boundary_set_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("admin_unit.id", ondelete="CASCADE"), index=True)
    boundary_set_id: Mapped[int] = mapped_column(ForeignKey("boundary_set.id", ondelete="CASCADE"))
    detail: Mapped[int] = mapped_column(Integer)
    geom = mapped_column(Geometry("MULTIPOLYGON", srid=3857, spatial_index=True), nullable=False)


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


class CoverageRun(db.Model):
    """One computation of service-point coverage for a province and hexagon size, valid while the
    service points and boundary sets are those of ``inputs_version`` (``geo.coverage``)."""

    __tablename__ = "coverage_run"
    __table_args__ = (UniqueConstraint("province_code", "size_m", "inputs_version"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[str] = mapped_column(String(10))
    size_m: Mapped[int] = mapped_column(Integer)
    inputs_version: Mapped[str] = mapped_column(Text)
    computed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CoverageCell(db.Model):
    """A hexagon (i, j) of the ``ST_HexagonGrid`` tiling (EPSG:3857, edge ``size_m``) of a run: the
    ground distance in metres from its centre to the nearest active service point, and its ward."""

    __tablename__ = "coverage_cell"
    run_id: Mapped[int] = mapped_column(ForeignKey("coverage_run.id", ondelete="CASCADE"), primary_key=True)
    i: Mapped[int] = mapped_column(Integer, primary_key=True)
    j: Mapped[int] = mapped_column(Integer, primary_key=True)
    distance_m: Mapped[int] = mapped_column(Integer)
    ward_code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    nearest_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
