"""``/api/v1/service-points/nearest``: the nearest service centres, with opening status now."""

from flask import jsonify, request

from geo.service_points import nearest_service_points
from store import LOCAL_TZ, utcnow
from webapp.api import bp
from webapp.errors import ApiError

MAX_LIMIT = 50
TRUE = {"1", "true", "yes", "on"}


def directions_url(from_lat, from_lon, to_lat, to_lon) -> str:
    """A walking/driving route on OpenStreetMap (a link; nothing is loaded from it by the app)."""
    return ("https://www.openstreetmap.org/directions?engine=fossgis_osrm_car&route="
            f"{from_lat:.6f}%2C{from_lon:.6f}%3B{to_lat:.6f}%2C{to_lon:.6f}")


def point_dict(row: dict, origin: tuple[float, float]) -> dict:
    return {"name": row["name"], "kind": row["kind"], "address": row["address"], "phone": row["phone"],
            "lat": round(row["lat"], 6), "lon": round(row["lon"], 6),
            "distance_m": round(row["distance_m"], 1), "open_now": row["open_now"],
            "opening_hours": row["opening_hours"], "hours_assumed": row["hours_assumed"],
            "services": row["services"],
            "ward": {"code": row["ward_code"], "name": row["ward_name"]} if row["ward_code"] else None,
            "directions_url": directions_url(origin[0], origin[1], row["lat"], row["lon"]),
            "attribution": {"source": row["source"], "licence": row["licence"]}}


@bp.get("/service-points/nearest")
def nearest():
    try:
        limit = int(request.args.get("limit", 5))
    except ValueError:
        limit = 0
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError("invalid_parameter", f"limit must be a whole number from 1 to {MAX_LIMIT}")
    now = utcnow()
    only_open = (request.args.get("open_now") or "").strip().lower() in TRUE
    rows = nearest_service_points(request.args.get("lon"), request.args.get("lat"), limit,
                                  kind=request.args.get("kind") or None, open_at=now, only_open=only_open)
    origin = (float(request.args["lat"]), float(request.args["lon"]))
    points = [point_dict(r, origin) for r in rows]
    licences = sorted({(p["attribution"]["source"], p["attribution"]["licence"]) for p in points})
    return jsonify({"points": points, "at": now.astimezone(LOCAL_TZ).isoformat(),
                    "attribution": [{"source": source, "licence": licence} for source, licence in licences]})
