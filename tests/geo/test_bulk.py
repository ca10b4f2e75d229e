"""The sharded, ward-side bulk assignment agrees with the single lookup, borders included."""
from sqlalchemy import text

from geo import OutsideServiceArea, ward_for_point
from geo.boundaries import get_set
from geo.bulk import assign_shard, prepare_bulk_tables, resolve_borders
from store import db
from tests.geo.wards_data import ward_polygons


def test_bulk_matches_ward_for_point():
    border = db.session.execute(text("""
        SELECT ST_X(v.geom), ST_Y(v.geom) FROM admin_unit a
          JOIN boundary_set s ON s.id = a.boundary_set_id AND s.name = 'hue-wards-2025'
          JOIN admin_unit b ON b.boundary_set_id = a.boundary_set_id AND b.code <> a.code
          CROSS JOIN LATERAL ST_DumpPoints(a.geom) AS v
         WHERE ST_Covers(b.geom, v.geom) LIMIT 3""")).all()
    points = [(p.representative_point().x, p.representative_point().y)
              for p in ward_polygons("46_hue").values()] + [tuple(b) for b in border]
    points.append((107.66, 16.60))  # the sea: no row
    db.session.execute(text("CREATE TEMP TABLE pins (id int PRIMARY KEY, geom geometry(Point, 4326))"))
    db.session.execute(text("INSERT INTO pins VALUES (:id, ST_SetSRID(ST_MakePoint(:x, :y), 4326))"),
                       [{"id": i, "x": x, "y": y} for i, (x, y) in enumerate(points)])
    cursor = db.session.connection().connection.cursor()
    prepare_bulk_tables(cursor, "pins", "pins_assigned")
    set_id = get_set("hue-wards-2025").id
    written = sum(assign_shard(cursor, "pins", "pins_assigned", set_id, shard, 3) for shard in range(3))
    removed = resolve_borders(cursor, "pins_assigned")
    assert written - removed == len(points) - 1 and removed >= len(border)
    cursor.execute("SELECT pin_id, code FROM pins_assigned")
    found = dict(cursor.fetchall())
    for i, (x, y) in enumerate(points):
        try:
            expected = ward_for_point(x, y).code
        except OutsideServiceArea:
            expected = None
        assert found.get(i) == expected
