"""Pin → ward: which unit of the boundary set in force owns a point.

Points are WGS84 lon/lat in degrees (SRID 4326); distances are geodesic metres.

Border rule: a point on a border shared by several units is covered by all of them (``ST_Covers``
counts the boundary); the unit with the **smallest official code** wins, so the answer never
depends on row order or plan.
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import text

from geo.coords import parse_lon_lat
from geo.errors import OutsideServiceArea
from geo.generations import in_force, set_ids_in_force
from store import autocommit_read, db, utcnow

WARD_FOR_POINT_SQL = text(f"""
    SELECT u.id, u.code, u.name, u.province_code, u.level, s.name AS boundary_set,
           COALESCE(
             (SELECT pu.name FROM admin_unit pu JOIN boundary_set s2 ON s2.id = pu.boundary_set_id
               WHERE pu.level = 'province' AND pu.code = u.province_code
                 AND {in_force("s2", units_only=False)}
               LIMIT 1),
             (SELECT c.new_province_name FROM crosswalk_entry c
               WHERE c.new_province_code = u.province_code LIMIT 1)) AS province_name
      FROM admin_unit_part p
      JOIN boundary_set s ON s.id = p.boundary_set_id
      JOIN admin_unit u ON u.id = p.unit_id
     WHERE {in_force()}
       AND ST_Covers(p.geom, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))
     ORDER BY p.code
     LIMIT 1""")

# KNN (<->, index-ordered, in degrees) picks candidate parts; the geodesic distance (metres) from the
# point to each candidate's closest point decides. Geography distance to a whole polygon is exact but
# ~1 ms per part; the closest point is found in degrees, an error far below a metre at ward scale.
NEAREST_UNIT_SQL = text(f"""
    WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g),
    candidates AS (
        SELECT p.unit_id, p.code, p.geom FROM admin_unit_part p
         WHERE p.boundary_set_id = ANY({set_ids_in_force()})
         ORDER BY p.geom <-> (SELECT g FROM pt) LIMIT 16)
    SELECT u.id, u.code, u.name, u.province_code, u.level,
           ST_Distance(ST_ClosestPoint(c.geom, pt.g)::geography, pt.g::geography) AS distance_m
      FROM candidates c JOIN admin_unit u ON u.id = c.unit_id, pt
     ORDER BY distance_m, c.code
     LIMIT 1""")


@dataclass(frozen=True)
class WardMatch:
    """The unit that owns a point, as the API reports it."""

    id: int
    code: str
    name: str
    province_code: str
    province_name: str | None
    level: str
    boundary_set: str

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.name, "province_code": self.province_code,
                "province_name": self.province_name}


def _as_date(at) -> date:
    if at is None:
        return utcnow().date()
    return at.date() if isinstance(at, datetime) else at


def ward_for_point(lon, lat, at=None) -> WardMatch:
    """Return the unit (ward, or district in an older generation) of the set in force on ``at``.

    ``lon``/``lat`` in degrees (SRID 4326), validated before any SQL. Raises
    :class:`~geo.errors.InvalidCoordinates` or :class:`~geo.errors.OutsideServiceArea` (with the
    nearest unit and the geodesic distance in metres).
    """
    lon, lat = parse_lon_lat(lon, lat)
    params = {"lon": lon, "lat": lat, "at": _as_date(at)}
    rows = autocommit_read(WARD_FOR_POINT_SQL, params, prepared=True)
    if rows:
        return WardMatch(**rows[0])
    nearest = db.session.execute(NEAREST_UNIT_SQL, params).mappings().first()
    if nearest is None:
        raise OutsideServiceArea("no boundary set is in force")
    raise OutsideServiceArea(
        "the point lies outside every ward of the service area",
        nearest_ward={k: nearest[k] for k in ("code", "name", "province_code")},
        distance_m=round(float(nearest["distance_m"]), 1))
