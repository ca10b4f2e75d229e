"""Wards in force, as GeoJSON for display (SRID 4326; simplification tolerance given in metres)."""
import json
from datetime import date

from sqlalchemy import select, text

from geo.generations import TODAY_SQL, in_force
from geo.models import AdminUnit
from store import db


def units_of_ward(code: str):
    """A ward's scope: every unit holding its code, in every boundary generation (a report stays in
    its ward's scope when a new generation redraws it), as a subquery of ids."""
    return select(AdminUnit.id).where(AdminUnit.code == code)


METRES_PER_DEGREE = 111_320.0  # at the equator; a display tolerance needs no more precision

WARDS_GEOJSON_SQL = text(f"""
    SELECT u.code, u.name, u.province_code, u.population, u.area_km2, s.name AS boundary_set,
           ST_AsGeoJSON(ST_SimplifyPreserveTopology(u.geom, :tolerance_deg), 6) AS geometry
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
     WHERE {in_force()}
       AND (CAST(:province AS text) IS NULL OR u.province_code = :province)
     ORDER BY u.code""")


def wards_feature_collection(province: str | None, simplify_m: float, at: date) -> dict:
    """Active wards (optionally of one province), simplified by ``simplify_m`` metres."""
    rows = db.session.execute(WARDS_GEOJSON_SQL, {
        "province": province, "tolerance_deg": simplify_m / METRES_PER_DEGREE, "at": at}).mappings()
    features = [{
        "type": "Feature", "id": row["code"], "geometry": json.loads(row["geometry"]),
        "properties": {"code": row["code"], "name": row["name"], "province_code": row["province_code"],
                       "population": row["population"], "area_km2": round(row["area_km2"], 3),
                       "boundary_set": row["boundary_set"]}} for row in rows]
    return {"type": "FeatureCollection", "features": features}


def ward_geojson(unit_id: int | None, simplify_m: float = 5.0) -> dict | None:
    """One unit's outline as a GeoJSON geometry (SRID 4326), simplified by ``simplify_m`` metres."""
    if unit_id is None:
        return None
    geometry = db.session.execute(text(
        "SELECT ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, :tol), 6) FROM admin_unit WHERE id = :id"),
        {"id": unit_id, "tol": simplify_m / METRES_PER_DEGREE}).scalar()
    return json.loads(geometry) if geometry else None


WARD_BY_CODE_SQL = text(f"""
    SELECT u.id, u.name FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
     WHERE u.code = :code AND {in_force(at=TODAY_SQL)}
     LIMIT 1""")


def ward_in_force(code: str):
    """The unit (``id``, ``name``) with official ``code`` in the boundary sets in force today, or None."""
    return db.session.execute(WARD_BY_CODE_SQL, {"code": code}).first()


WARDS_IN_FORCE_SQL = text(f"""
    SELECT DISTINCT ON (u.code) u.code, u.name FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
     WHERE {in_force(at=TODAY_SQL)} AND (CAST(:province AS text) IS NULL OR u.province_code = :province)
     ORDER BY u.code, s.effective_from DESC""")


def wards_in_force(province: str | None = None) -> list:
    """``(code, name)`` of the wards in force today (of one province), by name."""
    return sorted(db.session.execute(WARDS_IN_FORCE_SQL, {"province": province}).all(), key=lambda row: row.name)


WARD_BOUNDS_SQL = text(f"""
    SELECT DISTINCT ON (u.code) u.code, ST_YMin(u.geom) AS south, ST_XMin(u.geom) AS west,
           ST_YMax(u.geom) AS north, ST_XMax(u.geom) AS east
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
     WHERE {in_force(at=TODAY_SQL)} AND (CAST(:province AS text) IS NULL OR u.province_code = :province)
       AND (CAST(:code AS text) IS NULL OR u.code = :code)
     ORDER BY u.code, s.effective_from DESC""")


def ward_bounds(province: str | None, code: str | None = None) -> dict[str, list[list[float]]]:
    """Each ward in force's box as Leaflet bounds, ``{code: [[south, west], [north, east]]}`` (degrees,
    SRID 4326): what a page needs to show a ward on its map without its outline."""
    return {row.code: [[round(row.south, 5), round(row.west, 5)], [round(row.north, 5), round(row.east, 5)]]
            for row in db.session.execute(WARD_BOUNDS_SQL, {"province": province, "code": code})}


SET_GEOJSON_SQL = text("""
    SELECT code, name, ST_AsGeoJSON(ST_SimplifyPreserveTopology(geom, :tolerance_deg), 6) AS geometry
      FROM admin_unit WHERE boundary_set_id = :set_id ORDER BY code""")


def set_feature_collection(set_id: int, simplify_m: float) -> dict:
    """Every unit of one boundary set (in force or not: the preview of a set before it is activated),
    simplified by ``simplify_m`` metres; SRID 4326."""
    rows = db.session.execute(SET_GEOJSON_SQL, {"set_id": set_id, "tolerance_deg": simplify_m / METRES_PER_DEGREE})
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": r.code, "geometry": json.loads(r.geometry), "properties": {"code": r.code, "name": r.name}}
        for r in rows]}


PROVINCES_SERVED_SQL = text(f"""
    SELECT u.province_code AS code,
           COALESCE(
             (SELECT pu.name FROM admin_unit pu JOIN boundary_set s2 ON s2.id = pu.boundary_set_id
               WHERE pu.level = 'province' AND pu.code = u.province_code
                 AND {in_force("s2", TODAY_SQL, units_only=False)} LIMIT 1),
             (SELECT c.new_province_name FROM crosswalk_entry c WHERE c.new_province_code = u.province_code LIMIT 1),
             u.province_code) AS name
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
     WHERE {in_force(at=TODAY_SQL)}
     GROUP BY u.province_code ORDER BY u.province_code""")


def provinces_served() -> list:
    """``(code, name)`` of the provinces whose wards are in force today: the service area."""
    return db.session.execute(PROVINCES_SERVED_SQL).all()
