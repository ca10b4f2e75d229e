"""Web Mercator (EPSG:3857, metres) ↔ WGS84 (EPSG:4326, degrees), the spherical formulas PostGIS
uses for ``ST_Transform(geom, 3857)``; shared by the hexagon grid and the tile key."""
import math

import numpy as np

HALF_WORLD = 20037508.342789244  # metres, EPSG:3857


def mercator(lon: float, lat: float) -> tuple[float, float]:
    """WGS84 degrees → EPSG:3857 metres."""
    return lon * HALF_WORLD / 180, math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * HALF_WORLD / math.pi


def to_lonlat(x: float, y: float) -> tuple[float, float]:
    """EPSG:3857 metres → WGS84 degrees."""
    return x / HALF_WORLD * 180, math.degrees(2 * math.atan(math.exp(y / HALF_WORLD * math.pi)) - math.pi / 2)


def to_lonlat_arrays(x, y) -> tuple[np.ndarray, np.ndarray]:
    """``to_lonlat`` over numpy arrays (EPSG:3857 metres → WGS84 degrees)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    return x / HALF_WORLD * 180, np.degrees(2 * np.arctan(np.exp(y / HALF_WORLD * np.pi)) - np.pi / 2)
