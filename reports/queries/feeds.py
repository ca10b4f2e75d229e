"""What the Atom feeds carry: public events only, never personal data (the reporter's name, phone,
email; officers' names; internal notes), and no text of a hidden report.

- a ward: new reports and resolved ones of the last ``FEED_DAYS`` days;
- a report: its public timeline;
- around a point: new and resolved reports within a radius (metres, geodesic, SRID 4326).
"""
import math
from dataclasses import dataclass
from datetime import datetime

from geoalchemy2 import Geography
from sqlalchemy import cast, func, select

from geo.wards import units_of_ward
from reports.categories import Category
from reports.models import Report, ReportEvent
from reports.queries.predicates import PUBLIC
from store import db

FEED_DAYS = 30
FEED_SIZE = 50
FEED_KINDS = ("received", "resolved")
MIN_RADIUS_M, MAX_RADIUS_M = 100, 5000


@dataclass(frozen=True)
class FeedEntry:
    event_id: int
    kind: str
    at: datetime
    tracking_code: str
    category: Category | None
    description: str | None  # None when the report is hidden
    message: str | None  # the ward's public words on this event


def _entries(condition, kinds: tuple[str, ...] | None = FEED_KINDS, limit: int = FEED_SIZE) -> list[FeedEntry]:
    """Public events matching ``condition`` (of ``kinds``; None: every public kind), newest first."""
    conditions = [condition, ReportEvent.public.is_(True), Report.tracking_code.is_not(None)]
    if kinds:
        conditions.append(ReportEvent.kind.in_(kinds))
    rows = db.session.execute(
        select(ReportEvent, Report, Category).join(Report, Report.id == ReportEvent.report_id)
        .outerjoin(Category, Category.id == Report.category_id).where(*conditions)
        .order_by(ReportEvent.created_at.desc(), ReportEvent.id.desc()).limit(limit)).all()
    return [FeedEntry(event.id, event.kind, event.created_at, report.tracking_code, category,
                      None if report.hidden else report.description, event.ward_words)
            for event, report, category in rows]


def _recent():
    return ReportEvent.created_at >= func.now() - func.make_interval(0, 0, 0, FEED_DAYS)


def ward_entries(ward_code: str) -> list[FeedEntry]:
    return _entries(Report.ward_id.in_(units_of_ward(ward_code)) & _recent() & PUBLIC.orm())


def report_entries(report: Report) -> list[FeedEntry]:
    return _entries(ReportEvent.report_id == report.id, kinds=None, limit=200)  # its whole public timeline


def nearby_entries(lon: float, lat: float, radius_m: float) -> list[FeedEntry]:
    """Within ``radius_m`` metres (geodesic) of the point; a box in degrees first lets the GiST index
    on ``report.location`` pick the candidates."""
    point = func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)
    box_deg = radius_m / 111_320 / max(math.cos(math.radians(lat)), 0.1) * 1.01
    near = func.ST_DWithin(Report.location, point, box_deg) & func.ST_DWithin(
        cast(Report.location, Geography), cast(point, Geography), radius_m)
    return _entries(near & _recent() & PUBLIC.orm())
