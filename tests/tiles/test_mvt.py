"""Vector tiles decode to the expected features; empty is 204, bad z/x/y is 400; staff layer checks."""

import math

import mapbox_vector_tile
import pytest

from geo.tile_key import tile_of
from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db
from tests.helpers import login

CITADEL = (107.5786, 16.4698)


@pytest.fixture
def three_reports(app):
    made = []
    for i, (category, status) in enumerate([("garbage", "received"), ("garbage", "resolved"), ("pothole", "received")]):
        report, _ = submit_report(ReportInput(category=category, description=f"tile test {i}",
                                              lat=CITADEL[1] + i * 0.0003, lon=CITADEL[0], name="Bí Mật",
                                              phone="0905111222", acknowledge_duplicate=True),
                                  LocalPhotoStorage(app.config["PHOTO_DIR"]))
        report.status = status
        made.append(report)
    db.session.commit()
    return made


def _within_tile(lon, lat, z, x, y):
    """Where a point falls in its tile, 0–1 from the west and from the north (Web Mercator)."""
    n = 2 ** z
    fx = (lon + 180) / 360 * n
    fy = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return fx - x, fy - y


def decode(response):
    assert response.status_code == 200 and response.mimetype == "application/vnd.mapbox-vector-tile"
    return mapbox_vector_tile.decode(response.data)


def test_point_tile_has_public_attributes_only(client, three_reports):
    z, x, y = tile_of(*CITADEL, 16)
    layer = decode(client.get(f"/tiles/reports/{z}/{x}/{y}.pbf"))["reports"]
    # Nothing but these attributes on any point (reports committed by other tests included: the browser
    # tests' synthetic ones have no tracking code, so theirs lack "code").
    assert all(set(f["properties"]) <= {"age_days", "category", "code", "status"} for f in layer["features"])
    codes = {r.tracking_code for r in three_reports}
    ours = [f for f in layer["features"] if f["properties"].get("code") in codes]
    # the tracking code opens the public page (a tap on the map); acting as the reporter needs their secret
    assert len(ours) == 3
    assert {tuple(sorted(f["properties"])) for f in ours} == {("age_days", "category", "code", "status")}
    raw = client.get(f"/tiles/reports/{z}/{x}/{y}.pbf").data
    assert b"0905111222" not in raw and "Bí Mật".encode() not in raw


def test_filters_apply(client, three_reports):
    z, x, y = tile_of(*CITADEL, 16)
    pothole = decode(client.get(f"/tiles/reports/{z}/{x}/{y}.pbf?category=pothole"))["reports"]["features"]
    assert {f["properties"]["category"] for f in pothole} == {"pothole"}
    closed = decode(client.get(f"/tiles/reports/{z}/{x}/{y}.pbf?status=closed&category=garbage"))["reports"]["features"]
    statuses = {f["properties"]["status"] for f in closed}
    assert "resolved" in statuses and statuses <= {"resolved", "rejected", "closed"}


def test_low_zoom_clusters_count_the_points(client, three_reports):
    z, x, y = tile_of(*CITADEL, 11)
    features = decode(client.get(f"/tiles/reports/{z}/{x}/{y}.pbf?category=pothole"))["reports"]["features"]
    assert sum(f["properties"]["count"] for f in features) >= 1
    everything = decode(client.get(f"/tiles/reports/{z}/{x}/{y}.pbf"))["reports"]["features"]
    assert sum(f["properties"]["count"] for f in everything) >= 3
    # A cluster of one report names it (a tap opens its card, issue 29); a bigger one names none. (A
    # cluster of one report recorded without a code, as the browser tests' synthetic ones, names none.)
    for feature in everything:
        assert set(feature["properties"]) <= {"count", "open", "code"}
        if "code" in feature["properties"]:
            assert feature["properties"]["count"] == 1
    # Our pothole's cell at zoom 14 (~38 m): named by its code when it is alone there.
    pothole, lon, lat = three_reports[2], CITADEL[0], CITADEL[1] + 2 * 0.0003
    z, x, y = tile_of(lon, lat, 14)
    cells = decode(client.get(f"/tiles/reports/{z}/{x}/{y}.pbf?category=pothole"))["reports"]["features"]
    px, py = (v * 4096 for v in _within_tile(lon, lat, z, x, y))
    mine = [f for f in cells if abs(f["geometry"]["coordinates"][0] - px) <= 32
            and abs((4096 - f["geometry"]["coordinates"][1]) - py) <= 32]
    assert len(mine) == 1
    assert mine[0]["properties"].get("code") == (pothole.tracking_code if mine[0]["properties"]["count"] == 1 else None)


def test_a_cluster_on_a_tile_edge_is_in_both_tiles(app, client):
    """Each tile draws the clusters of a ring around it too (outside its 0–4096 extent), so a cluster
    on the edge is drawn whole, half by each tile (issue 29: dots were cut at tile edges)."""
    z = 14
    _, x, y = tile_of(*CITADEL, z)
    edge = x / 2 ** z * 360 - 180  # the western edge of the citadel's tile
    report, _ = submit_report(ReportInput(category="drainage_flooding", description="Ngập ở mép ô bản đồ", lat=CITADEL[1],
                                          lon=edge + 0.00005, acknowledge_duplicate=True),  # ~5 m east of it
                              LocalPhotoStorage(app.config["PHOTO_DIR"]))
    db.session.commit()
    mine = "?category=drainage_flooding"
    east = [f for f in decode(client.get(f"/tiles/reports/{z}/{x}/{y}.pbf{mine}"))["reports"]["features"]
            if f["properties"].get("code") == report.tracking_code]
    west = [f for f in decode(client.get(f"/tiles/reports/{z}/{x - 1}/{y}.pbf{mine}"))["reports"]["features"]
            if f["properties"].get("code") == report.tracking_code]
    assert len(east) == len(west) == 1
    assert 0 <= east[0]["geometry"]["coordinates"][0] < 64 and west[0]["geometry"]["coordinates"][0] > 4096 - 64


def test_hotspots_and_wards(client, three_reports):
    z, x, y = tile_of(*CITADEL, 13)
    hexes = decode(client.get(f"/tiles/hotspots/{z}/{x}/{y}.pbf"))["hotspots"]["features"]
    assert sum(f["properties"]["count"] for f in hexes) >= 3
    assert {f["geometry"]["type"] for f in hexes} == {"Polygon"}
    wards = decode(client.get(f"/tiles/wards/{z}/{x}/{y}.pbf"))["wards"]["features"]
    assert "Phường Phú Xuân" in {f["properties"]["name"] for f in wards}


def test_cache_headers_and_conditional_get(client, three_reports):
    z, x, y = tile_of(*CITADEL, 14)
    first = client.get(f"/tiles/wards/{z}/{x}/{y}.pbf")
    assert first.headers["Cache-Control"].startswith("public") and first.headers["ETag"]
    again = client.get(f"/tiles/wards/{z}/{x}/{y}.pbf", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304


@pytest.mark.parametrize("path", ["reports/-1/0/0", "reports/3/8/0", "reports/23/0/0", "hotspots/a/b/c",
                                  "wards/2/0/4"])
def test_bad_tiles_are_400(client, path):
    response = client.get(f"/tiles/{path}.pbf")
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_tile"


def test_empty_tile_is_204(client):
    assert client.get("/tiles/reports/10/0/0.pbf").status_code == 204  # mid-Pacific


def test_desk_layer_is_for_staff_and_scoped(client, three_reports, staff):  # noqa: F811
    z, x, y = tile_of(*CITADEL, 16)
    assert client.get(f"/tiles/desk/{z}/{x}/{y}.pbf").status_code == 401
    login(client, "other@t.vn")  # officer of Kim Long: none of these reports
    assert client.get(f"/tiles/desk/{z}/{x}/{y}.pbf").status_code == 204
    login(client, "officer@t.vn")
    layer = decode(client.get(f"/tiles/desk/{z}/{x}/{y}.pbf"))["desk"]["features"]
    codes = {f["properties"].get("code") for f in layer}  # reports recorded without a code have none
    # The queue's set: what is still to do, unless asked for every status.
    resolved = three_reports[1].tracking_code
    assert {three_reports[0].tracking_code, three_reports[2].tracking_code} <= codes and resolved not in codes
    layer = decode(client.get(f"/tiles/desk/{z}/{x}/{y}.pbf?status=all"))["desk"]["features"]
    assert {r.tracking_code for r in three_reports} <= {f["properties"].get("code") for f in layer}
    assert all("overdue" in f["properties"] for f in layer)
