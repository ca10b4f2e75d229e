"""Fetching the per-ward files of the pinned upstream, served here by a local HTTP server."""
import functools
import json
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from geo.boundary_source import read_boundary_source
from geo.errors import BoundaryFileError
from geo.models import AdminUnit, BoundarySet
from geo.upstream import fetch_province_wards, manifest_entries
from store import db
from tests.conftest import DATA_DIR


@pytest.fixture
def upstream(tmp_path):
    """A copy of the upstream tree (one file per ward) made from the shared merged file."""
    root = tmp_path / "upstream"
    folder = root / "46_hue" / "wards"
    folder.mkdir(parents=True)
    merged = json.loads((DATA_DIR / "boundaries/46_hue_wards_2025.geojson").read_text("utf-8"))
    for feature in merged["features"]:
        p = feature["properties"]
        (folder / f"{p['code']}_{p['codeName']}.geojson").write_text(json.dumps(feature), "utf-8")
    (root / "merged.geojson").write_text(json.dumps(merged), "utf-8")
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", folder
    server.shutdown()


def test_fetch_then_import_the_province(upstream, tmp_path, runner):
    base_url, served = upstream
    calls = []
    folder = fetch_province_wards("46", tmp_path / "cache", base_url, progress=calls.append)
    assert len(calls) == len(manifest_entries("46_hue")) == 40
    source = read_boundary_source(str(folder), "ward")
    assert sorted(f.code for f in source.features) == sorted(c for c, _ in manifest_entries("46_hue"))
    result = runner.invoke(args=["geo", "import-boundaries", str(folder), "--set", "hue-upstream",
                                 "--skip-topology"])
    assert result.exit_code == 0, result.output
    units = db.session.scalar(select(func.count(AdminUnit.id)).join(BoundarySet)
                              .filter(BoundarySet.name == "hue-upstream"))
    assert units == 40


def test_a_file_with_the_wrong_code_is_refused(upstream, tmp_path):
    base_url, served = upstream
    victim = sorted(served.iterdir())[3]
    feature = json.loads(victim.read_text("utf-8"))
    feature["properties"]["code"] = "00000"
    victim.write_text(json.dumps(feature), "utf-8")
    with pytest.raises(BoundaryFileError, match="expected"):
        fetch_province_wards("46", tmp_path / "cache", base_url)


def test_import_from_a_url(upstream, runner):
    base_url, _ = upstream
    result = runner.invoke(args=["geo", "import-boundaries", f"{base_url}/merged.geojson",
                                 "--set", "hue-from-url", "--skip-topology"])
    assert result.exit_code == 0, result.output
    assert "40 units" in result.output
    missing = runner.invoke(args=["geo", "import-boundaries", f"{base_url}/nope.geojson", "--set", "x"])
    assert missing.exit_code != 0 and "404" in missing.output
