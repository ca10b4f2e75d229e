"""Z-order (Morton) keys of the zoom-24 Web Mercator pixel grid: the Python twin of the SQL function
``tile_key_3857`` (migration 0009), stored in ``report.tile_key``.

Column and row are counted in zoom-24 pixels (EPSG:3857, ~2.4 m at the equator, rows from the
north as in XYZ tiles); x goes to the even bits, y to the odd bits. A tile (z, x, y) with z ≤ 24 is
the key range ``[morton(x, y) << 2(24 − z), (morton(x, y) + 1) << 2(24 − z))``, and the cell of
level ``z + k`` holding a key is ``key >> 2(24 − z − k)``.
"""
import numpy as np

from geo import hexgrid
from geo.mercator import HALF_WORLD, mercator

KEY_ZOOM = 24
# Reports are counted in a hexagon by the centre of their zoom-20 key cell (38 m): the one rule.
HEXAGON_CELL_LEVEL = 20
def tile_at(x_3857: float, y_3857: float, z: int) -> tuple[int, int]:
    """(x, y) of the zoom-z XYZ tile holding a Web Mercator point (metres)."""
    n = 2 ** z
    return (int((x_3857 + HALF_WORLD) / (2 * HALF_WORLD) * n), int((HALF_WORLD - y_3857) / (2 * HALF_WORLD) * n))


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int, int]:
    """The zoom-z XYZ tile (z, x, y) holding a WGS84 point."""
    return (z, *tile_at(*mercator(lon, lat), z))


def spread(v: int) -> int:
    out = 0
    for bit in range(KEY_ZOOM):
        out |= ((v >> bit) & 1) << (2 * bit)
    return out


def morton(x: int, y: int) -> int:
    return spread(x) | (spread(y) << 1)


def key_of(x_3857: float, y_3857: float) -> int:
    """Key of a Web Mercator point (metres)."""
    size = 2 ** KEY_ZOOM
    col = min(max(int((x_3857 + HALF_WORLD) / (2 * HALF_WORLD) * size // 1), 0), size - 1)
    row = min(max(int((HALF_WORLD - y_3857) / (2 * HALF_WORLD) * size // 1), 0), size - 1)
    return morton(col, row)


def tile_range(z: int, x: int, y: int) -> tuple[int, int]:
    """Half-open key range of the tile (z ≤ 24)."""
    shift = 2 * (KEY_ZOOM - z)
    first = morton(x, y) << shift
    return first, first + (1 << shift)


def cell_shift(z: int, cells_per_side: int) -> int:
    """Right shift of a key to its cell when a zoom-z tile is cut in ``cells_per_side`` (a power of 2)."""
    level = z + cells_per_side.bit_length() - 1
    if level > KEY_ZOOM:
        raise ValueError("cells finer than the key's grid")
    return 2 * (KEY_ZOOM - level)


def merge_ranges(ranges: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted, with touching or overlapping half-open ranges joined."""
    out: list[list[int]] = []
    for first, end in sorted(ranges):
        if out and first <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([first, end])
    return [(a, b) for a, b in out]


def ranges_with_margin(z: int, x: int, y: int, split: int = 3) -> list[tuple[int, int]]:
    """Key ranges of the tile and of a ring around it one ``1/2**split`` of a tile wide (the ring's
    sub-tiles are of zoom ``z + split``; the tile itself is a single range)."""
    level = min(z + split, KEY_ZOOM)
    per_side = 2 ** (level - z)
    x0, y0, last = x * per_side, y * per_side, 2 ** level - 1
    ranges = [tile_range(z, x, y)]
    for sx in range(x0 - 1, x0 + per_side + 1):
        for sy in range(y0 - 1, y0 + per_side + 1):
            inside = x0 <= sx < x0 + per_side and y0 <= sy < y0 + per_side
            if not inside and 0 <= sx <= last and 0 <= sy <= last:
                ranges.append(tile_range(level, sx, sy))
    return merge_ranges(ranges)


def gather_even_bits(keys):
    """Vectorised inverse of ``spread`` on a numpy int64 array: the even bits of each key (its
    column; for ``keys >> 1``: its row). The SQL twin is ``gather_bits24`` (migration 0009)."""
    v = np.asarray(keys, dtype=np.int64) & 0x5555555555555555
    v = (v | (v >> 1)) & 0x3333333333333333
    v = (v | (v >> 2)) & 0x0F0F0F0F0F0F0F0F
    v = (v | (v >> 4)) & 0x00FF00FF00FF00FF
    v = (v | (v >> 8)) & 0x0000FFFF0000FFFF
    return (v | (v >> 16)) & 0xFFFFFF


def cell_centres(cells, level: int):
    """Centres (x, y in EPSG:3857 metres) of key cells of zoom ``level`` (``key >> 2(24 − level)``)."""
    cells = np.asarray(cells, dtype=np.int64)
    size = 2 * HALF_WORLD / 2 ** level
    return ((gather_even_bits(cells) + 0.5) * size - HALF_WORLD,
            HALF_WORLD - (gather_even_bits(cells >> 1) + 0.5) * size)


def in_hexagons(cells, size_m: float, level: int = HEXAGON_CELL_LEVEL):
    """(i, j) arrays of the hexagons holding the centres of key cells of zoom ``level``: the one rule by
    which reports are counted in a hexagon (so a hexagon's reports are exactly its count)."""
    return hexgrid.hexagons_of(*cell_centres(cells, level), size_m)
