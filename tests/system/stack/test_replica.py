"""Read-heavy pages read from a streaming replica (a real primary/replica pair of private clusters, made
as `make stack` makes them) and fall back to the primary, without an error, when the replica lags more
than REPLICA_MAX_LAG_S or stops; /healthz says which one serves and the lag."""
import time
from pathlib import Path

import psycopg2
import pytest
from flask_migrate import upgrade

import store
from devtools.dbsetup import start_cluster, stop_cluster
from devtools.ports import free_ports
from devtools.stack import cluster_pair, stop_pair
from geo.provinces import load_province
from ops.database import create_database
from reports.accounts.api_keys import create_api_key
from reports.accounts.staff import create_user
from reports.categories import seed_demo_categories
from settings import PROJECT_ROOT, replica_binds, sqlalchemy_url
from store import db
from tests.helpers import FAST_HASH, PASSWORD, login
from webapp import create_app

pytestmark = pytest.mark.own_database
HOME = PROJECT_ROOT / "var" / "stack-test"
PRIMARY_PORT, REPLICA_PORT = free_ports(2)
VIEW = "107.55,16.44,107.62,16.49"


@pytest.fixture(scope="module")
def pair(app):
    primary_url, replica_url = cluster_pair(HOME, PRIMARY_PORT, REPLICA_PORT)
    create_database(primary_url)
    replicated = create_app({"SQLALCHEMY_DATABASE_URI": sqlalchemy_url(primary_url), "TESTING": True,
                             "SQLALCHEMY_BINDS": replica_binds(replica_url), "REPLICA_MAX_LAG_S": 3600,
                             "DATA_DIR": app.config["DATA_DIR"], "PHOTO_DIR": app.config["PHOTO_DIR"],
                             "SUBMIT_RATE_LIMIT": "10000 per minute", "CACHE_TYPE": "NullCache",
                             "CACHE_NO_NULL_WARNING": True})
    with replicated.app_context():
        upgrade()
        seed_demo_categories()
        load_province("46", Path(replicated.config["DATA_DIR"]))
        db.session.commit()
    try:
        yield replicated, primary_url, replica_url
    finally:
        with replicated.app_context():
            db.session.remove()
            for engine in db.engines.values():
                engine.dispose()
        stop_pair(HOME)


def on_replica(url: str, sql: str):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql)
        row = cur.fetchone() if cur.description else None
    conn.close()
    return row


def submit(client, text: str) -> str:
    token = client.get("/api/v1/csrf-token").json["csrf_token"]
    response = client.post("/api/v1/reports", headers={"X-CSRFToken": token}, json={
        "category": "garbage", "description": text, "lat": 16.4698, "lon": 107.5786, "acknowledge_duplicate": True})
    assert response.status_code == 201, response.json
    return response.json["tracking_code"]


def listed(client) -> set[str]:
    response = client.get(f"/api/v1/reports/recent?bbox={VIEW}&limit=50")
    assert response.status_code == 200
    return {r["tracking_code"] for r in response.json["reports"]}


def recheck(app, max_lag: float) -> None:
    store.configure(max_lag, app.config["DATABASE_PREPARED_READS"])
    store.session._replica_state["at"] = 0.0  # the next request checks the replica again


def test_reads_come_from_the_replica_until_it_lags_too_much(pair):
    app, primary_url, replica_url = pair
    client = app.test_client()
    recheck(app, 3600)
    health = client.get("/healthz").json["replica"]
    assert health["configured"] and health["ok"] and health["reads_go_to"] == "replica"
    metrics = client.get("/metrics").get_data(as_text=True)
    assert "phananh_replica_in_use 1.0" in metrics and "phananh_replica_lag_seconds -1" not in metrics
    on_replica(replica_url.replace("/phananh", "/postgres"), "SELECT pg_wal_replay_pause()")
    try:
        code = submit(client, "Rác (bản sao bị dừng)")  # written on the primary
        time.sleep(1.2)
        assert code not in listed(client)  # the replica, paused, has not replayed it
        recheck(app, 0.5)  # its lag is now above the limit: the primary answers
        assert code in listed(client)
        assert client.get("/healthz").json["replica"]["reads_go_to"] == "primary"
    finally:
        on_replica(replica_url.replace("/phananh", "/postgres"), "SELECT pg_wal_replay_resume()")
    recheck(app, 3600)
    for _ in range(50):
        if code in listed(client):
            break
        time.sleep(0.1)
    assert code in listed(client)  # replayed: the replica has it too


def test_a_get_that_writes_writes_on_the_primary(pair):
    """Finding 11 of issue 28: an Open311 read records its API key's last use; with a replica it
    answered 500 ("cannot execute UPDATE in a read-only transaction")."""
    app, primary_url, _replica_url = pair
    client = app.test_client()
    recheck(app, 3600)
    with app.app_context():
        _row, key = create_api_key("CRM (replica)")
        db.session.commit()
    response = client.get(f"/open311/v2/servicerequestupdates.json?api_key={key}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert client.get(f"/open311/v2/requests.json?api_key={key}").status_code == 200
    assert on_replica(primary_url, f"SELECT last_used_at IS NOT NULL FROM api_key WHERE prefix = '{key[:10]}'")[0]


def test_a_signed_in_leader_reaches_the_dashboard_read_from_the_replica(pair):
    """A session opened on the primary is read back from the primary, though the page reads the replica."""
    app, _primary_url, replica_url = pair
    with app.app_context():
        create_user("leader.replica@t.vn", "leader", PASSWORD, method=FAST_HASH)
        db.session.commit()
    client = app.test_client()
    recheck(app, 3600)
    on_replica(replica_url.replace("/phananh", "/postgres"), "SELECT pg_wal_replay_pause()")
    try:
        login(client, "leader.replica@t.vn")
        page = client.get("/dashboard")
        assert page.status_code == 200, (page.location, dict(store.session._replica_state))  # not sent back to the sign-in page
    finally:
        on_replica(replica_url.replace("/phananh", "/postgres"), "SELECT pg_wal_replay_resume()")


def test_a_stopped_replica_is_no_error(pair):
    app, _primary_url, _replica_url = pair
    client = app.test_client()
    code = submit(client, "Rác (bản sao tắt)")
    stop_cluster(HOME.resolve() / "replica", HOME.resolve())
    try:
        recheck(app, 3600)
        assert code in listed(client)  # from the primary, no error
        health = client.get("/healthz").json["replica"]
        assert health["ok"] is False and health["error"] and health["reads_go_to"] == "primary"
    finally:
        start_cluster(HOME.resolve() / "replica", REPLICA_PORT, HOME.resolve())
    recheck(app, 3600)
    assert client.get("/healthz").json["replica"]["reads_go_to"] == "replica"
