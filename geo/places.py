"""Places a person names instead of coordinates (the desk's hotline intake: "phường Phú Xuân", "bộ
phận một cửa Kim Long"): the wards in force and the service centres, found by words typed with or
without diacritics, in any order. A point for each (SRID 4326): a ward's point on its surface, a
centre's own location. A city's streets and landmarks come with issue 33's imported places."""
import re

from sqlalchemy import text

from geo.boundary_source import ascii_name
from geo.generations import TODAY_SQL, in_force
from store import db

MAX_PLACES = 10
# Every typed word must appear in the folded name (lower case, no diacritics): a handful of rows per
# province, compared in SQL over name_ascii (wards) and in Python for the centres (no folded column).
WARDS_SQL = text(f"""
    SELECT DISTINCT ON (u.code) u.name, u.name_ascii AS folded, ST_Y(ST_PointOnSurface(u.geom)) AS lat,
           ST_X(ST_PointOnSurface(u.geom)) AS lon
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
     WHERE {in_force(at=TODAY_SQL)} AND lower(u.name_ascii) LIKE ALL (CAST(:patterns AS text[]))
     ORDER BY u.code, s.effective_from DESC""")
CENTRES_SQL = text("""
    SELECT p.name, p.address, ST_Y(p.location) AS lat, ST_X(p.location) AS lon FROM service_point p WHERE p.active""")


def fold(words: str) -> list[str]:
    """``Phú  Xuân`` → ``["phu", "xuan"]``: lower case, no diacritics, words only."""
    return [w for w in re.split(r"[^a-z0-9]+", ascii_name(words or "").lower()) if w]


def find_places(query: str, limit: int = MAX_PLACES) -> list[dict]:
    """Wards and service centres whose names hold every typed word; wards first, then centres, each by name."""
    words = fold(query)[:6]
    if not words or len(query) > 100:
        return []
    patterns = [f"%{w}%" for w in words]
    wards = [{"name": r.name, "kind": "ward", "lat": r.lat, "lon": r.lon}
             for r in db.session.execute(WARDS_SQL, {"patterns": patterns})]
    centres = []
    for row in db.session.execute(CENTRES_SQL):
        folded = " ".join(fold(f"{row.name} {row.address}"))
        if all(w in folded for w in words):
            centres.append({"name": row.name, "kind": "service_point", "address": row.address, "lat": row.lat, "lon": row.lon})
    return (sorted(wards, key=lambda p: p["name"]) + sorted(centres, key=lambda p: p["name"]))[:limit]
