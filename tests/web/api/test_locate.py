"""HTTP contract of /api/v1/locate, /api/v1/wards and /healthz."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import delete

from reports.notify.models import WorkerHeartbeat
from store import db
from webapp import create_app


def test_locate_the_citadel(client):
    response = client.get("/api/v1/locate?lat=16.4698&lon=107.5786")
    assert response.status_code == 200
    assert response.json == {"ward": {"code": "19753", "name": "Phường Phú Xuân", "province_code": "46",
                                      "province_name": "Thành phố Huế"},
                             "boundary_set": "hue-wards-2025"}
    assert "Phường Phú Xuân" in response.get_data(as_text=True)  # diacritics, not \\u escapes


def test_locate_outside_the_service_area(client):
    response = client.get("/api/v1/locate?lat=16.60&lon=107.66")
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "outside_service_area" and error["message"]
    assert error["nearest_ward"]["code"] == "19900" and error["distance_m"] > 100


@pytest.mark.parametrize("query", ["", "lat=16.4", "lat=abc&lon=107.5", "lat=16.4&lon=200",
                                   "lat=95&lon=107.5", "lat=NaN&lon=107.5", "lat=16.4&lon=inf"])
def test_locate_bad_coordinates(client, query):
    response = client.get(f"/api/v1/locate?{query}")
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_coordinates"
    assert response.json["error"]["message"]


def test_wards_geojson(client):
    response = client.get("/api/v1/wards?province=46")
    assert response.status_code == 200
    features = response.json["features"]
    assert len(features) == 40
    props = {f["properties"]["code"]: f["properties"] for f in features}
    assert props["19753"]["name"] == "Phường Phú Xuân" and props["19753"]["population"] == 130247
    coarse = client.get("/api/v1/wards?province=46&simplify=500")
    assert len(coarse.data) < len(response.data)
    assert len(client.get("/api/v1/wards?province=01").json["features"]) == 126


@pytest.mark.parametrize("value", ["-1", "abc", "1e9", "nan"])
def test_wards_bad_simplify(client, value):
    response = client.get(f"/api/v1/wards?province=46&simplify={value}")
    assert response.status_code == 400 and response.json["error"]["code"] == "invalid_parameter"


@pytest.mark.parametrize("query", ["", "?simplify=0", "?province=", "?province=Huế"])
def test_wards_need_a_province(client, query):
    """Issue 28, finding 17: every unit of the country at full detail was 2.9 MB for anyone who asked."""
    response = client.get(f"/api/v1/wards{query}")
    assert response.status_code == 400 and "province" in response.json["error"]["detail"]


def test_unknown_route_is_a_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.json["error"]["code"] == "not_found"


def test_healthz(client):
    db.session.execute(delete(WorkerHeartbeat))  # (a worker another test ran may have left its heartbeat)
    body = client.get("/healthz").json
    jobs, replica, figures, worker = body.pop("jobs"), body.pop("replica"), body.pop("figures"), body.pop("worker")
    assert body == {"status": "degraded", "database": "ok", "rate_limits": "memory (per process)",
                    "cache": "memory (per process)"}  # no worker runs beside the tests' app
    assert worker == {"ok": False, "workers": []}
    assert replica == {"configured": False, "ok": False, "lag_s": None, "error": None, "reads_go_to": "primary"}
    assert set(jobs) == {"pending", "failed", "oldest_due_s"}
    assert isinstance(jobs["pending"], int) and isinstance(jobs["failed"], int) and jobs["oldest_due_s"] >= 0
    assert set(figures) == {"marks_waiting"} and isinstance(figures["marks_waiting"], int)


@pytest.mark.parametrize("alive, seconds_ago, status", [(3, 5, "ok"), (2, 5, "degraded"), (3, 90, "degraded")])
def test_healthz_reads_the_workers_heartbeat(client, alive, seconds_ago, status):
    db.session.execute(delete(WorkerHeartbeat))
    now = datetime.now(timezone.utc)
    db.session.add(WorkerHeartbeat(name="host:1", threads=3, threads_alive=alive, started_at=now,
                                   beat_at=now - timedelta(seconds=seconds_ago)))
    db.session.flush()
    body = client.get("/healthz").json
    assert body["status"] == status and body["worker"]["workers"][0]["threads_alive"] == alive


def test_healthz_when_the_database_is_down(monkeypatch):
    # Use Flask-SQLAlchemy's own session (engine of the app), not the test's transaction.
    monkeypatch.setattr(db, "session", db._make_scoped_session({}))
    down = create_app({"TESTING": True,
                       "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg2://postgres@127.0.0.1:1/none",
                       "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 2}}})
    response = down.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["database"] == "unavailable" and response.json["message"]
