"""Figures for city leaders: per-ward performance, trends by week and field, category breakdown.

All figures come from one period (``start`` ≤ created < ``end``) and the filters.

On time: of the reports that are *due* — answered (resolved), or still open past their deadline —
the share answered by the deadline. An open overdue report counts against the ward the moment its
deadline passes; a report whose deadline has not come yet counts neither way. A ward with fewer due
reports than ``min_sample`` (``DASHBOARD_MIN_SAMPLE``, default ``MIN_SAMPLE``) is marked and not ranked.
"""
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import text

from geo.generations import TODAY_SQL, in_force
from reports.queries.daily import KeptDays, packed_seconds
from reports.queries.filters import DEFAULT_PROVINCE, ReportFilter
from reports.queries.measures import DUE, GOOD_RATING, ON_TIME, OPEN, OVERDUE, REOPENED, RESOLVED
from settings import Config
from store import LOCAL_TZ, allow_big_reads, db, utcnow

MIN_SAMPLE = Config.DASHBOARD_MIN_SAMPLE  # the setting's value (10 unless DASHBOARD_MIN_SAMPLE says otherwise)
PERIODS = (7, 30, 90)


# Every ward in force of the province (the newest generation of each code).
WARDS_CTE = """wards AS MATERIALIZED (
        SELECT DISTINCT ON (u.code) u.id, u.code, u.name, u.population FROM admin_unit u
          JOIN boundary_set s ON s.id = u.boundary_set_id
         WHERE {in_force} AND u.province_code = :province
         ORDER BY u.code, s.effective_from DESC)"""

# Without kept days (a filter they cannot answer, or less than a whole day: reports.queries.daily),
# reports of the period are read from the created_at index alone (migration 0011), in two passes
# grouped by ward: the counts (hash aggregation, run by parallel workers) and the two exact medians
# (ordered-set aggregates sort, so they only read the reports that have the times). Reopen events
# come from their partial index. Every ward in force is listed, with or without reports; reports
# still on units no longer in force (before a re-assignment) are not counted.
WARD_FIGURES_SQL = f"""
    WITH {{wards}},
    reopened AS (SELECT DISTINCT report_id FROM report_event WHERE kind = 'reopened'),
    counts AS MATERIALIZED (
        SELECT r.ward_id,
               count(*) AS received,
               count(*) FILTER (WHERE {OPEN}) AS backlog,
               count(*) FILTER (WHERE {OVERDUE}) AS overdue,
               count(*) FILTER (WHERE {RESOLVED}) AS resolved,
               count(*) FILTER (WHERE {DUE}) AS due,
               count(*) FILTER (WHERE {ON_TIME}) AS on_time,
               avg(r.rating) AS mean_rating, count(r.rating) AS ratings,
               count(*) FILTER (WHERE {GOOD_RATING}) AS good_ratings,
               count(o.report_id) AS reopened
          FROM report r LEFT JOIN reopened o ON o.report_id = r.id
         WHERE {{where}}
         GROUP BY r.ward_id),
    medians AS MATERIALIZED ({{medians}})
    SELECT w.code, w.name, w.population, coalesce(c.received, 0) AS received,
           coalesce(c.backlog, 0) AS backlog, coalesce(c.overdue, 0) AS overdue,
           coalesce(c.resolved, 0) AS resolved, coalesce(c.due, 0) AS due, coalesce(c.on_time, 0) AS on_time,
           m.median_first_response_h, m.median_resolution_h, c.mean_rating,
           coalesce(c.ratings, 0) AS ratings, coalesce(c.good_ratings, 0) AS good_ratings,
           coalesce(c.reopened, 0) AS reopened
      FROM wards w LEFT JOIN counts c ON c.ward_id = w.id LEFT JOIN medians m ON m.ward_id = w.id
     ORDER BY w.code"""

# The exact medians by ward (ordered-set aggregates sort, so only the reports that have the times).
MEDIANS_SQL = """
        SELECT r.ward_id,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.first_response_at - r.created_at) / 3600)
                   FILTER (WHERE r.first_response_at IS NOT NULL) AS median_first_response_h,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM r.resolved_at - r.created_at) / 3600)
                   FILTER (WHERE r.resolved_at IS NOT NULL) AS median_resolution_h
          FROM report r
         WHERE {where} AND (r.first_response_at IS NOT NULL OR r.resolved_at IS NOT NULL)
         GROUP BY r.ward_id"""

_SUMMED = ("received", "backlog", "overdue", "resolved", "due", "on_time", "rating_sum", "ratings", "good_ratings",
           "reopened")
# With kept days (reports.queries.daily): kept rows of unmarked whole days + the reports of the rest
# ("fresh") + open reports of kept days falling due today. Same columns as WARD_FIGURES_SQL, with the
# ward's id and its rating sum (the medians are computed apart: KEPT_TIMES_SQL).
KEPT_WARD_COUNTS_SQL = f"""
    WITH {{wards}}, {{marked}}, {{fresh}}, {{kept}}, {{due_today}},
    counts AS (
        SELECT ward_id, {{sums}}
          FROM (
            SELECT a.ward_id, sum(a.received) AS received,
                   coalesce(sum(a.received) FILTER (WHERE a.is_open), 0) AS backlog,
                   coalesce(sum(a.received) FILTER (WHERE a.is_open AND a.deadline_day < :today), 0) AS overdue,
                   sum(a.resolved) AS resolved,
                   sum(a.resolved) + coalesce(sum(a.received - a.resolved) FILTER (
                       WHERE a.is_open AND a.deadline_day < :today), 0) AS due,
                   sum(a.on_time) AS on_time, sum(a.rating_sum) AS rating_sum, sum(a.ratings) AS ratings,
                   sum(a.good_ratings) AS good_ratings, sum(a.reopened) AS reopened
              FROM kept a GROUP BY a.ward_id
            UNION ALL
            SELECT ward_id, 0, 0, overdue, 0, due, 0, 0, 0, 0, 0 FROM due_today
            UNION ALL
            SELECT r.ward_id, count(*), count(*) FILTER (WHERE {OPEN}), count(*) FILTER (WHERE {OVERDUE}),
                   count(*) FILTER (WHERE {RESOLVED}), count(*) FILTER (WHERE {DUE}),
                   count(*) FILTER (WHERE {ON_TIME}), coalesce(sum(r.rating), 0), count(r.rating),
                   count(*) FILTER (WHERE {GOOD_RATING}), count(*) FILTER (WHERE {REOPENED})
              FROM fresh r GROUP BY r.ward_id) parts
         GROUP BY ward_id)
    SELECT w.id, w.code, w.name, w.population, coalesce(c.received, 0) AS received,
           coalesce(c.backlog, 0) AS backlog, coalesce(c.overdue, 0) AS overdue,
           coalesce(c.resolved, 0) AS resolved, coalesce(c.due, 0) AS due, coalesce(c.on_time, 0) AS on_time,
           CAST(c.rating_sum AS float) / nullif(c.ratings, 0) AS mean_rating,
           coalesce(c.ratings, 0) AS ratings, coalesce(c.good_ratings, 0) AS good_ratings,
           coalesce(c.reopened, 0) AS reopened
      FROM wards w LEFT JOIN counts c ON c.ward_id = w.id
     ORDER BY w.code""".replace("{sums}", ", ".join(f"sum({c})::int AS {c}" for c in _SUMMED))

# Every first-response and resolution time (seconds, packed int4) per ward: kept per day and category
# (joined per ward in PostgreSQL: a row per ward crosses the wire), and from the reports for the rest.
# The medians are taken in numpy (np.median = percentile_cont(0.5)).
KEPT_TIMES_SQL = """
    WITH {marked}, {fresh}
    SELECT t.ward_id, string_agg(t.first_response, ''::bytea), string_agg(t.resolution, ''::bytea)
      FROM report_day_times t
     WHERE t.day >= :kept_from_day AND t.day < :kept_to_day AND {times_where}
       AND NOT EXISTS (SELECT 1 FROM report_day_mark m WHERE m.day = t.day AND m.ward_id = t.ward_id)
     GROUP BY t.ward_id
    UNION ALL
    SELECT r.ward_id, {first_response}, {resolution} FROM fresh r GROUP BY r.ward_id""".replace(
    "{first_response}", packed_seconds("extract(epoch FROM r.first_response_at - r.created_at)")).replace(
    "{resolution}", packed_seconds("extract(epoch FROM r.resolved_at - r.created_at)"))

KEPT_TRENDS_SQL = """
    WITH {marked}, {fresh}, {kept}
    SELECT (date '1970-01-05' + t.week * 7) AS week, c.field, sum(t.n)::int AS n FROM (
        SELECT (a.day - date '1970-01-05') / 7 AS week, a.category_id, sum(a.received) AS n FROM kept a GROUP BY 1, 2
        UNION ALL
        SELECT floor((extract(epoch FROM r.created_at) + 7 * 3600 - 4 * 86400) / 604800)::int, r.category_id, count(*)
          FROM fresh r GROUP BY 1, 2) t
      LEFT JOIN category c ON c.id = t.category_id
     GROUP BY 1, 2 ORDER BY 1, 2"""

KEPT_CATEGORIES_SQL = """
    WITH {marked}, {fresh}, {kept}
    SELECT c.code, c.name_vi, c.name_en, c.field, sum(t.n)::int AS n FROM (
        SELECT a.category_id, sum(a.received) AS n FROM kept a GROUP BY 1
        UNION ALL
        SELECT r.category_id, count(*) FROM fresh r GROUP BY 1) t
      JOIN category c ON c.id = t.category_id
     GROUP BY c.code, c.name_vi, c.name_en, c.field ORDER BY n DESC, c.code"""

# Weeks start on Monday, local time (UTC+7, no daylight saving): the week index is computed from the
# epoch (a Thursday, hence the 3 days) — far cheaper per report than date_trunc on AT TIME ZONE.
TRENDS_SQL = """
    SELECT (timestamp '1970-01-05' + t.week * interval '7 days')::date AS week, c.field, sum(t.n)::int AS n FROM (
        SELECT floor((extract(epoch FROM r.created_at) + 7 * 3600 - 4 * 86400) / 604800)::int AS week,
               r.category_id, count(*) AS n
          FROM report r WHERE {where} GROUP BY 1, 2) t
      LEFT JOIN category c ON c.id = t.category_id
     GROUP BY 1, 2 ORDER BY 1, 2"""

CATEGORIES_SQL = """
    SELECT c.code, c.name_vi, c.name_en, c.field, t.n FROM (
        SELECT r.category_id, count(*) AS n FROM report r WHERE {where} GROUP BY 1) t
      JOIN category c ON c.id = t.category_id
     ORDER BY t.n DESC, c.code"""


@dataclass
class WardFigures:
    code: str
    name: str
    population: int | None
    received: int
    backlog: int
    overdue: int
    resolved: int
    due: int  # answered, or open past the deadline
    on_time: int  # answered by the deadline
    median_first_response_h: float | None
    median_resolution_h: float | None
    mean_rating: float | None
    ratings: int
    good_ratings: int
    reopened: int
    min_sample: int = MIN_SAMPLE
    small_sample: bool = field(init=False)

    def __post_init__(self):
        self.small_sample = self.due < self.min_sample

    @property
    def per_10k(self) -> float | None:
        return 10_000 * self.received / self.population if self.population else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def good_share(self) -> float | None:
        return self.good_ratings / self.ratings if self.ratings else None

    @property
    def reopened_share(self) -> float | None:
        return self.reopened / self.resolved if self.resolved else None


def ward_figures(filters: ReportFilter, min_sample: int = MIN_SAMPLE) -> list[WardFigures]:
    """Every ward of the province, ranked by on-time rate; small samples (fewer than ``min_sample``
    due reports) last and unranked."""
    allow_big_reads()
    kept = KeptDays.of(filters, utcnow())
    rows = _kept_ward_rows(kept) if kept else _ward_rows(filters)
    wards = [WardFigures(**row, min_sample=min_sample) for row in rows]
    return sorted(wards, key=lambda w: (w.small_sample, -(w.on_time_rate or 0), w.code))


def _ward_rows(filters: ReportFilter) -> list[dict]:
    where = filters.sql("r")
    sql = WARD_FIGURES_SQL.format(wards=WARDS_CTE.format(in_force=in_force(at=TODAY_SQL)), where=where,
                                  medians=MEDIANS_SQL.format(where=where))
    return [_floats(row) for row in db.session.execute(text(sql), filters.params()).mappings()]


def _kept_ward_rows(kept: KeptDays) -> list[dict]:
    params = kept.params()
    wards = WARDS_CTE.format(in_force=in_force(at=TODAY_SQL))
    rows = [dict(row) for row in db.session.execute(text(kept.sql(KEPT_WARD_COUNTS_SQL, wards=wards)), params).mappings()]
    medians = _kept_medians(kept) if kept.times_kept else {
        row.ward_id: (row.median_first_response_h, row.median_resolution_h)
        for row in db.session.execute(text(MEDIANS_SQL.format(where=kept.filters.sql("r"))), params)}
    for row in rows:
        row["median_first_response_h"], row["median_resolution_h"] = medians.get(row.pop("id"), (None, None))
    return [_floats(row) for row in rows]


def _kept_medians(kept: KeptDays) -> dict[int, tuple[float | None, float | None]]:
    """Per ward id, the median first-response and resolution times in hours."""
    parts: dict[int, tuple[list, list]] = {}
    for ward_id, first, resolution in db.session.execute(
            text(kept.sql(KEPT_TIMES_SQL, times_where=kept.where("t"))), kept.params()):
        firsts, resolutions = parts.setdefault(ward_id, ([], []))
        firsts.append(bytes(first))
        resolutions.append(bytes(resolution))

    def median(chunks: list[bytes]) -> float | None:
        seconds = np.frombuffer(b"".join(chunks), dtype=">i4")
        return float(np.median(seconds)) / 3600 if len(seconds) else None
    return {ward_id: (median(firsts), median(resolutions)) for ward_id, (firsts, resolutions) in parts.items()}


def _floats(row) -> dict:
    return {k: (float(v) if k in ("mean_rating", "median_first_response_h", "median_resolution_h") and v is not None
                else v) for k, v in dict(row).items()}


def weekly_trends(filters: ReportFilter) -> list[dict]:
    allow_big_reads()
    kept = KeptDays.of(filters, utcnow())
    sql, params = (kept.sql(KEPT_TRENDS_SQL), kept.params()) if kept else (TRENDS_SQL.format(where=filters.sql()), filters.params())
    return [dict(r) for r in db.session.execute(text(sql), params).mappings()]


def category_breakdown(filters: ReportFilter) -> list[dict]:
    allow_big_reads()
    kept = KeptDays.of(filters, utcnow())
    sql, params = (kept.sql(KEPT_CATEGORIES_SQL), kept.params()) if kept else (CATEGORIES_SQL.format(where=filters.sql()), filters.params())
    return [dict(r) for r in db.session.execute(text(sql), params).mappings()]


PUBLIC_PERIODS = ("month", "year")


def calendar_period(kind: str, now: datetime, province: str = DEFAULT_PROVINCE) -> ReportFilter:
    """This calendar month or year so far, in Vietnam's time (the public ward pages' periods)."""
    local = now.astimezone(LOCAL_TZ)
    start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if kind == "year":
        start = start.replace(month=1)
    return ReportFilter(start=start, end=now, province=province)


def public_ward_dict(w: WardFigures) -> dict:
    """A ward's figures as anyone may see them (counts, rates and medians: no report, no person)."""
    return {"code": w.code, "name": w.name, "received": w.received, "resolved": w.resolved, "backlog": w.backlog,
            "overdue": w.overdue, "due": w.due, "on_time": w.on_time, "on_time_rate": w.on_time_rate, "median_first_response_h": w.median_first_response_h,
            "median_resolution_h": w.median_resolution_h, "good_ratings_share": w.good_share, "ratings": w.ratings,
            "per_10k_residents": w.per_10k, "small_sample": w.small_sample}
