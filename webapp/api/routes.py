"""``/api/v1/locate`` and ``/api/v1/wards``: thin views over :mod:`geo`."""
import math
from datetime import datetime, timezone

from flask import jsonify, request

from geo import ward_for_point
from geo.wards import wards_feature_collection
from webapp.api import bp
from webapp.errors import ApiError

DEFAULT_SIMPLIFY_M = 20.0
MAX_SIMPLIFY_M = 2000.0


@bp.get("/locate")
def locate():
    """The ward that owns ``lat``/``lon`` (degrees, WGS84) under the boundaries in force today."""
    match = ward_for_point(request.args.get("lon"), request.args.get("lat"))
    return jsonify({"ward": match.as_dict(), "boundary_set": match.boundary_set})


@bp.get("/wards")
def wards():
    """GeoJSON of the wards in force, simplified for display by ``simplify`` metres."""
    raw = request.args.get("simplify", DEFAULT_SIMPLIFY_M)
    try:
        simplify_m = float(raw)
    except (TypeError, ValueError):
        simplify_m = math.nan
    if not (math.isfinite(simplify_m) and 0 <= simplify_m <= MAX_SIMPLIFY_M):
        raise ApiError("invalid_parameter", f"simplify must be a number of metres from 0 to {MAX_SIMPLIFY_M:g}")
    province = request.args.get("province") or None
    collection = wards_feature_collection(province, simplify_m, datetime.now(timezone.utc).date())
    response = jsonify(collection)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
