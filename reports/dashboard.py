"""Figures for city leaders: per-ward performance, trends by week and field, category breakdown.

All figures come from one period (``start`` ≤ created < ``end``) and the filters; a ward whose
sample is small (fewer than ``MIN_SAMPLE`` resolved reports) is marked and not ranked.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlalchemy import text

from geo.assign import IN_FORCE_TODAY
from reports.states import OPEN_STATUSES
from webapp.extensions import db

MIN_SAMPLE = 10
PERIODS = (7, 30, 90)


@dataclass
class DashboardFilters:
    start: datetime
    end: datetime
    category: str | None = None
    field_code: str | None = None
    status: str | None = None
    ward: str | None = None
    province: str = "46"

    @classmethod
    def last_days(cls, days: int, **kwargs) -> "DashboardFilters":
        end = datetime.now(timezone.utc)
        return cls(start=end - timedelta(days=days), end=end, **kwargs)

    @property
    def previous(self) -> "DashboardFilters":
        span = self.end - self.start
        return DashboardFilters(self.start - span, self.start, self.category, self.field_code, self.status,
                                self.ward, self.province)

    def sql(self, alias: str = "r", start: str = ":start") -> str:
        """The filters as a WHERE condition on ``report`` (no join needed: the period index alone
        answers it); ``start`` names the parameter of the period's first instant."""
        parts = [f"{alias}.created_at >= {start}", f"{alias}.created_at < :end",
                 f"{alias}.ward_id IN (SELECT id FROM admin_unit WHERE province_code = :province)"]
        if self.category:
            parts.append(f"{alias}.category_id IN (SELECT id FROM category WHERE code = :category)")
        if self.field_code:
            parts.append(f"{alias}.category_id IN (SELECT id FROM category WHERE field = :field)")
        if self.status == "open":
            parts.append(f"{alias}.status = ANY(:open_statuses)")
        elif self.status == "closed":
            parts.append(f"NOT ({alias}.status = ANY(:open_statuses))")
        elif self.status:
            parts.append(f"{alias}.status = :status")
        if self.ward:
            parts.append(f"{alias}.ward_id IN (SELECT id FROM admin_unit WHERE code = :ward)")
        return " AND ".join(parts)

    def params(self) -> dict:
        return {"start": self.start, "end": self.end, "category": self.category, "field": self.field_code,
                "status": self.status, "ward": self.ward, "open_statuses": list(OPEN_STATUSES),
                "province": self.province}


# Reports of the period are read from the created_at index alone (migration 0011) and grouped by
# ward code (a code may have units in more than one boundary set); reopen events come from their
# partial index. Every ward in force is listed, with or without reports.
WARD_FIGURES_SQL = """
    WITH base AS (
        SELECT u.code AS ward_code, r.id, r.status, r.deadline_at, r.resolved_at, r.first_response_at,
               r.rating, r.created_at
          FROM report r JOIN admin_unit u ON u.id = r.ward_id
         WHERE {where}),
    reopened AS (SELECT DISTINCT report_id FROM report_event WHERE kind = 'reopened'),
    figures AS (
        SELECT b.ward_code,
               count(*) AS received,
               count(*) FILTER (WHERE b.status = ANY(:open_statuses)) AS backlog,
               count(*) FILTER (WHERE b.status = ANY(:open_statuses) AND b.deadline_at < now()) AS overdue,
               count(*) FILTER (WHERE b.resolved_at IS NOT NULL) AS resolved,
               count(*) FILTER (WHERE b.resolved_at IS NOT NULL AND b.resolved_at <= b.deadline_at) AS on_time,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM b.first_response_at - b.created_at) / 3600)
                   FILTER (WHERE b.first_response_at IS NOT NULL) AS median_first_response_h,
               percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM b.resolved_at - b.created_at) / 3600)
                   FILTER (WHERE b.resolved_at IS NOT NULL) AS median_resolution_h,
               avg(b.rating) AS mean_rating, count(b.rating) AS ratings,
               count(*) FILTER (WHERE b.rating >= 4) AS good_ratings,
               count(o.report_id) AS reopened
          FROM base b LEFT JOIN reopened o ON o.report_id = b.id
         GROUP BY b.ward_code)
    SELECT w.code, w.name, w.population, coalesce(f.received, 0) AS received,
           coalesce(f.backlog, 0) AS backlog, coalesce(f.overdue, 0) AS overdue,
           coalesce(f.resolved, 0) AS resolved, coalesce(f.on_time, 0) AS on_time,
           f.median_first_response_h, f.median_resolution_h, f.mean_rating,
           coalesce(f.ratings, 0) AS ratings, coalesce(f.good_ratings, 0) AS good_ratings,
           coalesce(f.reopened, 0) AS reopened
      FROM (SELECT DISTINCT ON (u.code) u.code, u.name, u.population FROM admin_unit u
              JOIN boundary_set s ON s.id = u.boundary_set_id
             WHERE {in_force} AND s.level <> 'province' AND u.province_code = :province
             ORDER BY u.code) w
      LEFT JOIN figures f ON f.ward_code = w.code
     ORDER BY w.code"""

# Counted by category id first (from the index), then named: one join per group, not per report.
TRENDS_SQL = """
    SELECT t.week, c.field, sum(t.n)::int AS n FROM (
        SELECT date_trunc('week', r.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS week, r.category_id,
               count(*) AS n
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
    on_time: int
    median_first_response_h: float | None
    median_resolution_h: float | None
    mean_rating: float | None
    ratings: int
    good_ratings: int
    reopened: int
    small_sample: bool = field(init=False)

    def __post_init__(self):
        self.small_sample = self.resolved < MIN_SAMPLE

    @property
    def per_10k(self) -> float | None:
        return 10_000 * self.received / self.population if self.population else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.resolved if self.resolved else None

    @property
    def good_share(self) -> float | None:
        return self.good_ratings / self.ratings if self.ratings else None

    @property
    def reopened_share(self) -> float | None:
        return self.reopened / self.resolved if self.resolved else None


def ward_figures(filters: DashboardFilters) -> list[WardFigures]:
    """Every ward of the province, ranked by on-time rate; small samples last and unranked."""
    sql = WARD_FIGURES_SQL.format(where=filters.sql("r"), in_force=IN_FORCE_TODAY)
    rows = db.session.execute(text(sql), filters.params()).mappings()
    wards = [WardFigures(**{k: (float(v) if k in ("mean_rating", "median_first_response_h",
                                                     "median_resolution_h") and v is not None else v)
                             for k, v in row.items()}) for row in rows]
    return sorted(wards, key=lambda w: (w.small_sample, -(w.on_time_rate or 0), w.code))


def weekly_trends(filters: DashboardFilters) -> list[dict]:
    rows = db.session.execute(text(TRENDS_SQL.format(where=filters.sql())), filters.params()).mappings()
    return [dict(r) for r in rows]


def category_breakdown(filters: DashboardFilters) -> list[dict]:
    rows = db.session.execute(text(CATEGORIES_SQL.format(where=filters.sql())), filters.params()).mappings()
    return [dict(r) for r in rows]
