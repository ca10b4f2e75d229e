"""Aggregates for the leaders' maps, computed in PostGIS: never every point to the browser.

Both read the reports of the period from the created_at index alone (it carries ``tile_key``,
migration 0011) and count them per key cell (``tiles.tile_key``: zoom-level squares of Web
Mercator, EPSG:3857), so no geometry is touched per report.

- ``heat_cells``: cells of zoom 18 (153 m at the equator, ~147 m on the ground in Huế) →
  (lat, lon, count), weights for the Folium heatmap.
- ``hexagon_counts``: every hexagon of edge ``size_m`` (the ``ST_HexagonGrid`` tiling, metres in
  EPSG:3857) over the province, zeros included, with this period's and the previous period's
  reports. Reports are counted per zoom-20 cell (38 m) and each cell goes to the hexagon holding
  its centre (in numpy); the province's hexagons are computed once per boundary set and kept in memory.
"""
import numpy as np
from sqlalchemy import text

from reports.dashboard import roomy_transaction
from tiles import hexgrid
from tiles.tile_key import KEY_ZOOM, cell_centres
from webapp.extensions import db

HEAT_LEVEL = 18
HEXAGON_CELL_LEVEL = 20

HEAT_SQL = "SELECT r.tile_key >> :shift AS cell, count(*) AS n FROM report r WHERE {where} GROUP BY 1"

HEXAGON_COUNTS_SQL = """
    SELECT r.tile_key >> :shift AS cell, count(*) FILTER (WHERE r.created_at >= :start) AS cur,
           count(*) FILTER (WHERE r.created_at < :start) AS prev
      FROM report r WHERE {where} GROUP BY 1"""

# Hexagons of the tiling that touch the province (its outline of detail 12: ~2 m tolerance).
PROVINCE_HEXAGONS_SQL = """
    WITH area AS (
        SELECT o.geom AS g, s.id AS set_id FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
          JOIN admin_unit_outline o ON o.unit_id = u.id AND o.detail = 12
         WHERE u.level = 'province' AND u.code = :province AND s.active
         ORDER BY s.effective_from DESC LIMIT 1)
    SELECT area.set_id, h.i, h.j FROM area, ST_HexagonGrid(:size_m, area.g) AS h WHERE ST_Intersects(h.geom, area.g)"""

_province_hexagons: dict[tuple, list[tuple[int, int]]] = {}


def _cells(sql: str, params: dict, level: int, columns: int):
    """Run a per-key-cell count; return the cells' centres (EPSG:3857) and the count columns."""
    roomy_transaction()
    # One row of arrays: a hundred thousand cells cross the wire and into numpy without a Python
    # object per row.
    names = ", ".join(f"coalesce(array_agg(c{k}), '{{}}')" for k in range(columns + 1))
    arrays = db.session.execute(text(f"SELECT {names} FROM ({sql}) AS t(" + ", ".join(f"c{k}" for k in range(columns + 1)) + ")"),
                                {**params, "shift": 2 * (KEY_ZOOM - level)}).one()
    data = np.array(arrays, dtype=np.int64).reshape(columns + 1, -1)
    x, y = cell_centres(data[0], level)
    return x, y, data[1:].T


def heat_cells(filters) -> list[list[float]]:
    x, y, counts = _cells(HEAT_SQL.format(where=filters.sql()), filters.params(), HEAT_LEVEL, 1)
    return [[round(lat, 5), round(lon, 5), int(n)]
            for (lon, lat), n in zip(map(hexgrid.to_lonlat, x, y), counts[:, 0])]


def province_hexagons(province: str, size_m: float) -> list[tuple[int, int]]:
    """(i, j) of the hexagons touching the province's active outline (cached per boundary set)."""
    current = db.session.execute(text(
        "SELECT s.id FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id WHERE u.level = 'province' "
        "AND u.code = :province AND s.active ORDER BY s.effective_from DESC LIMIT 1"), {"province": province}).scalar()
    key = (province, size_m, current)
    if key not in _province_hexagons:
        rows = db.session.execute(text(PROVINCE_HEXAGONS_SQL), {"province": province, "size_m": size_m}).all()
        _province_hexagons[key] = [(r.i, r.j) for r in rows]
    return _province_hexagons[key]


def hexagon_counts(filters, size_m: float = 400.0) -> list[dict]:
    """Every hexagon of the province (zeros included) with this period's and the previous counts:
    ``i``, ``j``, ``x``, ``y`` (centre, EPSG:3857), ``lon``, ``lat``, ``current``, ``previous``.
    Cells are assigned to hexagons here, vectorised (numpy): far cheaper than row by row in SQL."""
    params = {**filters.params(), "prev_start": filters.previous.start}
    x, y, counts = _cells(HEXAGON_COUNTS_SQL.format(where=filters.sql(start=":prev_start")), params,
                          HEXAGON_CELL_LEVEL, 2)
    i, j = hexgrid.hexagons_of(x, y, size_m)
    keys, inverse = np.unique((i << 32) + (j + 2 ** 31), return_inverse=True)  # one int64 per hexagon
    current_sums = np.bincount(inverse, weights=counts[:, 0], minlength=len(keys))
    previous_sums = np.bincount(inverse, weights=counts[:, 1], minlength=len(keys))
    totals = {(int(k >> 32), int((k & 0xFFFFFFFF) - 2 ** 31)): (int(c), int(p))
              for k, c, p in zip(keys, current_sums, previous_sums)}
    out = []
    for hexagon in province_hexagons(filters.province, size_m):
        cx, cy = hexgrid.centre(*hexagon, size_m)
        lon, lat = hexgrid.to_lonlat(cx, cy)
        current, previous = totals.get(hexagon, (0, 0))
        out.append({"i": hexagon[0], "j": hexagon[1], "x": cx, "y": cy, "lon": lon, "lat": lat,
                    "current": current, "previous": previous})
    return out
