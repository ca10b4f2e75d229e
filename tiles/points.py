"""Report points as compact JSON rows (WGS84, SRID 4326): ``/api/v1/reports/map`` (public, no
personal data) and ``/desk/map.json`` (the desk's set). The pages draw vector tiles; these lists
serve clients without a vector-tile renderer (open-data users, integrations) and the desk benchmark.
"""
from sqlalchemy import Numeric, Text, text

from reports.queries.predicates import PUBLIC
from store import db

PUBLIC_POINTS_LIMIT = 5000  # the newest; more is the vector tiles' work (they cluster)

# Built by PostgreSQL (json_agg): the rows never become Python objects. Hidden reports are left out.
PUBLIC_POINTS_SQL = text(f"""
    SELECT json_build_object('points', coalesce(json_agg(json_build_array(p.lat, p.lon, p.status, p.category,
                                                                          p.tracking_code)), '[]'))::text
      FROM (SELECT round(ST_Y(r.location)::numeric, 5) AS lat, round(ST_X(r.location)::numeric, 5) AS lon,
                   r.status, c.code AS category, r.tracking_code
              FROM report r JOIN category c ON c.id = r.category_id
             WHERE r.tracking_code IS NOT NULL AND {PUBLIC.sql('r')}
               AND r.created_at >= now() - make_interval(days => :days)
               AND (CAST(:category AS text) IS NULL OR c.code = :category)
             ORDER BY r.created_at DESC
             LIMIT :limit) p""")


def public_report_points_json(days: int = 90, category: str | None = None, limit: int = PUBLIC_POINTS_LIMIT) -> str:
    """JSON ``{"points": [[lat, lon, status, category, tracking_code], ...]}``, newest first, at most
    ``limit`` (5,000 by default)."""
    return db.session.execute(PUBLIC_POINTS_SQL, {"days": days, "category": category, "limit": limit}).scalar()


def desk_points_json(where, now, limit: int = 20_000) -> str:
    """JSON ``{"points": [[lat, lon, status, tracking_code, overdue], ...]}`` for the desk map, built
    by PostgreSQL (json_agg): 20,000 rows cost a fraction of building them in Python."""
    from sqlalchemy import func, literal_column, select

    from reports.models import Report
    from reports.overdue import overdue
    rows = (select(func.round(func.ST_Y(Report.location).cast(Numeric), 6).label("lat"),
                   func.round(func.ST_X(Report.location).cast(Numeric), 6).label("lon"),
                   Report.status, Report.tracking_code, overdue(now).label("late"))
            .where(where).order_by(Report.created_at.desc()).limit(limit).subquery())
    body = db.session.scalar(select(func.json_build_object(
        "points", func.coalesce(func.json_agg(func.json_build_array(
            rows.c.lat, rows.c.lon, rows.c.status, rows.c.tracking_code, rows.c.late)),
            literal_column("'[]'::json"))).cast(Text)).select_from(rows))
    return body  # text straight from PostgreSQL: no parsing and re-encoding in Python
