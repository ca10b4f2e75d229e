"""Importing and activating boundary generations in PostGIS (SRID 4326; areas in km² or m²).

An import stages every feature in a temporary table, checks it there (validity, overlaps, gaps),
and only then writes the set, its units and their ``ST_Subdivide`` parts — all in the caller's one
transaction, so a bad file changes nothing.
"""
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Callable

from sqlalchemy import select, text

from geo.boundary_source import BoundarySource, ascii_name
from geo.errors import BoundaryFileError, BoundarySetError
from geo.models import LEVELS, BoundarySet
from store import db, utcnow

SUBDIVIDE_MAX_VERTICES = 48  # smaller parts: tighter boxes, faster ST_Covers (bench/assign.py)
MIN_REPORTED_AREA_M2 = 1.0  # overlaps and gaps below this are floating-point noise

CREATE_STAGING_SQL = text("""
    CREATE TEMP TABLE boundary_staging (
        idx int PRIMARY KEY, code text, name text, name_ascii text, province_code text,
        props jsonb, geom geometry) ON COMMIT DROP""")
STAGE_FEATURE_SQL = text("""
    INSERT INTO boundary_staging VALUES (:idx, :code, :name, :name_ascii, :province_code,
        CAST(:props AS jsonb), ST_SetSRID(ST_GeomFromGeoJSON(:geometry), 4326))""")
INVALID_SQL = text("""
    SELECT idx, code, ST_IsValidReason(geom) AS reason FROM boundary_staging
     WHERE NOT ST_IsValid(geom) ORDER BY idx""")
REPAIR_SQL = text("""
    UPDATE boundary_staging
       SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))
     WHERE idx = :idx
    RETURNING ST_Area(geom::geography) AS area_m2""")
OVERLAPS_SQL = text("""
    SELECT a.code AS a, b.code AS b, ST_Area(ST_Intersection(a.geom, b.geom)::geography) AS area_m2
      FROM boundary_staging a JOIN boundary_staging b
        ON a.idx < b.idx AND a.geom && b.geom AND ST_Relate(a.geom, b.geom, '2********')""")
# Gaps: holes in the union of one province's units (areas no unit covers), in m².
GAPS_SQL = text("""
    WITH u AS (SELECT province_code, ST_Union(geom) AS g FROM boundary_staging
                GROUP BY province_code),
    polys AS (SELECT province_code, (ST_Dump(g)).geom AS poly FROM u),
    holes AS (SELECT province_code, ST_MakePolygon(ST_InteriorRingN(poly, n)) AS hole
                FROM polys, generate_series(1, ST_NumInteriorRings(poly)) AS n)
    SELECT province_code, ST_Area(hole::geography) AS area_m2,
           ST_X(ST_PointOnSurface(hole)) AS lon, ST_Y(ST_PointOnSurface(hole)) AS lat
      FROM holes ORDER BY area_m2 DESC""")
WRITE_UNITS_SQL = text("""
    INSERT INTO admin_unit (boundary_set_id, code, name, name_ascii, level, province_code,
                            area_km2, properties, geom)
    SELECT :set_id, code, name, name_ascii, :level, province_code,
           ST_Area(geom::geography) / 1e6, props, ST_Multi(geom)
      FROM boundary_staging ORDER BY idx""")
WRITE_PARTS_SQL = text(f"""
    INSERT INTO admin_unit_part (unit_id, boundary_set_id, code, geom)
    SELECT id, boundary_set_id, code, ST_Subdivide(geom, {SUBDIVIDE_MAX_VERTICES})
      FROM admin_unit WHERE boundary_set_id = :set_id""")
# Outlines for map tiles: Web Mercator, simplified to one pixel (extent 4096) of each detail zoom.
OUTLINE_DETAILS = (6, 8, 10, 12, 14, 16)
WRITE_OUTLINES_SQL = text("""
    INSERT INTO admin_unit_outline (unit_id, boundary_set_id, detail, geom)
    SELECT u.id, u.boundary_set_id, d.detail,
           ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(
               ST_Transform(u.geom, 3857), 40075016.685578488 / 2 ^ d.detail / 4096)), 3))
      FROM admin_unit u, unnest(CAST(:details AS integer[])) AS d(detail)
     WHERE u.boundary_set_id = :set_id""")


@dataclass
class ImportSummary:
    set_name: str
    units: int = 0
    parts: int = 0
    already_imported: bool = False
    topology_checked: bool = False
    repaired: list[str] = field(default_factory=list)
    overlaps: list[tuple[str, str, float]] = field(default_factory=list)
    gaps: list[tuple[str, float, float, float]] = field(default_factory=list)

    def lines(self) -> list[str]:
        if self.already_imported:
            return [f"boundary set {self.set_name!r} is already imported with this content; nothing to do"]
        out = [f"boundary set {self.set_name!r}: {self.units} units, {self.parts} subdivided parts"]
        out += [f"repaired {r}" for r in self.repaired]
        if not self.topology_checked:
            return out + ["overlaps and gaps: not checked (--skip-topology)"]
        total = sum(a for *_, a in self.overlaps)
        out.append(f"overlaps between units: {len(self.overlaps)} ({total:,.0f} m² in all)")
        out += [f"  {a} ∩ {b}: {area:,.0f} m²" for a, b, area in self.overlaps[:10]]
        out.append(f"gaps inside a province: {len(self.gaps)} ({sum(g[1] for g in self.gaps):,.0f} m² in all)")
        out += [f"  province {p}: {area:,.0f} m² near {lon:.5f},{lat:.5f}" for p, area, lon, lat in self.gaps[:10]]
        return out


def _stage(source: BoundarySource, progress: Callable[[int], None]) -> None:
    session = db.session
    session.execute(text("DROP TABLE IF EXISTS boundary_staging"))  # an earlier import, same transaction
    session.execute(CREATE_STAGING_SQL)
    for feature in source.features:
        name = feature.name
        session.execute(STAGE_FEATURE_SQL, {
            "idx": feature.index, "code": feature.code, "name": name, "name_ascii": ascii_name(name),
            "province_code": feature.province_code,
            "props": json.dumps(feature.properties, ensure_ascii=False),
            "geometry": json.dumps(feature.geometry)})
        progress(1)
    session.execute(text("CREATE INDEX ON boundary_staging USING gist (geom)"))
    session.execute(text("ANALYZE boundary_staging"))


def _check_validity(repair: bool, summary: ImportSummary) -> None:
    invalid = db.session.execute(INVALID_SQL).all()
    if invalid and not repair:
        raise BoundaryFileError(
            "invalid geometries (run again with --repair to fix them with ST_MakeValid); nothing was written",
            [f"feature #{idx} (code {code}): {reason}" for idx, code, reason in invalid])
    for idx, code, reason in invalid:
        area = db.session.execute(REPAIR_SQL, {"idx": idx}).scalar()
        if not area:
            raise BoundaryFileError("repair left no polygon; nothing was written",
                                    [f"feature #{idx} (code {code}): {reason}"])
        summary.repaired.append(f"feature #{idx} (code {code}): {reason} → {area / 1e6:.3f} km²")


def import_boundary_set(source: BoundarySource, name: str, level: str, *, effective_from: date,
                        description: str = "", licence: str = "", repair: bool = False,
                        check_topology: bool = True,
                        progress: Callable[[int], None] = lambda n: None) -> ImportSummary:
    """Validate ``source`` in PostGIS and write it as the new, inactive set ``name``.

    Runs in the current transaction; the caller commits. Importing the same content under the same
    name again does nothing; other content under a taken name is refused.
    """
    if level not in LEVELS:
        raise BoundarySetError(f"level must be one of {', '.join(LEVELS)}")
    summary = ImportSummary(name)
    existing = db.session.scalar(select(BoundarySet).filter_by(name=name))
    if existing is not None:
        if existing.content_sha256 == source.sha256:
            summary.already_imported = True
            return summary
        raise BoundarySetError(f"a boundary set named {name!r} already exists with other content; "
                               "sets are never overwritten: import under a new name")
    _stage(source, progress)
    _check_validity(repair, summary)
    summary.topology_checked = check_topology
    if check_topology:
        summary.overlaps = [(a, b, area) for a, b, area in db.session.execute(OVERLAPS_SQL)
                            if area >= MIN_REPORTED_AREA_M2]
        summary.gaps = [tuple(row) for row in db.session.execute(GAPS_SQL)
                        if row.area_m2 >= MIN_REPORTED_AREA_M2]
    boundary_set = BoundarySet(name=name, description=description, level=level,
                               effective_from=effective_from, source=source.description,
                               licence=licence, active=False, content_sha256=source.sha256,
                               unit_count=len(source.features))
    db.session.add(boundary_set)
    db.session.flush()
    summary.units = db.session.execute(WRITE_UNITS_SQL, {"set_id": boundary_set.id, "level": level}).rowcount
    summary.parts = db.session.execute(WRITE_PARTS_SQL, {"set_id": boundary_set.id}).rowcount
    db.session.execute(WRITE_OUTLINES_SQL, {"set_id": boundary_set.id, "details": list(OUTLINE_DETAILS)})
    # The planner must see the new units and parts (a stale estimate of one unit per province once
    # sent the dashboard's period queries through a nested loop of heap visits).
    db.session.execute(text("ANALYZE admin_unit"))
    db.session.execute(text("ANALYZE admin_unit_part"))
    return summary


def get_set(name: str) -> BoundarySet:
    boundary_set = db.session.scalar(select(BoundarySet).filter_by(name=name))
    if boundary_set is None:
        raise BoundarySetError(f"no boundary set named {name!r}")
    return boundary_set


# Active sets of the same kind (provinces vs. sub-province units) sharing a province with :set_id
# and starting earlier end where the new one starts.
CLOSE_PREDECESSORS_SQL = text("""
    UPDATE boundary_set s SET effective_to = :start
     WHERE s.active AND s.id <> :set_id AND s.effective_from < :start
       AND (s.effective_to IS NULL OR s.effective_to > :start)
       AND (s.level = 'province') = (:level = 'province')
       AND EXISTS (SELECT 1 FROM admin_unit a JOIN admin_unit b ON a.province_code = b.province_code
                    WHERE a.boundary_set_id = s.id AND b.boundary_set_id = :set_id)
    RETURNING s.name""")
# ... and the activated set itself ends where an active successor already starts.
END_BEFORE_SUCCESSOR_SQL = text("""
    UPDATE boundary_set SET effective_to = (
        SELECT min(s.effective_from) FROM boundary_set s
         WHERE s.active AND s.id <> :set_id AND s.effective_from > :start
           AND (s.level = 'province') = (:level = 'province')
           AND EXISTS (SELECT 1 FROM admin_unit a JOIN admin_unit b ON a.province_code = b.province_code
                        WHERE a.boundary_set_id = s.id AND b.boundary_set_id = :set_id))
     WHERE id = :set_id AND effective_to IS NULL""")


def activate_set(name: str) -> list[str]:
    """Put set ``name`` in force from its ``effective_from``; return the names of the sets it ends."""
    boundary_set = get_set(name)
    params = {"start": boundary_set.effective_from, "set_id": boundary_set.id,
              "level": boundary_set.level}
    closed = db.session.execute(CLOSE_PREDECESSORS_SQL, params).scalars().all()
    db.session.execute(END_BEFORE_SUCCESSOR_SQL, params)
    db.session.refresh(boundary_set)
    if not boundary_set.active:
        boundary_set.active = True
        boundary_set.activated_at = utcnow()
    db.session.flush()
    return list(closed)


def set_population(set_name: str, population_by_code: dict[str, int]) -> int:
    """Store each unit's population (residents) on the units of ``set_name``; return the count."""
    boundary_set = get_set(set_name)
    rows = [{"set_id": boundary_set.id, "code": c, "pop": p} for c, p in population_by_code.items()]
    if not rows:
        return 0
    result = db.session.execute(text(
        "UPDATE admin_unit SET population = :pop WHERE boundary_set_id = :set_id AND code = :code"),
        rows)
    return result.rowcount
