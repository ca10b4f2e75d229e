"""An idle worker sleeps until a job is enqueued: the queue's NOTIFY (migration 0019) wakes it when
the enqueueing transaction commits, not before; without one it sleeps its whole timeout."""
import threading
import time

import pytest

from reports.notify.models import Job
from reports.notify.queue import JobSignal, enqueue
from store import db

pytestmark = pytest.mark.e2e  # the notification is sent at a real commit


def test_a_commit_wakes_the_idle_worker(app):
    with app.app_context():
        signal = JobSignal()
        try:
            started = time.monotonic()
            assert signal.wait(0.3) is False and time.monotonic() - started >= 0.3
            woken = {}

            def listen():
                woken["at"], woken["by_notify"] = None, signal.wait(10)
                woken["at"] = time.monotonic()

            listener = threading.Thread(target=listen)
            listener.start()
            with app.app_context():
                enqueue("email", {"template": "none"}, dedupe_key="signal-test")
                time.sleep(0.3)
                assert listener.is_alive()  # not before the commit
                committed = time.monotonic()
                db.session.commit()
            listener.join(5)
            assert woken["by_notify"] is True and woken["at"] - committed < 1
        finally:
            signal.close()
            db.session.query(Job).filter_by(dedupe_key="signal-test").delete()
            db.session.commit()
