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
