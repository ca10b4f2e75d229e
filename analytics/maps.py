"""Aggregates for the leaders' maps, computed in PostGIS: never every point to the browser.

Both read the reports of the period from the created_at index alone (it carries ``tile_key``,
migration 0011) and count them per key cell (``geo.tile_key``: zoom-level squares of Web
Mercator, EPSG:3857), so no geometry is touched per report.

- ``heat_cells``: cells of zoom 17 (306 m at the equator, ~293 m on the ground in Huế) →
  (lat, lon, count), weights for the Folium heatmap. Zoom 18 cells gave 1 MB of heatmap page for 90
  days of a million reports with no difference a leader can see at city scale (the heat radius spans
  several cells); zoom 17 sends half of it.
- ``hexagon_counts``: every hexagon of edge ``size_m`` (the ``ST_HexagonGrid`` tiling, metres in
  EPSG:3857) over the province, zeros included, with the period's reports (for Gi*). Reports are
  counted per zoom-20 cell (38 m) and each cell goes to the hexagon holding its centre (in numpy);
  the province's hexagons are computed once per boundary set and kept in memory.
- ``with_previous_counts``: the few ranked hexagons' counts in the previous period.
"""
import numpy as np
from sqlalchemy import text

from geo import hexgrid
from geo.generations import TODAY_SQL, in_force
from geo.mercator import to_lonlat, to_lonlat_arrays
from geo.tile_key import HEXAGON_CELL_LEVEL, KEY_ZOOM, cell_centres, in_hexagons, merge_ranges, tile_at, tile_range
from reports.queries.daily import KEPT_CELL_LEVEL, KEPT_HEXAGON_M, KeptDays
from store import allow_big_reads, db, utcnow
from tiles.kept import kept_cells

HEAT_LEVEL = KEPT_CELL_LEVEL  # 17

# Reports of the period per key cell (the cell level is the shift): heat cells and hexagon counts.
CELL_COUNTS_SQL = "SELECT r.tile_key >> :shift AS cell, count(*) AS n FROM report r WHERE {where} GROUP BY 1"

# The previous period's counts, read only where the ranked hexagons are (key ranges of zoom-18 tiles
# covering each hexagon's box), with the same cells as the period's own counts.
# LATERAL: each range drives its own index scan (joined the other way round, PostgreSQL once read the
# whole period and tested every report against every range).
PREVIOUS_COUNTS_SQL = """
    SELECT r.tile_key >> :shift AS cell, count(*) AS n
      FROM unnest(CAST(:firsts AS bigint[]), CAST(:ends AS bigint[])) AS k(first, stop),
           LATERAL (SELECT r.tile_key FROM report r
                     WHERE r.tile_key >= k.first AND r.tile_key < k.stop AND {where} OFFSET 0) r
     GROUP BY 1"""
COVER_LEVEL = 18

# Hexagons of the tiling that touch the province (its outline of detail 12: ~2 m tolerance).
PROVINCE_HEXAGONS_SQL = f"""
    WITH area AS (
        SELECT o.geom AS g, s.id AS set_id FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id
          JOIN admin_unit_outline o ON o.unit_id = u.id AND o.detail = 12
         WHERE u.level = 'province' AND u.code = :province AND {in_force("s", TODAY_SQL, units_only=False)}
         ORDER BY s.effective_from DESC LIMIT 1)
    SELECT area.set_id, h.i, h.j FROM area, ST_HexagonGrid(:size_m, area.g) AS h WHERE ST_Intersects(h.geom, area.g)"""

_province_hexagons: dict[tuple, list[tuple[int, int]]] = {}


def _array_columns(n: int) -> str:
    """A ``SELECT`` list turning columns c0…c(n−1) into one row of arrays."""
    return ", ".join(f"coalesce(array_agg(c{k}), '{{}}')" for k in range(n))


def _int_columns(sql: str, params: dict, n: int) -> np.ndarray:
    """The ``n`` integer columns of ``sql``'s rows as an (n, rows) int64 array. One row of arrays
    crosses the wire: a hundred thousand cells reach numpy without a Python object per row."""
    allow_big_reads()
    names = ", ".join(f"c{k}" for k in range(n))
    arrays = db.session.execute(text(f"SELECT {_array_columns(n)} FROM ({sql}) AS t({names})"), params).one()
    return np.array(arrays, dtype=np.int64).reshape(n, -1)


def _cells(sql: str, params: dict, level: int, columns: int):
    """Run a per-key-cell count; return the cells' centres (EPSG:3857) and the count columns."""
    data = _int_columns(sql, {**params, "shift": 2 * (KEY_ZOOM - level)}, columns + 1)
    x, y = cell_centres(data[0], level)
    return x, y, data[1:].T


def heat_cells(filters) -> list[list[float]]:
    """[lat, lon, count] per zoom-17 cell of the period (the Folium heatmap's weights); with kept days
    (reports.queries.daily, no category or status filter) from the kept cells and the reports for the
    rest (tiles.kept)."""
    kept = KeptDays.of(filters, utcnow())
    if not (kept and kept.cells_kept):
        return heat_cells_from_reports(filters)
    allow_big_reads()
    cells, counts, _ = kept_cells(kept, HEAT_LEVEL)
    return _heat(*cell_centres(cells, HEAT_LEVEL), counts[:, None])


def heat_cells_from_reports(filters) -> list[list[float]]:
    return _heat(*_cells(CELL_COUNTS_SQL.format(where=filters.sql()), filters.params(), HEAT_LEVEL, 1))


def _heat(x, y, counts) -> list[list[float]]:
    lon, lat = to_lonlat_arrays(x, y)
    return [list(row) for row in zip(np.round(lat, 5).tolist(), np.round(lon, 5).tolist(), counts[:, 0].tolist())]


def province_hexagons(province: str, size_m: float) -> list[tuple[int, int]]:
    """(i, j) of the hexagons touching the province's outline in force (cached per boundary set)."""
    current = db.session.execute(text(
        "SELECT s.id FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id WHERE u.level = 'province' "
        f"AND u.code = :province AND {in_force('s', TODAY_SQL, units_only=False)} ORDER BY s.effective_from DESC LIMIT 1"),
        {"province": province}).scalar()
    key = (province, size_m, current)
    if key not in _province_hexagons:
        rows = db.session.execute(text(PROVINCE_HEXAGONS_SQL), {"province": province, "size_m": size_m}).all()
        _province_hexagons[key] = [(r.i, r.j) for r in rows]
    return _province_hexagons[key]


# With kept days (400 m hexagons, no category or status filter): the hexagons kept per day and ward, and
# the zoom-20 cells of the reports for the rest — one statement, one snapshot (a fold committing
# between two statements would count a day twice or not at all). kind 0: (i, j, n); kind 1: (cell, 0, n).
KEPT_HEXAGON_COUNTS_SQL = """
    SELECT 0, h.i::bigint, h.j::bigint, sum(h.n)::bigint FROM report_day_hexagon h
     WHERE h.day >= :kept_from_day AND h.day < :kept_to_day AND {hexagon_where}
       AND NOT EXISTS (SELECT 1 FROM report_day_mark m WHERE m.day = h.day AND m.ward_id = h.ward_id)
     GROUP BY h.i, h.j
    UNION ALL
    SELECT 1, r.tile_key >> :shift, 0, count(*) FROM fresh r GROUP BY 2"""


def hexagon_counts(filters, size_m: float = KEPT_HEXAGON_M) -> list[dict]:
    """Every hexagon of the province (zeros included) with the period's count: ``i``, ``j``, ``x``,
    ``y`` (centre, EPSG:3857), ``lon``, ``lat``, ``current``. Cells are assigned to hexagons in numpy
    (``in_hexagons``): far cheaper than row by row in SQL."""
    kept = KeptDays.of(filters, utcnow())
    if not (kept and kept.cells_kept and size_m == KEPT_HEXAGON_M):
        return hexagon_counts_from_reports(filters, size_m)
    sql = kept.sql("WITH {marked}, {fresh} " + KEPT_HEXAGON_COUNTS_SQL, hexagon_where=kept.where("h"))
    kind, a, b, n = _int_columns(sql, {**kept.params(), "shift": 2 * (KEY_ZOOM - HEXAGON_CELL_LEVEL)}, 4)
    fresh = kind == 1
    i, j = in_hexagons(a[fresh], size_m)
    return _hexagon_list(filters.province, size_m, np.concatenate([a[~fresh], i]), np.concatenate([b[~fresh], j]),
                         np.concatenate([n[~fresh], n[fresh]]))


def hexagon_counts_from_reports(filters, size_m: float = KEPT_HEXAGON_M) -> list[dict]:
    x, y, counts = _cells(CELL_COUNTS_SQL.format(where=filters.sql()), filters.params(), HEXAGON_CELL_LEVEL, 1)
    i, j = hexgrid.hexagons_of(x, y, size_m)
    return _hexagon_list(filters.province, size_m, i, j, counts[:, 0])


def _hexagon_list(province: str, size_m: float, i, j, counts) -> list[dict]:
    """The province's hexagons with the sums of ``counts`` per (``i``, ``j``)."""
    keys, inverse = np.unique((np.asarray(i, dtype=np.int64) << 32) + (np.asarray(j, dtype=np.int64) + 2 ** 31),
                              return_inverse=True)  # one int64 per hexagon
    sums = np.bincount(inverse, weights=counts, minlength=len(keys))
    totals = {(int(k >> 32), int((k & 0xFFFFFFFF) - 2 ** 31)): int(c) for k, c in zip(keys, sums)}
    out = []
    for hexagon in province_hexagons(province, size_m):
        cx, cy = hexgrid.centre(*hexagon, size_m)
        lon, lat = to_lonlat(cx, cy)
        out.append({"i": hexagon[0], "j": hexagon[1], "x": cx, "y": cy, "lon": lon, "lat": lat,
                    "current": totals.get(hexagon, 0)})
    return out


def hexagon_key_ranges(hexagons: list[dict], size_m: float) -> list[tuple[int, int]]:
    """Merged ``tile_key`` ranges of the zoom-18 tiles covering each hexagon's box (a few hexagons:
    the reports inside them are then read by index range, never by geometry)."""
    ranges = []
    for h in hexagons:
        cx, cy = hexgrid.centre(h["i"], h["j"], size_m)
        (west, north), (east, south) = (tile_at(cx - size_m, cy + size_m, COVER_LEVEL),
                                        tile_at(cx + size_m, cy - size_m, COVER_LEVEL))
        ranges += [tile_range(COVER_LEVEL, tx, ty) for tx in range(west, east + 1) for ty in range(north, south + 1)]
    return merge_ranges(ranges)



def with_previous_counts(filters, hexagons: list[dict], size_m: float = KEPT_HEXAGON_M) -> list[dict]:
    """``hexagons`` (a few: the ranked hotspots) with ``previous``, their count in the period before
    (as long as this one)."""
    if not hexagons:
        return []
    ranges = hexagon_key_ranges(hexagons, size_m)
    previous = filters.previous
    x, y, counts = _cells(PREVIOUS_COUNTS_SQL.format(where=previous.sql()),
                          {**previous.params(), "firsts": [a for a, _ in ranges], "ends": [b for _, b in ranges]},
                          HEXAGON_CELL_LEVEL, 1)
    i, j = hexgrid.hexagons_of(x, y, size_m)
    found: dict[tuple[int, int], int] = {}
    for key, n in zip(zip(i.tolist(), j.tolist()), counts[:, 0].tolist()):
        found[key] = found.get(key, 0) + n
    return [dict(h, previous=found.get((h["i"], h["j"]), 0)) for h in hexagons]
