"""The job queue (see ``reports.notify.models`` for why an outbox table): enqueue in the caller's
transaction; work due jobs one at a time; retry with exponential backoff.

No transaction stays open while a message crosses the network. A claim is a short transaction of its
own that leases its jobs (``locked_until``, ``JOB_LEASE_S`` ahead) and commits: one job, or a few of a
kind whose sends go to the city's own SMTP relay or nowhere (:data:`BATCHED_KINDS`). The handlers then
do the database work in a transaction; a handler that sends returns an :class:`Outside` instead of
sending — the network call, made after that transaction has committed (each call has its own overall
deadline), and what to record once it is back, in a new short transaction. A worker that dies leaves
its jobs leased: when the lease ends the next worker does them (at least once, never lost; a batch
cut short may send a few messages twice).

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
DEFAULT_LEASE_S = 120  # longer than any delivery's overall deadline (delivery.outbound)
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


# The most urgent due job of the lane, leased for ``:lease`` seconds. SKIP LOCKED: two threads never
# claim the same row; the row lock lasts only the claim's own transaction.
CLAIM_SQL = text("""
    UPDATE job SET locked_until = clock_timestamp() + make_interval(secs => :lease)
     WHERE id = (SELECT id FROM job
                  WHERE done_at IS NULL AND failed_at IS NULL AND priority <= :lane
                    AND run_at <= clock_timestamp()
                    AND (locked_until IS NULL OR locked_until <= clock_timestamp())
                  ORDER BY priority, run_at, id
                  LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id, kind, priority""")
# More due jobs of the same kind and priority, in the same claim.
CLAIM_MORE_SQL = text("""
    UPDATE job SET locked_until = clock_timestamp() + make_interval(secs => :lease)
     WHERE id IN (SELECT id FROM job
                   WHERE done_at IS NULL AND failed_at IS NULL AND kind = :kind AND priority = :priority
                     AND run_at <= clock_timestamp()
                     AND (locked_until IS NULL OR locked_until <= clock_timestamp())
                   ORDER BY run_at, id
                   LIMIT :more FOR UPDATE SKIP LOCKED)
    RETURNING id""")
# Jobs whose sends go to one trusted place (the city's SMTP relay) or nowhere (database work) are
# claimed a few at a time: one slow send cannot hold many others. A push, an SMS or a Zalo message
# goes to an address someone outside chose: one at a time.
BATCHED_KINDS = ("email", "report_update", "area_alerts", "staff_assignment", "password_reset")
BATCH = 10


def claim(lane: int = RESIDENT, lease_s: float = DEFAULT_LEASE_S, batch: int = BATCH) -> list[int]:
    """Lease the most urgent due job of priority ``lane`` or lower and, for a kind in
    ``BATCHED_KINDS``, up to ``batch`` - 1 more of its kind and priority; their ids. Commits."""
    first = db.session.execute(CLAIM_SQL, {"lane": lane, "lease": lease_s}).first()
    ids = [] if first is None else [first.id]
    if first is not None and batch > 1 and first.kind in BATCHED_KINDS:
        ids += db.session.execute(CLAIM_MORE_SQL, {"kind": first.kind, "priority": first.priority,
                                                   "lease": lease_s, "more": batch - 1}).scalars().all()
    db.session.commit()
    return ids


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


def _finish(job_ids: list[int], **values) -> None:
    db.session.execute(Job.__table__.update().where(Job.id.in_(job_ids)).values(locked_until=None, **values))


def _failed(job_id: int, exc: Exception) -> None:
    """Record a failed attempt: retried later with backoff, or given up after ``MAX_ATTEMPTS`` (at once
    for an error marked ``permanent``)."""
    if isinstance(exc, Postpone):
        _finish([job_id], run_at=exc.until)
        return
    job = db.session.get(Job, job_id)
    attempts = job.attempts + 1
    given_up = attempts >= MAX_ATTEMPTS or getattr(exc, "permanent", False)
    _finish([job_id], attempts=attempts, last_error=error_summary(exc),
            **({"failed_at": func.clock_timestamp()} if given_up
               else {"run_at": func.clock_timestamp() + timedelta(minutes=2 ** (attempts - 1))}))


def run(job_ids: list[int], handlers: dict[str, Callable[[Job], Outside | None]]) -> int:
    """Do claimed jobs; how many succeeded. Three steps, no transaction open across the network:
    the handlers (each in a savepoint; database-only jobs are marked done with their work), a commit;
    the network calls; then what to record after them and the done marks, in one transaction.
    Database errors that are not a handler's (the connection lost) propagate to the worker's loop."""
    jobs = {job.id: job for job in db.session.scalars(select(Job).where(Job.id.in_(job_ids)))}
    done, failures, outside = [], [], []
    for job_id in job_ids:
        job = jobs.get(job_id)
        if job is None or job.done_at is not None:
            continue
        try:
            with db.session.begin_nested():
                work = handlers[job.kind](job)
        except Exception as exc:  # noqa: BLE001  (any failure is recorded and retried)
            failures.append((job_id, exc))
            continue
        if work is None:
            done.append(job_id)
        else:
            outside.append((job_id, work))
    if done:
        _finish(done, done_at=func.clock_timestamp())
    db.session.commit()  # the handlers' reads and writes end here: nothing is open during the calls
    results = []
    for job_id, work in outside:
        try:
            results.append((job_id, work, work.call(), None))
        except Exception as exc:  # noqa: BLE001
            results.append((job_id, work, None, exc))
    sent = []
    for job_id, work, result, exc in results:
        if exc is None and work.then is not None:
            try:
                with db.session.begin_nested():
                    work.then(result)
            except Exception as then_exc:  # noqa: BLE001
                exc = then_exc
        if exc is None:
            sent.append(job_id)
        else:
            failures.append((job_id, exc))
    if sent:
        _finish(sent, done_at=func.clock_timestamp())
    for job_id, exc in failures:
        _failed(job_id, exc)
    db.session.commit()
    return len(done) + len(sent)


def work_once(handlers: dict[str, Callable[[Job], Outside | None]], limit: int = 50, lane: int = RESIDENT,
              lease_s: float = DEFAULT_LEASE_S) -> int:
    """Do up to ``limit`` due jobs of priority ``lane`` or lower, claim by claim; return how many
    were attempted."""
    attempted = 0
    while attempted < limit:
        job_ids = claim(lane, lease_s, min(BATCH, limit - attempted))
        if not job_ids:
            break
        run(job_ids, handlers)
        attempted += len(job_ids)
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
