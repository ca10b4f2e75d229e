"""Low-zoom map tiles from the cells the worker keeps per day and ward (``report_day_cell``: reports
and open reports per zoom-17 key cell, ~300 m of the EPSG:3857 key grid of ``geo.tile_key``;
migrations 0026 and 0028), instead of every report under the tile.

A zoom-10 tile of a million-report city holds the whole city: counted from the reports it took
130–430 ms at zooms 8–10, whatever the parallel workers. A tile whose cells are of zoom 17 or coarser
(clusters and hotspots up to zoom 11) reads instead the kept cells of its key ranges
(``ix_report_day_cell_cell``, index-only) — exact at every instant, like the leaders' figures
(``reports.queries.daily.KeptDays``): the whole local days of the period that carry no mark, today's
included (a tile's period has no end, and a report filed since the last fold marks its day), from
the kept cells; the partial first day and the marked (day, ward) pairs from the reports; and the
reports in no ward (never kept) from the reports too.

Kept cells answer a period and a ward; a category, field or status filter reads the reports. They
count every report, hidden or not (a dispatcher may hide or show one at any time); a public tile
subtracts the hidden reports of its period under it (``HIDDEN_SQL``: a partial index holds only them),
so that a hidden report is in no public tile at any instant (``reports.queries.predicates``).
"""
from dataclasses import replace
from datetime import timedelta

import numpy as np
from sqlalchemy import text

from geo.tile_key import KEY_ZOOM
from reports.queries.daily import KEPT_CELL_LEVEL, KEPT_CELL_SHIFT, KeptDays
from reports.queries.filters import ReportFilter
from reports.states import OPEN_STATUSES
from store import db, utcnow

# Each marked (day, ward) pair is read from its reports (an index scan each, ~1 ms in a million-report
# city): past this many, as after a bulk change or a new migration's marks, the tile counts the
# reports under it instead (200–400 ms at zoom 8–10) until the worker has folded them.
MAX_MARKED_PAIRS = 100
MARKED_PAIRS_SQL = """
    SELECT count(*) FROM (SELECT DISTINCT m.day, m.ward_id FROM report_day_mark m WHERE m.day >= :since LIMIT :limit) AS pairs"""
# One arm per key range, as the reports' hotspot counting (tiles.mvt): PostgreSQL may scan them in parallel;
# without ranges (the dashboard's heatmap), one arm for the whole period ({in_range} "true").
# NOT IN a hashed set of the marked pairs: as NOT EXISTS it was a nested loop per kept row (+40 %).
KEPT_ARM_SQL = """
    SELECT c.cell >> :kept_shift AS cell, c.n, c.open FROM report_day_cell c
     WHERE {in_range} AND c.day >= :kept_from_day AND c.day < :kept_to_day AND {cell_where}
       AND (c.day, c.ward_id) NOT IN (SELECT DISTINCT m.day, m.ward_id FROM report_day_mark m)"""
ARM_RANGE = "c.cell >= :first_{n} AND c.cell < :end_{n}"
IN_RANGES = ("EXISTS (SELECT 1 FROM unnest(CAST(:key_firsts AS bigint[]), CAST(:key_ends AS bigint[])) AS k(first, stop)"
             " WHERE r.tile_key >= k.first AND r.tile_key < k.stop)")
# Reports in no ward on kept days (the partial days' reports, in a ward or not, are in ``fresh``).
UNPLACED_SQL = """
    SELECT r.tile_key >> :shift, 1, (r.status = ANY(:open_statuses))::int FROM report r
     WHERE r.ward_id IS NULL AND r.created_at >= :kept_from AND r.created_at < :kept_to AND {in_ranges}"""
# The hidden reports of the period under the tile, taken off again (every other part counted them).
HIDDEN_SQL = """
    SELECT r.tile_key >> :shift, -1, -(r.status = ANY(:open_statuses))::int FROM report r
     WHERE r.hidden AND r.created_at >= :start AND r.created_at < :end AND {where} AND {in_ranges}"""
# The kept cells are grouped on their own (one Gather over all the arms: parallel workers), then added
# to the reports' cells; one statement, one snapshot (a fold committing between two statements would
# count a day twice or not at all).
KEPT_CELLS_SQL = """
    WITH {marked}, {fresh}
    SELECT coalesce(array_agg(cell), '{{}}'), coalesce(array_agg(n), '{{}}'), coalesce(array_agg(open), '{{}}') FROM (
        SELECT cell, sum(n) AS n, sum(open) AS open FROM (
            SELECT k.cell, sum(k.n) AS n, sum(k.open) AS open FROM ({kept_arms}) AS k GROUP BY k.cell
            UNION ALL
            SELECT r.tile_key >> :shift, 1, (r.status = ANY(:open_statuses))::int FROM fresh r WHERE {in_ranges}
            {unplaced} {hidden}) AS counted
         GROUP BY cell HAVING sum(n) > 0) AS cells"""


def kept_period(filters: ReportFilter) -> KeptDays | None:
    """How a tile's filters split into kept days and reports; None when the kept cells cannot answer
    them (anything but ``days`` and ``ward``, or no whole day in the period) or would be slower than
    the reports (more than MAX_MARKED_PAIRS marked pairs waiting for the worker)."""
    if filters.days is None or replace(filters, days=None, ward=None, public=False) != ReportFilter():
        return None
    now = utcnow()
    # A day past now as the end: a report stamped by the database a moment "after" the app's clock
    # is still in the period (the filter itself has no end).
    period = ReportFilter(start=now - timedelta(days=filters.days), end=now + timedelta(days=1), ward=filters.ward)
    kept = KeptDays.of(period, now, unplaced_apart=True)
    if not (kept and kept.cells_kept):
        return None
    marked = db.session.execute(text(MARKED_PAIRS_SQL), {"since": kept.kept_from.date(), "limit": MAX_MARKED_PAIRS + 1})
    return kept if marked.scalar() <= MAX_MARKED_PAIRS else None


def kept_tile_cells(z: int, ranges: list[tuple[int, int]], cells_per_side: int, filters: ReportFilter):
    """(cells, reports, open reports) as int64 arrays, cells of zoom ``z + log2(cells_per_side)`` over
    the key ``ranges`` (the tile's, with or without a ring); None when the kept cells cannot answer
    (filters, or cells finer than the kept zoom 17)."""
    level = z + cells_per_side.bit_length() - 1
    kept = kept_period(filters) if level <= KEPT_CELL_LEVEL else None
    if kept is None:
        return None
    return kept_cells(kept, level, ranges, unplaced=not filters.ward, public=filters.public)


def kept_cells(kept: KeptDays, level: int, ranges: list[tuple[int, int]] | None = None, unplaced: bool = False,
               public: bool = False):
    """(cells, reports, open reports) as int64 arrays: the period of ``kept`` counted per key cell of zoom
    ``level`` ≤ 17, from the kept cells and the reports for the rest; within the key ``ranges`` (whole
    zoom-17 cells) if given; ``unplaced``: with the reports in no ward (never kept); ``public``: without the
    hidden reports."""
    params = {**kept.params(), "kept_shift": 2 * (KEPT_CELL_LEVEL - level), "shift": 2 * (KEY_ZOOM - level),
              "open_statuses": list(OPEN_STATUSES)}
    cell_where = kept.where("c")
    if ranges is None:
        kept_arms, in_ranges = KEPT_ARM_SQL.format(in_range="true", cell_where=cell_where), "true"
    else:
        params.update(key_firsts=[a for a, _ in ranges], key_ends=[b for _, b in ranges])
        for n, (first, end) in enumerate(ranges):
            params.update({f"first_{n}": first >> KEPT_CELL_SHIFT, f"end_{n}": end >> KEPT_CELL_SHIFT})
        kept_arms = " UNION ALL ".join(KEPT_ARM_SQL.format(in_range=ARM_RANGE.format(n=n), cell_where=cell_where)
                                       for n in range(len(ranges)))
        in_ranges = IN_RANGES
    sql = kept.sql(KEPT_CELLS_SQL, kept_arms=kept_arms, in_ranges=in_ranges,
                   unplaced="UNION ALL " + UNPLACED_SQL.format(in_ranges=in_ranges) if unplaced else "",
                   hidden="UNION ALL " + HIDDEN_SQL.format(where=kept.where("r"), in_ranges=in_ranges) if public else "")
    return tuple(np.array(column, dtype=np.int64) for column in db.session.execute(text(sql), params).one())
