"""What the public may see is decided once (``reports.queries.predicates.PUBLIC``): a report the
dispatcher hid, and a reporter's name, phone and email, reach no public route — the map's tiles at
zooms 8–18 (clusters, points, hotspots; kept cells too: tests/tiles/test_kept_tiles.py), its points
and list, the duplicate check, the ward and nearby feeds, Open311 in JSON and XML, the ward pages."""
import mapbox_vector_tile
import pytest

from geo.tile_key import tile_of
from reports.photos.storage import LocalPhotoStorage
from reports.workflow.intake import ReportInput, submit_report
from store import db
from tests.helpers import KIM_LONG, PHU_XUAN, WARD_POINTS

NAME, PHONE, EMAIL = "Trần Thị Riêng Tư", "0905999888", "rieng.tu@example.vn"
SECRET_TEXT = "Nội dung đã bị ẩn 7Q"


def _submit(app, ward, description, **who):
    lon, lat = WARD_POINTS[ward]
    report, _ = submit_report(ReportInput(category="garbage", description=description, lat=lat, lon=lon,
                                          acknowledge_duplicate=True, **who),
                              LocalPhotoStorage(app.config["PHOTO_DIR"]))
    db.session.commit()
    return report


@pytest.fixture
def planted(app, monkeypatch):
    monkeypatch.setitem(app.config, "TILE_CACHE_SECONDS", 0)  # each tile computed now, not kept from a test before
    shown = _submit(app, PHU_XUAN, "Đèn đường hỏng", name=NAME, phone=PHONE, email=EMAIL, hide_identity=False)
    hidden = _submit(app, KIM_LONG, SECRET_TEXT, name=NAME, phone=PHONE, email=EMAIL, hide_identity=False)
    return shown, hidden


def _tile_total(client, layer: str, z: int, x: int, y: int) -> tuple[int, bytes]:
    response = client.get(f"/tiles/{layer}/{z}/{x}/{y}.pbf?days=30")
    assert response.status_code in (200, 204)
    tile = response.data
    features = [f for layer in (mapbox_vector_tile.decode(tile) if tile else {}).values() for f in layer["features"]]
    return sum(int(f["properties"].get("count", 1)) for f in features), tile


def test_a_hidden_report_is_in_no_public_tile_at_any_zoom(client, planted):
    _shown, hidden = planted
    lon, lat = WARD_POINTS[KIM_LONG]
    for z in range(8, 19):
        tile = tile_of(lon, lat, z)
        for layer in ("reports", "hotspots"):
            hidden.hidden = False
            db.session.commit()
            with_it, _ = _tile_total(client, layer, z, *tile[1:])
            hidden.hidden = True
            db.session.commit()
            without, data = _tile_total(client, layer, z, *tile[1:])
            assert with_it - without == 1, (layer, z)
            assert hidden.tracking_code.encode() not in data, (layer, z)


def test_a_hidden_report_and_personal_data_reach_no_public_route(client, planted):
    shown, hidden = planted
    hidden.hidden = True
    db.session.commit()
    lon, lat = WARD_POINTS[KIM_LONG]
    routes = ["/api/v1/reports/map", f"/api/v1/reports/recent?bbox={lon - 0.05},{lat - 0.05},{lon + 0.05},{lat + 0.05}",
              f"/api/v1/reports/nearby?lon={lon}&lat={lat}&category=garbage", f"/feeds/wards/{KIM_LONG}.atom",
              f"/feeds/nearby.atom?lat={lat}&lon={lon}&radius_m=500", "/open311/v2/requests.json",
              "/open311/v2/requests.xml", "/wards", f"/wards/{KIM_LONG}", "/wards/figures.csv", "/map"]
    for route in routes:
        response = client.get(route)
        assert response.status_code == 200, route
        body = response.get_data(as_text=True)
        assert hidden.tracking_code not in body and SECRET_TEXT not in body, route
        assert NAME not in body and PHONE not in body and EMAIL not in body, route
    assert shown.tracking_code in client.get("/api/v1/reports/map").get_data(as_text=True)  # the routes do list reports
    for route in (f"/r/{shown.tracking_code}", f"/api/v1/reports/{shown.tracking_code}", f"/r/{hidden.tracking_code}",
                  f"/api/v1/reports/{hidden.tracking_code}", f"/feeds/reports/{hidden.tracking_code}.atom",
                  f"/open311/v2/requests/{hidden.tracking_code}.json"):
        body = client.get(route).get_data(as_text=True)  # the holder of a code: its status, never the hidden text
        assert SECRET_TEXT not in body and NAME not in body and PHONE not in body and EMAIL not in body, route
