"""Importing boundary files: broken files change nothing and say why; sets are never overwritten."""
import json

import pytest
from sqlalchemy import select, text

from geo.models import AdminUnit, BoundarySet
from store import db

SQUARE = [[107.50, 16.40], [107.52, 16.40], [107.52, 16.42], [107.50, 16.42], [107.50, 16.40]]
BOWTIE = [[107.50, 16.40], [107.52, 16.42], [107.52, 16.40], [107.50, 16.42], [107.50, 16.40]]


def feature(code, ring, **props):
    properties = {"code": code, "fullName": f"Phường Thử {code}", "province_code": "46", **props}
    if code is None:
        del properties["code"]
    return {"type": "Feature", "properties": properties,
            "geometry": {"type": "Polygon", "coordinates": [ring]}}


def shifted(ring, dx):
    return [[x + dx, y] for x, y in ring]


def write(tmp_path, features, name="units.geojson", **extra):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features, **extra}))
    return str(path)


def counts():
    return tuple(db.session.scalar(text(f"SELECT count(*) FROM {table}"))
                 for table in ("boundary_set", "admin_unit", "admin_unit_part"))


BROKEN_FILES = {
    "self-intersection": ([feature("T1", SQUARE), feature("T2", shifted(BOWTIE, 0.1))],
                          ["feature #2 (code T2)", "Self-intersection"]),
    "missing code": ([feature("T1", SQUARE), feature(None, shifted(SQUARE, 0.1))],
                     ["feature #2", "no code"]),
    "duplicate code": ([feature("T1", SQUARE), feature("T1", shifted(SQUARE, 0.1))],
                       ["feature #2 (code T1)", "duplicate code T1"]),
    "lat/lon swapped": ([feature("T1", SQUARE), feature("T2", [[y, x] for x, y in SQUARE])],
                        ["feature #2 (code T2)", "swapped"]),
}


@pytest.mark.parametrize("case", sorted(BROKEN_FILES))
def test_a_broken_file_writes_nothing_and_names_the_feature(tmp_path, runner, case):
    features, expected = BROKEN_FILES[case]
    before = counts()
    result = runner.invoke(args=["geo", "import-boundaries", write(tmp_path, features),
                                 "--set", f"broken-{case}"])
    assert result.exit_code != 0
    for fragment in expected:
        assert fragment in result.output
    assert counts() == before


def test_projected_crs_is_refused(tmp_path, runner):
    crs = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3405"}}
    result = runner.invoke(args=["geo", "import-boundaries",
                                 write(tmp_path, [feature("T1", SQUARE)], crs=crs), "--set", "x"])
    assert result.exit_code != 0 and "not WGS84" in result.output


def test_repair_only_when_asked_and_says_what_it_repaired(tmp_path, runner):
    path = write(tmp_path, [feature("T1", SQUARE), feature("T2", shifted(BOWTIE, 0.1))])
    result = runner.invoke(args=["geo", "import-boundaries", path, "--set", "repaired", "--repair"])
    assert result.exit_code == 0, result.output
    assert "repaired feature #2 (code T2): Self-intersection" in result.output
    units = db.session.scalars(select(AdminUnit).join(BoundarySet).filter(BoundarySet.name == "repaired")).all()
    assert sorted(u.code for u in units) == ["T1", "T2"]
    assert all(u.area_km2 > 0 for u in units)


def test_overlaps_and_gaps_are_reported_with_their_areas(tmp_path, runner):
    ring = [[107.50, 16.40], [107.56, 16.40], [107.56, 16.46], [107.50, 16.46], [107.50, 16.40]]
    hole = [[107.52, 16.42], [107.53, 16.42], [107.53, 16.43], [107.52, 16.43], [107.52, 16.42]]
    with_hole = {"type": "Feature", "properties": {"code": "A", "province_code": "46"},
                 "geometry": {"type": "Polygon", "coordinates": [ring, hole]}}
    overlapping = feature("B", shifted(SQUARE, 0.05))  # 107.55–107.57 overlaps A's east edge
    result = runner.invoke(args=["geo", "import-boundaries", write(tmp_path, [with_hole, overlapping]),
                                 "--set", "topology"])
    assert result.exit_code == 0, result.output
    assert "overlaps between units: 1" in result.output and "A ∩ B" in result.output
    assert "gaps inside a province: 1" in result.output


def test_same_content_twice_is_a_no_op_and_other_content_is_refused(tmp_path, runner):
    path = write(tmp_path, [feature("T1", SQUARE)])
    assert runner.invoke(args=["geo", "import-boundaries", path, "--set", "twice"]).exit_code == 0
    before = counts()
    again = runner.invoke(args=["geo", "import-boundaries", path, "--set", "twice"])
    assert again.exit_code == 0 and "already imported" in again.output
    assert counts() == before
    other = write(tmp_path, [feature("T9", SQUARE)], name="other.geojson")
    refused = runner.invoke(args=["geo", "import-boundaries", other, "--set", "twice"])
    assert refused.exit_code != 0 and "never overwritten" in refused.output
    assert counts() == before


def test_directory_of_per_unit_files(tmp_path, runner):
    folder = tmp_path / "wards"
    folder.mkdir()
    for i, code in enumerate(["D1", "D2", "D3"]):
        (folder / f"{code}.geojson").write_text(json.dumps(feature(code, shifted(SQUARE, 0.03 * i))))
    result = runner.invoke(args=["geo", "import-boundaries", str(folder), "--set", "from-dir"])
    assert result.exit_code == 0, result.output
    assert "3 units" in result.output


def test_loaded_sets_are_in_force_and_subdivided():
    hue = db.session.scalar(select(BoundarySet).filter_by(name="hue-wards-2025"))
    assert hue.active and hue.unit_count == 40 and hue.effective_to is None
    parts = db.session.scalar(text("SELECT count(*) FROM admin_unit_part WHERE boundary_set_id = :id"), {"id": hue.id})
    assert parts > 40
    phu_xuan = db.session.scalar(select(AdminUnit).filter_by(boundary_set_id=hue.id, code="19753"))
    assert phu_xuan.name == "Phường Phú Xuân" and phu_xuan.name_ascii == "Phuong Phu Xuan"
    assert phu_xuan.population == 130247
    assert 10.0 < phu_xuan.area_km2 < 10.8
