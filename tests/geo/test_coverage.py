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
