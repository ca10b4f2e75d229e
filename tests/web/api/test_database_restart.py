"""Without the pool's pre-ping, a connection that died with the database (restart, failover) fails
the statement that finds it: a read is retried once on a fresh connection and answers normally; a
write answers 503 ``database_unavailable`` with Retry-After, having saved nothing."""
import psycopg2
import pytest
from sqlalchemy.engine import make_url

from store import db
from tests.helpers import PHU_XUAN, WARD_POINTS

pytestmark = pytest.mark.e2e  # the pooled connections must be the app's own, not the test's transaction


def kill_the_app_connections(app) -> int:
    """What a database restart does to every pooled connection (from a connection of our own)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg2", "")
    with psycopg2.connect(url) as killer, killer.cursor() as cursor:
        cursor.execute("""SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                           WHERE datname = current_database() AND pid <> pg_backend_pid()""")
        return cursor.fetchone()[0]


def test_a_read_survives_a_database_restart(app, client):
    lon, lat = WARD_POINTS[PHU_XUAN]
    assert client.get(f"/api/v1/locate?lon={lon}&lat={lat}").status_code == 200  # a pooled connection
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))  # and one more, held by the pool afterwards
        db.session.remove()
    assert kill_the_app_connections(app) >= 1
    response = client.get(f"/api/v1/locate?lon={lon}&lat={lat}")
    assert response.status_code == 200 and response.json["ward"]["code"] == PHU_XUAN
    assert client.get("/api/v1/categories").status_code == 200


def test_a_write_on_a_dead_connection_answers_503_and_saves_nothing(app, client):
    token = client.get("/api/v1/csrf-token").json["csrf_token"]  # the session runs on a pooled connection
    with app.app_context():
        before = db.session.execute(db.text("SELECT count(*) FROM report")).scalar()
        db.session.remove()
    kill_the_app_connections(app)
    lon, lat = WARD_POINTS[PHU_XUAN]
    response = client.post("/api/v1/reports", headers={"X-CSRFToken": token}, json={
        "lat": lat, "lon": lon, "category": "illegal_parking", "description": "Xe đỗ sai sau khi máy chủ khởi động lại"})
    assert response.status_code == 503
    assert response.json["error"]["code"] == "database_unavailable" and response.headers["Retry-After"]
    with app.app_context():
        assert db.session.execute(db.text("SELECT count(*) FROM report")).scalar() == before
        db.session.remove()
    retried = client.post("/api/v1/reports", headers={"X-CSRFToken": token}, json={
        "lat": lat, "lon": lon, "category": "illegal_parking", "description": "Xe đỗ sai sau khi máy chủ khởi động lại"})
    assert retried.status_code == 201  # the client's retry finds fresh connections


def test_no_connection_to_be_had_answers_503_not_500(app, client):
    """The server refuses new connections (starting up, shutting down): a read or write that needs one
    answers 503 ``database_unavailable``, not a 500 (store.read reached the pool without SQLAlchemy)."""
    token = client.get("/api/v1/csrf-token").json["csrf_token"]
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    admin = psycopg2.connect(url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False))
    admin.autocommit = True
    lon, lat = WARD_POINTS[PHU_XUAN]
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS false')
            cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (url.database,))
        for response in (client.get(f"/api/v1/locate?lon={lon}&lat={lat}"),
                         client.post("/api/v1/reports", headers={"X-CSRFToken": token}, json={
                             "lat": lat, "lon": lon, "category": "garbage", "description": "Rác khi máy chủ khởi động"})):
            assert response.status_code == 503 and response.json["error"]["code"] == "database_unavailable"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'ALTER DATABASE "{url.database}" ALLOW_CONNECTIONS true')
        admin.close()
    assert client.get(f"/api/v1/locate?lon={lon}&lat={lat}").status_code == 200
