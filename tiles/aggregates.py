"""Aggregates for the leaders' maps, computed in PostGIS: never every point to the browser.

- ``heat_cells``: weighted grid cells (Web Mercator squares of ``cell_m`` metres) → (lat, lon, count).
- ``hexagon_counts``: ``ST_HexagonGrid`` hexagons of edge ``size_m`` (EPSG:3857 metres) over the
  province, with the reports of the period and of the previous one. Points are first counted on a
  fine square grid (100 m) and the squares then joined to hexagons: far fewer geometry tests.
"""
from sqlalchemy import text

from webapp.extensions import db

HEAT_SQL = """
    SELECT ST_Y(ST_Transform(cell, 4326)) AS lat, ST_X(ST_Transform(cell, 4326)) AS lon, n FROM (
        SELECT ST_SnapToGrid(r.location_3857, :cell_m) AS cell, count(*) AS n
          FROM report r LEFT JOIN category c ON c.id = r.category_id JOIN admin_unit u ON u.id = r.ward_id
         WHERE u.province_code = :province AND {where}
         GROUP BY 1) cells"""

HEXAGONS_SQL = """
    WITH area AS (
        SELECT ST_Transform(u.geom, 3857) AS g FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
         WHERE u.level = 'province' AND u.code = :province AND s.active
         ORDER BY s.effective_from DESC LIMIT 1),
    hex AS (SELECT h.i, h.j, h.geom FROM area, ST_HexagonGrid(:size_m, area.g) AS h
             WHERE ST_Intersects(h.geom, area.g)),
    squares AS (
        SELECT ST_SnapToGrid(r.location_3857, 100) AS g,
               count(*) FILTER (WHERE r.created_at >= :start) AS cur,
               count(*) FILTER (WHERE r.created_at < :start) AS prev
          FROM report r LEFT JOIN category c ON c.id = r.category_id JOIN admin_unit u ON u.id = r.ward_id
         WHERE u.province_code = :province AND {where}
         GROUP BY 1)
    SELECT hex.i, hex.j, ST_X(ST_Transform(ST_Centroid(hex.geom), 4326)) AS lon,
           ST_Y(ST_Transform(ST_Centroid(hex.geom), 4326)) AS lat,
           ST_X(ST_Centroid(hex.geom)) AS x, ST_Y(ST_Centroid(hex.geom)) AS y,
           coalesce(sum(squares.cur), 0) AS current, coalesce(sum(squares.prev), 0) AS previous,
           ST_AsGeoJSON(ST_Transform(hex.geom, 4326), 6) AS geometry
      FROM hex LEFT JOIN squares ON ST_Intersects(hex.geom, squares.g)
     GROUP BY hex.i, hex.j, hex.geom"""


def heat_cells(filters, cell_m: float = 200.0) -> list[list[float]]:
    rows = db.session.execute(text(HEAT_SQL.format(where=filters.sql())), {**filters.params(), "cell_m": cell_m})
    return [[round(r.lat, 5), round(r.lon, 5), int(r.n)] for r in rows]


def hexagon_counts(filters, size_m: float = 400.0) -> list[dict]:
    """Every hexagon of the province (zeros included) with this period's and the previous counts."""
    both = filters.previous
    where = filters.sql().replace("created_at >= :start", "created_at >= :prev_start")
    params = {**filters.params(), "prev_start": both.start, "size_m": size_m}
    rows = db.session.execute(text(HEXAGONS_SQL.format(where=where)), params).mappings()
    return [{**r, "current": int(r["current"]), "previous": int(r["previous"])} for r in rows]
