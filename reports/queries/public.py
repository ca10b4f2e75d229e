"""The public view of a report: what anyone holding the code (or the public map) may see.

Never the reporter's name, phone or email; never internal notes. Used by the JSON API and the pages.
"""
import shapely
from geoalchemy2.shape import to_shape

from reports.models import Report


def report_point(report: Report) -> shapely.Point:
    """The report's point (lon/lat degrees), whether loaded from the database or just created as EWKT."""
    if isinstance(report.location, str):
        return shapely.from_wkt(report.location.split(";", 1)[-1])
    return to_shape(report.location)

PUBLIC_EVENT_FIELDS = ("ward_code", "ward_name", "reason", "to_name", "from_name", "rating", "on_time")


def photo_urls(report: Report, kind: str = "report") -> list[dict]:
    if report.hidden and kind == "report":
        return []
    return [{"url": f"/photos/{p.sha256}.jpg", "thumbnail_url": f"/photos/{p.sha256}_t.jpg",
             "width": p.width, "height": p.height} for p in report.photos if p.kind == kind]


def timeline(report: Report) -> list[dict]:
    return [{"kind": e.kind, "at": e.created_at.isoformat(), "message": e.message,
             **{k: e.data[k] for k in PUBLIC_EVENT_FIELDS if k in (e.data or {})}}
            for e in report.events if e.public]


def summary(report: Report, distance_m: float | None = None) -> dict:
    """A short public summary (duplicate candidates, lists)."""
    point = report_point(report)
    out = {"tracking_code": report.tracking_code, "status": report.status,
           "category": report.category.code if report.category else None,
           "description": None if report.hidden else report.description[:200], "created_at": report.created_at.isoformat(),
           "support_count": report.support_count, "lat": round(point.y, 6), "lon": round(point.x, 6),
           "url": f"/r/{report.tracking_code}"}
    if distance_m is not None:
        out["distance_m"] = round(distance_m, 1)
    return out


def public_dict(report: Report) -> dict:
    point = report_point(report)
    category = report.category.as_dict() if report.category else None
    return {
        "tracking_code": report.tracking_code, "category": category,
        "description": None if report.hidden else report.description, "hidden": report.hidden,
        "status": report.status,
        "status_type": report.status_type, "priority": report.priority,
        "ward": {"code": report.ward.code, "name": report.ward.name} if report.ward else None,
        "lat": round(point.y, 6), "lon": round(point.x, 6),
        "created_at": report.created_at.isoformat(), "updated_at": report.updated_at.isoformat(),
        "deadline_at": report.deadline_at.isoformat() if report.deadline_at else None,
        "resolved_at": report.resolved_at.isoformat() if report.resolved_at else None,
        "support_count": report.support_count, "rating": report.rating,
        "timeline": timeline(report), "photos": photo_urls(report),
        "result_photos": photo_urls(report, "result"), "url": f"/r/{report.tracking_code}",
    }
