"""Which reports: the one filter type behind the desk queue and its map, the public and hotspot tiles,
the leaders' figures and exports, and Open311's request search.

A :class:`ReportFilter` has two forms of the same conditions, written once each in :data:`CONDITIONS`:
- :meth:`ReportFilter.conditions`: SQLAlchemy conditions on ``Report`` (the queue, Open311);
- :meth:`ReportFilter.sql` + :meth:`ReportFilter.params`: a raw SQL ``WHERE`` fragment on the alias
  ``r`` with bound parameters only (tiles, dashboard figures, exports). No value is ever written
  into SQL text.
Times are timezone-aware; ``end`` is exclusive. ``days`` stays a number of days, so that a filter
(and a cache key built from it) is the same from one request to the next; the instant it counts back
to is computed when the query is built (``since`` in :meth:`ReportFilter.params`): written as
``now() - make_interval(…)`` in SQL, PostgreSQL evaluated it again for every row a scan filtered
(a fifth of a hotspot tile's time).
"""
from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

from sqlalchemy import func, select

from geo.models import AdminUnit
from reports.categories import Category
from reports.errors import InvalidParameter
from reports.models import Report
from reports.overdue import overdue, overdue_sql
from reports.queries.predicates import PUBLIC
from reports.states import OPEN_STATUSES, STATUS_TYPES
from settings import CITY
from store import db, utcnow

MAX_DAYS = 36_500  # a century (and timedelta stays in range)
DEFAULT_PROVINCE = CITY.province  # the city this installation serves (settings: CITY_PROVINCE)


@dataclass(frozen=True)
class ReportFilter:
    start: datetime | None = None
    end: datetime | None = None
    days: int | None = None  # created within the last ``days`` days
    category: str | None = None  # a category code
    categories: tuple[str, ...] = ()  # any of these codes (Open311's service_code list)
    field_code: str | None = None
    status: str | None = None  # a status, or "open" / "closed"
    priority: str | None = None
    ward: str | None = None  # an official ward code (any boundary generation)
    ward_ids: tuple[int, ...] | None = None  # the viewer's scope (webapp.policy); None: every ward
    province: str | None = None
    overdue_at: datetime | None = None  # open and past its deadline at this instant
    assignee: str | None = None  # "none", or a staff account id
    tracking_codes: tuple[str, ...] = ()
    bbox: tuple[float, float, float, float] | None = None  # lon/lat (SRID 4326): W, S, E, N
    public: bool = False  # only what the public may see (reports.queries.predicates.PUBLIC)

    @classmethod
    def last_days(cls, days: int, province: str = DEFAULT_PROVINCE, **kwargs) -> "ReportFilter":
        """A period ending now (the leaders' 7/30/90-day views)."""
        end = utcnow()
        return cls(start=end - timedelta(days=days), end=end, province=province, **kwargs)

    @classmethod
    def from_desk_args(cls, args, ward_ids: tuple[int, ...] | None, now: datetime) -> "ReportFilter":
        """The desk's query string (status, field, category, priority, age_days, overdue, assignee,
        ward), within ``ward_ids``."""
        value = {name: (args.get(name) or "").strip()[:50] or None
                 for name in ("status", "field", "category", "priority", "age_days", "overdue", "assignee", "ward")}
        age = value["age_days"]
        if age and not (age.isdigit() and int(age) <= MAX_DAYS):
            raise InvalidParameter(f"age_days must be a whole number of days up to {MAX_DAYS}")
        # The queue shows what is still to do unless asked otherwise ("all": the finished ones too).
        status = value["status"] or "open"
        if status not in (*STATUS_TYPES, "open", "all"):
            raise InvalidParameter("status must be a status, open or all")
        status = None if status == "all" else status
        assignee = value["assignee"] if value["assignee"] == "none" or (value["assignee"] or "").isdigit() else None
        return cls(days=int(age) if age else None, category=value["category"], field_code=value["field"],
                   status=status, priority=value["priority"], ward=value["ward"], ward_ids=ward_ids,
                   overdue_at=now if value["overdue"] == "1" else None, assignee=assignee)

    @property
    def previous(self) -> "ReportFilter":
        """The period just before ``start`` → ``end``, as long."""
        span = self.end - self.start
        return replace(self, start=self.start - span, end=self.start)

    def without(self, *names: str) -> "ReportFilter":
        return replace(self, **{name: None for name in names})

    def conditions(self) -> list:
        """The filter as SQLAlchemy conditions on ``Report`` (the ORM forms of :data:`CONDITIONS`)."""
        return [orm(self) for _name, applies, orm, _sql in CONDITIONS if applies(self)]

    def sql(self, alias: str = "r") -> str:
        """The same filter as a SQL condition on ``report`` (alias ``alias``), parameters bound by
        :meth:`params` (the SQL forms of :data:`CONDITIONS`)."""
        return " AND ".join(sql.format(r=alias) for _name, applies, _orm, sql in CONDITIONS if applies(self)) or "true"

    def params(self) -> dict:
        values = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("bbox", "assignee", "public")}
        values.update(categories=list(self.categories), tracking_codes=list(self.tracking_codes),
                      ward_ids=list(self.ward_ids or ()), open_statuses=list(OPEN_STATUSES),
                      assignee_id=int(self.assignee) if self.assignee and self.assignee != "none" else None)
        if self.days is not None:
            values["since"] = utcnow() - timedelta(days=self.days)
        if self.bbox:
            values.update(zip(("west", "south", "east", "north"), self.bbox))
        return values


def _unit_ids(column: str, value: str):
    return select(AdminUnit.id).where(getattr(AdminUnit, column) == value)


def _category_ids(column, value: str) -> list[int]:
    """Category ids looked up first: a literal list gives the planner one scan of a ward's reports
    rather than one per category (bench/desk.py)."""
    return db.session.scalars(select(Category.id).where(column == value)).all()


def _ward_scope(ids: tuple[int, ...]):
    # One literal id lets the planner walk ix_report_ward_created in order and stop at the page.
    return Report.ward_id == ids[0] if len(ids) == 1 else Report.ward_id.in_(list(ids))


def _assigned(f: ReportFilter) -> bool:
    return bool(f.assignee) and f.assignee != "none"


# Every condition once, in both forms: (name, when it applies, the ORM condition on ``Report``, the SQL
# condition on ``report`` {r} with the parameters of ReportFilter.params). SQL subqueries on ``category``
# and ``admin_unit`` keep it free of joins, so the covering indexes of migrations 0009 and 0011 answer
# it alone. tests/reports/test_filter_forms.py checks that both forms select the same reports.
CONDITIONS = (
    ("start", lambda f: f.start is not None, lambda f: Report.created_at >= f.start, "{r}.created_at >= :start"),
    ("end", lambda f: f.end is not None, lambda f: Report.created_at < f.end, "{r}.created_at < :end"),
    ("days", lambda f: f.days is not None,
     lambda f: Report.created_at >= utcnow() - timedelta(days=f.days), "{r}.created_at >= :since"),
    ("category", lambda f: bool(f.category), lambda f: Report.category_id.in_(_category_ids(Category.code, f.category)),
     "{r}.category_id IN (SELECT id FROM category WHERE code = :category)"),
    ("field_code", lambda f: bool(f.field_code),
     lambda f: Report.category_id.in_(_category_ids(Category.field, f.field_code)),
     "{r}.category_id IN (SELECT id FROM category WHERE field = :field_code)"),
    ("categories", lambda f: bool(f.categories),
     lambda f: Report.category_id.in_(select(Category.id).where(Category.code.in_(f.categories))),
     "{r}.category_id IN (SELECT id FROM category WHERE code = ANY(:categories))"),
    ("status open", lambda f: f.status == "open", lambda f: Report.status.in_(OPEN_STATUSES),
     "{r}.status = ANY(:open_statuses)"),
    ("status closed", lambda f: f.status == "closed", lambda f: Report.status.not_in(OPEN_STATUSES),
     "NOT ({r}.status = ANY(:open_statuses))"),
    ("status", lambda f: bool(f.status) and f.status not in ("open", "closed"), lambda f: Report.status == f.status,
     "{r}.status = :status"),
    ("priority", lambda f: bool(f.priority), lambda f: Report.priority == f.priority, "{r}.priority = :priority"),
    ("ward", lambda f: bool(f.ward), lambda f: Report.ward_id.in_(_unit_ids("code", f.ward)),
     "{r}.ward_id IN (SELECT id FROM admin_unit WHERE code = :ward)"),
    ("province", lambda f: bool(f.province), lambda f: Report.ward_id.in_(_unit_ids("province_code", f.province)),
     "{r}.ward_id IN (SELECT id FROM admin_unit WHERE province_code = :province)"),
    ("ward_ids", lambda f: f.ward_ids is not None, lambda f: _ward_scope(f.ward_ids), "{r}.ward_id = ANY(:ward_ids)"),
    ("overdue_at", lambda f: f.overdue_at is not None, lambda f: overdue(f.overdue_at), overdue_sql("{r}", ":overdue_at")),
    ("unassigned", lambda f: f.assignee == "none", lambda f: Report.assignee_id.is_(None), "{r}.assignee_id IS NULL"),
    ("assignee", _assigned, lambda f: Report.assignee_id == int(f.assignee), "{r}.assignee_id = :assignee_id"),
    ("tracking_codes", lambda f: bool(f.tracking_codes), lambda f: Report.tracking_code.in_(f.tracking_codes),
     "{r}.tracking_code = ANY(:tracking_codes)"),
    ("bbox", lambda f: bool(f.bbox), lambda f: func.ST_Intersects(Report.location, func.ST_MakeEnvelope(*f.bbox, 4326)),
     "ST_Intersects({r}.location, ST_MakeEnvelope(:west, :south, :east, :north, 4326))"),
    ("public", lambda f: f.public, lambda f: PUBLIC.orm(), PUBLIC.sql_template),
)
