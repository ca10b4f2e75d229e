"""``/dashboard``: heatmap, hotspots (Gi*), ward figures, trends, inspection plan, exports."""
import json
from datetime import datetime, timedelta, timezone

from flask import Response, current_app, render_template, request, stream_with_context
from flask_babel import get_locale
from flask_babel import gettext as _

from analytics.inspection import ranked_hotspots, visit_plan
from analytics.maps import heat_cells
from geo.hexgrid import polygon_lonlat
from geo.wards import ward_bounds, ward_in_force, wards_feature_collection, wards_in_force
from reports.categories import FIELDS, active_categories
from reports.queries.daily import KEPT_HEXAGON_M
from reports.queries.dashboard import PERIODS, category_breakdown, ward_figures, weekly_trends
from reports.queries.exports import EXPORT_FIELDS, csv_line, export_rows
from reports.queries.filters import DEFAULT_PROVINCE, ReportFilter
from reports.states import OPEN_STATUSES, STATUS_TYPES
from store import LOCAL_TZ, utcnow
from webapp.dashboard import bp
from webapp.dashboard.figures_cache import cached
from webapp.dashboard.maps import choropleth, heat_map
from webapp.errors import ApiError
from webapp.headers import framable_by_self, with_nonces
from webapp.language import in_english, number, percent
from webapp.names import PRIORITY_NAMES, SPREADSHEET_COLUMNS, STATUS_NAMES
from webapp.policy import leaders_only
from webapp.read_routing import replica_reads

HEX_SIZE_M = KEPT_HEXAGON_M  # 400 m: the hexagons the worker keeps per day (reports.queries.daily)


def outlines(spot: dict) -> list[list[list[float]]]:
    """The [lat, lon] rings of a place's hexagons (one place may join several neighbouring ones)."""
    return [[[lat, lon] for lon, lat in polygon_lonlat(i, j, HEX_SIZE_M)["coordinates"][0]]
            for i, j in spot.get("hexagons") or [(spot["i"], spot["j"])]]


def filters_from_request() -> ReportFilter:
    """The leaders' filters from the query string; a value the lists do not offer is refused (a ward
    name typed as a code, a misspelt status, used to show zeros everywhere)."""
    args = request.args
    common = {"category": args.get("category") or None, "field_code": args.get("field") or None,
              "status": args.get("status") or None, "ward": args.get("ward") or None}
    if common["status"] not in (None, "open", "closed", *STATUS_TYPES):
        raise ApiError("invalid_parameter", "status must be open, closed or a status")
    if common["field_code"] is not None and common["field_code"] not in FIELDS:
        raise ApiError("invalid_parameter", "field must be one of the fields")
    if common["category"] is not None and common["category"] not in {c.code for c in active_categories()}:
        raise ApiError("invalid_parameter", "category must be an active category")
    if common["ward"] is not None and ward_in_force(common["ward"]) is None:
        raise ApiError("invalid_parameter", "ward must be the code of a ward in force (choose it from the list)")
    if args.get("from") or args.get("to"):
        try:
            start = datetime.fromisoformat(args["from"]).replace(tzinfo=timezone.utc)
            end = datetime.fromisoformat(args["to"]).replace(tzinfo=timezone.utc) + timedelta(days=1)
        except (KeyError, ValueError, OverflowError):
            raise ApiError("invalid_parameter", "from and to must be dates (YYYY-MM-DD)") from None
        if not (2000 <= start.year and end.year <= 2100):
            raise ApiError("invalid_parameter", "from and to must lie between 2000 and 2100")
        if not start < end <= start + timedelta(days=3660):
            raise ApiError("invalid_parameter", "from must come before to, within 10 years")
        return ReportFilter(start, end, province=DEFAULT_PROVINCE, **common)
    days = args.get("days", "30")
    if not days.isdigit() or int(days) not in PERIODS:
        raise ApiError("invalid_parameter", f"days must be one of {PERIODS}")
    return ReportFilter.last_days(int(days), **common)


@bp.get("")
@leaders_only
@replica_reads
def dashboard():
    filters = filters_from_request()
    # Each figure is cached on its own: the ward map and the inspection plan reuse them.
    cached_figures = {"wards": cached("ward-figures", lambda: ward_figures(filters, current_app.config["DASHBOARD_MIN_SAMPLE"])),
            "hotspots": cached("hotspots-10", lambda: ranked_hotspots(filters, 10, HEX_SIZE_M)),
            "trends": cached("trends", lambda: weekly_trends(filters)),
            "categories_breakdown": cached("categories", lambda: category_breakdown(filters))}
    figures = {name: value for name, (value, _at) in cached_figures.items()}
    # The ranked hexagons drawn over the count tiles in their ranking's classes; a row focuses the map.
    shapes = [{"rank": rank, "outlines": outlines(s)} for rank, s in enumerate(figures["hotspots"], 1)]
    computed_at = min(at for _value, at in cached_figures.values())
    return render_template(
        "dashboard/index.html", filters=filters, args=request.args, **figures, computed_at=computed_at,
        cache_seconds=current_app.config["DASHBOARD_CACHE_SECONDS"], fields=FIELDS, categories=active_categories(),
        statuses=list(STATUS_TYPES), periods=PERIODS, hex_size=int(HEX_SIZE_M),
        min_sample=current_app.config["DASHBOARD_MIN_SAMPLE"], hotspot_shapes=shapes,
        ward_bounds=ward_bounds(filters.province), ward_choices=wards_in_force(filters.province))


@bp.get("/maps/heat")
@framable_by_self
@leaders_only
@replica_reads
def heat():
    """The Folium page itself is cached (per filter set and language): rendering it costs more than
    the cells."""
    filters = filters_from_request()

    def render():
        wards = wards_feature_collection(filters.province, 50, utcnow().date())
        return heat_map(heat_cells(filters), wards)
    return with_nonces(cached(f"heat-{get_locale()}", render)[0])


@bp.get("/maps/wards")
@framable_by_self
@leaders_only
@replica_reads
def wards_map():
    filters = filters_from_request()
    metric = request.args.get("metric", "per_10k")
    if metric not in ("per_10k", "on_time_rate", "backlog"):
        raise ApiError("invalid_parameter", "metric must be per_10k, on_time_rate or backlog")

    def render():
        figures = {w.code: w for w in cached("ward-figures", lambda: ward_figures(filters, current_app.config["DASHBOARD_MIN_SAMPLE"]))[0]}
        values = {code: (None if metric == "on_time_rate" and w.small_sample else getattr(w, metric))
                  for code, w in figures.items()}
        wards = wards_feature_collection(filters.province, 50, utcnow().date())
        labels = {"per_10k": _("Reports per 10,000 residents"), "on_time_rate": _("Share resolved on time"),
                  "backlog": _("Open reports (backlog)")}
        shown = percent if metric == "on_time_rate" else (lambda v: number(v, 1 if metric == "per_10k" else 0))
        return choropleth(wards, values, labels[metric], shown)
    return with_nonces(cached(f"wards-{metric}-{get_locale()}", render)[0])


@bp.get("/inspection")
@leaders_only
@replica_reads
def inspection():
    """The plan for the top ``n`` hotspots split between ``teams`` teams: a printable page per team
    (HTML), or CSV / GeoJSON with ``format=``."""
    filters = filters_from_request()
    n, teams = request.args.get("n", "10"), request.args.get("teams", "6")
    if not n.isdigit() or not 1 <= int(n) <= 50:
        raise ApiError("invalid_parameter", "n must be a whole number from 1 to 50")
    if not teams.isdigit() or not 1 <= int(teams) <= 20:
        raise ApiError("invalid_parameter", "teams must be a whole number from 1 to 20")
    spots, _computed_at = cached(f"hotspots-{n}", lambda: ranked_hotspots(filters, int(n), HEX_SIZE_M))
    plans = visit_plan(spots, int(teams))
    stops = [(plan["team"], order, stop) for plan in plans for order, stop in enumerate(plan["stops"], 1)]
    english = in_english()

    def problems(stop) -> str:
        return "; ".join(f"{c['name_en' if english else 'name_vi'] or c['code']} ({c['n']})" for c in stop["categories"])

    fmt = request.args.get("format", "html")
    if fmt == "geojson":
        features = [{"type": "Feature",
                     "geometry": {"type": "MultiPolygon", "coordinates": [polygon_lonlat(i, j, HEX_SIZE_M)["coordinates"]
                                                                         for i, j in s["hexagons"]]},
                     "properties": {"rank": s["rank"], "team": team, "visit": order,
                                    **{k: s[k] for k in ("basis", "current", "previous", "open", "overdue", "z", "p", "ward",
                                                         "nearest_service_point", "nearest_address",
                                                         "nearest_distance_m", "lat", "lon")},
                                    "categories": [{"code": c["code"], "n": c["n"]} for c in s["categories"]],
                                    "reports": [r["tracking_code"] for r in s["reports"]]}}
                    for team, order, s in stops]
        return current_app.response_class(json.dumps({"type": "FeatureCollection", "features": features},
                                                     ensure_ascii=False), mimetype="application/geo+json")
    if fmt == "csv":
        rows = [csv_line([_("Team"), _("Visit"), _("Rank"), _("Latitude"), _("Longitude"), _("Ward"), _("Reports"),
                          _("Still open"), _("Overdue"), _("Previous period"), _("Main problems"), "Gi* z",
                          _("Nearest service centre"), _("Address"), _("Distance (m)"), _("From the previous stop (m)"),
                          _("Tracking codes")])]
        rows += [csv_line([team, order, s["rank"], round(s["lat"], 6), round(s["lon"], 6), s["ward"], s["current"],
                           s["open"], s["overdue"], s["previous"], problems(s),
                           "" if s["z"] is None else round(s["z"], 2), s["nearest_service_point"], s["nearest_address"],
                           s["nearest_distance_m"], s["leg_m"], " ".join(r["tracking_code"] or "" for r in s["reports"])])
                 for team, order, s in stops]
        return Response("\ufeff" + "".join(rows), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=inspection-plan.csv"})
    closed = {status for status in STATUS_TYPES if status not in OPEN_STATUSES}
    for plan in plans:  # what the small maps draw: [lat, lon] pairs, the hexagon's outline and dots
        plan["route"] = [[s["lat"], s["lon"], s["rank"]] for s in plan["stops"]]
        for s in plan["stops"]:
            s["outlines"] = outlines(s)
            s["points"] = [[r["lat"], r["lon"], r["status"] in closed] for r in s["reports"]]
    return render_template("dashboard/inspection.html", plans=plans, spots=spots, filters=filters, teams=int(teams),
                           n=int(n), hex_size=int(HEX_SIZE_M), problems=problems, args=request.args)


@bp.get("/export.<fmt>")
@leaders_only
@replica_reads
def export(fmt):
    """The filtered reports, streamed (a server-side cursor), without personal data."""
    if fmt not in ("csv", "geojson"):
        raise ApiError("invalid_parameter", "export as csv or geojson")
    filters = filters_from_request()

    english = in_english()
    # Translated once per export, not once per row (a 90-day export has half a million rows).
    names = {"status": {code: str(name) for code, name in STATUS_NAMES.items()},
             "priority": {code: str(name) for code, name in PRIORITY_NAMES.items()},
             "field": {code: pair[1 if english else 0] for code, pair in FIELDS.items()}}

    def cell(row, column):
        """What a spreadsheet shows: local times to the minute, names rather than codes."""
        value = row[column]
        if column == "category":
            return row["category_en" if english else "category_vi"]
        if column in names:
            return names[column].get(value, value)
        if isinstance(value, datetime):
            return value.astimezone(LOCAL_TZ).strftime("%Y-%m-%d %H:%M")
        return value

    def csv_lines():
        # A byte-order mark first: Excel then reads the file as UTF-8 (Vietnamese, not mojibake).
        yield "\ufeff" + csv_line(str(label) for label in SPREADSHEET_COLUMNS.values())
        for row in export_rows(filters):
            yield csv_line(cell(row, column) for column in SPREADSHEET_COLUMNS)

    def geojson_chunks():
        yield '{"type":"FeatureCollection","features":['
        for i, row in enumerate(export_rows(filters)):
            feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [row["lon"], row["lat"]]},
                       "properties": {f: row[f] for f in EXPORT_FIELDS if f not in ("lat", "lon")}}
            yield ("," if i else "") + json.dumps(feature, ensure_ascii=False, default=str)
        yield "]}"

    if fmt == "csv":
        return Response(stream_with_context(csv_lines()), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=reports.csv"})
    return Response(stream_with_context(geojson_chunks()), mimetype="application/geo+json",
                    headers={"Content-Disposition": "attachment; filename=reports.geojson"})
