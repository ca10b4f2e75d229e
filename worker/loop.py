"""The background worker (``flask jobs work``, ``commands.jobs``): threads that do the queue's jobs.

It runs until stopped (``make run`` starts it beside the web server): ``--threads``
threads do the due jobs, the most urgent first, and ``--staff-threads`` more do staff and security mail
only, so a resident's slow push service never delays a password reset (``reports.notify.queue``). An
idle thread sleeps until an enqueued job wakes it through PostgreSQL's NOTIFY. The main thread enqueues
the jobs that come at set times once a minute, forgets done jobs after 30 days, keeps the leaders'
daily figures of the days whose reports changed (``reports.queries.daily.fold``) and writes the
worker's heartbeat (threads alive) that ``/healthz`` shows.

A lost database connection (the primary restarted, a failover, ``pg_terminate_backend``) is survived by
every loop: the session is dropped, the loop waits (1 s, doubling up to 30 s) and reconnects. Any other
error that escapes a thread stops the whole process with status 1, so that systemd
(``Restart=always``) or the local stack starts a whole worker again rather than one running on with
fewer threads.
"""
import os
import socket
import threading
import time
import traceback
from datetime import timedelta

import psycopg2
from flask import current_app
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from delivery.jobs import send_email_job, send_note_job
from geo.generations import set_in_force
from reports.notify.alerts import fan_out_new_report
from reports.notify.models import WorkerHeartbeat
from reports.notify.queue import RESIDENT, STAFF, JobSignal, Postpone, counts, enqueue, work_once
from reports.notify.schedule import enqueue_periodic
from reports.notify.staff import assignment, password_reset_job
from reports.notify.updates import fan_out
from reports.photos.public_copy import make_public_copy
from reports.photos.records import blurred_areas
from reports.privacy.requests import PrivacyRequest, carry_out
from reports.privacy.retention import enforce, periods_from
from reports.queries.daily import fold_all
from reports.workflow.reassignment import reassign_chunk
from store import db, utcnow

MAX_BACKOFF_S = 30.0
HEARTBEAT_S = 10.0
SCHEDULE_S = 60.0
RETENTION_S = 3600.0  # personal data past its period is erased within the hour (reports.privacy.retention)
REASSIGN_WAIT = timedelta(minutes=10)


def reassign_boundary_chunk(job) -> None:
    """``boundary_reassign``: one chunk of a re-assignment after an activation (``reports.workflow.reassignment``); the
    job keeps what it did (``moved_after``, ``finished``) for the progress the admin page shows. Before
    the set takes effect it waits (checked again every ``REASSIGN_WAIT``)."""
    if not set_in_force(job.payload["set"]):
        raise Postpone(utcnow() + REASSIGN_WAIT, "the boundary set is not in force yet")
    moved, last, following = reassign_chunk(job.payload)
    job.payload = {**job.payload, "last": last, "moved_after": moved, "finished": following is None}
    if following is not None:
        enqueue("boundary_reassign", following, dedupe_key=f"reassign:{following['set']}:{following['lo']}")


def public_photo(job) -> None:
    """A stored photo's public copy, its faces blurred (``reports.photos.public_copy``)."""
    make_public_copy(current_app.extensions["photo_storage"], job.payload["sha256"], blurred_areas(job.payload["sha256"]))


def privacy_request(job) -> None:
    """A verified deletion, withdrawal or restriction, once its window for a hold has passed."""
    request = db.session.get(PrivacyRequest, job.payload["request_id"])
    if request is not None:
        carry_out(request, utcnow(), current_app.extensions["photo_storage"])


HANDLERS = {"report_update": fan_out, "area_alerts": fan_out_new_report, "staff_assignment": assignment,
            "email": send_email_job, "push": send_note_job, "sms": send_note_job, "zalo": send_note_job,
            "boundary_reassign": reassign_boundary_chunk, "password_reset": password_reset_job,
            "public_photo": public_photo, "privacy_request": privacy_request}
DATABASE_ERRORS = (DBAPIError, psycopg2.Error)


def connection_lost(exc: BaseException) -> bool:
    """The connection died or cannot be made (a restart, a failover, a terminated backend), as opposed
    to an error in a statement, which is a bug and stops the worker."""
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or isinstance(exc, (OperationalError, InterfaceError))
    return isinstance(exc, (psycopg2.OperationalError, psycopg2.InterfaceError))


def work_due(limit: int = 50, lane: int = RESIDENT) -> int:
    """Do the due jobs now (the worker's step; tests call it too)."""
    return work_once(HANDLERS, limit, lane=lane, lease_s=current_app.config["JOB_LEASE_S"])


def schedule_due() -> None:
    """Enqueue the jobs that come at set times (reminders, morning digests)."""
    enqueue_periodic(utcnow(), timedelta(minutes=current_app.config["REMINDER_MINUTES"]))
    db.session.commit()


def _lost(where: str, exc: BaseException, backoff: float) -> float:
    """Drop the session after a lost connection; the next wait (doubling, at most ``MAX_BACKOFF_S``)."""
    current_app.logger.warning("%s: database connection lost (%s); reconnecting in %.0f s", where,
                               type(exc).__name__, backoff)
    try:
        db.session.remove()
    except Exception:  # noqa: BLE001  (closing a dead connection may fail too)
        db.session.registry.clear()
    return min(backoff * 2, MAX_BACKOFF_S)


class Worker:
    """The threads of ``flask jobs work``, startable and stoppable from a test too."""

    def __init__(self, app, threads: int = 4, staff_threads: int = 1, idle_seconds: float = 5.0, echo=None):
        self.app, self.idle_seconds, self.echo = app, idle_seconds, echo or (lambda line: None)
        self.stop_event, self.failure = threading.Event(), None
        lanes = [RESIDENT] * threads + [STAFF] * staff_threads
        self.threads = [threading.Thread(target=self._thread, args=(lane,), daemon=True, name=f"jobs-{n}")
                        for n, lane in enumerate(lanes)]
        self.name, self.started_at = f"{socket.gethostname()}:{os.getpid()}", utcnow()

    def start(self) -> "Worker":
        for thread in self.threads:
            thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        self.stop_event.set()
        for thread in self.threads:
            thread.join(timeout)

    def alive(self) -> int:
        return sum(thread.is_alive() for thread in self.threads)

    def _thread(self, lane: int) -> None:
        try:
            with self.app.app_context():
                self._loop(lane)
        except BaseException as exc:  # noqa: BLE001  (reported, then the process stops: see the docstring)
            self.failure = (threading.current_thread().name, exc, traceback.format_exc())
            self.stop_event.set()

    def _loop(self, lane: int) -> None:
        """Do due jobs; when there are none, sleep until a job is enqueued (the queue's NOTIFY) or
        ``idle_seconds`` pass. A lost connection: back off, reconnect, go on."""
        signal, backoff = None, 1.0
        try:
            while not self.stop_event.is_set():
                try:
                    signal = signal or JobSignal()
                    if not work_due(lane=lane):
                        signal.wait(self.idle_seconds)
                    backoff = 1.0
                except DATABASE_ERRORS as exc:
                    if not connection_lost(exc):
                        raise
                    if signal is not None:
                        signal.close()
                        signal = None
                    wait, backoff = backoff, _lost(threading.current_thread().name, exc, backoff)
                    self.stop_event.wait(wait)
        finally:
            if signal is not None:
                signal.close()
            db.session.remove()

    def beat(self) -> None:
        """Write this worker's heartbeat: its threads and how many are alive."""
        values = {"threads": len(self.threads), "threads_alive": self.alive(), "started_at": self.started_at,
                  "beat_at": utcnow()}
        db.session.execute(insert(WorkerHeartbeat.__table__).values(name=self.name, **values)
                           .on_conflict_do_update(index_elements=["name"], set_=values))
        db.session.commit()

    def run_forever(self) -> None:
        """The main thread's loop (Ctrl-C stops): set-time jobs, figures, purges, heartbeats; a thread
        that died ends the process with status 1."""
        last = {"schedule": 0.0, "purge": 0.0, "beat": 0.0}
        backoff = 1.0
        try:
            while not self.stop_event.is_set():
                try:
                    self._main_step(last)
                    backoff = 1.0
                except DATABASE_ERRORS as exc:
                    if not connection_lost(exc):
                        raise
                    wait, backoff = backoff, _lost("jobs main loop", exc, backoff)
                    self.stop_event.wait(wait)
                self.stop_event.wait(1.0)
        finally:
            self.stop_event.set()
            self._forget_heartbeat()
        if self.failure is not None:
            name, exc, text = self.failure
            current_app.logger.error("worker thread %s died (%s): the worker stops so that it is restarted\n%s",
                                     name, type(exc).__name__, text)
            raise SystemExit(1)

    def _main_step(self, last: dict) -> None:
        now = time.monotonic()
        if now - last["beat"] >= HEARTBEAT_S:
            self.beat()
            last["beat"] = now
        if now - last["schedule"] >= SCHEDULE_S:
            schedule_due()
            fold_all()
            db.session.commit()
            last["schedule"] = now
            self.echo(f"queue: {counts()}")
            db.session.commit()
        if now - last["purge"] > RETENTION_S:
            erased = enforce(utcnow(), periods_from(current_app.config), log_empty=False)
            db.session.commit()
            last["purge"] = now
            if any(erased.values()):
                self.echo(f"retention: erased {erased}")

    def _forget_heartbeat(self) -> None:
        try:
            db.session.execute(WorkerHeartbeat.__table__.delete().where(WorkerHeartbeat.name == self.name))
            db.session.commit()
        except Exception:  # noqa: BLE001  (the database may be gone: the heartbeat then simply ages)
            db.session.remove()
