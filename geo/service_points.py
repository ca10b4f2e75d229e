"""Service points: import with ward checks, an administrator's edit (checked the same way), and the
nearest-point locator.

Points are WGS84 (SRID 4326); distances are geodesic metres. The locator takes candidates from a
KNN scan (``<->`` on the GiST index, degrees), then ranks them by exact geodesic distance.
"""
import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text

from geo.assign import ward_for_point
from geo.coords import parse_lon_lat
from geo.errors import GeoError, InvalidCoordinates, OutsideServiceArea
from geo.generations import TODAY_SQL, in_force
from geo.opening_hours import is_open, validate_hours
from store import db, utcnow

KNN_CANDIDATES = 64

DISTANCE_TO_WARD_SQL = text(f"""
    SELECT ST_Distance(u.geom::geography, ST_SetSRID(ST_MakePoint(:lon, :lat), 4326)::geography)
      FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
     WHERE u.code = :code AND {in_force("s", TODAY_SQL)}
     ORDER BY s.effective_from DESC LIMIT 1""")

UPSERT_SQL = text("""
    INSERT INTO service_point (external_id, name, kind, address, phone, opening_hours, hours_assumed,
        services, ward_id, declared_ward_code, source, licence, active, imported_at, location)
    VALUES (:external_id, :name, :kind, :address, :phone, CAST(:opening_hours AS jsonb), :hours_assumed,
        CAST(:services AS jsonb), :ward_id, :declared_ward_code, :source, :licence, true, now(),
        ST_SetSRID(ST_MakePoint(:lon, :lat), 4326))
    ON CONFLICT (source, external_id) DO UPDATE SET
        name = EXCLUDED.name, kind = EXCLUDED.kind, address = EXCLUDED.address, phone = EXCLUDED.phone,
        opening_hours = EXCLUDED.opening_hours, hours_assumed = EXCLUDED.hours_assumed,
        services = EXCLUDED.services, ward_id = EXCLUDED.ward_id,
        declared_ward_code = EXCLUDED.declared_ward_code, licence = EXCLUDED.licence,
        active = true, imported_at = now(), location = EXCLUDED.location""")

NEAREST_SQL = text("""
    WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(:lon, :lat), 4326) AS g),
    candidates AS (
        SELECT sp.* FROM service_point sp
         WHERE sp.active AND (CAST(:kind AS text) IS NULL OR sp.kind = :kind)
         ORDER BY sp.location <-> (SELECT g FROM pt) LIMIT :candidates)
    SELECT c.id, c.name, c.kind, c.address, c.phone, c.opening_hours, c.hours_assumed, c.services,
           c.source, c.licence, ST_Y(c.location) AS lat, ST_X(c.location) AS lon,
           u.code AS ward_code, u.name AS ward_name,
           ST_Distance(c.location::geography, pt.g::geography) AS distance_m
      FROM candidates c LEFT JOIN admin_unit u ON u.id = c.ward_id, pt
     ORDER BY distance_m, c.id""")


@dataclass
class PointRow:
    """One service point read from a file, before the checks."""

    line: int
    external_id: str
    name: str
    lon: object
    lat: object
    declared_ward_code: str | None = None
    address: str = ""
    phone: str | None = None
    opening_hours: dict | None = None
    hours_assumed: bool = False
    services: list = field(default_factory=list)


@dataclass
class ImportReport:
    imported: int = 0
    held_back: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    mismatches: list[str] = field(default_factory=list)

    def lines(self, total: int, accept_mismatch: bool) -> list[str]:
        """The summary a command or the demo loader prints."""
        out = [f"{self.imported} of {total} service points imported"]
        if self.mismatches:
            verb = "imported anyway (--accept-mismatch)" if accept_mismatch else "held back"
            out.append(f"{len(self.mismatches)} points do not lie in their declared ward ({verb}):")
            out += [f"  {line}" for line in self.mismatches]
        return out


def _check(row: PointRow, report: ImportReport) -> tuple[float, float, int | None, bool]:
    """Return (lon, lat, ward id, consistent); record what is wrong."""
    lon, lat = parse_lon_lat(row.lon, row.lat)
    try:
        match = ward_for_point(lon, lat)
    except OutsideServiceArea as exc:
        nearest = exc.nearest_ward or {}
        report.mismatches.append(f"line {row.line} ({row.name}): outside every ward; nearest "
                                 f"{nearest.get('name')} ({nearest.get('code')}) at {exc.distance_m:,.0f} m")
        return lon, lat, None, False
    declared = row.declared_ward_code
    if declared and declared != match.code:
        distance = db.session.execute(DISTANCE_TO_WARD_SQL, {"lon": lon, "lat": lat, "code": declared}).scalar()
        where = f"{distance:,.0f} m outside it" if distance is not None else "declared ward unknown"
        report.mismatches.append(f"line {row.line} ({row.name}): declared ward {declared}, but the point "
                                 f"lies in {match.name} ({match.code}), {where}")
        return lon, lat, match.id, False
    return lon, lat, match.id, True


def import_service_points(rows: list[PointRow], kind: str, source: str, licence: str,
                          accept_mismatch: bool = False, progress=lambda n: None) -> ImportReport:
    """Check every row, then upsert the consistent ones (all of them with ``accept_mismatch``).

    A row with bad coordinates makes the whole import fail (nothing written); the caller commits.
    """
    report = ImportReport()
    accepted = []
    for row in rows:
        try:
            lon, lat, ward_id, consistent = _check(row, report)
        except InvalidCoordinates as exc:
            report.invalid.append(f"line {row.line} ({row.name}): {exc}")
            progress(1)
            continue
        if consistent or accept_mismatch:
            accepted.append({"external_id": row.external_id, "name": row.name, "kind": kind,
                             "address": row.address, "phone": row.phone,
                             "opening_hours": json.dumps(row.opening_hours) if row.opening_hours else None,
                             "hours_assumed": row.hours_assumed, "services": json.dumps(row.services),
                             "ward_id": ward_id, "declared_ward_code": row.declared_ward_code,
                             "source": source, "licence": licence, "lon": lon, "lat": lat})
        else:
            report.held_back.append(row.name)
        progress(1)
    if report.invalid:
        raise GeoError("invalid coordinates; nothing was written:\n  " + "\n  ".join(report.invalid))
    if accepted:
        db.session.execute(UPSERT_SQL, accepted)
    report.imported = len(accepted)
    return report


def nearest_service_points(lon, lat, limit: int = 5, kind: str | None = None,
                           open_at: datetime | None = None, only_open: bool = False) -> list[dict]:
    """The ``limit`` nearest active points to (lon, lat) in degrees, nearest first, in metres."""
    lon, lat = parse_lon_lat(lon, lat)
    rows = db.session.execute(NEAREST_SQL, {"lon": lon, "lat": lat, "kind": kind,
                                            "candidates": max(KNN_CANDIDATES, limit * 4)}).mappings()
    out = []
    for row in rows:
        open_now = is_open(row["opening_hours"], open_at) if open_at else None
        if only_open and open_now is not True:
            continue
        out.append({**row, "open_now": open_now})
        if len(out) == limit:
            break
    return out


def move_and_edit(point, *, name: str, address: str, phone: str | None, hours: dict, services: list[str],
                  lon, lat, accept_new_ward: bool) -> dict:
    """An administrator's edit of one service point; the place checked as an import checks it: inside
    the service area, and in its declared ward unless ``accept_new_ward`` (then that ward is declared).
    Returns what changed (before/after) for the audit; the caller commits and refreshes coverage."""
    lon, lat = parse_lon_lat(lon, lat)
    match = ward_for_point(lon, lat)  # OutsideServiceArea: refused
    if point.declared_ward_code and point.declared_ward_code != match.code and not accept_new_ward:
        raise GeoError(f"the point lies in {match.name} ({match.code}), not in its declared ward "
                       f"{point.declared_ward_code}: confirm the new ward to move it there")
    old_lon, old_lat = db.session.execute(text("SELECT ST_X(location), ST_Y(location) FROM service_point WHERE id = :id"),
                                          {"id": point.id}).one()
    before = {"name": point.name, "address": point.address, "phone": point.phone, "opening_hours": point.opening_hours,
              "services": point.services, "ward_code": point.declared_ward_code, "lon": round(old_lon, 6),
              "lat": round(old_lat, 6)}
    after = {"name": name, "address": address, "phone": phone or None, "opening_hours": validate_hours(hours),
             "services": services, "ward_code": match.code, "lon": round(lon, 6), "lat": round(lat, 6)}
    point.name, point.address, point.phone, point.opening_hours = name, address, phone or None, after["opening_hours"]
    point.services, point.hours_assumed, point.ward_id, point.declared_ward_code = services, False, match.id, match.code
    point.location = f"SRID=4326;POINT({lon} {lat})"
    point.imported_at = utcnow()  # the coverage's inputs changed
    return {key: [before[key], after[key]] for key in after if before[key] != after[key]}
