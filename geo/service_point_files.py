"""Reading service points from CSV (lat/lon columns named by options) or GeoJSON (Point features)."""
import csv
import json
from dataclasses import dataclass
from pathlib import Path

from geo.errors import GeoError
from geo.opening_hours import validate_hours
from geo.service_points import PointRow


@dataclass
class Columns:
    """Which column (CSV) or property (GeoJSON) holds what."""

    lat: str = "lat"
    lon: str = "lon"
    name: str = "name"
    id: str = "id"
    ward: str = "ward_code"
    address: str = "address"
    phone: str = "phone"
    hours: str = "opening_hours"
    services: str = "services"


def _row(line: int, get, columns: Columns) -> PointRow:
    hours = get(columns.hours)
    if isinstance(hours, str) and hours.strip():
        try:
            hours = validate_hours(json.loads(hours))
        except (ValueError, json.JSONDecodeError) as exc:
            raise GeoError(f"line {line}: opening hours: {exc}") from None
    services = get(columns.services) or []
    if isinstance(services, str):
        services = [s.strip() for s in services.split(";") if s.strip()]
    name = (get(columns.name) or "").strip()
    return PointRow(line=line, external_id=str(get(columns.id) or name or line), name=name,
                    lon=get(columns.lon), lat=get(columns.lat),
                    declared_ward_code=(str(get(columns.ward)).strip() or None) if get(columns.ward) else None,
                    address=(get(columns.address) or "").strip(), phone=get(columns.phone) or None,
                    opening_hours=hours or None, services=services)


def read_point_file(path: str | Path, columns: Columns) -> list[PointRow]:
    """Rows of a ``.csv`` or ``.geojson``/``.json`` file; raise :class:`GeoError` when unreadable."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        with open(path, newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = {columns.lat, columns.lon, columns.name} - set(reader.fieldnames or ())
            if missing:
                raise GeoError(f"{path}: missing columns {', '.join(sorted(missing))} "
                               "(name them with --lat-column/--lon-column/--name-column)")
            return [_row(line, row.get, columns) for line, row in enumerate(reader, start=2)]
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise GeoError(f"{path}: not readable GeoJSON ({exc})") from None
    rows = []
    for index, feature in enumerate(document.get("features") or [], start=1):
        geometry = feature.get("geometry") or {}
        if geometry.get("type") != "Point":
            raise GeoError(f"{path}: feature #{index} is not a Point")
        props = dict(feature.get("properties") or {})
        props[columns.lon], props[columns.lat] = (geometry.get("coordinates") or [None, None])[:2]
        rows.append(_row(index, props.get, columns))
    return rows
