"""The job queue (see ``reports.notify.models`` for why an outbox table): enqueue in the caller's
transaction; work due jobs one at a time; retry with exponential backoff.

No transaction stays open while a message crosses the network. A job is claimed on its own: one short
transaction leases it (``locked_until``, ``JOB_LEASE_S`` ahead) and commits. Its handler then does the
database work in a transaction of its own; a handler that sends returns an :class:`Outside` instead of
sending — the network call, made after that transaction has committed (each call has its own overall
deadline), and what to record once it is back, in a new short transaction. A worker that dies leaves
its job leased: when the lease ends the next worker does it (at least once, never lost).

Lanes: each job has a priority (:func:`priority_of`: staff and security mail first, then residents'
confirmations, then the rest). Threads take the most urgent due job first; a lane of threads that take
only staff and security mail (``work_due(lane=STAFF)``) never waits behind residents' messages.
"""
from dataclasses import dataclass
from datetime import timedelta
from select import select as wait_readable
from typing import Callable

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert

from reports.notify.models import Job
from store import db, utcnow

MAX_ATTEMPTS = 8  # 1 min, 2, 4, … 64 min between attempts, then the job is marked failed
KEEP_DONE = timedelta(days=30)
DEFAULT_LEASE_S = 120  # longer than any delivery's overall deadline (webapp.outbound)
STAFF, CONFIRMATION, RESIDENT = 0, 1, 2  # priorities: lower goes first
STAFF_KINDS = ("staff_assignment", "password_reset")
CONFIRMATION_TEMPLATES = ("confirm", "alert_confirm")


def priority_of(kind: str, payload: dict) -> int:
    """Staff and security mail (a reset link, an invitation, an assignment) before residents'
    confirmations, and those before residents' updates, alerts and the rest."""
    if kind in STAFF_KINDS or "staff_id" in payload:
        return STAFF
    if payload.get("template") in CONFIRMATION_TEMPLATES:
        return CONFIRMATION
    return RESIDENT


def enqueue(kind: str, payload: dict | None = None, *, dedupe_key: str | None = None, run_at=None) -> None:
    """Add a job to the caller's transaction; the same ``dedupe_key`` twice adds it once."""
    payload = payload or {}
    values = {"kind": kind, "payload": payload, "dedupe_key": dedupe_key, "priority": priority_of(kind, payload)}
    if run_at is not None:
        values["run_at"] = run_at
    statement = insert(Job.__table__).values(**values)
    db.session.execute(statement.on_conflict_do_nothing(index_elements=["dedupe_key"]))


@dataclass
class Outside:
    """What a handler leaves to be done with no transaction open: ``call`` (a network exchange, bounded
    by its own deadline) and ``then``, given what ``call`` returned, in a new transaction (e.g. forget an
    address that a push service says has gone)."""

    call: Callable[[], object]
    then: Callable[[object], None] | None = None


class Postpone(Exception):
    """Not now, and not a failure: the job runs again at ``until`` without counting an attempt (a
    daily cap reached)."""

    def __init__(self, until, why: str):
        super().__init__(why)
        self.until = until


# One due job, the most urgent first, leased for ``:lease`` seconds. SKIP LOCKED: two threads never
# claim the same row; the row lock lasts only this statement's transaction.
CLAIM_SQL = text("""
    UPDATE job SET locked_until = clock_timestamp() + make_interval(secs => :lease)
     WHERE id = (SELECT id FROM job
                  WHERE done_at IS NULL AND failed_at IS NULL AND priority <= :lane
                    AND run_at <= clock_timestamp()
                    AND (locked_until IS NULL OR locked_until <= clock_timestamp())
                  ORDER BY priority, run_at, id
                  LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id""")


def claim(lane: int = RESIDENT, lease_s: float = DEFAULT_LEASE_S) -> int | None:
    """Lease the most urgent due job of priority ``lane`` or lower; its id, or None. Commits."""
    job_id = db.session.execute(CLAIM_SQL, {"lane": lane, "lease": lease_s}).scalar()
    db.session.commit()
    return job_id


def error_summary(exc: BaseException) -> str:
    """What ``job.last_error`` keeps: the exception's type and the code a server answered (an SMTP
    reply code, an HTTP status), never its message — it may carry a resident's address."""
    codes = []
    recipients = getattr(exc, "recipients", None)  # smtplib.SMTPRecipientsRefused: {address: (code, text)}
    if isinstance(recipients, dict):
        codes = sorted({str(answer[0]) for answer in recipients.values() if isinstance(answer, tuple)})
    for name in ("smtp_code", "status"):
        value = getattr(exc, name, None)
        if isinstance(value, (int, str)) and value != "":
            codes.append(str(value))
    return " ".join([type(exc).__name__, *codes])[:200]


def _finish(job_id: int, **values) -> None:
    db.session.execute(Job.__table__.update().where(Job.id == job_id).values(locked_until=None, **values))


def _failed(job_id: int, exc: Exception) -> None:
    """Record a failed attempt: retried later with backoff, or given up after ``MAX_ATTEMPTS`` (at once
    for an error marked ``permanent``)."""
    if isinstance(exc, Postpone):
        _finish(job_id, run_at=exc.until)
        return
    job = db.session.get(Job, job_id)
    attempts = job.attempts + 1
    given_up = attempts >= MAX_ATTEMPTS or getattr(exc, "permanent", False)
    _finish(job_id, attempts=attempts, last_error=error_summary(exc),
            **({"failed_at": func.clock_timestamp()} if given_up
               else {"run_at": func.clock_timestamp() + timedelta(minutes=2 ** (attempts - 1))}))


def run(job_id: int, handlers: dict[str, Callable[[Job], Outside | None]]) -> bool:
    """Do one claimed job; True when it succeeded. Database errors that are not the handler's (the
    connection lost) propagate to the worker's loop."""
    try:
        job = db.session.get(Job, job_id)
        if job is None or job.done_at is not None:
            db.session.commit()
            return True
        outside = handlers[job.kind](job)
        if outside is None:  # database work only: done in the same transaction
            _finish(job_id, done_at=func.clock_timestamp())
            db.session.commit()
            return True
        db.session.commit()  # the handler's reads end here: nothing is open during the call
        result = outside.call()
        if outside.then is not None:
            outside.then(result)
        _finish(job_id, done_at=func.clock_timestamp())
        db.session.commit()
        return True
    except Exception as exc:  # noqa: BLE001  (any failure is recorded and retried)
        db.session.rollback()
        _failed(job_id, exc)
        db.session.commit()
        return False


def work_once(handlers: dict[str, Callable[[Job], Outside | None]], limit: int = 50, lane: int = RESIDENT,
              lease_s: float = DEFAULT_LEASE_S) -> int:
    """Do up to ``limit`` due jobs of priority ``lane`` or lower, one claim at a time; return how many
    were attempted."""
    attempted = 0
    while attempted < limit:
        job_id = claim(lane, lease_s)
        if job_id is None:
            break
        run(job_id, handlers)
        attempted += 1
    return attempted


def counts() -> dict:
    """Jobs waiting, jobs that gave up, and the age in seconds of the oldest due job (for ``/healthz``
    and ``flask jobs list``)."""
    # Each read from its partial index (ix_job_due, ix_job_failed): done jobs, kept for 30 days, are
    # never scanned — /healthz is asked every few seconds by a load balancer.
    pending = Job.done_at.is_(None) & Job.failed_at.is_(None)
    waiting, oldest = db.session.execute(select(func.count(), func.min(Job.run_at)).where(pending)).one()
    failed = db.session.scalar(select(func.count()).select_from(Job).where(Job.failed_at.is_not(None)))
    age = 0.0 if oldest is None else max(0.0, (utcnow() - oldest).total_seconds())
    return {"pending": waiting, "failed": failed, "oldest_due_s": round(age, 1)}


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
        """Give the connection back (or, when it has died, drop it from the pool)."""
        try:
            with self._connection.cursor() as cursor:
                cursor.execute("UNLISTEN *")
            self._connection.autocommit = False
            self._pooled.close()
        except Exception:  # noqa: BLE001  (a dead connection: the pool must not hand it out again)
            self._pooled.invalidate()
