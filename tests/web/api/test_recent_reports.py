"""The public feed beside the map: reports in view, newest update first, no personal data."""
from datetime import datetime, timedelta, timezone

from reports.photos.storage import LocalPhotoStorage
from reports.workflow.desk import Actor, hide, reply, set_status
from reports.workflow.intake import ReportInput, submit_report
from store import db
from tests.reports.images import jpeg_with_gps

SPOT = (107.6123, 16.4432)  # a quiet corner of Huế no other test reports in
VIEW = "107.6100,16.4410,107.6150,16.4450"
OFFICER = Actor("officer@t.vn", "officer")


def report_at(app, lon, lat, category="garbage", photos=()):
    report, _ = submit_report(ReportInput(category=category, description="Rác ở góc phố", lat=lat, lon=lon,
                                          name="Trần Thị Riêng Tư", phone="0905999888", email="rieng.tu@example.vn",
                                          photos=list(photos), acknowledge_duplicate=True),
                              LocalPhotoStorage(app.config["PHOTO_DIR"]))
    db.session.commit()
    return report


def test_the_feed_follows_the_view_and_its_filters(app, client):
    old = report_at(app, *SPOT)
    handled = report_at(app, SPOT[0] + 0.0005, SPOT[1], photos=[jpeg_with_gps((800, 600))])
    light = report_at(app, SPOT[0] - 0.0005, SPOT[1], category="street_light")
    hidden = report_at(app, SPOT[0], SPOT[1] + 0.0003)
    outside = report_at(app, SPOT[0] + 0.01, SPOT[1])
    reply(handled, OFFICER, "Đã cử đội vệ sinh đến thu gom.")
    set_status(handled, OFFICER, "resolved")
    hide(hidden, OFFICER, "Nội dung không phù hợp")
    for n, report in enumerate((old, light, handled)):  # updated in this order, the handled one last
        report.updated_at = datetime.now(timezone.utc) - timedelta(minutes=10 - n)
    db.session.commit()

    body = client.get(f"/api/v1/reports/recent?bbox={VIEW}")
    assert body.status_code == 200 and body.headers["Cache-Control"] == "public, max-age=30"
    codes = [r["tracking_code"] for r in body.json["reports"]]
    assert codes == [handled.tracking_code, light.tracking_code, old.tracking_code]  # newest update first
    assert hidden.tracking_code not in codes and outside.tracking_code not in codes
    first = body.json["reports"][0]
    assert first["status_type"] == "closed" and first["answer"] == "Đã cử đội vệ sinh đến thu gom."
    assert first["thumbnail_url"].endswith("_t.jpg") and first["url"] == f"/r/{handled.tracking_code}"
    assert first["ward"] and first["category"]["code"] == "garbage"
    text = body.get_data(as_text=True)
    assert "Riêng Tư" not in text and "0905999888" not in text and "rieng.tu" not in text

    by_status = client.get(f"/api/v1/reports/recent?bbox={VIEW}&status=open").json["reports"]
    assert [r["tracking_code"] for r in by_status] == [light.tracking_code, old.tracking_code]
    field = light.category.field
    by_field = client.get(f"/api/v1/reports/recent?bbox={VIEW}&field={field}").json["reports"]
    assert {r["tracking_code"] for r in by_field} == {light.tracking_code}
    assert len(client.get(f"/api/v1/reports/recent?bbox={VIEW}&limit=1").json["reports"]) == 1


def test_bad_views_are_refused_clearly(client):
    for query, code in (("bbox=1,2,3", "invalid_coordinates"), ("bbox=108,16,107,17", "invalid_coordinates"),
                        ("bbox=a,b,c,d", "invalid_coordinates"), (f"bbox={VIEW}&status=maybe", "invalid_parameter"),
                        (f"bbox={VIEW}&field=nope", "invalid_parameter"), (f"bbox={VIEW}&limit=500", "invalid_parameter")):
        response = client.get(f"/api/v1/reports/recent?{query}")
        assert response.status_code == 400 and response.json["error"]["code"] == code, query
