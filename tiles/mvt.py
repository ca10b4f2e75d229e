"""Mapbox Vector Tiles from PostGIS (``ST_TileEnvelope``, ``ST_AsMVTGeom``, ``ST_AsMVT``).

Tiles are in Web Mercator (EPSG:3857), extent 4096, buffer 64. Reports use the stored
``report.location_3857`` (GiST-indexed), so no point is transformed at request time. Below
``CLUSTER_BELOW_ZOOM`` (15) report points are aggregated on a grid of 64 × 64 cells per tile (a point per
cell with ``count`` and ``open``). Public layers carry status, category and age only; the desk layer
adds the tracking code and overdue flag and is served only to staff (see the blueprint).
"""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text

from geo.assign import IN_FORCE_TODAY
from reports.states import OPEN_STATUSES
from webapp.extensions import db

CLUSTER_BELOW_ZOOM = 15  # a z14 tile of central Huế holds ~20,000 points: 870 KB as points
MAX_ZOOM = 22


@dataclass(frozen=True)
class TileFilters:
    """Query-parameter filters shared by the report and hotspot layers."""

    days: int = 90
    category: str | None = None
    field: str | None = None
    status: str | None = None  # a status, or "open" / "closed"
    ward: str | None = None

    def sql(self) -> str:
        parts = ["r.created_at >= now() - make_interval(days => :days)"]
        if self.category:
            parts.append("c.code = :category")
        if self.field:
            parts.append("c.field = :field")
        if self.status == "open":
            parts.append("r.status = ANY(:open_statuses)")
        elif self.status == "closed":
            parts.append("NOT (r.status = ANY(:open_statuses))")
        elif self.status:
            parts.append("r.status = :status")
        if self.ward:
            parts.append("r.ward_id IN (SELECT id FROM admin_unit WHERE code = :ward)")
        return " AND ".join(parts)

    def params(self) -> dict:
        return {"days": self.days, "category": self.category, "field": self.field, "status": self.status,
                "ward": self.ward, "open_statuses": list(OPEN_STATUSES)}


POINTS_SQL = """
    WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS geom),
    features AS (
        SELECT ST_AsMVTGeom(r.location_3857, bounds.geom, 4096, 64, true) AS geom, r.status,
               c.code AS category, (current_date - r.created_at::date) AS age_days{extra}
          FROM report r LEFT JOIN category c ON c.id = r.category_id, bounds
         WHERE r.location_3857 && ST_Expand(bounds.geom, (ST_XMax(bounds.geom) - ST_XMin(bounds.geom)) * 64 / 4096)
           AND {where})
    SELECT ST_AsMVT(features, :layer, 4096, 'geom') FROM features WHERE geom IS NOT NULL"""

CLUSTERS_SQL = """
    WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS geom),
    cells AS (
        SELECT ST_SnapToGrid(r.location_3857, (ST_XMax(bounds.geom) - ST_XMin(bounds.geom)) / 64) AS cell,
               count(*) AS count, count(*) FILTER (WHERE r.status = ANY(:open_statuses)) AS open
          FROM report r LEFT JOIN category c ON c.id = r.category_id, bounds
         WHERE r.location_3857 && bounds.geom AND {where}
         GROUP BY 1),
    features AS (SELECT ST_AsMVTGeom(cell, bounds.geom, 4096, 64, true) AS geom, count, open FROM cells, bounds)
    SELECT ST_AsMVT(features, 'reports', 4096, 'geom') FROM features WHERE geom IS NOT NULL"""

# Hexagons sized by zoom: about 24 across a tile. Count of reports in each (only non-empty ones).
HOTSPOTS_SQL = """
    WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS geom),
    pts AS (SELECT r.location_3857 AS g FROM report r LEFT JOIN category c ON c.id = r.category_id, bounds
             WHERE r.location_3857 && bounds.geom AND {where}),
    hex AS (SELECT h.geom, h.i, h.j FROM bounds,
                   ST_HexagonGrid((ST_XMax(bounds.geom) - ST_XMin(bounds.geom)) / 24, bounds.geom) AS h),
    counted AS (SELECT hex.geom, count(*) AS count FROM hex JOIN pts ON ST_Intersects(hex.geom, pts.g)
                 GROUP BY hex.geom)
    SELECT ST_AsMVT(features, 'hotspots', 4096, 'geom') FROM (
        SELECT ST_AsMVTGeom(counted.geom, bounds.geom, 4096, 64, true) AS geom, count
          FROM counted, bounds) AS features WHERE geom IS NOT NULL"""

# Ward outlines of the sets in force, simplified (in degrees, before projecting) to about a pixel.
WARDS_SQL = f"""
    WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS geom),
    features AS (
        SELECT ST_AsMVTGeom(ST_Transform(ST_SimplifyPreserveTopology(u.geom,
                            (ST_XMax(bounds.geom) - ST_XMin(bounds.geom)) / 4096 / 111320.0), 3857),
                            bounds.geom, 4096, 64, true) AS geom,
               u.code, u.name, u.population
          FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id, bounds
         WHERE {IN_FORCE_TODAY} AND s.level <> 'province'
           AND u.geom && ST_Transform(bounds.geom, 4326))
    SELECT ST_AsMVT(features, 'wards', 4096, 'geom') FROM features WHERE geom IS NOT NULL"""


def valid_tile(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2 ** z and 0 <= y < 2 ** z


def _run(sql: str, params: dict) -> bytes:
    data = db.session.execute(text(sql), params).scalar()
    return bytes(data) if data else b""


def report_tile(z: int, x: int, y: int, filters: TileFilters) -> bytes:
    """Public report layer: clusters below zoom 15, points (status, category, age) from 15 on."""
    params = {"z": z, "x": x, "y": y, "layer": "reports", **filters.params()}
    if z < CLUSTER_BELOW_ZOOM:
        return _run(CLUSTERS_SQL.format(where=filters.sql()), params)
    return _run(POINTS_SQL.format(where=filters.sql(), extra=""), params)


def desk_tile(z: int, x: int, y: int, filters: TileFilters, scope_sql: str, scope_params: dict,
              now: datetime) -> bytes:
    """Staff layer: points with tracking code and overdue flag, limited to the user's scope."""
    extra = ", r.tracking_code AS code, (r.status = ANY(:open_statuses) AND r.deadline_at < :now) AS overdue"
    where = f"{filters.sql()} AND {scope_sql}"
    return _run(POINTS_SQL.format(where=where, extra=extra),
                {"z": z, "x": x, "y": y, "layer": "desk", "now": now, **filters.params(), **scope_params})


def hotspot_tile(z: int, x: int, y: int, filters: TileFilters) -> bytes:
    return _run(HOTSPOTS_SQL.format(where=filters.sql()), {"z": z, "x": x, "y": y, **filters.params()})


def ward_tile(z: int, x: int, y: int) -> bytes:
    return _run(WARDS_SQL, {"z": z, "x": x, "y": y})
