"""How far residents are from a service point: hexagons and per-ward figures.

Hexagons come from ``ST_HexagonGrid`` in Web Mercator (EPSG:3857; ``size_m`` is the hexagon's edge in
projected metres, ≈ 4 % larger on the ground at Huế's latitude). Each hexagon's centre gets the
geodesic distance (metres) to the nearest active service point (KNN, then exact distance) and the
ward that covers it. Without a layer of where people live, a ward's figure is taken over its whole
area: the mean and the worst distance of its hexagon centres.

Computing a province takes seconds of PostGIS, so it is done once per change of its inputs (the
active service points and boundary sets: ``inputs_version``) and kept in ``coverage_run`` /
``coverage_cell`` — by the imports that change them, or by the first page that finds none. Pages read
the kept cells: the hexagons travel as (i, j, distance, nearest) and the browser draws them.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import text

from geo.generations import in_force
from store import db


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


# Filled in one statement (no hexagon crosses into Python); ``:run`` is the new run's id.
FILL_CELLS_SQL = text(f"""
    INSERT INTO coverage_cell (run_id, i, j, distance_m, ward_code, nearest_name)
    WITH wards AS (
        SELECT u.id, u.code, u.geom FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
         WHERE {in_force()} AND u.province_code = :province),
    area AS (SELECT ST_Transform(ST_Union(geom), 3857) AS g FROM wards),
    hex AS (SELECT h.i, h.j, ST_Transform(ST_Centroid(h.geom), 4326) AS centre
              FROM area, ST_HexagonGrid(:size_m, area.g) AS h WHERE ST_Intersects(h.geom, area.g))
    SELECT :run, hex.i, hex.j, round(ST_Distance(near.location::geography, hex.centre::geography)),
           w.code, near.name
      FROM hex
      LEFT JOIN LATERAL (SELECT code FROM wards WHERE ST_Covers(wards.geom, hex.centre)
                          ORDER BY code LIMIT 1) w ON true
      CROSS JOIN LATERAL (SELECT sp.name, sp.location FROM service_point sp WHERE sp.active
                           ORDER BY sp.location <-> hex.centre LIMIT 1) near""")

WARD_COVERAGE_SQL = text(f"""
    WITH wards AS (
        SELECT DISTINCT ON (u.code) u.code, u.name, u.population FROM admin_unit u
          JOIN boundary_set s ON s.id = u.boundary_set_id
         WHERE {in_force()} AND u.province_code = :province ORDER BY u.code, s.effective_from DESC)
    SELECT w.code, w.name, w.population, count(c.i) AS hexagons, avg(c.distance_m)::float AS mean_distance_m,
           max(c.distance_m)::float AS max_distance_m,
           (array_agg(c.nearest_name ORDER BY c.distance_m DESC, c.i, c.j))[1] AS nearest_name
      FROM wards w LEFT JOIN coverage_cell c ON c.run_id = :run AND c.ward_code = w.code
     GROUP BY w.code, w.name, w.population
     ORDER BY avg(c.distance_m) DESC NULLS LAST, w.code""")


# The boundary sets in force on a day (a set can take over on its date with no import that day).
SETS_IN_FORCE_SQL = text(f"""
    SELECT coalesce(string_agg(DISTINCT s.id::text, ','), '') FROM admin_unit u
      JOIN boundary_set s ON s.id = u.boundary_set_id WHERE {in_force()} AND u.province_code = :province""")


def coverage_run(province: str, size_m: float, on: date) -> int:
    """The id of the kept coverage for the current inputs, computed now if there is none (one
    computation at a time per province and size: an advisory lock; older runs are removed)."""
    version = inputs_version() + "|" + db.session.execute(SETS_IN_FORCE_SQL, {"province": province, "at": on}).scalar()
    find = text("SELECT id FROM coverage_run WHERE province_code = :p AND size_m = :s AND inputs_version = :v")
    params = {"p": province, "s": int(size_m), "v": version}
    found = db.session.execute(find, params).scalar()
    if found:
        return found
    with db.engine.begin() as conn:  # its own transaction: kept even if the asking request fails later
        conn.execute(text("SELECT pg_advisory_xact_lock(hashtext('coverage:' || :p || ':' || :s))"), params)
        found = conn.execute(find, params).scalar()
        if found is None:
            found = conn.execute(text(
                "INSERT INTO coverage_run (province_code, size_m, inputs_version, computed_at) "
                "VALUES (:p, :s, :v, now()) RETURNING id"), params).scalar()
            conn.execute(FILL_CELLS_SQL, {"run": found, "province": province, "size_m": float(size_m), "at": on})
            conn.execute(text("DELETE FROM coverage_run WHERE province_code = :p AND size_m = :s AND id <> :id"),
                         {**params, "id": found})
    return found


def refresh_coverage(on: date, also: tuple[tuple[str, float], ...] = (), echo=lambda line: None) -> None:
    """After an import: compute now every coverage kept so far (each province and size leaders
    have asked for) and ``also``, so that no leader waits for it; older runs go."""
    kept = db.session.execute(text("SELECT DISTINCT province_code, size_m FROM coverage_run")).all()
    for province, size_m in sorted({(p, float(s)) for p, s in kept} | set(also)):
        coverage_run(province, size_m, on)
        echo(f"service-point coverage of province {province} ({size_m:.0f} m hexagons): up to date")


def coverage_cells(run_id: int, size_m: float) -> dict:
    """The run's hexagons, compact: ``{"size_m", "names": [nearest names], "cells": [[i, j,
    distance_m, index in names], ...]}`` — a tenth of the same hexagons as GeoJSON polygons."""
    rows = db.session.execute(text(
        "SELECT i, j, distance_m, nearest_name FROM coverage_cell WHERE run_id = :run ORDER BY i, j"),
        {"run": run_id}).all()
    names: dict[str, int] = {}
    cells = [[r.i, r.j, r.distance_m, names.setdefault(r.nearest_name or "", len(names))] for r in rows]
    return {"size_m": size_m, "names": list(names), "cells": cells}


def ward_coverage(run_id: int, province: str, on: date) -> list[WardCoverage]:
    """Every ward in force, worst served (largest mean distance) first, from the run's hexagons."""
    rows = db.session.execute(WARD_COVERAGE_SQL, {"run": run_id, "province": province, "at": on}).mappings()
    return [WardCoverage(**row) for row in rows]
