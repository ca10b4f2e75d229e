"""Public accountability: anyone sees how each ward answers (this month, this year), the same
figures as open data (CSV with a byte-order mark, JSON with the licence), and never a report's text
or a resident's name."""
import csv
import io

from store import db
from tests.helpers import PHU_XUAN, make_report
from webapp.extensions import cache


def test_every_ward_is_listed_and_small_samples_are_not_ranked(client, app):
    report = make_report(app, hide_identity=False, description="Rác ở ngõ 12 — kiểm thử công khai")
    report.reporter_name = "Nguyễn Văn Bí Mật"
    db.session.flush()
    page = client.get("/wards").get_data(as_text=True)
    assert "Phường, xã trả lời phản ánh thế nào" in page
    assert page.count("<tr data-code=") == 40  # every ward of Huế in force
    row = page.split(f'<tr data-code="{PHU_XUAN}"', 1)[1].split("</tr>", 1)[0]
    assert "Mẫu nhỏ".lower() in row.lower() and "<td>—</td>" in row  # one report: marked, not ranked
    assert "Bí Mật" not in page and "ngõ 12" not in page


def test_one_ward_this_month_and_this_year(client, app):
    make_report(app)
    page = client.get(f"/wards/{PHU_XUAN}").get_data(as_text=True)
    assert "Phường Phú Xuân" in page and "Tháng này" in page and "Năm nay" in page
    assert "Trung tâm phục vụ hành chính công Phường Phú Xuân" in page
    assert client.get("/wards/00000").status_code == 404
    # the backlog's small map sits on the ward's box (degrees), its link opens the full map there
    import json
    import re
    (south, west), (north, east) = json.loads(re.search(r"data-bounds='([^']+)'", page).group(1))
    assert south < 16.4698 < north and west < 107.5786 < east
    assert re.search(r'href="/map#15/16\.\d{5}/107\.\d{5}"', page)


def test_open_data_csv_and_json(client, app):
    make_report(app)
    raw = client.get("/wards/figures.csv?period=year")
    assert raw.data.startswith("\ufeff".encode()) and 'rel="license"' in raw.headers["Link"]
    rows = list(csv.DictReader(io.StringIO(raw.data.decode("utf-8-sig"))))
    assert len(rows) == 40 and {"Mã phường, xã", "Phường, xã"} <= set(rows[0])
    body = client.get("/api/v1/wards/figures?period=month").json
    assert body["licence"] == "CC BY 4.0" and len(body["wards"]) == 40
    ward = next(w for w in body["wards"] if w["code"] == PHU_XUAN)
    assert ward["received"] >= 1 and ward["small_sample"] is True
    assert set(ward) >= {"on_time_rate", "median_first_response_h", "good_ratings_share", "backlog"}


def test_the_figures_are_kept_a_while(client, app):
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})  # the tests run with NullCache otherwise
    try:
        first = client.get("/api/v1/wards/figures").json
        make_report(app)
        assert client.get("/api/v1/wards/figures").json == first  # computed once for everyone
    finally:
        cache.init_app(app, config={"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})
