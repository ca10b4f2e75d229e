"""Report points for the public map (WGS84, SRID 4326): compact rows, no personal data.

The dashboard issue replaces this with vector tiles; until then the map clusters these points in the
browser (Leaflet.markercluster handles tens of thousands).
"""
from sqlalchemy import text

from webapp.extensions import db

PUBLIC_POINTS_SQL = text("""
    SELECT round(ST_Y(r.location)::numeric, 5) AS lat, round(ST_X(r.location)::numeric, 5) AS lon,
           r.status, c.code AS category, r.tracking_code
      FROM report r JOIN category c ON c.id = r.category_id
     WHERE r.tracking_code IS NOT NULL AND r.created_at >= now() - make_interval(days => :days)
       AND (CAST(:category AS text) IS NULL OR c.code = :category)
     ORDER BY r.created_at DESC
     LIMIT :limit""")


def public_report_points(days: int = 90, category: str | None = None, limit: int = 50_000) -> list:
    """``[lat, lon, status, category, tracking_code]`` rows, newest first."""
    rows = db.session.execute(PUBLIC_POINTS_SQL, {"days": days, "category": category, "limit": limit})
    return [[float(r.lat), float(r.lon), r.status, r.category, r.tracking_code] for r in rows]


def desk_points(where, now, limit: int = 20_000) -> list:
    """``[lat, lon, status, tracking_code, overdue]`` for the desk map, under a SQL condition."""
    from sqlalchemy import func, select

    from reports.models import Report
    from reports.states import OPEN_STATUSES
    overdue = Report.status.in_(OPEN_STATUSES) & (Report.deadline_at < now)
    rows = db.session.execute(
        select(func.ST_Y(Report.location), func.ST_X(Report.location), Report.status,
               Report.tracking_code, overdue)
        .where(where).order_by(Report.created_at.desc()).limit(limit))
    return [[round(lat, 6), round(lon, 6), status, code, bool(late)] for lat, lon, status, code, late in rows]
