"""``/dashboard/coverage``: distance to the nearest service point (hexagons, wards worst served)."""
from datetime import datetime, timezone

from flask import jsonify, render_template, request

from geo.coverage import coverage
from webapp.dashboard import bp
from webapp.errors import ApiError
from webapp.policy import leaders_only

HEX_SIZES = {"500": 500.0, "1000": 1000.0, "2000": 2000.0}


def _coverage_args():
    size = request.args.get("size", "1000")
    if size not in HEX_SIZES:
        raise ApiError("invalid_parameter", f"size must be one of {', '.join(HEX_SIZES)} (metres)")
    return request.args.get("province", "46"), HEX_SIZES[size]


@bp.get("/coverage")
@leaders_only
def coverage_page():
    province, size = _coverage_args()
    _, wards = coverage(province, size, datetime.now(timezone.utc).date())
    return render_template("dashboard/coverage.html", wards=wards, province=province, size=int(size))


@bp.get("/coverage/hexagons.geojson")
@leaders_only
def coverage_hexagons():
    province, size = _coverage_args()
    hexagons, _ = coverage(province, size, datetime.now(timezone.utc).date())
    response = jsonify(hexagons)
    response.headers["Cache-Control"] = "private, max-age=600"
    return response
