"""Pages that read well: the desk maps have the city's basemap like the public ones, dates carry
four-digit years, and the service-point locator says "none open yet" rather than "none nearby"."""
import re

from tests.helpers import login


def test_desk_maps_show_the_basemap(client, reports, staff, monkeypatch, app):
    monkeypatch.setitem(app.config, "BASEMAP_URL", "https://tiles.example.vn/{z}/{x}/{y}.png")
    login(client, "lead@t.vn")
    for url in ("/desk", f"/desk/reports/{reports['mine'].tracking_code}"):
        page = client.get(url).get_data(as_text=True)
        assert 'data-basemap="https://tiles.example.vn/{z}/{x}/{y}.png"' in page, url


def test_dates_have_four_digit_years(client, reports):
    page = client.get(f"/r/{reports['mine'].tracking_code}").get_data(as_text=True)
    times = re.findall(r"\d\d:\d\d \d\d/\d\d/(\d+)", page)
    assert times and all(len(year) == 4 for year in times)
    english = client.get(f"/r/{reports['mine'].tracking_code}?lang=en").get_data(as_text=True)
    assert re.search(r"\d{1,2} \w{3} \d{4}, \d\d:\d\d", english)


def test_the_locator_says_none_open_yet(client):
    page = client.get("/service-points").get_data(as_text=True)
    assert "Giờ này chưa có trung tâm phục vụ nào gần đây mở cửa" in page


def test_maps_have_legends(client, reports, staff):
    public = client.get("/map").get_data(as_text=True).split('id="map-legend"', 1)[1].split("</ul>", 1)[0]
    assert "Chưa xử lý xong" in public and "Đã xử lý hoặc đã đóng" in public and "chạm để phóng to" in public
    login(client, "lead@t.vn")
    desk = client.get("/desk").get_data(as_text=True).split('id="map-legend"', 1)[1].split("</ul>", 1)[0]
    assert desk.count("<li>") == 7 and "Quá hạn" in desk and "Đã tiếp nhận" in desk


def test_the_overdue_list_is_sorted_by_lateness_and_says_how_late(client, app, staff):
    from datetime import datetime, timedelta, timezone

    from store import db
    from tests.helpers import make_report
    now = datetime.now(timezone.utc)
    slightly, very = make_report(app), make_report(app)
    slightly.deadline_at, very.deadline_at = now - timedelta(hours=5, minutes=10), now - timedelta(days=2, hours=3)
    db.session.flush()
    login(client, "lead@t.vn")
    page = client.get("/desk?overdue=1").get_data(as_text=True)
    assert page.index(very.tracking_code) < page.index(slightly.tracking_code)
    assert "trễ 2 ngày" in page and "trễ 5 giờ" in page
