"""The worker cannot be stalled nor silently crippled (issue 28, findings 2 and 3):
- anonymous push alerts to a push endpoint that never answers delay no staff mail, hold no database
  session "idle in transaction", and each give up at their deadline;
- every loop of a real ``flask jobs work`` survives ``pg_terminate_backend`` of all its connections and
  then sends a password reset queued afterwards; ``/healthz`` shows its threads alive;
- a thread that dies of anything else stops the whole worker with status 1, to be restarted."""
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg2
import pytest
from sqlalchemy import delete, select

import worker.loop as worker_module
from reports.accounts.staff import StaffUser, create_user
from reports.notify.models import AreaAlert, Job, WorkerHeartbeat
from settings import PROJECT_ROOT
from store import db
from tests.delivery.test_push import browser_subscription
from tests.helpers import FAST_HASH, KIM_LONG, PASSWORD, csrf_from, make_report
from worker.loop import Worker

pytestmark = pytest.mark.e2e  # the worker's threads and processes read what the test commits


def libpq_url(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg2", "")


def ask_reset(client, email: str) -> None:
    token = csrf_from(client.get("/password/forgot").get_data(as_text=True))
    assert client.post("/password/forgot", data={"csrf_token": token, "email": email}).status_code == 302


def wait_for(condition, seconds: float, step: float = 0.1):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    return condition()


def stuck_in_transaction(app) -> int:
    """Sessions of the test database idle inside a transaction for more than half a second."""
    with psycopg2.connect(libpq_url(app)) as conn, conn.cursor() as cur:
        cur.execute("""SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
                        AND state LIKE 'idle in transaction%' AND now() - state_change > interval '0.5 s'""")
        return cur.fetchone()[0]


@pytest.fixture
def silent_https(app):
    """A push endpoint that takes the connection and never says a word (not even the TLS handshake)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    held = []

    def accept():
        while True:
            try:
                held.append(listener.accept()[0])
            except OSError:
                return
    threading.Thread(target=accept, daemon=True).start()
    host = f"127.0.0.1:{listener.getsockname()[1]}"
    saved = {k: app.config[k] for k in ("PUSH_INSECURE_HOSTS", "PUSH_DEADLINE_S")}
    app.config.update(PUSH_INSECURE_HOSTS=(host,), PUSH_DEADLINE_S=3.0)
    yield f"https://{host}", held
    app.config.update(saved)
    listener.close()
    for connection in held:
        connection.close()


def test_a_push_service_that_never_answers_delays_no_staff_mail(app, client, inbox, silent_https):
    endpoint, held = silent_https
    with app.app_context():
        create_user("lane.staff@t.vn", "officer", PASSWORD, KIM_LONG, ["environment"], method=FAST_HASH)
        db.session.commit()
        ward = make_report(app, KIM_LONG, description="Làm mới phường (lanes)").ward.code
    for n in range(6):  # anonymous, as in the finding
        info, _, _ = browser_subscription(f"{endpoint}/push/{n}")
        token = client.get("/api/v1/csrf-token").json["csrf_token"]
        assert client.post("/api/v1/alerts", json={"push": info, "ward": ward},
                           headers={"X-CSRFToken": token}).status_code == 202
    with app.app_context():
        make_report(app, KIM_LONG, description="Cây đổ chắn đường (lanes)")  # six pushes to the silent endpoint
    worker = Worker(app, threads=2, staff_threads=1, idle_seconds=0.5).start()
    try:
        assert wait_for(lambda: len(held) >= 2, 20), "the pushes never started"
        asked = time.monotonic()
        ask_reset(client, "lane.staff@t.vn")
        assert wait_for(lambda: any(m["To"] == "lane.staff@t.vn" for m in inbox.messages), 10)
        waited = time.monotonic() - asked
        assert waited < 2.5, f"the staff mail waited {waited:.1f} s behind residents' pushes"
        assert stuck_in_transaction(app) == 0
        with app.app_context():  # six pushes, two threads, 3 s each: all given up by their deadline
            def pushes_tried():
                db.session.expire_all()
                jobs = db.session.scalars(select(Job).where(Job.kind == "push", Job.payload["template"].astext
                                                            == "alert_new", Job.attempts >= 1)).all()
                return len(jobs) >= 6 and jobs
            jobs = wait_for(pushes_tried, 20)
            assert jobs and {job.last_error for job in jobs} == {"DeadlineExceeded"}
            db.session.rollback()
        assert stuck_in_transaction(app) == 0
    finally:
        worker.stop()
        with app.app_context():
            db.session.execute(delete(AreaAlert).where(AreaAlert.push_endpoint.like(f"{endpoint}%")))
            db.session.execute(delete(Job).where(Job.kind == "push", Job.done_at.is_(None)))
            db.session.execute(delete(StaffUser).where(StaffUser.email == "lane.staff@t.vn"))
            db.session.commit()


def test_the_worker_survives_its_connections_being_terminated(app, client, inbox, tmp_path):
    with app.app_context():
        create_user("survivor@t.vn", "officer", PASSWORD, KIM_LONG, ["environment"], method=FAST_HASH)
        db.session.commit()
    name = "phananh-worker-resilience"
    env = {**os.environ, "PHANANH_ENV": "development", "SECRET_KEY": app.config["SECRET_KEY"], "PGAPPNAME": name,
           "DATABASE_URL": libpq_url(app), "SMTP_URL": app.config["SMTP_URL"], "PHOTO_DIR": str(tmp_path)}
    worker = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "jobs", "work",
                               "--threads", "3", "--staff-threads", "1", "--idle-seconds", "1"],
                              cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def beats_after(moment):
        with app.app_context():
            row = db.session.scalars(select(WorkerHeartbeat).where(WorkerHeartbeat.name.like(f"%:{worker.pid}"))).first()
            db.session.rollback()
            return row is not None and row.beat_at.timestamp() > moment and row.threads_alive == row.threads == 4
    try:
        assert wait_for(lambda: beats_after(0), 40), "the worker never started"
        with psycopg2.connect(libpq_url(app)) as conn, conn.cursor() as cur:
            cur.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = %s",
                        (name,))
            assert cur.fetchone()[0] >= 4  # every thread's listening connection, at least
        terminated = time.time()
        time.sleep(1)
        ask_reset(client, "survivor@t.vn")
        assert wait_for(lambda: any(m["To"] == "survivor@t.vn" for m in inbox.messages), 40), \
            "a password reset queued after the connections died was never sent"
        assert worker.poll() is None
        assert wait_for(lambda: beats_after(terminated), 30)  # all four threads alive, heartbeat written again
        health = client.get("/healthz").json["worker"]
        assert health["ok"] and any(w["threads_alive"] == 4 for w in health["workers"])
    finally:
        worker.terminate()
        worker.wait(30)
        with app.app_context():
            db.session.execute(delete(StaffUser).where(StaffUser.email == "survivor@t.vn"))
            db.session.commit()
    assert b"database connection lost" in worker.stderr.read()


def test_a_thread_that_dies_stops_the_worker(app, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug in the loop")
    monkeypatch.setattr(worker_module, "work_due", broken)
    worker = Worker(app, threads=1, staff_threads=0, idle_seconds=0.1).start()
    with app.app_context(), pytest.raises(SystemExit) as stopped:
        worker.run_forever()
    assert stopped.value.code == 1 and worker.failure[0] == "jobs-0"
