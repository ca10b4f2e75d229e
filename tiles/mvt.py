"""Mapbox Vector Tiles from PostGIS (``ST_TileEnvelope``, ``ST_AsMVTGeom``, ``ST_AsMVT``).

Tiles are in Web Mercator (EPSG:3857), extent 4096, buffer 64. Reports use the stored
``report.location_3857`` (GiST-indexed), so no point is transformed at request time. Below
``CLUSTER_BELOW_ZOOM`` (15) report points are aggregated on a grid of 64 × 64 cells per tile (a point per
cell with ``count`` and ``open``). Public points carry status, category, age and the tracking code (public
already: the code opens the public page, never anything about the reporter); the desk layer adds the
overdue flag and follows the staff member's scope (see the blueprint).
"""
from datetime import datetime

import numpy as np
from sqlalchemy import text

from geo import tile_key
from geo.boundaries import OUTLINE_DETAILS
from geo.generations import TODAY_SQL, in_force
from geo.mercator import HALF_WORLD
from reports.overdue import overdue_sql
from reports.queries.filters import ReportFilter
from store import db
from tiles.kept import kept_tile_cells

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

# Clusters: (cell, count, open) per cell over the tile and a ring around it (a cluster on a tile's edge
# is drawn whole, half by each tile), counted from the covering index on report.tile_key alone
# (CLUSTER_CELLS_SQL: one index-only range scan per key range) or taken from the kept cells of
# tiles.kept at low zoom; a cell of one report carries its tracking code (a tap opens its card). Each
# cell's Morton code gives its position in tile coordinates (below 0 or past 4096 in the ring).
CLUSTERS_SQL = """
    WITH cells AS (SELECT * FROM unnest(CAST(:cells AS bigint[]), CAST(:counts AS bigint[]), CAST(:opens AS bigint[]),
                                        CAST(:codes AS text[])) AS c(cell, count, open, code)),
    features AS (
        SELECT ST_MakePoint((gather_bits24(cell) - :cell_x0) * :cell_units + :cell_units / 2.0,
                            (gather_bits24(cell >> 1) - :cell_y0) * :cell_units + :cell_units / 2.0) AS geom,
               count, open, code FROM cells)
    SELECT ST_AsMVT(features, 'reports', 4096, 'geom') FROM features"""
CLUSTER_CELLS_SQL = """
    SELECT coalesce(array_agg(cell), '{{}}'), coalesce(array_agg(n), '{{}}'), coalesce(array_agg(o), '{{}}')
      FROM (SELECT r.tile_key >> :shift AS cell, count(*) AS n, count(*) FILTER (WHERE r.open) AS o
              FROM ({ranges}) AS r GROUP BY 1) AS cells"""
CLUSTER_RANGE_SQL = ("SELECT r.tile_key, r.status = ANY(:open_statuses) AS open FROM report r"
                     " WHERE r.tile_key >= :first_{n} AND r.tile_key < :end_{n} AND {where}")
# The tracking code of each cell holding one report: one small index range scan per such cell.
SINGLE_CODES_SQL = """
    SELECT k.cell, min(r.tracking_code) FROM unnest(CAST(:singles AS bigint[])) AS k(cell)
      JOIN report r ON r.tile_key >= k.cell << :shift AND r.tile_key < (k.cell + 1) << :shift AND {where}
     GROUP BY k.cell"""

# Hexagons of the ST_HexagonGrid tiling (origin 0,0, edge ``size`` metres, about 24 across a tile).
# Reports are first counted per key cell (1/128 of the tile, 2 pixels; 1/64 up to zoom 11) over the tile and a ring
# around it, so a hexagon on a tile border has the same count in both tiles; then each cell goes to
# the hexagon holding its centre (numpy, ``geo.tile_key.in_hexagons``: the same (i, j) as
# ST_Hexagon), and the few hundred hexagons are drawn by HOTSPOTS_SQL.
# {ranges}: one UNION ALL arm per key range (HOTSPOT_RANGE_SQL), each its own index range scan, which
# PostgreSQL runs in parallel when the tile is big enough to pay for the workers (a Parallel Append;
# the tile's own range as a Parallel Index Only Scan split between the processes): a z11 tile of
# central Huế counts ~400,000 index entries, 145 ms in one process, ~85 ms in three. (A LATERAL join
# over an array of ranges, as before, was always serial; the hexagon rounding in SQL cost another
# ~30 ms for 12,000 cells, ~1 ms in numpy.)
HOTSPOT_CELLS_SQL = """
    SELECT coalesce(array_agg(cell), '{{}}'), coalesce(array_agg(n), '{{}}')
      FROM (SELECT r.tile_key >> :shift AS cell, count(*) AS n FROM ({ranges}) AS r GROUP BY 1) AS cells"""
HOTSPOT_RANGE_SQL = "SELECT r.tile_key FROM report r WHERE r.tile_key >= :first_{n} AND r.tile_key < :end_{n} AND {where}"
# A hexagon's feature id encodes (i, j) as ((i + 2³⁰) << 31) | (j + 2³⁰) (``hexagon_ids``): the same
# hexagon has the same id in every tile of a zoom, so a client can match its pieces.
HOTSPOTS_SQL = """
    SELECT ST_AsMVT(features, 'hotspots', 4096, 'geom', 'id') FROM (
        SELECT ST_AsMVTGeom(ST_Hexagon(:size, ((h.id >> 31) - 1073741824)::int, ((h.id & 2147483647) - 1073741824)::int,
                                       ST_SetSRID(ST_MakePoint(0, 0), 3857)),
                            ST_TileEnvelope(:z, :x, :y), 4096, 64, true) AS geom, h.count, h.id
          FROM unnest(CAST(:ids AS bigint[]), CAST(:counts AS int[])) AS h(id, count)) AS features
     WHERE geom IS NOT NULL"""
HEXAGONS_PER_TILE = 24
KEPT_HOTSPOT_ZOOM = 11  # and below: hotspots from the kept zoom-17 cells (1/64 tile at zoom 11)

# Ward outlines of the sets in force, pre-simplified per zoom (geo.boundaries.OUTLINE_DETAILS).
WARDS_SQL = f"""
    WITH bounds AS (SELECT ST_TileEnvelope(:z, :x, :y) AS geom),
    features AS (
        SELECT ST_AsMVTGeom(o.geom, bounds.geom, 4096, 64, true) AS geom, u.code, u.name, u.population
          FROM admin_unit_outline o JOIN admin_unit u ON u.id = o.unit_id
          JOIN boundary_set s ON s.id = o.boundary_set_id, bounds
         WHERE o.detail = :detail AND {in_force(at=TODAY_SQL)}
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
    ranges, shift = tile_key.ranges_with_margin(z, x, y), tile_key.cell_shift(z, CLUSTER_CELLS)
    params.update(shift=shift, cell_x0=x * CLUSTER_CELLS, cell_y0=y * CLUSTER_CELLS, cell_units=4096 // CLUSTER_CELLS)
    kept = kept_tile_cells(z, ranges, CLUSTER_CELLS, filters)
    if kept is None:
        for n, (first, end) in enumerate(ranges):
            params.update({f"first_{n}": first, f"end_{n}": end})
        where = filters.sql()
        arms = " UNION ALL ".join(CLUSTER_RANGE_SQL.format(n=n, where=where) for n in range(len(ranges)))
        kept = db.session.execute(text(CLUSTER_CELLS_SQL.format(ranges=arms)), params).one()
    cells, counts, opens = ([int(value) for value in column] for column in kept)
    if not cells:
        return b""
    singles = [cell for cell, count in zip(cells, counts) if count == 1]
    found = dict(db.session.execute(text(SINGLE_CODES_SQL.format(where=filters.sql())),
                                    {**params, "singles": singles}).all()) if singles else {}
    return _run(CLUSTERS_SQL, {**params, "cells": cells, "counts": counts, "opens": opens,
                               "codes": [found.get(cell) for cell in cells]})


def desk_tile(z: int, x: int, y: int, filters: ReportFilter, now: datetime) -> bytes:
    """Staff layer: points with tracking code and overdue flag; ``filters`` carries the user's scope
    (``ward_ids``) and the queue's filters, so the map shows exactly the queue's set."""
    extra = f", r.tracking_code AS code, ({overdue_sql('r', ':now')}) AS overdue"
    params = {"z": z, "x": x, "y": y, "layer": "desk", "now": now, **filters.params()}
    return _run(POINTS_SQL.format(where=filters.sql(), extra=extra), params)


def hotspot_tile(z: int, x: int, y: int, filters: ReportFilter) -> bytes:
    """Hexagon counts; cells of 1/128 tile (a fifth of a hexagon's edge) up to zoom 17, then the key's
    own 2.4 m grid; up to zoom 11 (hexagons of 815 m and more) cells of 1/64 tile, the kept cells' zoom
    17 at zoom 11 (306 m: a third of an edge), so that these tiles read the kept cells (tiles.kept)."""
    ranges = tile_key.ranges_with_margin(z, x, y)
    level = min(z + (6 if z <= KEPT_HOTSPOT_ZOOM else 7), tile_key.KEY_ZOOM)
    kept = kept_tile_cells(z, ranges, 2 ** (level - z), filters)
    if kept is not None:
        cells, counts, _ = kept
    else:
        params = {"shift": 2 * (tile_key.KEY_ZOOM - level), **filters.params()}
        for n, (first, end) in enumerate(ranges):
            params.update({f"first_{n}": first, f"end_{n}": end})
        where = filters.sql()
        arms = " UNION ALL ".join(HOTSPOT_RANGE_SQL.format(n=n, where=where) for n in range(len(ranges)))
        cells, counts = db.session.execute(text(HOTSPOT_CELLS_SQL.format(ranges=arms)), params).one()
    if not len(cells):
        return b""
    size = 2 * HALF_WORLD / 2 ** z / HEXAGONS_PER_TILE
    ids, which = np.unique(hexagon_ids(*tile_key.in_hexagons(cells, size, level)), return_inverse=True)
    totals = np.bincount(which, weights=counts).astype(np.int64)
    return _run(HOTSPOTS_SQL, {"z": z, "x": x, "y": y, "size": size, "ids": ids.tolist(), "counts": totals.tolist()})


def hexagon_ids(i, j):
    """Feature ids of hexagons (i, j) (numpy arrays); HOTSPOTS_SQL decodes them."""
    return ((np.asarray(i, dtype=np.int64) + 2 ** 30) << 31) | (np.asarray(j, dtype=np.int64) + 2 ** 30)


def ward_tile(z: int, x: int, y: int) -> bytes:
    detail = next((d for d in OUTLINE_DETAILS if d >= z), OUTLINE_DETAILS[-1])
    return _run(WARDS_SQL, {"z": z, "x": x, "y": y, "detail": detail})
