"""The public view of a report: what anyone holding the code (or the public map) may see.

Never the reporter's name, phone or email; never internal notes. Used by the JSON API and the pages.
Photos are named by their digest (``sha256``, ``photo``): the web edge adds the paths a browser
follows (``webapp.links.with_links``).
"""
from datetime import datetime

import shapely
from geoalchemy2.shape import to_shape
from sqlalchemy import text

from reports.categories import category_dict
from reports.errors import ReportNotFound
from reports.models import RESIDENT, WARD_WORDS_SQL, Report
from reports.queries.predicates import PUBLIC, PUBLIC_PHOTO, public_photos
from reports.states import STATUS_TYPES
from reports.tracking import normalise_tracking_code
from store import autocommit_read


def report_point(report: Report) -> shapely.Point:
    """The report's point (lon/lat degrees), whether loaded from the database or just created as EWKT."""
    if isinstance(report.location, str):
        return shapely.from_wkt(report.location.split(";", 1)[-1])
    return to_shape(report.location)


PUBLIC_EVENT_FIELDS = ("ward_code", "ward_name", "reason", "to_name", "from_name", "rating", "on_time")


# The public view in one statement on SQLAlchemy Core (the hot read of the tracking page and of
# GET /api/v1/reports/<code>): the report with its category and ward, and its public events and its
# photos as JSON arrays — one round trip, no ORM objects. Hidden reports keep their status and
# timeline but not their description or photos; internal events never leave.
PUBLIC_VIEW_SQL = text(f"""
    SELECT r.tracking_code, r.description, r.hidden, r.status, r.priority, r.created_at, r.updated_at,
           r.deadline_at, r.resolved_at, r.support_count, r.rating, ST_Y(r.location) AS lat, ST_X(r.location) AS lon,
           c.code AS category_code, c.field, c.name_vi, c.name_en, c.default_priority,
           u.code AS ward_code, u.name AS ward_name,
           (SELECT coalesce(json_agg(json_build_object('kind', e.kind, 'at', e.created_at, 'message', {WARD_WORDS_SQL},
                                                       'data', e.data) ORDER BY e.id), '[]')
              FROM report_event e WHERE e.report_id = r.id AND e.public) AS events,
           (SELECT coalesce(json_agg(json_build_object('sha256', p.sha256, 'kind', p.kind, 'width', p.width,
                                                       'height', p.height) ORDER BY p.id), '[]')
              FROM report_photo p WHERE p.report_id = r.id AND {PUBLIC_PHOTO.sql('p')}) AS photos
      FROM report r LEFT JOIN category c ON c.id = r.category_id LEFT JOIN admin_unit u ON u.id = r.ward_id
     WHERE r.tracking_code = :code""")


def _photo(photo: dict) -> dict:
    return {"sha256": photo["sha256"], "width": photo["width"], "height": photo["height"]}


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def public_view(raw_code: str) -> dict:
    """What anyone holding a tracking code may see of its report; ReportNotFound otherwise."""
    code = normalise_tracking_code(raw_code)
    rows = autocommit_read(PUBLIC_VIEW_SQL, {"code": code}, prepared=True) if code else []
    if not rows:
        raise ReportNotFound("no report has this tracking code", key="report_not_found")
    r = rows[0]
    return {
        "tracking_code": r["tracking_code"],
        "category": category_dict(r["category_code"], r["field"], r["name_vi"], r["name_en"], r["default_priority"])
        if r["category_code"] else None,
        "description": None if r["hidden"] else r["description"], "hidden": r["hidden"], "status": r["status"],
        "status_type": STATUS_TYPES.get(r["status"], "open"), "priority": r["priority"],
        "ward": {"code": r["ward_code"], "name": r["ward_name"]} if r["ward_code"] else None,
        "lat": round(r["lat"], 6), "lon": round(r["lon"], 6), "created_at": _iso(r["created_at"]),
        "updated_at": _iso(r["updated_at"]), "deadline_at": _iso(r["deadline_at"]), "resolved_at": _iso(r["resolved_at"]),
        "support_count": r["support_count"], "rating": r["rating"],
        "timeline": [{"kind": e["kind"], "at": _iso(datetime.fromisoformat(e["at"])), "message": e["message"],
                      **{k: e["data"][k] for k in PUBLIC_EVENT_FIELDS if k in (e["data"] or {})}} for e in r["events"]],
        "photos": [] if r["hidden"] else [_photo(p) for p in r["photos"] if p["kind"] == "report"],
        "result_photos": [_photo(p) for p in r["photos"] if p["kind"] == "result"],
    }


def summary(report: Report, distance_m: float | None = None) -> dict:
    """A short public summary (duplicate candidates, lists)."""
    point = report_point(report)
    out = {"tracking_code": report.tracking_code, "status": report.status,
           "category": report.category.code if report.category else None,
           "description": None if report.hidden else report.description[:200], "created_at": report.created_at.isoformat(),
           "support_count": report.support_count, "lat": round(point.y, 6), "lon": round(point.x, 6)}
    photo = next(iter(public_photos(report, "report")), None)
    out["photo"] = photo.sha256 if photo else None
    if distance_m is not None:
        out["distance_m"] = round(distance_m, 1)
    return out


# The public feed beside the map: reports in view, the most recently updated first (a new report, a
# reply, a resolution), with a thumbnail and the ward's latest public words (never a resident's). Hidden reports and reports
# without a tracking code never appear; nothing about the reporter is read. ``updated_at`` is indexed
# (migration 0021): in a dense view the newest come straight from it; in a small view from the GiST box.
RECENT_IN_VIEW_SQL = text(f"""
    SELECT r.tracking_code, r.status, r.created_at, r.updated_at, left(r.description, 160) AS description,
           ST_Y(r.location) AS lat, ST_X(r.location) AS lon, c.code AS category_code, c.field, c.name_vi, c.name_en,
           c.default_priority, u.name AS ward_name,
           (SELECT p.sha256 FROM report_photo p WHERE p.report_id = r.id AND {PUBLIC_PHOTO.sql('p')} ORDER BY p.kind = 'result' DESC, p.id
             LIMIT 1) AS photo,
           (SELECT e.message FROM report_event e WHERE e.report_id = r.id AND e.public AND e.message IS NOT NULL
               AND e.actor <> '{RESIDENT}' AND e.kind <> 'received' ORDER BY e.id DESC LIMIT 1) AS answer
      FROM report r LEFT JOIN category c ON c.id = r.category_id LEFT JOIN admin_unit u ON u.id = r.ward_id
     WHERE r.tracking_code IS NOT NULL AND {PUBLIC.sql('r')}
       AND r.location && ST_MakeEnvelope(:west, :south, :east, :north, 4326)
       AND r.updated_at >= now() - make_interval(days => :days)
       AND (CAST(:field AS text) IS NULL OR c.field = :field)
       AND (CAST(:category AS text) IS NULL OR c.code = :category)
       AND (CAST(:statuses AS text[]) IS NULL OR r.status = ANY(CAST(:statuses AS text[])))
     ORDER BY r.updated_at DESC, r.id DESC
     LIMIT :limit""")


def recent_in_view(bbox: tuple[float, float, float, float], field: str | None = None, status: str | None = None,
                   days: int = 90, limit: int = 20, category: str | None = None) -> list[dict]:
    """Reports in ``bbox`` (W, S, E, N degrees, SRID 4326) updated within ``days``, newest update first;
    ``status`` is ``open`` (being handled) or ``closed`` (handled), or None for both."""
    statuses = None if status is None else [s for s, kind in STATUS_TYPES.items() if kind == status]
    rows = autocommit_read(RECENT_IN_VIEW_SQL, dict(zip(("west", "south", "east", "north"), bbox), field=field, days=days,
                                         statuses=statuses, limit=limit, category=category))
    return [{"tracking_code": r["tracking_code"], "status": r["status"], "status_type": STATUS_TYPES.get(r["status"], "open"),
             "category": category_dict(r["category_code"], r["field"], r["name_vi"], r["name_en"], r["default_priority"])
             if r["category_code"] else None,
             "ward": r["ward_name"], "description": r["description"], "answer": r["answer"],
             "created_at": _iso(r["created_at"]), "updated_at": _iso(r["updated_at"]),
             "lat": round(r["lat"], 6), "lon": round(r["lon"], 6),
             "photo": r["photo"]}
            for r in rows]
