"""/api/v1/service-points/nearest, the locator page and the coverage page."""
import pytest

from tests.helpers import login


def test_nearest_answer_shape(client):
    response = client.get("/api/v1/service-points/nearest?lat=16.4698&lon=107.5786&limit=3")
    assert response.status_code == 200
    points = response.json["points"]
    assert len(points) == 3
    assert [p["distance_m"] for p in points] == sorted(p["distance_m"] for p in points)
    first = points[0]
    assert first["ward"]["code"] == "19753" and "Phú Xuân" in first["name"]
    assert first["address"] and first["open_now"] in (True, False) and first["hours_assumed"] is True
    assert first["directions_url"].startswith("https://www.openstreetmap.org/directions")
    assert any("CC-BY-4.0" in a["licence"] for a in response.json["attribution"])


def test_open_now_filter_only_returns_open_points(client):
    points = client.get("/api/v1/service-points/nearest?lat=16.4698&lon=107.5786&open_now=true").json["points"]
    assert all(p["open_now"] is True for p in points)


@pytest.mark.parametrize("query,code", [
    ("lat=abc&lon=107.5", "invalid_coordinates"), ("lat=16.4", "invalid_coordinates"),
    ("lat=16.4&lon=181", "invalid_coordinates"), ("lat=16.4&lon=107.5&limit=0", "invalid_parameter"),
    ("lat=16.4&lon=107.5&limit=x", "invalid_parameter"), ("lat=16.4&lon=107.5&limit=51", "invalid_parameter"),
])
def test_nearest_bad_input(client, query, code):
    response = client.get(f"/api/v1/service-points/nearest?{query}")
    assert response.status_code == 400 and response.json["error"]["code"] == code


def test_locator_page_and_coverage(client, staff):
    assert client.get("/service-points").status_code == 200
    assert client.get("/dashboard/coverage").status_code == 302  # leaders only
    login(client, "leader@t.vn")
    page = client.get("/dashboard/coverage?size=2000")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count('<tr data-code="') == 40
    cells = client.get("/dashboard/coverage/cells.json?size=2000").json["cells"]
    assert len(cells) > 300
    distances = [distance for _i, _j, distance, _name in cells]
    assert min(distances) < 2000 and max(distances) > 10000
    assert client.get("/dashboard/coverage?size=3").status_code == 400
