"""``/dashboard/coverage``: distance to the nearest service point (hexagons, wards worst served)."""
from datetime import datetime, timezone

from flask import jsonify, render_template, request

from geo.coverage import coverage, inputs_version
from webapp.dashboard import bp
from webapp.errors import ApiError
from webapp.extensions import remember
from webapp.policy import leaders_only

HEX_SIZES = {"500": 500.0, "1000": 1000.0, "2000": 2000.0}


KEEP_SECONDS = 6 * 3600


def _kept_coverage(province: str, size: float):
    """Computed once per day, province, size and import of service points or boundaries (seconds of
    PostGIS and ~750 KB of hexagons), then shared by the page, its map and every leader."""
    today = datetime.now(timezone.utc).date()
    return remember(f"coverage:{province}:{size}:{today}:{inputs_version()}", KEEP_SECONDS,
                    lambda: coverage(province, size, today))


def _coverage_args():
    size = request.args.get("size", "1000")
    if size not in HEX_SIZES:
        raise ApiError("invalid_parameter", f"size must be one of {', '.join(HEX_SIZES)} (metres)")
    return request.args.get("province", "46"), HEX_SIZES[size]


@bp.get("/coverage")
@leaders_only
def coverage_page():
    province, size = _coverage_args()
    _, wards = _kept_coverage(province, size)
    return render_template("dashboard/coverage.html", wards=wards, province=province, size=int(size))


@bp.get("/coverage/hexagons.geojson")
@leaders_only
def coverage_hexagons():
    province, size = _coverage_args()
    hexagons, _ = _kept_coverage(province, size)
    response = jsonify(hexagons)
    response.headers["Cache-Control"] = "private, max-age=600"
    return response
