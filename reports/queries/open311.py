"""Open311 GeoReport v2 vocabulary: our categories as services, our reports as service requests.

Field names, types and formats follow the GeoReport v2 specification; ``status`` is ``open`` or
``closed`` from our typed statuses. Never any personal data.
"""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, select
from sqlalchemy.orm import joinedload, selectinload

from geo.coords import parse_bbox
from geo.errors import InvalidCoordinates
from reports.categories import FIELDS, Category
from reports.models import Report
from reports.queries.filters import ReportFilter
from reports.queries.predicates import PUBLIC, public_photos
from reports.queries.public import report_point
from reports.states import STATUS_TYPES
from store import db, utcnow

W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")
DEFAULT_WINDOW = timedelta(days=90)
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1, tzinfo=timezone.utc)
MAX_PAGE = 100_000
MAX_RESULTS = 1000


class Open311Error(Exception):
    """A request Open311 refuses, by ``kind`` (``invalid``, ``forbidden``, ``not_found``,
    ``unprocessable``); the web edge (``webapp.open311``) decides its HTTP status."""

    def __init__(self, kind: str, description: str):
        super().__init__(description)
        self.kind = kind


def parse_w3c(value: str, name: str) -> datetime:
    """A W3C datetime with its timezone (``2026-11-23T08:00:00+07:00`` or ``...Z``)."""
    if not isinstance(value, str) or not W3C.match(value.strip()):
        raise Open311Error("invalid", f"{name} must be a W3C datetime with a timezone, e.g. 2026-11-23T08:00:00+07:00")
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error("invalid", f"{name} is not a valid date") from None
    if not EARLIEST <= moment <= LATEST:  # also keeps date arithmetic (± the 90-day window) in range
        raise Open311Error("invalid", f"{name} must lie between 2000 and 2100")
    return moment


def w3c(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z") if moment else None


def service_dict(category: Category, locale: str = "vi") -> dict:
    field_vi, field_en = FIELDS.get(category.field, (category.field, category.field))
    return {"service_code": category.code, "service_name": category.name(locale),
            "description": f"{category.name_vi} / {category.name_en}", "metadata": False,
            "type": "realtime", "keywords": category.field,
            "group": field_en if locale == "en" else field_vi}


def request_dict(report: Report, photo_url, locale: str = "vi") -> dict:
    """A report as an Open311 service request; ``photo_url(sha256)`` is where the web serves a photo."""
    point = report_point(report)
    notes = [e.ward_words for e in report.events if e.public and e.ward_words]
    photo = next(iter(public_photos(report, "report")), None)
    return {
        "service_request_id": report.tracking_code,
        "status": STATUS_TYPES.get(report.status, "open"),
        "status_notes": notes[-1] if notes else None,
        "service_name": report.category.name(locale) if report.category else None,
        "service_code": report.category.code if report.category else None,
        "description": None if report.hidden else report.description,
        "agency_responsible": report.ward.name if report.ward else None,
        "service_notice": None,
        "requested_datetime": w3c(report.created_at), "updated_datetime": w3c(report.updated_at),
        "expected_datetime": w3c(report.deadline_at),
        "address": report.ward.name if report.ward else None, "address_id": None, "zipcode": None,
        "lat": round(point.y, 6), "long": round(point.x, 6),
        "media_url": photo_url(photo.sha256) if photo else None,
    }


@dataclass
class RequestQuery:
    """Which requests (the shared report filter) and which page of them."""

    filter: ReportFilter
    page: int
    page_size: int


def parse_query(args) -> RequestQuery:
    status = (args.get("status") or "").strip().lower() or None
    if status not in (None, "open", "closed"):
        raise Open311Error("invalid", "status must be open or closed")
    start = parse_w3c(args["start_date"], "start_date") if args.get("start_date") else None
    end = parse_w3c(args["end_date"], "end_date") if args.get("end_date") else None
    try:
        page = int(args.get("page", 1))
        page_size = int(args.get("page_size", MAX_RESULTS))
    except ValueError:
        raise Open311Error("invalid", "page and page_size must be whole numbers") from None
    if not 1 <= page <= MAX_PAGE or not 1 <= page_size <= MAX_RESULTS:
        raise Open311Error("invalid", f"page must be from 1 to {MAX_PAGE} and page_size from 1 to {MAX_RESULTS}")
    bbox = None
    if args.get("bbox"):
        try:
            bbox = parse_bbox(args["bbox"])
        except InvalidCoordinates:
            raise Open311Error("invalid", "bbox must be min_long,min_lat,max_long,max_lat") from None
    split = lambda v: tuple(x.strip() for x in (v or "").split(",") if x.strip())[:MAX_RESULTS]  # noqa: E731
    ids = split(args.get("service_request_id"))
    if not ids:  # the spec's default window: the last 90 days, or 90 days around the given dates
        end = end or (start + DEFAULT_WINDOW if start else utcnow())
        start = start or end - DEFAULT_WINDOW
        end += timedelta(microseconds=1)  # the spec's end_date is inclusive
    report_filter = ReportFilter(start=None if ids else start, end=None if ids else end, tracking_codes=ids,
                                 categories=split(args.get("service_code")), status=status, bbox=bbox)
    return RequestQuery(report_filter, page, page_size)


# What request_dict reads of each report, loaded with the page (a few statements per page, not two
# per report).
REQUEST_LOADS = (selectinload(Report.events), selectinload(Report.photos), joinedload(Report.category),
                 joinedload(Report.ward))


def find_requests(query: RequestQuery) -> list[Report]:
    conditions = [Report.tracking_code.is_not(None), PUBLIC.orm(), *query.filter.conditions()]
    return db.session.scalars(select(Report).options(*REQUEST_LOADS).where(and_(*conditions))
                              .order_by(Report.created_at.desc())
                              .limit(query.page_size).offset((query.page - 1) * query.page_size)).unique().all()
