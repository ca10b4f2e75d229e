"""Hotspots ranked by the Getis-Ord Gi* statistic on hexagon counts.

Gi* for hexagon i (self included in its neighbourhood, binary weights for the hexagons whose centres
lie within one hexagon width — its six neighbours in the tiling):
    Gi* = (Σj wij xj − x̄ Σj wij) / (S √((n Σj wij² − (Σj wij)²) / (n − 1)))
with x̄ and S the mean and standard deviation of all n hexagons, empty ones included. A z above 1.96
is a hotspot at the 95 % level.
"""
from collections import defaultdict

import numpy as np

from geo.hexgrid import neighbour_offsets

Z_95 = 1.96


def neighbours(points: np.ndarray, radius: float) -> list[list[int]]:
    """Indices within ``radius`` of each point (itself included), via a grid of ``radius`` cells."""
    cells = defaultdict(list)
    keys = np.floor(points / radius).astype(int)
    for index, (cx, cy) in enumerate(keys):
        cells[(cx, cy)].append(index)
    out = []
    for index, (cx, cy) in enumerate(keys):
        near = [j for dx in (-1, 0, 1) for dy in (-1, 0, 1) for j in cells.get((cx + dx, cy + dy), ())]
        d = np.hypot(*(points[near] - points[index]).T)
        out.append([j for j, dist in zip(near, d) if dist <= radius])
    return out


def gi_star_from_neighbours(counts: np.ndarray, nbr: np.ndarray) -> np.ndarray:
    """Gi* z-scores given ``nbr``, an (n, k) array of neighbour indices (self included), padded with
    ``n`` where a neighbour is missing. Vectorised: a province of 12,000 hexagons takes milliseconds."""
    n = len(counts)
    if n < 3 or counts.std() == 0:
        return np.zeros(n)
    mean, s = counts.mean(), counts.std()
    padded = np.append(counts, 0.0)
    w = (nbr < n).sum(axis=1).astype(float)  # binary weights: Σw = Σw² = number of neighbours
    numerator = padded[nbr].sum(axis=1) - mean * w
    denominator = s * np.sqrt((n * w - w * w) / (n - 1))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(denominator > 0, numerator / denominator, 0.0)


def gi_star(counts: np.ndarray, points: np.ndarray, radius: float) -> np.ndarray:
    """Gi* z-scores of ``counts`` at ``points`` (metres) with a distance band of ``radius``."""
    lists = neighbours(points, radius)
    width = max((len(near) for near in lists), default=1)
    nbr = np.full((len(counts), width), len(counts))
    for index, near in enumerate(lists):
        nbr[index, :len(near)] = near
    return gi_star_from_neighbours(counts, nbr)


def hexagon_neighbours(cells: list[tuple[int, int]]) -> np.ndarray:
    """(n, 7) indices of each hexagon and its six neighbours among ``cells`` (padded with n):
    the hexagons whose centres lie one hexagon width away."""
    index = {cell: k for k, cell in enumerate(cells)}
    n = len(cells)
    return np.array([[index.get((i + di, j + dj), n) for di, dj in neighbour_offsets(i)] for i, j in cells],
                    dtype=int).reshape(n, 7)


def rank_hotspots(hexagons: list[dict], top: int = 10) -> list[dict]:
    """The ``top`` hexagons by Gi* z-score among those with reports and z > 1.96; ``hexagons`` are
    the whole tiling of the area (zeros included) with ``i``, ``j`` and ``current``."""
    if not hexagons:
        return []
    counts = np.array([h["current"] for h in hexagons], dtype=float)
    z = gi_star_from_neighbours(counts, hexagon_neighbours([(h["i"], h["j"]) for h in hexagons]))
    ranked = sorted((dict(h, z=float(zi)) for h, zi in zip(hexagons, z) if h["current"] > 0 and zi > Z_95),
                    key=lambda h: (-h["z"], -h["current"]))
    return ranked[:top]
