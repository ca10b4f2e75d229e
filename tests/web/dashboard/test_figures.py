"""Dashboard figures on a small hand-made fixture whose right answers are known."""
import csv
import io
import re
from datetime import datetime, timedelta, timezone

import numpy as np
import pytest

from analytics.hotspots import gi_star, rank_hotspots
from analytics.maps import heat_cells, hexagon_counts, with_previous_counts
from reports.categories import Category
from reports.queries.dashboard import category_breakdown, ward_figures, weekly_trends
from reports.queries.filters import ReportFilter
from reports.states import STATUS_TYPES
from store import db
from tests.helpers import login
from tests.web.dashboard.hand_made import FIELD, KIM_LONG, NOW, PHU_XUAN, add


def test_ward_figures(fixture_reports):
    figures = {w.code: w for w in ward_figures(ReportFilter.last_days(30, field_code=FIELD))}
    px = figures["19753"]
    assert (px.received, px.backlog, px.overdue, px.resolved) == (15, 3, 1, 12)
    # Due: the 12 answered and the open one past its deadline (the two not yet due count neither way).
    assert (px.due, px.on_time) == (13, 9)
    assert px.on_time_rate == pytest.approx(9 / 13)
    assert px.median_resolution_h == pytest.approx(10)
    assert px.median_first_response_h == pytest.approx(2)
    assert px.per_10k == pytest.approx(15 / 130247 * 10_000)
    assert px.mean_rating == pytest.approx((6 * 5 + 3 * 3 + 3 * 2) / 12)
    assert px.good_share == pytest.approx(6 / 12) and px.reopened_share == pytest.approx(3 / 12)
    assert px.small_sample is False
    kl = figures["19774"]
    assert (kl.received, kl.resolved, kl.due, kl.small_sample) == (2, 2, 2, True)
    ranked = ward_figures(ReportFilter.last_days(30, field_code=FIELD))
    assert ranked.index(px) < ranked.index(kl)  # small samples come after, unranked
    assert figures["19900"].received == 0 and figures["19900"].on_time_rate is None


def test_open_overdue_reports_count_against_the_on_time_rate(fixture_reports):
    filters = ReportFilter.last_days(30, field_code=FIELD)
    before = {w.code: w for w in ward_figures(filters)}["19753"]
    for _ in range(4):  # four more reports, still open, their deadline passed
        add(PHU_XUAN, "19753", 6, "in_progress", deadline_h=48)
    db.session.flush()
    after = {w.code: w for w in ward_figures(filters)}["19753"]
    assert (after.due, after.on_time) == (before.due + 4, before.on_time)
    assert after.on_time_rate == pytest.approx(9 / 17) and after.on_time_rate < before.on_time_rate


def test_a_ward_with_twelve_due_reports_is_ranked_and_the_rule_is_configurable(fixture_reports):
    filters = ReportFilter.last_days(30, field_code=FIELD)
    for _ in range(12):  # Kim Long: 12 due, none resolved yet (overdue): ranked, at 0 % + 2 answered
        add(KIM_LONG, "19774", 8, "received", deadline_h=24)
    db.session.flush()
    kl = {w.code: w for w in ward_figures(filters)}["19774"]
    assert (kl.due, kl.small_sample, kl.on_time_rate) == (14, False, pytest.approx(2 / 14))
    ranked = [w.code for w in ward_figures(filters) if not w.small_sample]
    assert ranked[:2] == ["19753", "19774"]  # 9/13 before 2/14
    strict = {w.code: w for w in ward_figures(filters, min_sample=15)}
    assert strict["19774"].small_sample and strict["19753"].small_sample


def test_filters_and_categories(fixture_reports):
    only_b = {w.code: w.received for w in ward_figures(ReportFilter.last_days(30, category="dash_b"))}
    assert only_b["19753"] == 1 and only_b["19774"] == 0
    breakdown = {c["code"]: c["n"] for c in category_breakdown(ReportFilter.last_days(7, field_code=FIELD))}
    assert breakdown == {"dash_a": 15, "dash_b": 1}  # 13 in Phú Xuân and 2 in Kim Long within 7 days


def test_weekly_trend_weeks_start_on_monday_in_local_time(fixture_reports):
    from zoneinfo import ZoneInfo
    local = ZoneInfo("Asia/Ho_Chi_Minh")
    today = NOW.astimezone(local).date()
    monday = today - timedelta(days=today.weekday())
    start = datetime.combine(monday, datetime.min.time(), local)
    filters = ReportFilter(NOW - timedelta(days=30), NOW + timedelta(hours=1), field_code=FIELD, province="46")
    before = {row["week"]: row["n"] for row in weekly_trends(filters)}
    for created in (start + timedelta(minutes=30), start - timedelta(minutes=30), start - timedelta(minutes=40)):
        report = add(PHU_XUAN, "19753", 0, category="dash_b")
        report.created_at = created.astimezone(timezone.utc)
    db.session.flush()
    weeks = {row["week"]: row["n"] for row in weekly_trends(filters)}
    assert all(week.weekday() == 0 for week in weeks)
    assert weeks[monday] - before.get(monday, 0) == 1
    assert weeks[monday - timedelta(days=7)] - before.get(monday - timedelta(days=7), 0) == 2


def test_heat_cells_weigh_every_report_where_it_is(fixture_reports):
    cells = heat_cells(ReportFilter.last_days(30, field_code=FIELD))
    assert sum(n for _, _, n in cells) == 17
    for lat, lon, _n in cells:  # cells of ~300 m: centres within 150 m of the point each way
        assert min(abs(lat - p[1]) + abs(lon - p[0]) for p in (PHU_XUAN, KIM_LONG)) < 0.003
    assert max(n for _, _, n in cells) == 15


def test_gi_star_on_a_known_pattern():
    # 5 x 5 square grid, 1 km apart; a cluster of high counts in one corner.
    points = [[x * 1000.0, y * 1000.0] for x in range(5) for y in range(5)]
    counts = [9 if x < 2 and y < 2 else 0 for x in range(5) for y in range(5)]
    import numpy as np
    z = gi_star(np.array(counts, float), np.array(points), radius=1500)
    assert z.argmax() == 0 or counts[int(z.argmax())] == 9
    assert z[0] > 1.96 and z[-1] < 0


def test_hexagon_adjacency_gives_the_distance_band_gi_star():
    import numpy as np

    from analytics.hotspots import gi_star_from_neighbours, hexagon_neighbours
    from geo.hexgrid import centre
    rng = np.random.default_rng(3)
    cells = [(i, j) for i in range(-4, 9) for j in range(-3, 7)]
    counts = rng.poisson(2, len(cells)).astype(float)
    counts[:6] += 20
    points = np.array([centre(i, j, 400) for i, j in cells])
    by_distance = gi_star(counts, points, radius=np.sqrt(3) * 400 * 1.01)
    by_adjacency = gi_star_from_neighbours(counts, hexagon_neighbours(cells))
    assert np.allclose(by_distance, by_adjacency) and by_adjacency.max() > 1.96


def test_hotspot_ranking_finds_the_cluster_and_its_previous_period(fixture_reports):
    for _ in range(25):
        add((107.6000, 16.4520), "19753", 2)
    for _ in range(4):
        add((107.6000, 16.4520), "19753", 40)  # the previous 30 days
    db.session.flush()
    filters = ReportFilter.last_days(30, field_code=FIELD)
    ranked = with_previous_counts(filters, rank_hotspots(hexagon_counts(filters, 400), top=3), 400)
    assert ranked and (ranked[0]["current"], ranked[0]["previous"]) == (25, 4)
    assert abs(ranked[0]["lon"] - 107.6000) < 0.01 and abs(ranked[0]["lat"] - 16.4520) < 0.01


def test_only_leaders_see_the_dashboard(client, staff, fixture_reports):  # noqa: F811
    assert client.get("/dashboard").status_code == 302
    login(client, "officer@t.vn")
    assert client.get("/dashboard").status_code == 403
    assert client.get("/dashboard/export.csv").status_code == 403
    login(client, "leader@t.vn")
    page = client.get("/dashboard?days=30")
    assert page.status_code == 200 and "Gi*" in page.get_data(as_text=True)
    heat = client.get("/dashboard/maps/heat").get_data(as_text=True)
    assert "/static/vendor/leaflet.heat/leaflet-heat.js" in heat and "cdn.jsdelivr" not in heat
    export = client.get(f"/dashboard/export.csv?days=30&field={FIELD}").get_data(as_text=True)
    assert export.count("\n") == 18 and "0905" not in export  # header + 15 + 2 rows, no personal data
    plan = client.get("/dashboard/inspection?n=3&format=geojson").json
    assert plan["type"] == "FeatureCollection"
    plan_csv = client.get("/dashboard/inspection?n=3&format=csv")
    assert plan_csv.status_code == 200 and plan_csv.data.decode("utf-8").startswith("\ufeffĐoàn,")
    assert client.get("/dashboard?days=12").status_code == 400


def test_figures_are_kept_for_a_while_and_recomputed_on_request(app, client, staff, fixture_reports):  # noqa: F811
    import re

    from webapp.extensions import cache
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})  # the tests run with NullCache otherwise
    try:
        login(client, "leader@t.vn")

        def received_in_phu_xuan(url):
            page = client.get(url).get_data(as_text=True)
            assert 'id="computed-at"' in page
            return int(re.search(r'data-code="19753" tabindex="0">.*?</td><td data-sort="(\d+)">', page, re.S).group(1))

        url = f"/dashboard?days=30&field={FIELD}"
        assert received_in_phu_xuan(url) == 15
        add(PHU_XUAN, "19753", 1)
        db.session.flush()
        assert received_in_phu_xuan(url) == 15            # kept: the same figures within the period
        assert received_in_phu_xuan(url + "&refresh=1") == 16
        assert received_in_phu_xuan(url) == 16            # the recomputed figures are kept in turn
        assert received_in_phu_xuan(url.replace("days=30", "days=7")) == 15  # other filters: their own entry
    finally:
        cache.init_app(app, config={"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})


def test_the_spreadsheet_export_reads_in_excel_and_in_vietnamese(client, staff, fixture_reports):  # noqa: F811
    """A byte-order mark (Excel reads UTF-8), headers and names in the leader's language, local time."""
    login(client, "leader@t.vn")
    raw = client.get(f"/dashboard/export.csv?days=30&field={FIELD}").data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows and {"Mã theo dõi", "Trạng thái", "Loại phản ánh", "Lĩnh vực"} <= set(rows[0])
    codes = {c.code for c in db.session.query(Category)}
    for row in rows:  # names, never the stored codes
        assert row["Trạng thái"] and row["Trạng thái"] not in STATUS_TYPES
        assert row["Loại phản ánh"] and row["Loại phản ánh"] not in codes
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row["Thời điểm tiếp nhận (giờ Việt Nam)"])
    english = list(csv.DictReader(io.StringIO(
        client.get(f"/dashboard/export.csv?days=30&field={FIELD}&lang=en").data.decode("utf-8-sig"))))
    assert "Tracking code" in english[0] and english[0]["Status"].isascii()


def test_a_hotspot_must_hold_reports_of_its_own_and_survive_many_tests():
    """A 2-report hexagon beside a busy one does not rank above it; a lone report never ranks; with
    thousands of hexagons, chance clusters do not pass the false discovery rate."""
    from geo.hexgrid import neighbour_offsets
    rng = np.random.default_rng(7)
    cells = [(i, j) for i in range(60) for j in range(60)]
    counts = {c: int(rng.poisson(0.3)) for c in cells}  # background noise over 3,600 hexagons
    market = (30, 30)
    counts[market] = 14
    neighbours = [(market[0] + di, market[1] + dj) for di, dj in neighbour_offsets(market[0])[1:]]
    for c in neighbours:
        counts[c] = 2
    ranked = rank_hotspots([{"i": i, "j": j, "current": counts[(i, j)]} for i, j in cells], top=10)
    assert ranked and (ranked[0]["i"], ranked[0]["j"]) == market and ranked[0]["current"] == 14
    assert all(h["current"] >= 5 for h in ranked) and all(h["p"] < 0.05 for h in ranked)


def test_the_leaders_maps_have_legends(client, staff, fixture_reports):  # noqa: F811
    login(client, "leader@t.vn")
    heat = client.get("/dashboard/maps/heat?days=30").get_data(as_text=True)
    assert 'class="pa-legend"' in heat and "Nơi phản ánh tập trung" in heat
    wards = client.get("/dashboard/maps/wards?days=30&metric=backlog").get_data(as_text=True)
    legend = wards.split('class="pa-legend"', 1)[1]
    assert "Phản ánh đang tồn đọng" in legend and 1 <= legend.count('<i class="p') <= 5 and "mẫu nhỏ" in legend
    assert "nonce=" in wards.split(".pa-legend {", 1)[0][-200:]  # its style block carries the CSP nonce
    assert "L.control.scale({imperial: false})" in wards  # kilometres, never miles
    # The heat legend is drawn from the layer's own colour stops.
    assert "blue 40%, cyan 60%, lime 70%, yellow 80%, red 100%" in heat and '0.4: "blue"' in heat


def test_choropleth_classes_hold_about_as_many_wards_each():
    """Issue 29, item 13: equal steps of the value put every ward of a city in one colour when one ward
    stands out; quantiles spread them."""
    from webapp.dashboard.maps import quantile_classes
    values = [1, 2, 2, 3, 3, 4, 5, 6, 8, 200]
    bounds = quantile_classes(values, 5)
    assert bounds == [2, 3, 4, 6, 200]
    per_class = [sum(1 for v in values if (k == 0 or v > bounds[k - 1]) and v <= bound) for k, bound in enumerate(bounds)]
    assert per_class == [3, 2, 1, 2, 2]  # equal steps of 40 would have put nine of the ten in the first


def test_leaders_land_on_the_dashboard_and_find_it_in_the_header(client, staff):
    """Issue 29, item 11."""
    page = client.get("/login")
    from tests.helpers import csrf_from
    answer = client.post("/login", data={"email": "leader@t.vn", "password": "correct horse battery",
                                         "csrf_token": csrf_from(page.get_data(as_text=True))})
    assert answer.status_code == 302 and answer.headers["Location"] == "/dashboard"
    header = client.get("/dashboard").get_data(as_text=True).split("</header>")[0]
    assert 'id="dashboard-link"' in header and 'id="desk-link"' not in header
    other = client.application.test_client()
    login(other, "dispatcher@t.vn")
    header = other.get("/desk").get_data(as_text=True).split("</header>")[0]
    assert 'id="dashboard-link"' in header and 'id="desk-link"' in header
