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
