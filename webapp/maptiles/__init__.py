"""``/tiles/{layer}/{z}/{x}/{y}.pbf``: vector tiles with ETag and Cache-Control; 204 when empty."""
import hashlib

from flask import Blueprint, Response, current_app, request
from flask_login import current_user

from reports.queries.filters import ReportFilter
from store import utcnow
from tiles.mvt import CLUSTER_BELOW_ZOOM, desk_tile, hotspot_tile, report_tile, valid_tile, ward_tile
from webapp.errors import ApiError
from webapp.extensions import remember
from webapp.policy import desk_api_access, visible_ward_ids
from webapp.read_routing import replica_reads

bp = Blueprint("maptiles", __name__, url_prefix="/tiles")
MVT = "application/vnd.mapbox-vector-tile"


def _tile_args(z: str, x: str, y: str) -> tuple[int, int, int]:
    try:
        zi, xi, yi = int(z), int(x), int(y)
    except ValueError:
        zi = -1
    if zi < 0 or not valid_tile(zi, xi, yi):
        raise ApiError("invalid_tile", "z/x/y must name a tile: 0 ≤ z ≤ 22 and 0 ≤ x, y < 2^z")
    return zi, xi, yi


def _filters() -> ReportFilter:
    args = request.args
    try:
        days = int(args.get("days", 90))
    except ValueError:
        days = 0
    if not 1 <= days <= 3650:
        raise ApiError("invalid_parameter", "days must be a whole number from 1 to 3650")
    return ReportFilter(days=days, category=args.get("category") or None, field_code=args.get("field") or None,
                       status=args.get("status") or None, ward=args.get("ward") or None, public=True)


def _respond(data: bytes, public: bool = True) -> Response:
    if not data:
        return Response(status=204)
    etag = hashlib.sha1(data).hexdigest()
    control = f"public, max-age={current_app.config['TILE_CACHE_SECONDS']}" if public else "private, max-age=30"
    if request.if_none_match.contains(etag):
        return Response(status=304, headers={"ETag": f'"{etag}"', "Cache-Control": control})
    return Response(data, mimetype=MVT, headers={"ETag": f'"{etag}"', "Cache-Control": control})


def _cached_tile(layer: str, tile: tuple[int, int, int], filters: ReportFilter, render) -> bytes:
    """A public aggregate tile, rendered once per ``TILE_CACHE_SECONDS`` (as long as browsers keep
    it: Cache-Control max-age) and filter set. A low-zoom tile of a million-report city counts
    hundreds of thousands of index entries; every visitor of the city map asks for the same few."""
    return remember("tile:{}:{}/{}/{}:{}".format(layer, *tile, filters), current_app.config["TILE_CACHE_SECONDS"],
                    lambda: render(*tile, filters))


@bp.get("/reports/<z>/<x>/<y>.pbf")
@replica_reads
def reports(z, x, y):
    tile, filters = _tile_args(z, x, y), _filters()
    if tile[0] < CLUSTER_BELOW_ZOOM:  # clusters; point tiles are cheap and many
        return _respond(_cached_tile("reports", tile, filters, report_tile))
    return _respond(report_tile(*tile, filters))


@bp.get("/hotspots/<z>/<x>/<y>.pbf")
@replica_reads
def hotspots(z, x, y):
    return _respond(_cached_tile("hotspots", _tile_args(z, x, y), _filters(), hotspot_tile))


@bp.get("/wards/<z>/<x>/<y>.pbf")
@replica_reads
def wards(z, x, y):
    return _respond(ward_tile(*_tile_args(z, x, y)))


@bp.get("/desk/<z>/<x>/<y>.pbf")
@desk_api_access
@replica_reads
def desk(z, x, y):
    """Staff only: tracking codes and overdue flags, within what the user may see."""
    tile = _tile_args(z, x, y)
    now = utcnow()
    # Exactly the queue's set: the user's scope and the queue filters.
    filters = ReportFilter.from_desk_args(request.args, visible_ward_ids(current_user), now)
    return _respond(desk_tile(*tile, filters, now), public=False)
