"""Atom feeds: valid Atom (feedparser reads them without complaint), public events only, no
personal data, links from PUBLIC_URL, cached."""
import feedparser
import pytest

from reports.workflow.lifecycle import change_status
from store import db
from tests.helpers import PHU_XUAN, WARD_POINTS, make_report

PRIVATE = ("Trần Thị Riêng Tư", "0905999888")  # what make_report puts in the reporter's fields


def parse(response):
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    assert "max-age=300" in response.headers["Cache-Control"]
    feed = feedparser.parse(response.data)
    assert not feed.bozo, feed.get("bozo_exception")  # well-formed and valid enough for a reader
    assert not any(value in response.get_data(as_text=True) for value in PRIVATE)
    return feed


def test_ward_feed_lists_new_and_resolved_reports(app, client):
    report = make_report(app, description="Cống thoát nước bị tắc (feed)")
    change_status(report, "resolved", "officer@t.vn", public_message="Đã thông cống.", role="officer")
    db.session.commit()
    feed = parse(client.get(f"/feeds/wards/{PHU_XUAN}.atom"))
    mine = [e for e in feed.entries if report.tracking_code in e.title]
    assert [e.title.split(":")[0] for e in mine] == ["Đã xử lý", "Phản ánh mới"]
    assert mine[0].summary == "Đã thông cống." and mine[1].summary == "Cống thoát nước bị tắc (feed)"
    assert mine[0].link == f"{app.config['PUBLIC_URL']}/r/{report.tracking_code}"
    assert "officer@t.vn" not in client.get(f"/feeds/wards/{PHU_XUAN}.atom").get_data(as_text=True)


def test_report_feed_is_its_public_timeline_and_hides_hidden_text(app, client):
    report = make_report(app, description="Nội dung vi phạm (feed)")
    report.hidden, report.hidden_reason = True, "xúc phạm"
    db.session.commit()
    feed = parse(client.get(f"/feeds/reports/{report.tracking_code}.atom"))
    assert len(feed.entries) >= 1 and "Nội dung vi phạm" not in str(feed)


def test_nearby_feed_and_its_radius(app, client):
    report = make_report(app, description="Đèn đường hỏng gần đây (feed)")
    lon, lat = WARD_POINTS[PHU_XUAN]
    feed = parse(client.get(f"/feeds/nearby.atom?lat={lat + 0.001}&lon={lon}&radius_m=500"))
    assert any(report.tracking_code in e.title for e in feed.entries)
    far = parse(client.get(f"/feeds/nearby.atom?lat={lat + 0.02}&lon={lon}&radius_m=500"))  # ~2.2 km away
    assert not any(report.tracking_code in e.title for e in far.entries)


@pytest.mark.parametrize("url,status", [("/feeds/nearby.atom?lat=16.46&lon=107.59&radius_m=50", 400),
                                        ("/feeds/nearby.atom?lat=16.46&lon=107.59&radius_m=9000", 400),
                                        ("/feeds/nearby.atom?lat=abc&lon=107.59", 400),
                                        ("/feeds/wards/99999.atom", 404), ("/feeds/reports/HUE-2222-3333.atom", 404)])
def test_bad_feed_requests(client, url, status):
    assert client.get(url).status_code == status
