"""``/dashboard/coverage``: distance to the nearest service point (hexagons, wards worst served).

The figures are kept in the database (``geo.coverage``: once per change of service points or
boundaries); the page lists the wards and its map fetches the compact hexagon cells."""
import json

from flask import current_app, render_template, request

from geo.coverage import coverage_cells, coverage_run, ward_coverage
from geo.hexgrid import polygon_lonlat
from settings import CITY
from store import utcnow
from webapp.dashboard import bp
from webapp.errors import ApiError
from webapp.policy import leaders_only

HEX_SIZES = {"500": 500.0, "1000": 1000.0, "2000": 2000.0}


def _coverage_args():
    size = request.args.get("size", "1000")
    if size not in HEX_SIZES:
        raise ApiError("invalid_parameter", f"size must be one of {', '.join(HEX_SIZES)} (metres)")
    return request.args.get("province", CITY.province), HEX_SIZES[size]


def _today():
    return utcnow().date()


def _json(body: dict, run_id: int, kind: str, mimetype: str = "application/json"):
    """A kept run's data: the same bytes until the inputs change, so the ETag is the run's id."""
    etag = f"coverage-{run_id}-{kind}"
    if request.if_none_match.contains(etag):
        return current_app.response_class(status=304, headers={"ETag": f'"{etag}"'})
    return current_app.response_class(json.dumps(body, ensure_ascii=False, separators=(",", ":")), mimetype=mimetype,
                                      headers={"ETag": f'"{etag}"', "Cache-Control": "private, max-age=600"})


@bp.get("/coverage")
@leaders_only
def coverage_page():
    province, size = _coverage_args()
    run = coverage_run(province, size, _today())
    return render_template("dashboard/coverage.html", wards=ward_coverage(run, province, _today()),
                           province=province, size=int(size), sizes=HEX_SIZES)


@bp.get("/coverage/cells.json")
@leaders_only
def coverage_cells_json():
    """What the page's map draws: ``{"size_m", "names", "cells": [[i, j, distance_m, name], ...]}``."""
    province, size = _coverage_args()
    run = coverage_run(province, size, _today())
    return _json(coverage_cells(run, size), run, f"cells-{int(size)}")


@bp.get("/coverage/hexagons.geojson")
@leaders_only
def coverage_hexagons():
    """The same hexagons as GeoJSON polygons (WGS84), for a GIS (ten times the bytes of the cells)."""
    province, size = _coverage_args()
    run = coverage_run(province, size, _today())
    kept = coverage_cells(run, size)
    features = [{"type": "Feature", "geometry": polygon_lonlat(i, j, size),
                 "properties": {"distance_m": d, "nearest": kept["names"][n]}} for i, j, d, n in kept["cells"]]
    return _json({"type": "FeatureCollection", "features": features}, run, f"geojson-{int(size)}",
                 "application/geo+json")
