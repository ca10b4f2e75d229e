"""Service points: nearest agrees with a brute-force WGS84 geodesic search; the import catches
points outside their ward."""
import math

import numpy as np
import pytest
from pyproj import Geod
from sqlalchemy import text

from geo.errors import InvalidCoordinates
from geo.service_points import nearest_service_points
from store import db
from tests.conftest import DATA_DIR

HANOI_POINTS = DATA_DIR / "service_points/open_admin_data/ha-noi-01_ward.csv"


GEOD = Geod(ellps="WGS84")


def geodesic_m(lon, lat, lons, lats):
    """Exact WGS84 geodesic distances in metres (pyproj), the brute-force reference."""
    return GEOD.inv(np.full_like(lons, lon), np.full_like(lats, lat), lons, lats)[2]


def all_points():
    rows = db.session.execute(text(
        "SELECT id, ST_X(location), ST_Y(location) FROM service_point WHERE active")).all()
    return np.array([r[0] for r in rows]), np.array([[r[1], r[2]] for r in rows])


def test_nearest_agrees_with_a_brute_force_geodesic_search():
    ids, coords = all_points()
    assert len(ids) >= 140  # Huế's 40 and Hà Nội's 103 consistent ward centres
    rng = np.random.default_rng(6)
    queries = np.vstack([np.column_stack([rng.uniform(107.0, 108.0, 60), rng.uniform(16.0, 16.8, 60)]),
                         np.column_stack([rng.uniform(105.3, 106.0, 60), rng.uniform(20.6, 21.4, 60)])])
    for lon, lat in queries.tolist():
        truth = geodesic_m(lon, lat, coords[:, 0], coords[:, 1])
        order = np.argsort(truth)[:5]
        found = nearest_service_points(lon, lat, limit=5)
        assert [r["id"] for r in found] == list(ids[order])
        for row, expected in zip(found, truth[order]):
            assert row["distance_m"] == pytest.approx(expected, abs=0.01)


def test_kind_filter_and_bad_input():
    assert nearest_service_points(107.58, 16.47, limit=3, kind="post_office") == []
    assert len(nearest_service_points(107.58, 16.47, limit=3, kind="ward_service_center")) == 3
    with pytest.raises(InvalidCoordinates):
        nearest_service_points("abc", 16.4)
    with pytest.raises(InvalidCoordinates):
        nearest_service_points(107.5, math.nan)


def test_hanoi_sample_import_reports_all_23_mismatches(runner):
    args = ["geo", "import-service-points", str(HANOI_POINTS), "--kind", "ward_service_center",
            "--source", "open-admin-data-test", "--licence", "CC-BY-4.0", "--lat-column", "geo.lat",
            "--lon-column", "geo.lon", "--name-column", "name.local", "--id-column", "code.id",
            "--ward-column", "code.id"]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "103 of 126 service points imported" in result.output
    assert "23 points do not lie in their declared ward (held back)" in result.output
    mismatch_lines = [line for line in result.output.splitlines() if "declared ward" in line and "m outside" in line]
    assert len(mismatch_lines) == 23
    assert any("Thuận An" in line and "63,794 m" in line for line in mismatch_lines)
    accepted = runner.invoke(args=args + ["--accept-mismatch"])
    assert "126 of 126 service points imported" in accepted.output
    count = db.session.execute(text("SELECT count(*) FROM service_point WHERE source = 'open-admin-data-test'")).scalar()
    assert count == 126  # upserted, not duplicated


def test_bad_files_write_nothing(tmp_path, runner):
    before = db.session.execute(text("SELECT count(*) FROM service_point")).scalar()
    missing = tmp_path / "missing.csv"
    missing.write_text("name,x,y\nA,107.5,16.4\n")
    result = runner.invoke(args=["geo", "import-service-points", str(missing), "--kind", "post_office",
                                 "--source", "t", "--licence", "t"])
    assert result.exit_code != 0 and "missing columns" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon\nGood,16.4698,107.5786\nBad,216.4,107.5\n")
    result = runner.invoke(args=["geo", "import-service-points", str(bad), "--kind", "post_office",
                                 "--source", "t", "--licence", "t"])
    assert result.exit_code != 0 and "line 3 (Bad)" in result.output
    assert db.session.execute(text("SELECT count(*) FROM service_point")).scalar() == before


def test_geojson_import(tmp_path, runner):
    import json
    path = tmp_path / "posts.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [107.5786, 16.4698]},
         "properties": {"id": "bd-1", "name": "Bưu điện Phú Xuân", "ward_code": "19753",
                        "opening_hours": json.dumps({"mon": [["07:00", "19:00"]]})}}]}))
    result = runner.invoke(args=["geo", "import-service-points", str(path), "--kind", "post_office",
                                 "--source", "vnpost-test", "--licence", "test"])
    assert result.exit_code == 0 and "1 of 1" in result.output, result.output
    (post,) = nearest_service_points(107.5786, 16.4698, limit=1, kind="post_office")
    assert post["name"] == "Bưu điện Phú Xuân" and post["distance_m"] < 1
