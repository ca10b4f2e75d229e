"""Nearby open reports of the same category: the duplicate check (FixMyStreet's "is it one of these?").

Candidates come from a KNN scan (``<->``, GiST on ``report.location``, degrees, SRID 4326), then the
geodesic distance in metres decides who is within the radius; nearest first.
"""
from sqlalchemy import select, text

from reports.models import Report
from reports.queries.predicates import PUBLIC
from reports.states import OPEN_STATUSES
from store import db

NEARBY_SQL = """
    WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g),
    candidates AS (
        SELECT r.id, r.location FROM report r
         WHERE r.category_id = :category_id AND r.status = ANY(:statuses)
           AND r.created_at >= now() - make_interval(days => :days) AND r.tracking_code IS NOT NULL AND {visible}
         ORDER BY r.location <-> (SELECT g FROM pt) LIMIT 50)
    SELECT c.id, ST_Distance(c.location::geography, pt.g::geography) AS distance_m
      FROM candidates c, pt
     WHERE ST_DWithin(c.location::geography, pt.g::geography, :radius_m)
     ORDER BY distance_m, c.id
     LIMIT :limit"""
# Every candidate, for the desk; the public ones only, for the resident's duplicate check.
NEARBY_ANY, NEARBY_PUBLIC = text(NEARBY_SQL.format(visible="true")), text(NEARBY_SQL.format(visible=PUBLIC.sql("r")))


def nearby_reports(lon: float, lat: float, category_id: int, statuses, radius_m: float = 150.0,
                   days: int = 30, limit: int = 5, public: bool = False) -> list[tuple[int, float]]:
    """``(report id, distance in metres)`` of open reports within ``radius_m``, nearest first."""
    rows = db.session.execute(NEARBY_PUBLIC if public else NEARBY_ANY, {"lon": lon, "lat": lat, "category_id": category_id,
                                           "statuses": list(statuses), "days": days,
                                           "radius_m": radius_m, "limit": limit})
    return [(row.id, float(row.distance_m)) for row in rows]


def nearby_open_reports(lon: float, lat: float, category_id: int, radius_m: float = 150.0,
                        public: bool = False) -> list[tuple[Report, float]]:
    """``(report, distance in metres)`` of open reports of the category nearby, loaded in one query
    (``public``: those the public may see, for a resident's duplicate check)."""
    found = nearby_reports(lon, lat, category_id, OPEN_STATUSES, radius_m, public=public)
    reports = {r.id: r for r in db.session.scalars(select(Report).where(Report.id.in_([i for i, _ in found])))}
    return [(reports[i], d) for i, d in found]
