"""The hexagon tiling of ``ST_HexagonGrid`` / ``ST_Hexagon`` (flat-topped, origin 0,0, Web Mercator
EPSG:3857, edge ``size`` metres), shared by the hotspot tiles and the dashboard.

Hexagon (i, j) has its centre at (1.5 · size · i, √3 · size · (j + (i mod 2) / 2)). A point goes to
a hexagon by axial coordinates and cube rounding (``hexagons_of``, in numpy on the counted key
cells), which gives the same (i, j) as ``ST_Hexagon`` (tested).
"""
import math

import numpy as np

from geo.mercator import to_lonlat

SQRT3 = math.sqrt(3)


def centre(i: int, j: int, size: float) -> tuple[float, float]:
    return 1.5 * size * i, SQRT3 * size * (j + (i % 2) / 2)


def polygon_lonlat(i: int, j: int, size: float) -> dict:
    """The hexagon as a GeoJSON polygon (WGS84), rounded to 6 decimals."""
    cx, cy = centre(i, j, size)
    h = SQRT3 / 2 * size
    corners = [(-size, 0), (-size / 2, -h), (size / 2, -h), (size, 0), (size / 2, h), (-size / 2, h), (-size, 0)]
    ring = [[round(v, 6) for v in to_lonlat(cx + dx, cy + dy)] for dx, dy in corners]
    return {"type": "Polygon", "coordinates": [ring]}


def neighbour_offsets(i: int) -> list[tuple[int, int]]:
    """(di, dj) of a hexagon and its six neighbours (odd columns sit half a row higher)."""
    side = 1 if i % 2 else -1
    return [(0, 0), (0, 1), (0, -1), (1, 0), (-1, 0), (1, side), (-1, side)]


def hexagons_of(x, y, size: float):
    """(i, j) arrays of the hexagons holding the points (numpy arrays of EPSG:3857 metres): axial
    coordinates and cube rounding (the same (i, j) as ``ST_Hexagon``)."""
    q = (2.0 / 3 * np.asarray(x)) / size
    r = (-np.asarray(x) / 3 + SQRT3 / 3 * np.asarray(y)) / size
    s = -q - r
    rq, rr, rs = np.round(q), np.round(r), np.round(s)
    dq, dr, ds = np.abs(rq - q), np.abs(rr - r), np.abs(rs - s)
    fix_q = (dq > ds) & (dq > dr)
    fix_r = ~fix_q & ~(ds > dr)
    rq = np.where(fix_q, -rs - rr, rq)
    rr = np.where(fix_r, -rq - rs, rr)
    i = rq.astype(np.int64)
    return i, rr.astype(np.int64) + (i - (i & 1)) // 2
