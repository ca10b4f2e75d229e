"""The leaders' figures kept per local day and ward (migration 0026), exact at every instant.

``report_day`` holds, per day (Vietnam's date of ``created_at``), ward, category, status and — for
open reports — the day of the deadline, the counts the dashboard sums; ``report_day_times`` holds,
per day, ward and category, every first-response and resolution time (seconds, packed int4) for the
medians;
``report_day_cell`` the reports (and the open ones) per zoom-17 key cell (``geo.tile_key``, ~300 m) for
the heatmap and the low-zoom map tiles (``tiles.kept``), and
``report_day_hexagon`` per 400 m hexagon (by the zoom-20 key cell rule) for the hotspot ranking.

Triggers on ``report`` mark (day, ward) whenever a report there is added, removed or changed in a
column the figures read; :func:`fold` (the worker, once a minute) recomputes the marked days from the
reports and removes their marks in the same transaction. A query (:class:`KeptDays`) reads:
- the kept rows of the whole local days inside the period that carry no mark;
- the reports themselves for the partial first and last days and for the marked (day, ward) pairs;
- open reports of kept days falling due today before now (the deadline's day is kept, not its time).
So a figure never waits for the worker: a mark only sends its day back to the reports.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta

import numpy as np
from sqlalchemy import text

from geo.tile_key import HEXAGON_CELL_LEVEL, KEY_ZOOM, in_hexagons
from reports.queries.filters import ReportFilter
from reports.queries.measures import GOOD_RATING, ON_TIME, OPEN, REOPENED, RESOLVED
from reports.states import OPEN_STATUSES
from store import LOCAL_TZ, db

FOLD_LOCK = 46_2026_0026  # pg_advisory_xact_lock key: one fold at a time (two would keep a day twice)
TZ = LOCAL_TZ.key  # the city's zone: migration 0026's day trigger is written for Asia/Ho_Chi_Minh (all of Vietnam)
# Filters the kept rows can answer (their columns: category, ward, status); any other sends the
# whole period back to the reports.
KEPT_FILTERS = ("start", "end", "category", "categories", "field_code", "ward", "province", "status")
# First-response and resolution times are kept per day, ward and category: a status filter computes
# the medians from the reports.
TIMES_FILTERS = ("start", "end", "ward", "province", "category", "categories", "field_code")
# Heatmap cells and hexagons are kept per day and ward only: a category or status filter reads the reports.
CELL_FILTERS = ("start", "end", "ward", "province")
KEPT_CELL_LEVEL = 17
KEPT_CELL_SHIFT = 2 * (KEY_ZOOM - KEPT_CELL_LEVEL)
KEPT_HEXAGON_M = 400.0  # the dashboard's hotspot hexagons (edge, metres in EPSG:3857)

TAKE_MARKS_SQL = """
    WITH taken AS (
        DELETE FROM report_day_mark m
         WHERE (m.day, m.ward_id) IN (SELECT DISTINCT day, ward_id FROM report_day_mark ORDER BY day, ward_id LIMIT :limit)
        RETURNING m.day, m.ward_id)
    SELECT DISTINCT day, ward_id FROM taken ORDER BY day, ward_id"""
PAIRS = "unnest(CAST(:days AS date[]), CAST(:wards AS integer[])) AS p(day, ward_id)"


def packed_seconds(seconds: str) -> str:
    """SQL aggregate: the non-null values of ``seconds`` (an expression), rounded and packed as int4
    big-endian into one bytea (read back with numpy ``>i4``). Kept times and the reports' own times
    are packed by this one expression, so the medians of both agree to the second."""
    return (f"coalesce(string_agg(int4send(round({seconds})::int), ''::bytea) "
            f"FILTER (WHERE {seconds} IS NOT NULL), ''::bytea)")
# The reports filed on a pair's local day in its ward (ix_report_ward_created).
PAIR_REPORTS = f"""report r WHERE r.ward_id = {{p}}.ward_id
    AND r.created_at >= ({{p}}.day::timestamp AT TIME ZONE '{TZ}')
    AND r.created_at < (({{p}}.day + 1)::timestamp AT TIME ZONE '{TZ}')"""
# The marked pairs' rows are deleted, then their reports are read once (one pass, one statement)
# and kept three ways — counts, heatmap cells, times — and their zoom-20 key cells returned (one row
# of arrays: day as days since 2000-01-01, ward, cell, reports) for the hexagons.
FOLD_SQL = f"""
    DELETE FROM report_day a USING {PAIRS} WHERE a.day = p.day AND a.ward_id = p.ward_id;
    DELETE FROM report_day_cell c USING {PAIRS} WHERE c.day = p.day AND c.ward_id = p.ward_id;
    DELETE FROM report_day_times t USING {PAIRS} WHERE t.day = p.day AND t.ward_id = p.ward_id;
    DELETE FROM report_day_hexagon h USING {PAIRS} WHERE h.day = p.day AND h.ward_id = p.ward_id;
    WITH pair_reports AS MATERIALIZED (
        SELECT p.day, p.ward_id, r.id, r.category_id, r.status, r.tile_key, r.deadline_at, r.resolved_at,
               r.rating, extract(epoch FROM r.first_response_at - r.created_at) AS first_response_s,
               extract(epoch FROM r.resolved_at - r.created_at) AS resolution_s
          FROM {PAIRS} CROSS JOIN LATERAL (SELECT r.* FROM {PAIR_REPORTS.format(p='p')}) r),
    counts AS (
        INSERT INTO report_day (day, ward_id, category_id, status, is_open, deadline_day, received, resolved, on_time,
                                ratings, rating_sum, good_ratings, reopened)
        SELECT r.day, r.ward_id, r.category_id, r.status, {OPEN},
               CASE WHEN {OPEN} THEN (r.deadline_at AT TIME ZONE '{TZ}')::date END,
               count(*), count(*) FILTER (WHERE {RESOLVED}), count(*) FILTER (WHERE {ON_TIME}),
               count(r.rating), coalesce(sum(r.rating), 0), count(*) FILTER (WHERE {GOOD_RATING}),
               count(*) FILTER (WHERE {REOPENED})
          FROM pair_reports r GROUP BY 1, 2, 3, 4, 5, 6),
    cells AS (
        INSERT INTO report_day_cell (day, ward_id, cell, n, open)
        SELECT r.day, r.ward_id, r.tile_key >> {KEPT_CELL_SHIFT}, count(*), count(*) FILTER (WHERE r.status = ANY(:open_statuses))
          FROM pair_reports r WHERE r.tile_key IS NOT NULL GROUP BY 1, 2, 3),
    times AS (
        INSERT INTO report_day_times (day, ward_id, category_id, first_response, resolution)
        SELECT r.day, r.ward_id, r.category_id,
               {packed_seconds("r.first_response_s")}, {packed_seconds("r.resolution_s")}
          FROM pair_reports r GROUP BY 1, 2, 3)
    SELECT coalesce(array_agg(day - date '2000-01-01'), '{{}}'), coalesce(array_agg(ward_id), '{{}}'),
           coalesce(array_agg(cell), '{{}}'), coalesce(array_agg(n), '{{}}') FROM (
        SELECT r.day, r.ward_id, r.tile_key >> {2 * (KEY_ZOOM - HEXAGON_CELL_LEVEL)} AS cell, count(*) AS n
          FROM pair_reports r WHERE r.tile_key IS NOT NULL GROUP BY 1, 2, 3) AS hexagon_cells"""

# The hexagons of the zoom-20 key cells FOLD_SQL returns are found in numpy by the same function as
# everywhere (geo.tile_key.in_hexagons), then kept per day, ward and hexagon.
KEEP_HEXAGONS_SQL = """
    INSERT INTO report_day_hexagon (day, ward_id, i, j, n)
    SELECT date '2000-01-01' + d, w, i, j, n
      FROM unnest(CAST(:days AS integer[]), CAST(:wards AS integer[]), CAST(:i AS integer[]), CAST(:j AS integer[]),
                  CAST(:n AS integer[])) AS t(d, w, i, j, n)"""

# Pieces of the dashboard's queries over kept days (``{where}``: the filter without its period).
MARKED_CTE = """marked AS MATERIALIZED (
        SELECT DISTINCT m.day, m.ward_id FROM report_day_mark m WHERE m.day >= :kept_from_day AND m.day < :kept_to_day)"""
FRESH_COLUMNS = ("r.id, r.ward_id, r.category_id, r.status, r.created_at, r.deadline_at, r.first_response_at, "
                 "r.resolved_at, r.rating, r.tile_key")
FRESH_CTE = f"""fresh AS (
        SELECT {FRESH_COLUMNS} FROM report r WHERE {{where}} AND r.created_at >= :start AND r.created_at < :kept_from
        UNION ALL
        SELECT {FRESH_COLUMNS} FROM report r WHERE {{where}} AND r.created_at >= :kept_to AND r.created_at < :end
        UNION ALL
        SELECT {FRESH_COLUMNS} FROM marked m CROSS JOIN LATERAL (
            SELECT {FRESH_COLUMNS} FROM {PAIR_REPORTS.format(p='m')} AND {{where}} OFFSET 0) r)"""
# The marks are read from their table, not from ``marked`` (a CTE would keep the scan in one process).
KEPT_CTE = """kept AS (
        SELECT a.* FROM report_day a
         WHERE a.day >= :kept_from_day AND a.day < :kept_to_day AND {kept_where}
           AND NOT EXISTS (SELECT 1 FROM report_day_mark m WHERE m.day = a.day AND m.ward_id = a.ward_id))"""
OPEN_LIST = ", ".join(f"'{status}'" for status in OPEN_STATUSES)  # the partial index's own predicate
# Open reports of kept days whose deadline falls today before now (partial index ix_report_open_deadline).
DUE_TODAY_CTE = f"""due_today AS (
        SELECT r.ward_id, count(*) AS overdue, count(*) FILTER (WHERE r.resolved_at IS NULL) AS due
          FROM report r
         WHERE r.status IN ({OPEN_LIST})
           AND r.deadline_at >= :today_start AND r.deadline_at < now()
           AND r.created_at >= :kept_from AND r.created_at < :kept_to AND {{where}}
           AND NOT EXISTS (SELECT 1 FROM report_day_mark m WHERE m.ward_id = r.ward_id
                                                     AND m.day = (r.created_at AT TIME ZONE '{TZ}')::date)
         GROUP BY r.ward_id)"""


@dataclass(frozen=True)
class KeptDays:
    """How a period splits: the whole local days ``kept_from`` → ``kept_to`` read from the kept rows
    (unless marked), the rest from the reports."""
    filters: ReportFilter
    kept_from: datetime
    kept_to: datetime
    today_start: datetime

    @classmethod
    def of(cls, filters: ReportFilter, now: datetime, unplaced_apart: bool = False) -> "KeptDays | None":
        """None when the kept rows cannot serve these filters or the period holds no whole day.
        ``unplaced_apart``: the caller counts the reports in no ward itself (the map tiles)."""
        # Without a province or ward the reports' figures would count reports in no ward (not kept).
        if filters.start is None or filters.end is None or not (filters.province or filters.ward or unplaced_apart):
            return None
        if not _only(filters, KEPT_FILTERS):
            return None
        kept_from = _midnight(filters.start, up=True)
        kept_to = _midnight(filters.end, up=False)
        if kept_from >= kept_to:
            return None
        return cls(filters, kept_from, kept_to, _midnight(now, up=False))

    @property
    def times_kept(self) -> bool:
        return _only(self.filters, TIMES_FILTERS)

    @property
    def cells_kept(self) -> bool:
        return _only(self.filters, CELL_FILTERS)

    def where(self, alias: str) -> str:
        """The filter without its period, on the table aliased ``alias`` (a kept table's columns carry
        the same names as the report's: ward_id, category_id, status)."""
        return self.filters.without("start", "end").sql(alias)

    def sql(self, template: str, **more: str) -> str:
        """``template`` with the CTEs and the filter put in: ``{marked}``, ``{fresh}``, ``{kept}``,
        ``{due_today}``, ``{where}`` (on ``r``), and ``more``."""
        where = self.where("r")
        return template.format(marked=MARKED_CTE, fresh=FRESH_CTE.format(where=where),
                               kept=KEPT_CTE.format(kept_where=self.where("a")),
                               due_today=DUE_TODAY_CTE.format(where=where), where=where, **more)

    def params(self) -> dict:
        return {**self.filters.params(), "kept_from": self.kept_from, "kept_to": self.kept_to,
                "kept_from_day": self.kept_from.date(), "kept_to_day": self.kept_to.date(),
                "today": self.today_start.date(), "today_start": self.today_start}


_FIELDS = tuple(ReportFilter.__dataclass_fields__)


def _only(filters: ReportFilter, allowed: tuple[str, ...]) -> bool:
    """Whether ``filters`` sets nothing outside ``allowed``."""
    return all(getattr(filters, name) in (None, (), False) for name in _FIELDS if name not in allowed)


def _midnight(at: datetime, up: bool) -> datetime:
    """The local midnight at or before ``at`` (``up``: at or after), as an aware datetime."""
    local = at.astimezone(LOCAL_TZ)
    floor = datetime.combine(local.date(), time(), tzinfo=LOCAL_TZ)
    return floor + timedelta(days=1) if up and floor < local else floor


def fold(limit: int = 2_000) -> int:
    """Keep the figures of up to ``limit`` marked (day, ward) pairs; returns the pairs folded. The
    caller commits (the marks go with the new rows, or neither does)."""
    db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": FOLD_LOCK})
    pairs = db.session.execute(text(TAKE_MARKS_SQL), {"limit": limit}).all()
    if pairs:
        params = {"days": [p.day for p in pairs], "wards": [p.ward_id for p in pairs]}
        cells = db.session.execute(text(FOLD_SQL), {**params, "open_statuses": list(OPEN_STATUSES)}).one()
        _keep_hexagons(*(np.array(a, dtype=np.int64) for a in cells))
    return len(pairs)


def _keep_hexagons(days, wards, cells, counts) -> None:
    if not len(cells):
        return
    i, j = in_hexagons(cells, KEPT_HEXAGON_M)
    keys, inverse = np.unique(np.column_stack([days, wards, i, j]), axis=0, return_inverse=True)
    sums = np.bincount(inverse.ravel(), weights=counts, minlength=len(keys)).astype(np.int64)
    db.session.execute(text(KEEP_HEXAGONS_SQL), {"days": keys[:, 0].tolist(), "wards": keys[:, 1].tolist(),
                                                 "i": keys[:, 2].tolist(), "j": keys[:, 3].tolist(),
                                                 "n": sums.tolist()})


def fold_all(progress=None) -> int:
    """Fold every mark, committing per batch; ``progress(pairs_done, marks_left)`` after each."""
    done = 0
    while True:
        folded = fold()
        db.session.commit()
        if not folded:
            return done
        done += folded
        if progress:
            progress(done, marks_waiting())


def marks_waiting() -> int:
    return db.session.execute(text("SELECT count(*) FROM report_day_mark")).scalar()
