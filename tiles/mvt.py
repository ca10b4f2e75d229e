"""Mapbox Vector Tiles from PostGIS (``ST_TileEnvelope``, ``ST_AsMVTGeom``, ``ST_AsMVT``).

Tiles are in Web Mercator (EPSG:3857), extent 4096, buffer 64. Reports use the stored
``report.location_3857`` (GiST-indexed), so no point is transformed at request time. Below
``CLUSTER_BELOW_ZOOM`` (15) report points are aggregated on a grid of 64 × 64 cells per tile (a point per
cell with ``count`` and ``open``). Public points carry status, category, age and the tracking code (public
already: the code opens the public page, never anything about the reporter); the desk layer adds the
overdue flag and follows the staff member's scope (see the blueprint).
"""
from datetime import datetime

from sqlalchemy import text

from geo.boundaries import OUTLINE_DETAILS
from geo.generations import TODAY, in_force
from geo.mercator import HALF_WORLD
from geo.hexgrid import hexagon_ctes
from reports.queries.filters import ReportFilter
from store import db
from geo import tile_key

CLUSTER_BELOW_ZOOM = 15  # a z14 tile of central Huế holds ~20,000 points: 870 KB as points
MAX_ZOOM = 22


POINTS_SQL = """
    WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS geom),
    features AS (
        SELECT ST_AsMVTGeom(r.location_3857, bounds.geom, 4096, 64, true) AS geom, r.status,
               c.code AS category, (current_date - r.created_at::date) AS age_days{extra}
          FROM report r LEFT JOIN category c ON c.id = r.category_id, bounds
         WHERE r.location_3857 && ST_Expand(bounds.geom, (ST_XMax(bounds.geom) - ST_XMin(bounds.geom)) * 64 / 4096)
           AND {where})
    SELECT ST_AsMVT(features, :layer, 4096, 'geom') FROM features WHERE geom IS NOT NULL"""

CLUSTER_CELLS = 64  # per tile side below CLUSTER_BELOW_ZOOM: one cluster every 64 extent units

# Counted from the covering index on report.tile_key alone (an index-only scan of the tile's key
# range); each cell's Morton code gives its position, written straight in tile coordinates.
CLUSTERS_SQL = """
    WITH cells AS (
        SELECT r.tile_key >> :shift AS cell, count(*) AS count,
               count(*) FILTER (WHERE r.status = ANY(:open_statuses)) AS open
          FROM report r
         WHERE r.tile_key >= :key_first AND r.tile_key < :key_end AND {where}
         GROUP BY 1),
    features AS (
        SELECT ST_MakePoint((gather_bits24(cell) - :cell_x0) * :cell_units + :cell_units / 2.0,
                            (gather_bits24(cell >> 1) - :cell_y0) * :cell_units + :cell_units / 2.0) AS geom,
               count, open FROM cells)
    SELECT ST_AsMVT(features, 'reports', 4096, 'geom') FROM features"""

# Hexagons of the ST_HexagonGrid tiling (origin 0,0, edge :size metres, about 24 across a tile).
# Reports are first counted per key cell (1/128 of the tile, 2 pixels) over the tile and a ring
# around it, so a hexagon on a tile border has the same count in both tiles; each cell goes to the
# hexagon holding its centre (geo.hexgrid: the same (i, j) as ST_Hexagon). LATERAL: each key
# range drives its own index scan, whatever the planner guesses of the filters.
# The feature id encodes (i, j) as ((i + 2³⁰) << 31) | (j + 2³⁰): the same hexagon has the same id
# in every tile of a zoom, so a client can match its pieces.
HOTSPOTS_SQL = """
    WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS geom),
    ranges AS (SELECT * FROM unnest(CAST(:firsts AS bigint[]), CAST(:ends AS bigint[])) AS k(first, stop)),
    cells AS MATERIALIZED (
        SELECT r.tile_key >> :shift AS cell, count(*) AS n
          FROM ranges, LATERAL (SELECT r.tile_key FROM report r WHERE r.tile_key >= ranges.first
                                   AND r.tile_key < ranges.stop AND {where} OFFSET 0) r
         GROUP BY 1),
    centres AS MATERIALIZED (SELECT (gather_bits24(cell) + 0.5::float8) * :cell_m - :half_world AS cx,
                       :half_world - (gather_bits24(cell >> 1) + 0.5::float8) * :cell_m AS cy, n FROM cells),
    """ + hexagon_ctes("centres", ":size", "n") + """,
    hexagons AS MATERIALIZED (SELECT i, j, sum(n)::int AS count FROM hexagon_cells GROUP BY 1, 2)
    SELECT ST_AsMVT(features, 'hotspots', 4096, 'geom', 'id') FROM (
        SELECT ST_AsMVTGeom(ST_Hexagon(:size, h.i, h.j, ST_SetSRID(ST_MakePoint(0, 0), 3857)),
                            bounds.geom, 4096, 64, true) AS geom, h.count,
               ((h.i::bigint + 1073741824) << 31) | (h.j::bigint + 1073741824) AS id
          FROM hexagons h, bounds) AS features WHERE geom IS NOT NULL"""
HEXAGONS_PER_TILE = 24

# Ward outlines of the sets in force, pre-simplified per zoom (geo.boundaries.OUTLINE_DETAILS).
WARDS_SQL = f"""
    WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS geom),
    features AS (
        SELECT ST_AsMVTGeom(o.geom, bounds.geom, 4096, 64, true) AS geom, u.code, u.name, u.population
          FROM admin_unit_outline o JOIN admin_unit u ON u.id = o.unit_id
          JOIN boundary_set s ON s.id = o.boundary_set_id, bounds
         WHERE o.detail = :detail AND {in_force(at=TODAY)}
           AND o.geom && bounds.geom)
    SELECT ST_AsMVT(features, 'wards', 4096, 'geom') FROM features WHERE geom IS NOT NULL"""


def valid_tile(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < 2 ** z and 0 <= y < 2 ** z


def _run(sql: str, params: dict) -> bytes:
    data = db.session.execute(text(sql), params).scalar()
    return bytes(data) if data else b""


def report_tile(z: int, x: int, y: int, filters: ReportFilter) -> bytes:
    """Public report layer: clusters below zoom 15, points (status, category, age, code) from 15 on."""
    params = {"z": z, "x": x, "y": y, "layer": "reports", **filters.params()}
    if z >= CLUSTER_BELOW_ZOOM:
        return _run(POINTS_SQL.format(where=filters.sql(), extra=", r.tracking_code AS code"), params)
    first, end = tile_key.tile_range(z, x, y)
    params.update(key_first=first, key_end=end, shift=tile_key.cell_shift(z, CLUSTER_CELLS),
                  cell_x0=x * CLUSTER_CELLS, cell_y0=y * CLUSTER_CELLS, cell_units=4096 // CLUSTER_CELLS)
    return _run(CLUSTERS_SQL.format(where=filters.sql()), params)


def desk_tile(z: int, x: int, y: int, filters: ReportFilter, now: datetime) -> bytes:
    """Staff layer: points with tracking code and overdue flag; ``filters`` carries the user's scope
    (``ward_ids``) and the queue's filters, so the map shows exactly the queue's set."""
    extra = ", r.tracking_code AS code, (r.status = ANY(:open_statuses) AND r.deadline_at < :now) AS overdue"
    params = {"z": z, "x": x, "y": y, "layer": "desk", "now": now, **filters.params()}
    return _run(POINTS_SQL.format(where=filters.sql(), extra=extra), params)


def hotspot_tile(z: int, x: int, y: int, filters: ReportFilter) -> bytes:
    """Hexagon counts; cells of 1/128 tile (a fifth of a hexagon's edge) up to zoom 17, then the key's
    own 2.4 m grid."""
    ranges = tile_key.ranges_with_margin(z, x, y)
    cells = 2 ** min(7, tile_key.KEY_ZOOM - z)
    params = {"z": z, "x": x, "y": y, "firsts": [a for a, _ in ranges], "ends": [b for _, b in ranges],
              "shift": tile_key.cell_shift(z, cells), "cell_m": 2 * HALF_WORLD / 2 ** z / cells,
              "half_world": HALF_WORLD, "size": 2 * HALF_WORLD / 2 ** z / HEXAGONS_PER_TILE,
              **filters.params()}
    return _run(HOTSPOTS_SQL.format(where=filters.sql()), params)


def ward_tile(z: int, x: int, y: int) -> bytes:
    detail = next((d for d in OUTLINE_DETAILS if d >= z), OUTLINE_DETAILS[-1])
    return _run(WARDS_SQL, {"z": z, "x": x, "y": y, "detail": detail})
