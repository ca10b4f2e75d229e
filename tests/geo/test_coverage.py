"""Coverage is kept per change of its inputs; ward figures agree with their hexagons; the worst-served
ward comes first; the page sends the compact cells."""
from datetime import date

import pytest
from sqlalchemy import text

from geo.coverage import coverage_cells, coverage_run, inputs_version, refresh_coverage, ward_coverage
from geo.hexgrid import hexagons_of
from store import db
from tests.helpers import login

TODAY_SQL = date.today()


def test_ward_figures_come_from_their_hexagons():
    run = coverage_run("46", 2000, TODAY_SQL)
    wards = ward_coverage(run, "46", TODAY_SQL)
    assert len(wards) == 40 and all(w.population for w in wards)
    means = [w.mean_distance_m for w in wards if w.mean_distance_m is not None]
    assert means == sorted(means, reverse=True)
    worst = wards[0]
    own = db.session.execute(text("SELECT distance_m FROM coverage_cell WHERE run_id = :r AND ward_code = :c"),
                             {"r": run, "c": worst.code}).scalars().all()
    assert worst.hexagons == len(own) > 0
    assert worst.mean_distance_m == pytest.approx(sum(own) / len(own), abs=1)
    assert worst.max_distance_m == pytest.approx(max(own), abs=1)
    kept = coverage_cells(run, 2000.0)
    assert len(kept["cells"]) > 300 and all(0 <= n < len(kept["names"]) for *_, n in kept["cells"])
    # (i, j) are those of the tiling the Python twin computes: each centre falls in its own hexagon
    i, j, *_ = kept["cells"][len(kept["cells"]) // 2]
    from geo.hexgrid import centre
    x, y = centre(i, j, 2000.0)
    assert [int(v[0]) for v in hexagons_of([x], [y], 2000.0)] == [i, j]


def test_kept_until_the_service_points_change_and_refreshed_by_the_import(app):
    first = coverage_run("46", 2000, TODAY_SQL)
    assert coverage_run("46", 2000, TODAY_SQL) == first  # kept: not computed again
    before = inputs_version()
    db.session.execute(text("UPDATE service_point SET active = false WHERE id = (SELECT min(id) FROM service_point)"))
    db.session.commit()
    try:
        assert inputs_version() != before
        refresh_coverage(TODAY_SQL)  # what the import commands run after they commit
        runs = db.session.execute(text("SELECT id FROM coverage_run WHERE province_code = '46' AND size_m = 2000"))
        (second,) = runs.scalars().all()  # the new run replaced the old one
        assert second != first and coverage_run("46", 2000, TODAY_SQL) == second
    finally:
        db.session.execute(text("UPDATE service_point SET active = true"))
        db.session.commit()


def test_the_page_is_small_and_its_map_gets_compact_cells(client, staff):
    login(client, "leader@t.vn")
    page = client.get("/dashboard/coverage?size=1000")
    assert page.status_code == 200 and page.get_data(as_text=True).count('<tr data-code="') == 40
    cells = client.get("/dashboard/coverage/cells.json?size=1000")
    assert cells.json["size_m"] == 1000 and len(cells.json["cells"]) > 1000
    assert len(page.data) + len(cells.data) < 150_000  # the budget for the page and its map
    again = client.get("/dashboard/coverage/cells.json?size=1000", headers={"If-None-Match": cells.headers["ETag"]})
    assert again.status_code == 304
    geojson = client.get("/dashboard/coverage/hexagons.geojson?size=1000").json
    assert len(geojson["features"]) == len(cells.json["cells"])
