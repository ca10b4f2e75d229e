"""How far residents are from a service point: hexagons and per-ward figures.

Hexagons come from ``ST_HexagonGrid`` in Web Mercator (EPSG:3857; ``size_m`` is the hexagon's edge in
projected metres, ≈ 4 % larger on the ground at Huế's latitude). Each hexagon's centre gets the
geodesic distance (metres) to the nearest active service point (KNN, then exact distance) and the
ward that covers it. Without a layer of where people live, a ward's figure is taken over its whole
area: the mean and the worst distance of its hexagon centres.
"""
import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from geo.generations import in_force
from store import db

HEX_DISTANCE_SQL = text(f"""
    WITH wards AS (
        SELECT u.id, u.code, u.name, u.population, u.geom FROM admin_unit u
          JOIN boundary_set s ON s.id = u.boundary_set_id
         WHERE {in_force()} AND u.province_code = :province),
    area AS (SELECT ST_Transform(ST_Union(geom), 3857) AS g FROM wards),
    hex AS (SELECT h.geom, ST_Transform(ST_Centroid(h.geom), 4326) AS centre
              FROM area, ST_HexagonGrid(:size_m, area.g) AS h WHERE ST_Intersects(h.geom, area.g))
    SELECT ST_AsGeoJSON(ST_Transform(hex.geom, 4326), 5) AS geometry, w.code AS ward_code,
           near.name AS nearest_name,
           ST_Distance(near.location::geography, hex.centre::geography) AS distance_m
      FROM hex
      LEFT JOIN LATERAL (SELECT code FROM wards WHERE ST_Covers(wards.geom, hex.centre)
                          ORDER BY code LIMIT 1) w ON true
      CROSS JOIN LATERAL (SELECT sp.name, sp.location FROM service_point sp WHERE sp.active
                           ORDER BY sp.location <-> hex.centre LIMIT 1) near""")

WARDS_SQL = text(f"""
    SELECT u.code, u.name, u.population FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
     WHERE {in_force()} AND u.province_code = :province ORDER BY u.code""")


@dataclass
class WardCoverage:
    code: str
    name: str
    population: int | None
    hexagons: int
    mean_distance_m: float | None
    max_distance_m: float | None
    nearest_name: str | None


# What the figures depend on besides the day: the active service points and the boundary sets.
INPUTS_VERSION_SQL = text("""
    SELECT (SELECT count(*) || ':' || coalesce(max(imported_at)::text, '') FROM service_point WHERE active)
           || '|' || (SELECT count(*) || ':' || coalesce(max(imported_at)::text, '') FROM boundary_set WHERE active)""")


def inputs_version() -> str:
    """Changes whenever service points or boundary sets are imported or switched (a cache key part)."""
    return db.session.execute(INPUTS_VERSION_SQL).scalar()


def coverage(province: str, size_m: float, on: date) -> tuple[dict, list[WardCoverage]]:
    """(GeoJSON of hexagons with ``distance_m``, wards ranked worst served first)."""
    rows = db.session.execute(HEX_DISTANCE_SQL, {"province": province, "size_m": size_m, "at": on}).mappings().all()
    features = [{"type": "Feature", "geometry": json.loads(r["geometry"]),
                 "properties": {"distance_m": round(r["distance_m"]), "ward_code": r["ward_code"],
                                "nearest": r["nearest_name"]}} for r in rows]
    by_ward: dict[str, list] = {}
    for r in rows:
        if r["ward_code"]:
            by_ward.setdefault(r["ward_code"], []).append(r)
    wards = []
    for ward in db.session.execute(WARDS_SQL, {"province": province, "at": on}).mappings():
        hexes = by_ward.get(ward["code"], [])
        distances = [h["distance_m"] for h in hexes]
        worst = max(hexes, key=lambda h: h["distance_m"]) if hexes else None
        wards.append(WardCoverage(ward["code"], ward["name"], ward["population"], len(hexes),
                                  sum(distances) / len(distances) if distances else None,
                                  max(distances) if distances else None,
                                  worst["nearest_name"] if worst else None))
    wards.sort(key=lambda w: -(w.mean_distance_m or 0))
    return {"type": "FeatureCollection", "features": features}, wards
