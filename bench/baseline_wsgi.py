"""Bare WSGI baselines for ``bench/http.py``: the app's hot reads with no framework — the same SQL
through one psycopg2 connection per thread, the same rows, ``json.dumps`` — served by gunicorn with
the app's own settings, so the ratio app/baseline is what the framework layers cost.

    GET /api/v1/locate?lon&lat      the ward owning the point (the app's WARD_FOR_POINT_SQL)
    GET /api/v1/reports/<code>      a report's public fields, timeline and photos
    GET /r/<code>                   the same rows as a small HTML page
"""
import html
import json
import os
import threading
from datetime import date
from urllib.parse import parse_qs

import psycopg2
from sqlalchemy.dialects import postgresql

from geo.assign import WARD_FOR_POINT_SQL

_local = threading.local()
LOCATE_SQL = str(WARD_FOR_POINT_SQL.compile(dialect=postgresql.psycopg2.dialect()))
REPORT_SQL = """
    SELECT r.id, r.tracking_code, r.description, r.hidden, r.status, r.priority, ST_Y(r.location), ST_X(r.location),
           r.created_at, r.updated_at, r.deadline_at, r.resolved_at, r.support_count, r.rating,
           c.code, c.name_vi, c.name_en, u.code, u.name
      FROM report r LEFT JOIN category c ON c.id = r.category_id LEFT JOIN admin_unit u ON u.id = r.ward_id
     WHERE r.tracking_code = %s"""
EVENTS_SQL = "SELECT kind, created_at, message FROM report_event WHERE report_id = %s AND public ORDER BY id"
PHOTOS_SQL = "SELECT sha256, kind, width, height FROM report_photo WHERE report_id = %s ORDER BY id"


def _cursor():
    if not hasattr(_local, "connection"):
        _local.connection = psycopg2.connect(os.environ["DATABASE_URL"])
        _local.connection.autocommit = True
    return _local.connection.cursor()


def _report(code: str) -> dict | None:
    with _cursor() as cursor:
        cursor.execute(REPORT_SQL, (code,))
        row = cursor.fetchone()
        if row is None:
            return None
        cursor.execute(EVENTS_SQL, (row[0],))
        events = [{"kind": k, "at": at.isoformat(), "message": m} for k, at, m in cursor.fetchall()]
        cursor.execute(PHOTOS_SQL, (row[0],))
        photos = [{"url": f"/photos/{sha}.jpg", "width": w, "height": h} for sha, _, w, h in cursor.fetchall()]
    (_, code, description, hidden, status, priority, lat, lon, created, updated, deadline, resolved, support,
     rating, category, name_vi, name_en, ward_code, ward_name) = row
    return {"tracking_code": code, "category": {"code": category, "name_vi": name_vi, "name_en": name_en},
            "description": None if hidden else description, "status": status, "priority": priority,
            "ward": {"code": ward_code, "name": ward_name}, "lat": round(lat, 6), "lon": round(lon, 6),
            "created_at": created.isoformat(), "updated_at": updated.isoformat(),
            "deadline_at": deadline.isoformat() if deadline else None,
            "resolved_at": resolved.isoformat() if resolved else None, "support_count": support,
            "rating": rating, "timeline": events, "photos": photos}


def _answer(start_response, status: str, body: bytes, content_type: str):
    start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
    return [body]


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/api/v1/locate":
        query = parse_qs(environ.get("QUERY_STRING", ""))
        with _cursor() as cursor:
            cursor.execute(LOCATE_SQL, {"lon": float(query["lon"][0]), "lat": float(query["lat"][0]),
                                        "at": date.today()})
            row = cursor.fetchone()
        body = json.dumps({"ward": {"id": row[0], "code": row[1], "name": row[2], "province_code": row[3],
                                    "level": row[4], "province_name": row[6]}, "boundary_set": row[5]},
                          ensure_ascii=False)
        return _answer(start_response, "200 OK", body.encode(), "application/json")
    code = path.rsplit("/", 1)[-1]
    report = _report(code)
    if report is None:
        return _answer(start_response, "404 Not Found", b"{}", "application/json")
    if path.startswith("/api/v1/reports/"):
        return _answer(start_response, "200 OK", json.dumps(report, ensure_ascii=False).encode(), "application/json")
    items = "".join(f"<li>{html.escape(e['kind'])} {e['at']} {html.escape(e['message'] or '')}</li>"
                    for e in report["timeline"])
    page = (f"<!doctype html><html lang=vi><title>{code}</title><h1>{code}</h1>"
            f"<p>{html.escape(report['description'] or '')}</p><p>{report['status']} · {report['ward']['name']}</p>"
            f"<ol>{items}</ol></html>")
    return _answer(start_response, "200 OK", page.encode(), "text/html; charset=utf-8")
