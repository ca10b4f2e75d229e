"""Random points inside wards, for synthetic demo and benchmark data (SRID 4326, degrees).

Points are spread over the wards in force of a province in proportion to each ward's population
(its area when the population is unknown), with a seed so that runs are repeatable.
"""
from datetime import date

from sqlalchemy import text

from geo.generations import in_force
from store import db

RANDOM_POINTS_SQL = text(f"""
    WITH wards AS (
        SELECT u.id, u.geom, COALESCE(u.population, u.area_km2 * 1000) AS weight
          FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
         WHERE {in_force()} AND u.province_code = :province),
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


# Bulk synthetic reports: points drawn inside each ward in proportion to its population, so that the
# ward is known without a lookup; categories, statuses and ages are drawn in SQL. Labelled synthetic.
SYNTHETIC_REPORTS_SQL = text(f"""
    WITH wards AS (
        SELECT u.id, u.geom, COALESCE(u.population, u.area_km2 * 1000) AS weight
          FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
         WHERE {in_force()} AND u.province_code = :province),
    shares AS (SELECT id, geom, GREATEST(1, round(:n * weight / sum(weight) OVER ()))::int AS n FROM wards),
    points AS (SELECT shares.id AS ward_id, p.geom
                 FROM shares, ST_Dump(ST_GeneratePoints(shares.geom, shares.n, :seed)) AS p),
    cats AS (SELECT array_agg(id ORDER BY id) AS ids FROM category WHERE active),
    drawn AS (SELECT ward_id, geom, random() AS r1, random() AS r2, random() AS r3 FROM points)
    INSERT INTO report (tracking_code, location, ward_id, category_id, description, status, priority,
                        channel, hide_identity, support_count, is_synthetic, created_at, updated_at,
                        deadline_at)
    SELECT NULL, d.geom, d.ward_id, cats.ids[1 + floor(d.r1 * array_length(cats.ids, 1))::int],
           :label, (ARRAY['received','accepted','assigned','in_progress','resolved','resolved','rejected',
                          'closed'])[1 + floor(d.r2 * 8)::int], 'normal', 'synthetic', true, 0, true,
           now() - d.r3 * interval '180 days', now() - d.r3 * interval '180 days',
           now() - d.r3 * interval '180 days' + interval '72 hours'
      FROM drawn d, cats""")


def insert_synthetic_reports(province_code: str, n: int, seed: int, at: date, label: str) -> int:
    """Insert about ``n`` synthetic reports spread over the province's wards; return the count."""
    return db.session.execute(SYNTHETIC_REPORTS_SQL, {"province": province_code, "n": n, "seed": seed,
                                                      "at": at, "label": label}).rowcount
