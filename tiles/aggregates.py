"""Aggregates for the leaders' maps, computed in PostGIS: never every point to the browser.

Both read the reports of the period from the created_at index alone (it carries ``tile_key``,
migration 0011) and count them per key cell (``tiles.tile_key``: zoom-level squares of Web
Mercator, EPSG:3857), so no geometry is touched per report.

- ``heat_cells``: cells of zoom 18 (153 m at the equator, ~147 m on the ground in Huế) →
  (lat, lon, count), weights for the Folium heatmap.
- ``hexagon_counts``: every hexagon of edge ``size_m`` (the ``ST_HexagonGrid`` tiling, metres in
  EPSG:3857) over the province, zeros included, with this period's and the previous period's
  reports. Reports are counted per zoom-20 cell (38 m) and each cell goes to the hexagon holding
  its centre; the province's hexagons are computed once per boundary set and kept in memory.
"""
from sqlalchemy import text

from tiles import hexgrid
from tiles.tile_key import HALF_WORLD, KEY_ZOOM
from webapp.extensions import db

HEAT_LEVEL = 18
HEXAGON_CELL_LEVEL = 20

HEAT_SQL = """
    WITH cells AS (SELECT r.tile_key >> :shift AS cell, count(*) AS n FROM report r WHERE {where} GROUP BY 1)
    SELECT (gather_bits24(cell) + 0.5::float8) * :cell_m - :half_world AS x,
           :half_world - (gather_bits24(cell >> 1) + 0.5::float8) * :cell_m AS y, n FROM cells"""

HEXAGON_COUNTS_SQL = """
    WITH cells AS (
        SELECT r.tile_key >> :shift AS cell, count(*) FILTER (WHERE r.created_at >= :start) AS cur,
               count(*) FILTER (WHERE r.created_at < :start) AS prev
          FROM report r WHERE {where} GROUP BY 1),
    centres AS MATERIALIZED (SELECT (gather_bits24(cell) + 0.5::float8) * :cell_m - :half_world AS cx,
                       :half_world - (gather_bits24(cell >> 1) + 0.5::float8) * :cell_m AS cy, cur, prev FROM cells),
    {hexagons}
    SELECT i, j, sum(cur)::int AS current, sum(prev)::int AS previous FROM hexagon_cells GROUP BY 1, 2"""

# Hexagons of the tiling that touch the province (its outline of detail 12: ~2 m tolerance).
PROVINCE_HEXAGONS_SQL = """
    WITH area AS (
        SELECT o.geom AS g, s.id AS set_id FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
          JOIN admin_unit_outline o ON o.unit_id = u.id AND o.detail = 12
         WHERE u.level = 'province' AND u.code = :province AND s.active
         ORDER BY s.effective_from DESC LIMIT 1)
    SELECT area.set_id, h.i, h.j FROM area, ST_HexagonGrid(:size_m, area.g) AS h WHERE ST_Intersects(h.geom, area.g)"""

_province_hexagons: dict[tuple, list[tuple[int, int]]] = {}


def _cell_params(level: int) -> dict:
    return {"shift": 2 * (KEY_ZOOM - level), "cell_m": 2 * HALF_WORLD / 2 ** level, "half_world": HALF_WORLD}


def heat_cells(filters) -> list[list[float]]:
    rows = db.session.execute(text(HEAT_SQL.format(where=filters.sql())), {**filters.params(), **_cell_params(HEAT_LEVEL)})
    return [[round(lat, 5), round(lon, 5), int(r.n)] for r in rows for lon, lat in [hexgrid.to_lonlat(r.x, r.y)]]


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
    ``i``, ``j``, ``x``, ``y`` (centre, EPSG:3857), ``lon``, ``lat``, ``current``, ``previous``."""
    sql = HEXAGON_COUNTS_SQL.format(where=filters.sql(start=":prev_start"),
                                    hexagons=hexgrid.hexagon_ctes("centres", ":size_m", "cur, prev"))
    params = {**filters.params(), **_cell_params(HEXAGON_CELL_LEVEL), "prev_start": filters.previous.start,
              "size_m": size_m}
    counts = {(r.i, r.j): (r.current, r.previous) for r in db.session.execute(text(sql), params)}
    out = []
    for i, j in province_hexagons(filters.province, size_m):
        x, y = hexgrid.centre(i, j, size_m)
        lon, lat = hexgrid.to_lonlat(x, y)
        current, previous = counts.get((i, j), (0, 0))
        out.append({"i": i, "j": j, "x": x, "y": y, "lon": lon, "lat": lat, "current": current, "previous": previous})
    return out
