"""Low-zoom tiles counted from report.tile_key: the key, the cluster cells, hexagons across tile borders,
and the pre-simplified ward outlines."""
import math
import random

import mapbox_vector_tile
import pytest
from sqlalchemy import text

from geo import tile_key
from geo.boundaries import OUTLINE_DETAILS
from geo.mercator import HALF_WORLD, mercator
from geo.mercator import to_lonlat as lonlat
from geo.tile_key import tile_of
from reports.categories import Category
from reports.models import Report
from store import db
from tiles.mvt import CLUSTER_CELLS, HEXAGONS_PER_TILE

HALF = HALF_WORLD


@pytest.fixture
def category(app):
    made = Category(code="tile_agg_test", field="tile_agg_test", name_vi="Thử ô", name_en="Tile test")
    db.session.add(made)
    db.session.flush()
    return made


def add_reports(category, points, status="received"):
    for lon, lat in points:
        db.session.add(Report(location=f"SRID=4326;POINT({lon} {lat})", category_id=category.id,
                              description="tile aggregate test", status=status))
    db.session.flush()


def decode(response, layer):
    assert response.status_code == 200
    return mapbox_vector_tile.decode(response.data, default_options={"y_coord_down": True})[layer]["features"]


def test_python_and_sql_keys_agree_and_a_tile_is_one_key_range(app):
    rnd = random.Random(7)
    points = [(rnd.uniform(-179.9, 179.9), rnd.uniform(-84, 84)) for _ in range(300)] + [(107.5786, 16.4698)]
    for lon, lat in points:
        key = db.session.execute(text("SELECT tile_key_3857(ST_Transform(ST_SetSRID(ST_MakePoint(:lon, :lat), "
                                      "4326), 3857))"), {"lon": lon, "lat": lat}).scalar()
        assert key == tile_key.key_of(*mercator(lon, lat))
        for z in (1, 5, 12, 18, 24):
            n = 2 ** z
            z, x, y = tile_of(lon, lat, z)
            first, end = tile_key.tile_range(z, x, y)
            assert first <= key < end, (lon, lat, z)
            east_first, east_end = tile_key.tile_range(z, (x + 1) % n, y)
            assert not east_first <= key < east_end


def test_cluster_tile_counts_every_report_in_its_cell(client, category):
    rnd = random.Random(11)
    points = [(107.57 + rnd.random() * 0.03, 16.45 + rnd.random() * 0.03) for _ in range(80)]
    add_reports(category, points[:60])
    add_reports(category, points[60:], status="resolved")
    z = 12
    expected = {}
    shift = tile_key.cell_shift(z, CLUSTER_CELLS)
    for i, (lon, lat) in enumerate(points):
        cell = tile_key.key_of(*mercator(lon, lat)) >> shift
        total, open_ = expected.get(cell, (0, 0))
        expected[cell] = (total + 1, open_ + (i < 60))
    tiles = {tile_of(lon, lat, z) for lon, lat in points}
    found = {}
    for z, x, y in tiles:
        for f in decode(client.get(f"/tiles/reports/{z}/{x}/{y}.pbf?category=tile_agg_test"), "reports"):
            px, py = f["geometry"]["coordinates"]
            cx, cy = x * CLUSTER_CELLS + int(px // 64), y * CLUSTER_CELLS + int(py // 64)
            assert (px % 64, py % 64) == (32, 32)  # drawn at the cell's centre
            found[tile_key.morton(cx, cy)] = (f["properties"]["count"], f["properties"]["open"])
    assert found == expected


def test_a_hexagon_on_a_tile_border_has_one_count_in_both_tiles(client, category):
    z, x, y = 13, 6544, 3776  # central Huế
    tile_m = 2 * HALF / 2 ** z
    size = tile_m / HEXAGONS_PER_TILE
    border_x = -HALF + (x + 1) * tile_m  # the east edge of tile x
    top_y = HALF - y * tile_m
    rnd = random.Random(5)
    placed = {}
    for _ in range(50):  # near hexagon centres (within 0.4 edge: well inside the hexagon)
        i = round(border_x / (1.5 * size)) + rnd.randint(-3, 3)
        j = math.floor((top_y - rnd.uniform(0.1, 0.9) * tile_m) / (math.sqrt(3) * size) - (i % 2) / 2)
        cx, cy = 1.5 * size * i, math.sqrt(3) * size * (j + (i % 2) / 2)
        angle, radius = rnd.uniform(0, 2 * math.pi), rnd.uniform(0, 0.4 * size)
        add_reports(category, [lonlat(cx + radius * math.cos(angle), cy + radius * math.sin(angle))])
        hexagon_id = ((i + 2 ** 30) << 31) | (j + 2 ** 30)
        placed[hexagon_id] = placed.get(hexagon_id, 0) + 1
    west, east = ({f["id"]: f["properties"]["count"]
                   for f in decode(client.get(f"/tiles/hotspots/{z}/{tx}/{y}.pbf?category=tile_agg_test"), "hotspots")}
                  for tx in (x, x + 1))
    shared = west.keys() & east.keys()
    assert shared, "some hexagons straddle the border"
    assert {h: west[h] for h in shared} == {h: east[h] for h in shared}
    assert {**west, **east} == placed


def test_ward_outlines_are_stored_per_detail_and_simpler_at_low_zoom(app):
    rows = db.session.execute(text("""
        SELECT o.detail, sum(ST_NPoints(o.geom)) AS points, count(*) AS units
          FROM admin_unit_outline o JOIN boundary_set s ON s.id = o.boundary_set_id
         WHERE s.name = 'hue-wards-2025' GROUP BY o.detail ORDER BY o.detail""")).all()
    assert [r.detail for r in rows] == list(OUTLINE_DETAILS)
    assert {r.units for r in rows} == {40}
    points = [r.points for r in rows]
    assert points == sorted(points) and points[0] < points[-1] / 4


def test_python_twins_of_the_hexagon_rounding_and_the_key_cells(app):
    import numpy as np

    from geo.hexgrid import hexagons_of
    rng = np.random.default_rng(9)
    x, y = rng.uniform(11.9e6, 12.0e6, 400), rng.uniform(1.8e6, 1.9e6, 400)
    i, j = hexagons_of(x, y, 400.0)
    inside = db.session.execute(text("""
        SELECT bool_and(ST_Intersects(ST_Hexagon(400, p.i, p.j), ST_MakePoint(p.x, p.y)))
          FROM unnest(CAST(:x AS float8[]), CAST(:y AS float8[]), CAST(:i AS int[]), CAST(:j AS int[])) AS p(x, y, i, j)"""),
        {"x": x.tolist(), "y": y.tolist(), "i": i.tolist(), "j": j.tolist()}).scalar()
    assert inside
    keys = [tile_key.key_of(a, b) for a, b in zip(x, y)]
    cx, cy = tile_key.cell_centres(np.array(keys) >> 2 * (24 - 20), 20)
    cell = 2 * HALF / 2 ** 20
    assert np.all(np.abs(cx - x) <= cell / 2) and np.all(np.abs(cy - y) <= cell / 2)


def test_public_aggregate_tiles_are_kept_for_their_max_age(app, client, category):
    from webapp.extensions import cache
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})  # the tests run with NullCache otherwise
    try:
        add_reports(category, [(107.58, 16.46)])
        url = "/tiles/reports/{}/{}/{}.pbf?category=tile_agg_test".format(*tile_of(107.58, 16.46, 12))

        def total(path):
            return sum(f["properties"]["count"] for f in decode(client.get(path), path.split("/")[2]))

        assert total(url) == 1 and total(url.replace("reports", "hotspots")) == 1
        assert "max-age=60" in client.get(url).headers["Cache-Control"]
        add_reports(category, [(107.581, 16.461)])
        assert total(url) == 1 and total(url.replace("reports", "hotspots")) == 1  # kept
        assert total(url + "&days=30") == 2                                      # another filter set
        z16 = "/tiles/reports/{}/{}/{}.pbf?category=tile_agg_test".format(*tile_of(107.581, 16.461, 16))
        assert len(decode(client.get(z16), "reports")) == 2  # point tiles are never kept
        add_reports(category, [(107.581, 16.461)])
        assert len(decode(client.get(z16), "reports")) == 3
    finally:
        cache.init_app(app, config={"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})
