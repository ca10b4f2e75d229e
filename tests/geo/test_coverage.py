"""Coverage figures agree with their hexagons; the worst-served ward comes first."""
from datetime import date

import pytest

from geo.coverage import coverage


def test_ward_figures_come_from_their_hexagons():
    hexagons, wards = coverage("46", 2000, date.today())
    means = [w.mean_distance_m for w in wards if w.mean_distance_m is not None]
    assert means == sorted(means, reverse=True)
    worst = wards[0]
    own = [f["properties"]["distance_m"] for f in hexagons["features"]
           if f["properties"]["ward_code"] == worst.code]
    assert worst.hexagons == len(own) > 0
    assert worst.mean_distance_m == pytest.approx(sum(own) / len(own), abs=1)
    assert worst.max_distance_m == pytest.approx(max(own), abs=1)
    assert all(w.population for w in wards)


def test_kept_figures_follow_the_service_points(app, client, staff):
    """The coverage is computed once and kept, until the service points change (a key part)."""
    from sqlalchemy import text

    from geo.coverage import inputs_version
    from store import db
    from tests.helpers import login
    from webapp.extensions import cache
    before = inputs_version()
    db.session.execute(text("UPDATE service_point SET active = false WHERE id = (SELECT min(id) FROM service_point)"))
    assert inputs_version() != before
    cache.init_app(app, config={"CACHE_TYPE": "SimpleCache"})  # the tests run with NullCache otherwise
    try:
        login(client, "leader@t.vn")
        assert client.get("/dashboard/coverage?size=2000").status_code == 200
        assert any(key.startswith("coverage:46:2000.0:") for key in cache.cache._cache)
        assert client.get("/dashboard/coverage/hexagons.geojson?size=2000").json["features"]
    finally:
        cache.init_app(app, config={"CACHE_TYPE": "NullCache", "CACHE_NO_NULL_WARNING": True})
