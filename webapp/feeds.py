"""Atom feeds (RFC 4287): ``/feeds/wards/<code>.atom`` (new and resolved reports),
``/feeds/reports/<code>.atom`` (one report's public timeline) and ``/feeds/nearby.atom?lat&lon&radius_m``.
Public events only, no personal data; links from ``PUBLIC_URL``; kept by caches for 5 minutes."""
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from flask import Blueprint, Response, current_app, request
from flask_babel import get_locale
from flask_babel import gettext as _

from delivery.links import public_link
from geo.coords import parse_lon_lat
from geo.wards import ward_in_force
from reports.queries.feeds import MAX_RADIUS_M, MIN_RADIUS_M, FeedEntry, nearby_entries, report_entries, ward_entries
from reports.workflow.lifecycle import get_by_tracking_code
from store import utcnow
from webapp.errors import ApiError
from webapp.open311.render import XML_INVALID

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
ATOM = "http://www.w3.org/2005/Atom"
MAX_AGE_S = 300


def _titles() -> dict:
    return {"received": _("New report"), "resolved": _("Resolved"), "reply": _("The ward replied"),
            "rejected": _("Rejected"), "reopened": _("Reopened"), "transferred": _("Transferred to another ward")}


def _text(parent: ET.Element, tag: str, value: str, **attrs) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    element.text = XML_INVALID.sub("", value)
    return element


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def atom(feed_id: str, title: str, entries: list[FeedEntry]) -> Response:
    base, lang = current_app.config["PUBLIC_URL"], str(get_locale())
    titles = _titles()
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": lang})
    _text(feed, "id", f"{base}{feed_id}")
    _text(feed, "title", title)
    _text(feed, "updated", _iso(entries[0].at if entries else utcnow()))
    ET.SubElement(feed, "link", {"rel": "self", "href": base + request.full_path.rstrip("?")})
    _text(ET.SubElement(feed, "author"), "name", "Phản Ánh")
    for entry in entries:
        item = ET.SubElement(feed, "entry")
        url = public_link("citizen.track_page", tracking_code=entry.tracking_code)
        _text(item, "id", f"{url}#event-{entry.event_id}")
        category = entry.category.name(lang) if entry.category else ""
        _text(item, "title", f"{titles.get(entry.kind, entry.kind)}: {category} — {entry.tracking_code}")
        _text(item, "updated", _iso(entry.at))
        ET.SubElement(item, "link", {"rel": "alternate", "type": "text/html", "href": url})
        summary = entry.message or entry.description or _("This content was hidden because it breaks the rules.")
        _text(item, "summary", summary)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")
    response = Response(body, mimetype="application/atom+xml")
    response.cache_control.public, response.cache_control.max_age = True, MAX_AGE_S
    return response


@bp.get("/wards/<code>.atom")
def ward_feed(code):
    ward = ward_in_force(code[:20])
    if ward is None:
        raise ApiError("not_found", "no ward in force has this code", 404)
    return atom(f"/feeds/wards/{code}", _("Reports in %(ward)s", ward=ward.name), ward_entries(code))


@bp.get("/reports/<tracking_code>.atom")
def report_feed(tracking_code):
    report = get_by_tracking_code(tracking_code)
    return atom(f"/feeds/reports/{report.tracking_code}", _("Report %(code)s", code=report.tracking_code),
                report_entries(report))


@bp.get("/nearby.atom")
def nearby_feed():
    lon, lat = parse_lon_lat(request.args.get("lon"), request.args.get("lat"))
    try:
        radius = float(request.args.get("radius_m", 1000))
    except ValueError:
        radius = -1
    if not MIN_RADIUS_M <= radius <= MAX_RADIUS_M:
        raise ApiError("invalid_parameter", f"radius_m must be from {MIN_RADIUS_M} to {MAX_RADIUS_M}")
    return atom(f"/feeds/nearby?lat={lat:.5f}&lon={lon:.5f}&radius_m={radius:.0f}",
                _("Reports within %(m)s m", m=f"{radius:.0f}"), nearby_entries(lon, lat, radius))
