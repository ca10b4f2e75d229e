"""``/api/v1/locate`` and ``/api/v1/wards``: thin views over :mod:`geo`."""
import math

from flask import jsonify, request

from geo import ward_for_point
from geo.wards import wards_feature_collection
from store import utcnow
from webapp.api import bp
from webapp.api.reports import anonymous_read_limit
from webapp.errors import ApiError
from webapp.extensions import limiter, remember
from webapp.read_routing import replica_reads

DEFAULT_SIMPLIFY_M = 20.0
MAX_SIMPLIFY_M = 2000.0


@bp.get("/locate")
def locate():
    """The ward that owns ``lat``/``lon`` (degrees, WGS84) under the boundaries in force today."""
    match = ward_for_point(request.args.get("lon"), request.args.get("lat"))
    return jsonify({"ward": match.as_dict(), "boundary_set": match.boundary_set})


@bp.get("/wards")
@limiter.limit(anonymous_read_limit)
@replica_reads
def wards():
    """GeoJSON of one province's wards in force (``province``, required: the country's 3,321 units at
    full detail are megabytes), simplified for display by ``simplify`` metres; kept five minutes."""
    raw = request.args.get("simplify", DEFAULT_SIMPLIFY_M)
    try:
        simplify_m = float(raw)
    except (TypeError, ValueError):
        simplify_m = math.nan
    if not (math.isfinite(simplify_m) and 0 <= simplify_m <= MAX_SIMPLIFY_M):
        raise ApiError("invalid_parameter", f"simplify must be a number of metres from 0 to {MAX_SIMPLIFY_M:g}")
    province = request.args.get("province") or ""
    if not (province.isdigit() and len(province) <= 3):
        raise ApiError("invalid_parameter", "province is required: its official code, e.g. province=46")
    today = utcnow().date()
    collection = remember(f"wards:{province}:{simplify_m:g}:{today}", 300,
                          lambda: wards_feature_collection(province, simplify_m, today))
    response = jsonify(collection)
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
