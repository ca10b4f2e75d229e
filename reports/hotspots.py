"""Hotspots ranked by the Getis-Ord Gi* statistic on hexagon counts.

Gi* for hexagon i (self included in its neighbourhood, binary weights for the hexagons whose centres
lie within one hexagon width, Web Mercator metres):
    Gi* = (Σj wij xj − x̄ Σj wij) / (S √((n Σj wij² − (Σj wij)²) / (n − 1)))
with x̄ and S the mean and standard deviation of all n hexagons, empty ones included. A z above 1.96
is a hotspot at the 95 % level.
"""
import math
from collections import defaultdict

import numpy as np

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


def gi_star(counts: np.ndarray, points: np.ndarray, radius: float) -> np.ndarray:
    """Gi* z-scores of ``counts`` at ``points`` (metres) with a distance band of ``radius``."""
    n = len(counts)
    if n < 3 or counts.std() == 0:
        return np.zeros(n)
    mean, s = counts.mean(), counts.std()
    z = np.empty(n)
    for i, near in enumerate(neighbours(points, radius)):
        w = len(near)  # binary weights: Σw = Σw² = number of neighbours
        numerator = counts[near].sum() - mean * w
        denominator = s * math.sqrt((n * w - w * w) / (n - 1))
        z[i] = numerator / denominator if denominator else 0.0
    return z


def rank_hotspots(hexagons: list[dict], size_m: float, top: int = 10) -> list[dict]:
    """The ``top`` hexagons by Gi* z-score among those with reports and z > 1.96."""
    if not hexagons:
        return []
    counts = np.array([h["current"] for h in hexagons], dtype=float)
    points = np.array([[h["x"], h["y"]] for h in hexagons], dtype=float)
    z = gi_star(counts, points, radius=math.sqrt(3) * size_m * 1.01)
    ranked = sorted((dict(h, z=float(zi)) for h, zi in zip(hexagons, z) if h["current"] > 0 and zi > Z_95),
                    key=lambda h: (-h["z"], -h["current"]))
    return ranked[:top]
