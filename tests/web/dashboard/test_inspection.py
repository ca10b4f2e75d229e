"""The inspection plan: each hotspot's reports and problem types, and visits split between teams."""
import numpy as np

from analytics.inspection import ground_distance_m, ranked_hotspots, visit_plan
from analytics.maps import HEXAGON_CELL_LEVEL, in_hexagons
from geo.tile_key import KEY_ZOOM
from reports.categories import upsert_category
from reports.queries.filters import ReportFilter
from store import db
from tests.helpers import login
from tests.web.dashboard.hand_made import FIELD, KIM_LONG, add

MARKET = (107.6000, 16.4520)


def three_hotspots():
    """A market (12 garbage + 8 of another type), Phú Xuân (the fixture's 15) and Kim Long (2 + 12)."""
    made = [add(MARKET, "19753", 2, category="dash_a") for _ in range(12)]
    made += [add(MARKET, "19753", 3, category="dash_b", status="resolved", hours_to_resolve=5) for _ in range(8)]
    made += [add(KIM_LONG, "19774", 4) for _ in range(12)]
    for n, report in enumerate(made):
        report.tracking_code = f"INSP{n:04d}"
    db.session.flush()


def test_each_hotspot_lists_exactly_its_reports_and_main_problems(fixture_reports):
    three_hotspots()
    spots = ranked_hotspots(ReportFilter.last_days(30, field_code=FIELD), 3, 400.0)
    assert sorted(s["current"] for s in spots) == [14, 15, 20]
    for spot in spots:
        assert len(spot["reports"]) == spot["current"]  # fewer than 30: all listed
        assert sum(c["n"] for c in spot["categories"]) == spot["current"]
        times = [r["created_at"] for r in spot["reports"]]
        assert times == sorted(times, reverse=True)
        assert spot["nearest_service_point"] and spot["nearest_distance_m"] is not None
    market = next(s for s in spots if s["current"] == 20)
    assert [(c["code"], c["n"]) for c in market["categories"]] == [("dash_a", 12), ("dash_b", 8)]
    assert market["categories"][0]["name_vi"] == "Mục kiểm thử A"
    assert {r["tracking_code"] for r in market["reports"]} == {f"INSP{n:04d}" for n in range(20)}
    # the hexagon that holds each report's key cell is the hotspot's own (the rule that counted it)
    cells = db.session.execute(db.text(
        "SELECT tile_key >> :shift FROM report WHERE tracking_code = ANY(:codes)"),
        {"shift": 2 * (KEY_ZOOM - HEXAGON_CELL_LEVEL), "codes": [r["tracking_code"] for r in market["reports"]]}).scalars()
    i, j = in_hexagons(np.array(list(cells), dtype=np.int64), 400.0)
    assert set(zip(i.tolist(), j.tolist())) == {(market["i"], market["j"])}


def test_visits_are_split_by_place_and_ordered_by_distance(fixture_reports):
    three_hotspots()
    spots = ranked_hotspots(ReportFilter.last_days(30, field_code=FIELD), 3, 400.0)
    plans = visit_plan(spots, 2)
    assert [p["team"] for p in plans] == [1, 2]
    ranks = sorted(s["rank"] for p in plans for s in p["stops"])
    assert ranks == [1, 2, 3]  # every hotspot once
    for plan in plans:
        stops = plan["stops"]
        # starts where a service centre is nearest, then always the nearest hotspot left
        assert stops[0]["nearest_distance_m"] == min(s["nearest_distance_m"] for s in stops)
        for k in range(1, len(stops)):
            legs = [ground_distance_m(stops[k - 1], s) for s in stops[k:]]
            assert abs(stops[k]["leg_m"] - min(legs)) <= 1
        assert plan["total_m"] == sum(s["leg_m"] for s in stops)
    together = next(p for p in plans if len(p["stops"]) == 2)  # the two nearer hotspots share a team
    assert {s["current"] for s in together["stops"]} == {15, 20}  # the market and Phú Xuân, ~3 km apart
    assert visit_plan(spots, 6) and len(visit_plan(spots, 6)) == 3  # never more teams than hotspots
    assert visit_plan([], 6) == []


def test_the_printable_plan_has_a_page_per_team(client, staff, fixture_reports):  # noqa: F811
    three_hotspots()
    db.session.commit()
    login(client, "leader@t.vn")
    page = client.get(f"/dashboard/inspection?days=30&field={FIELD}&n=3&teams=2").get_data(as_text=True)
    assert page.count('<section class="team"') == 2 and "Đoàn 1" in page and "Đoàn 2" in page
    assert page.count('class="map spot-map"') == 3 and "INSP0000" in page and "Mục kiểm thử A (12)" in page
    rows = client.get(f"/dashboard/inspection?days=30&field={FIELD}&n=3&teams=2&format=csv").data.decode().splitlines()
    assert len(rows) == 4 and rows[0].startswith("\ufeffĐoàn,Thứ tự,")
    assert any("INSP0000" in row and "Mục kiểm thử A (12); Mục kiểm thử B (8)" in row for row in rows)
    geo = client.get(f"/dashboard/inspection?days=30&field={FIELD}&n=3&teams=2&format=geojson").json
    assert sorted(f["properties"]["team"] for f in geo["features"]) == [1, 1, 2]
    assert client.get("/dashboard/inspection?teams=0").status_code == 400


def at_hexagon(i: int, j: int) -> tuple[float, float]:
    from geo.hexgrid import centre
    from geo.mercator import to_lonlat
    return to_lonlat(*centre(i, j, 400.0))


def test_a_quiet_period_still_says_where_to_go_and_a_place_is_one_stop(app, client, staff):
    """Issue 29, item 12: with too few reports for any Gi* hotspot, the places with the most reports still
    open and overdue are ranked instead (and said to be that); neighbouring hexagons are one place."""
    import numpy as np

    from geo.hexgrid import hexagons_of
    from geo.mercator import mercator
    i, j = hexagons_of(*(np.array([v]) for v in mercator(*MARKET)), 400.0)
    i, j = int(i[0]), int(j[0])
    upsert_category("dash_a", FIELD, "Mục kiểm thử A", "Fixture A")
    db.session.flush()
    for _ in range(2):
        add(at_hexagon(i, j), "19753", 2, deadline_h=24)  # open and overdue
    add(at_hexagon(i, j + 1), "19753", 2, deadline_h=24)  # the hexagon next to it: the same place
    db.session.flush()
    filters = ReportFilter.last_days(30, field_code=FIELD)
    places = ranked_hotspots(filters, 10, 400.0)
    assert places and {p["basis"] for p in places} == {"open_overdue"}
    market = next(p for p in places if (i, j) in p["hexagons"])
    assert set(market["hexagons"]) == {(i, j), (i, j + 1)} and market["current"] == 3 and market["overdue"] == 3
    assert [p["open"] + p["overdue"] for p in places] == sorted((p["open"] + p["overdue"] for p in places), reverse=True)
    login(client, "leader@t.vn")
    page = client.get(f"/dashboard/inspection?days=30&field={FIELD}&teams=2").get_data(as_text=True)
    assert 'data-basis="open_overdue"' in page and "không phải điểm nóng theo nghĩa thống kê" in page
    assert page.count('class="team"') == min(2, len(places)) and 'id="no-hotspot"' not in page
