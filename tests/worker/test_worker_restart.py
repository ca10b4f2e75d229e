"""A worker killed in the middle of a job loses nothing and sends nothing twice: the job stays leased
to it while it might still send (``JOB_LEASE_S``), then the next worker sends it, once."""
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from reports.notify.models import Job
from reports.notify.updates import subscribe
from settings import PROJECT_ROOT
from store import db
from tests.helpers import KIM_LONG, make_report
from worker.loop import work_due

pytestmark = pytest.mark.e2e  # a second process must see the rows: this test commits for real


def silent_smtp_server() -> tuple[socket.socket, threading.Event]:
    """Accepts connections and never answers: a worker sending through it hangs mid-job."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    connected = threading.Event()

    def accept():
        connections = []
        while True:
            try:
                connections.append(server.accept()[0])
            except OSError:
                return
            connected.set()
    threading.Thread(target=accept, daemon=True).start()
    return server, connected


def test_killed_worker_then_restart_sends_once(app, inbox, tmp_path):
    with app.app_context():
        # Committed for real: in Kim Long, away from the point where the browser tests file their reports
        # (there it would be offered to them as a possible duplicate when this module runs first).
        report = make_report(app, ward=KIM_LONG, description="Đèn đường hỏng (worker restart)")
        subscription = subscribe(report, "khoi.dong.lai@example.vn", "vi", report.issued_secret)
        db.session.commit()
        job_id = db.session.query(Job.id).filter(Job.payload["subscription_id"].as_integer() == subscription.id).scalar()
    silent, connected = silent_smtp_server()
    env = {**os.environ, "PHANANH_ENV": "development", "SECRET_KEY": app.config["SECRET_KEY"],
           "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg2", ""),
           "SMTP_URL": f"smtp://127.0.0.1:{silent.getsockname()[1]}", "PHOTO_DIR": str(tmp_path),
           "JOB_LEASE_S": "3"}
    worker = subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "jobs", "work"],
                              cwd=PROJECT_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        assert connected.wait(60), "the worker never started sending"
        with app.app_context():
            work_due()  # the job is leased to the hung worker: skipped, not sent twice
            assert inbox.messages == []
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        worker.kill()
        silent.close()
    with app.app_context():
        # Every due job (the killed worker's schedule may have enqueued ward leads' digests before ours),
        # until ours is done: the killed worker's lease runs out after JOB_LEASE_S.
        for _ in range(300):
            work_due()
            db.session.expire_all()
            if db.session.get(Job, job_id).done_at is not None:
                break
            time.sleep(0.1)
        job = db.session.get(Job, job_id)
        assert job.done_at is not None and job.attempts == 0
    # once to the subscriber (the worker's own schedule may also have sent ward leads their morning digest)
    assert [m["To"] for m in inbox.messages if m["To"] == "khoi.dong.lai@example.vn"] == ["khoi.dong.lai@example.vn"]
