"""Random points inside wards, for synthetic demo and benchmark data (SRID 4326, degrees).

Points are spread over the wards in force of a province in proportion to each ward's population
(its area when the population is unknown), with a seed so that runs are repeatable.
"""
from datetime import date

from sqlalchemy import text

from geo.assign import IN_FORCE
from webapp.extensions import db

RANDOM_POINTS_SQL = text(f"""
    WITH wards AS (
        SELECT u.id, u.geom, COALESCE(u.population, u.area_km2 * 1000) AS weight
          FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
         WHERE {IN_FORCE} AND s.level <> 'province' AND u.province_code = :province),
    shares AS (
        SELECT id, geom, GREATEST(1, round(:n * weight / sum(weight) OVER ()))::int AS n FROM wards)
    SELECT ST_X(p.geom) AS lon, ST_Y(p.geom) AS lat
      FROM shares, ST_Dump(ST_GeneratePoints(shares.geom, shares.n, :seed)) AS p
     ORDER BY shares.id, p.path""")


def random_points_in_province(province_code: str, n: int, seed: int, at: date) -> list[tuple[float, float]]:
    """About ``n`` (lon, lat) points inside the province's wards in force on ``at``."""
    rows = db.session.execute(RANDOM_POINTS_SQL, {"province": province_code, "n": n, "seed": seed,
                                                  "at": at})
    return [(row.lon, row.lat) for row in rows][:n]
