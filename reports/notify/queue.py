"""The job queue (see ``reports.notify.models`` for why an outbox table): enqueue in the caller's
transaction, work due jobs a few at a time under row locks, retry with exponential backoff.

A handler is a plain function of the job; it runs inside a savepoint, so a failing handler's own
writes are undone while the attempt is recorded. The claim and the work share one transaction: a
worker that dies releases its jobs (PostgreSQL ends the transaction), and the next one does them.
"""
from datetime import timedelta
from select import select as wait_readable
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from reports.notify.models import Job
from store import db, utcnow

BATCH = 10  # jobs claimed and committed together: fewer commits, a small batch to redo after a crash
MAX_ATTEMPTS = 8  # 1 min, 2, 4, … 64 min between attempts, then the job is marked failed
KEEP_DONE = timedelta(days=30)


def enqueue(kind: str, payload: dict | None = None, *, dedupe_key: str | None = None) -> None:
    """Add a job to the caller's transaction; the same ``dedupe_key`` twice adds it once."""
    statement = insert(Job.__table__).values(kind=kind, payload=payload or {}, dedupe_key=dedupe_key)
    db.session.execute(statement.on_conflict_do_nothing(index_elements=["dedupe_key"]))


def _due_jobs(batch: int) -> list[Job]:
    return list(db.session.scalars(
        select(Job).where(Job.done_at.is_(None), Job.failed_at.is_(None), Job.run_at <= func.clock_timestamp())
        .order_by(Job.run_at, Job.id).limit(batch).with_for_update(skip_locked=True)))


def _attempt(job: Job, handlers: dict[str, Callable[[Job], None]]) -> bool:
    """Run one job's handler; True when it succeeded (the caller marks it done)."""
    try:
        with db.session.begin_nested():
            handlers[job.kind](job)
        return True
    except Exception as exc:  # noqa: BLE001  (any failure is recorded and retried)
        job.attempts += 1
        job.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if job.attempts >= MAX_ATTEMPTS:
            job.failed_at = utcnow()
        else:
            job.run_at = func.clock_timestamp() + timedelta(minutes=2 ** (job.attempts - 1))
        return False


def work_once(handlers: dict[str, Callable[[Job], None]], limit: int = 50, batch: int = BATCH) -> int:
    """Do up to ``limit`` due jobs, ``batch`` at a time under one transaction (one commit per batch);
    return how many were attempted. A worker that dies releases its whole batch: at most ``batch``
    messages may then go out twice (at least once, never lost)."""
    attempted = 0
    while attempted < limit:
        jobs = _due_jobs(min(batch, limit - attempted))
        done = [job.id for job in jobs if _attempt(job, handlers)]
        if done:  # one statement for the batch rather than one UPDATE per job
            db.session.execute(Job.__table__.update().where(Job.id.in_(done)).values(done_at=func.clock_timestamp()))
        db.session.commit()  # also ends the read transaction when there was nothing to do
        if not jobs:
            break
        attempted += len(jobs)
    return attempted


def counts() -> dict:
    """Jobs waiting, and jobs that gave up (for ``/healthz`` and ``flask jobs list``)."""
    # Two counts, each read from its partial index (ix_job_due, ix_job_failed): done jobs, kept for
    # 30 days, are never scanned — /healthz is asked every few seconds by a load balancer.
    pending = db.session.scalar(select(func.count()).select_from(Job).where(Job.done_at.is_(None), Job.failed_at.is_(None)))
    failed = db.session.scalar(select(func.count()).select_from(Job).where(Job.failed_at.is_not(None)))
    return {"pending": pending, "failed": failed}


def purge_done() -> int:
    """Forget jobs done more than ``KEEP_DONE`` ago."""
    result = db.session.execute(Job.__table__.delete().where(Job.done_at < utcnow() - KEEP_DONE))
    return result.rowcount


class JobSignal:
    """Lets an idle worker sleep until a job is enqueued instead of polling: a statement trigger on
    ``job`` (migration 0019) NOTIFYs ``job_queue`` when the enqueueing transaction commits. ``wait``
    still returns after ``timeout`` seconds, for jobs that come due later (retries, reminders).
    Holds one connection of the pool in autocommit for the listener's lifetime."""

    def __init__(self):
        self._pooled = db.engine.raw_connection()
        self._connection = self._pooled.driver_connection
        self._connection.autocommit = True
        with self._connection.cursor() as cursor:
            cursor.execute("LISTEN job_queue")

    def wait(self, timeout: float) -> bool:
        """True when woken by a notification (drained), False after ``timeout``."""
        self._connection.poll()
        if not self._connection.notifies and not wait_readable([self._connection], [], [], timeout)[0]:
            return False
        self._connection.poll()
        self._connection.notifies.clear()
        return True

    def close(self) -> None:
        with self._connection.cursor() as cursor:
            cursor.execute("UNLISTEN *")
        self._connection.autocommit = False
        self._pooled.close()
