"""Parsing and checking of WGS84 longitude/latitude (EPSG:4326, degrees) before any SQL runs."""
import math

from geo.errors import InvalidCoordinates


def parse_lon_lat(lon, lat) -> tuple[float, float]:
    """Return ``(lon, lat)`` as floats in degrees, or raise :class:`InvalidCoordinates`.

    Accepts numbers or numeric strings; refuses missing values, NaN, infinities and values outside
    [-180, 180] x [-90, 90].
    """
    values = []
    for name, raw, limit in (("lon", lon, 180.0), ("lat", lat, 90.0)):
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            raise InvalidCoordinates(f"missing {name}")
        if isinstance(raw, bool):
            raise InvalidCoordinates(f"{name} must be a number")
        try:
            value = float(raw)
        except (TypeError, ValueError):
            raise InvalidCoordinates(f"{name} must be a number, got {str(raw)[:40]!r}") from None
        if not math.isfinite(value):
            raise InvalidCoordinates(f"{name} must be finite")
        if not -limit <= value <= limit:
            raise InvalidCoordinates(f"{name} {value} is outside [-{limit:g}, {limit:g}]")
        values.append(value)
    return values[0], values[1]


def parse_bbox(raw: str) -> tuple[float, float, float, float]:
    """``"west,south,east,north"`` (degrees, SRID 4326) → a tuple, or :class:`InvalidCoordinates`."""
    try:
        box = tuple(float(v) for v in (raw or "").split(","))
    except ValueError:
        box = ()
    if len(box) != 4 or not all(math.isfinite(v) for v in box) or not (
            -180 <= box[0] < box[2] <= 180 and -90 <= box[1] < box[3] <= 90):
        raise InvalidCoordinates("bbox must be west,south,east,north in degrees (west < east, south < north)")
    return box
