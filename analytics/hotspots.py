"""Hotspots ranked by the Getis-Ord Gi* statistic on hexagon counts.

Gi* for hexagon i (self included in its neighbourhood, binary weights for the hexagons whose centres
lie within one hexagon width — its six neighbours in the tiling):
    Gi* = (Σj wij xj − x̄ Σj wij) / (S √((n Σj wij² − (Σj wij)²) / (n − 1)))
with x̄ and S the mean and standard deviation of all n hexagons, empty ones included.

Ranking (what leaders act on): a province has thousands of hexagons, so thousands of tests; a z above
1.96 alone would call about one hexagon in forty a hotspot by chance. A hexagon ranks when its Gi* is
significant under the Benjamini–Hochberg false discovery rate (``FDR`` 5 %, one-sided p-values) and it
holds at least ``MIN_COUNT`` reports itself (a 2-report hexagon beside a busy market is the market's
hotspot, not its own); ranked by z, ties by count.
"""
import math
from collections import defaultdict

import numpy as np

from geo.hexgrid import neighbour_offsets

FDR = 0.05
MIN_COUNT = 5


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


def p_values(z: np.ndarray) -> np.ndarray:
    """One-sided p-values of z-scores (the chance of a z this high without a cluster)."""
    return 0.5 * np.vectorize(math.erfc)(z / math.sqrt(2))


def significant(p: np.ndarray, rate: float = FDR) -> np.ndarray:
    """Benjamini–Hochberg: which of the tests are discoveries at false discovery rate ``rate``."""
    n = len(p)
    order = np.argsort(p)
    passed = p[order] <= rate * np.arange(1, n + 1) / n
    keep = np.zeros(n, dtype=bool)
    if passed.any():
        keep[order[:np.nonzero(passed)[0].max() + 1]] = True
    return keep


def rank_hotspots(hexagons: list[dict], top: int = 10) -> list[dict]:
    """The ``top`` hotspots (see the module's notes) with their z and p; ``hexagons`` are the whole
    tiling of the area (zeros included) with ``i``, ``j`` and ``current``."""
    if not hexagons:
        return []
    counts = np.array([h["current"] for h in hexagons], dtype=float)
    z = gi_star_from_neighbours(counts, hexagon_neighbours([(h["i"], h["j"]) for h in hexagons]))
    p = p_values(z)
    keep = significant(p) & (counts >= MIN_COUNT)
    ranked = sorted((dict(h, z=float(z[k]), p=float(p[k])) for k, h in enumerate(hexagons) if keep[k]),
                    key=lambda h: (-h["z"], -h["current"]))
    return ranked[:top]


def busiest(hexagons: list[dict], top: int) -> list[dict]:
    """When no hexagon is a significant hotspot: the ``top`` hexagons holding the most reports of the
    period (candidates for a ranking by what is still open: ``analytics.inspection``); no z, no p."""
    found = sorted((h for h in hexagons if h["current"] > 0), key=lambda h: (-h["current"], h["i"], h["j"]))
    return [dict(h, z=None, p=None) for h in found[:top]]


def places_of(spots: list[dict]) -> list[list[dict]]:
    """The spots grouped into places: neighbouring hexagons (sharing an edge) are one place — a market
    is one stop for one team, not two 400 m apart. Groups keep the order of their first member."""
    index = {(s["i"], s["j"]): k for k, s in enumerate(spots)}
    group = list(range(len(spots)))

    def root(k: int) -> int:
        while group[k] != k:
            group[k] = group[group[k]]
            k = group[k]
        return k
    for k, spot in enumerate(spots):
        for di, dj in neighbour_offsets(spot["i"])[1:]:
            other = index.get((spot["i"] + di, spot["j"] + dj))
            if other is not None:
                a, b = root(k), root(other)
                group[max(a, b)] = min(a, b)
    places: dict[int, list[dict]] = {}
    for k, spot in enumerate(spots):
        places.setdefault(root(k), []).append(spot)
    return [places[key] for key in sorted(places)]
