"""How each ward performs, in public (no login): ``/wards`` ranks the province's wards this month or
year, ``/wards/<code>`` shows one with its service centre, ``/wards/figures.csv`` and
``GET /api/v1/wards/figures`` give the same figures as open data. The leaders' figures
(``reports.queries.dashboard``), without any report, person or internal note; wards with small
samples are marked and not ranked. Cached ``CACHE_SECONDS`` per period and local day, shared by all
visitors (computing them reads every report of the period)."""

from flask import Response, abort, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy import select

from geo.models import AdminUnit, ServicePoint
from geo.wards import ward_bounds
from reports.queries.dashboard import PUBLIC_PERIODS, calendar_period, public_ward_dict, ward_figures
from reports.queries.exports import csv_line
from store import LOCAL_TZ, db, utcnow
from webapp.api import bp as api_bp
from webapp.citizen import bp
from webapp.errors import ApiError
from webapp.extensions import remember
from webapp.read_routing import replica_reads

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
CACHE_SECONDS = 600


def _period() -> str:
    period = request.args.get("period", "month")
    return period if period in PUBLIC_PERIODS else "month"


def figures(period: str) -> list:
    """Every ward's figures for this calendar month or year (kept a while, shared by all visitors)."""
    now = utcnow()
    return remember(f"public-wards:{period}:{now.astimezone(LOCAL_TZ).date()}", CACHE_SECONDS,
                    lambda: ward_figures(calendar_period(period, now), current_app.config["DASHBOARD_MIN_SAMPLE"]))


@bp.get("/wards")
@replica_reads
def wards_page():
    period = _period()
    return render_template("citizen/wards.html", wards=figures(period), period=period, licence=LICENCE,
                           min_sample=current_app.config["DASHBOARD_MIN_SAMPLE"],
                           licence_url=LICENCE_URL)


@bp.get("/wards/<code>")
@replica_reads
def ward_page(code):
    by_period = {p: next((w for w in figures(p) if w.code == code), None) for p in PUBLIC_PERIODS}
    if by_period["month"] is None:
        abort(404)
    centres = db.session.scalars(select(ServicePoint).join(AdminUnit, AdminUnit.id == ServicePoint.ward_id).where(
        ServicePoint.active, AdminUnit.code == code).order_by(ServicePoint.name).limit(3)).all()
    return render_template("citizen/ward.html", ward=by_period["month"], year=by_period["year"], centres=centres,
                           bounds=ward_bounds(None, code).get(code),
                           licence=LICENCE, licence_url=LICENCE_URL)


@bp.get("/wards/figures.csv")
@replica_reads
def wards_csv():
    period = _period()
    header = [_("Ward code"), _("Ward"), _("Received"), _("Resolved"), _("Backlog"), _("Overdue"), _("Reports due"),
              _("Answered on time"), _("On time"),
              _("First response (h, median)"), _("Resolution (h, median)"), _("4–5 ★"), _("Small sample")]
    rows = [csv_line(header)]
    for w in figures(period):
        d = public_ward_dict(w)
        rows.append(csv_line([d["code"], d["name"], d["received"], d["resolved"], d["backlog"], d["overdue"],
                          d["due"], d["on_time"],
                          _rate(d["on_time_rate"]), _hours(d["median_first_response_h"]),
                          _hours(d["median_resolution_h"]), _rate(d["good_ratings_share"]),
                          _("yes") if d["small_sample"] else ""]))
    return Response("\ufeff" + "".join(rows), mimetype="text/csv", headers={
        "Content-Disposition": f"attachment; filename=ward-figures-{period}.csv",
        "Link": f'<{LICENCE_URL}>; rel="license"'})


@api_bp.get("/wards/figures")
@replica_reads
def wards_figures_api():
    period = request.args.get("period", "month")
    if period not in PUBLIC_PERIODS:
        raise ApiError("invalid_parameter", "period must be month or year")
    return jsonify({"period": period, "licence": LICENCE, "licence_url": LICENCE_URL,
                    "wards": [public_ward_dict(w) for w in figures(period)]})


def _rate(value) -> str:
    return "" if value is None else f"{100 * value:.0f}%"


def _hours(value) -> str:
    return "" if value is None else f"{value:.1f}"
