"""``flask jobs ...``: the background worker and a look at the queue.

``flask jobs work`` runs until stopped (``make run`` starts it beside the web server): ``--threads``
threads do the due jobs (each sleeps, when there are none, until an enqueued job wakes it through
PostgreSQL's NOTIFY); the main thread enqueues the jobs that come at set times once a minute and
forgets done jobs after 30 days. The same loop keeps the leaders' daily figures of the days whose
reports changed (``reports.queries.daily.fold``).
"""
import threading
import time
from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from geo.reassign import reassign_chunk
from reports.notify.alerts import fan_out_new_report
from reports.notify.models import Job
from reports.notify.queue import JobSignal, counts, enqueue, purge_done, work_once
from reports.notify.schedule import enqueue_periodic
from reports.notify.staff import assignment
from reports.notify.updates import fan_out
from reports.queries.daily import fold_all
from store import db, utcnow
from webapp.notifications import send_email_job, send_note_job

def reassign_boundary_chunk(job) -> None:
    """``boundary_reassign``: one chunk of a re-assignment after an activation (``geo.reassign``); the
    job keeps what it did (``moved_after``, ``finished``) for the progress the admin page shows."""
    moved, following = reassign_chunk(job.payload)
    job.payload = {**job.payload, "moved_after": moved, "finished": following is None}
    if following is not None:
        enqueue("boundary_reassign", following, dedupe_key=f"reassign:{following['set']}:{following['lo']}")


HANDLERS = {"report_update": fan_out, "area_alerts": fan_out_new_report, "staff_assignment": assignment,
            "email": send_email_job, "push": send_note_job, "sms": send_note_job, "zalo": send_note_job,
            "boundary_reassign": reassign_boundary_chunk}
jobs_cli = AppGroup("jobs", help="Background jobs (notifications).")


def work_due(limit: int = 50) -> int:
    """Do the due jobs now (the worker's step; tests call it too)."""
    return work_once(HANDLERS, limit)


def schedule_due() -> None:
    """Enqueue the jobs that come at set times (reminders, morning digests)."""
    enqueue_periodic(utcnow(), timedelta(minutes=current_app.config["REMINDER_MINUTES"]))
    db.session.commit()


def _work_loop(app, stop: threading.Event, idle_seconds: float, report) -> None:
    """One worker thread: do due jobs; when there are none, sleep until a job is enqueued (the
    queue's NOTIFY) or ``idle_seconds`` pass."""
    with app.app_context():
        signal = JobSignal()
        try:
            while not stop.is_set():
                done = work_due()
                if done:
                    report(done)
                else:
                    signal.wait(idle_seconds)
        finally:
            signal.close()
            db.session.remove()


@jobs_cli.command("work")
@click.option("--once", is_flag=True, help="Do the due jobs, then stop.")
@click.option("--threads", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Jobs done at the same time (each waits on SMTP or a push service in turn).")
@click.option("--idle-seconds", type=float, default=5.0, show_default=True,
              help="Longest sleep without jobs (an enqueued job wakes the worker at once).")
def work_command(once, threads, idle_seconds):
    """Do jobs as they come due (Ctrl-C stops)."""
    click.echo(f"worker started ({threads} threads); queue: {counts()}")
    if once:
        click.echo(f"{work_due(10_000)} jobs done")
        return
    app, stop = current_app._get_current_object(), threading.Event()
    report = (lambda done: click.echo(f"{done} jobs done; queue: {counts()}")) if threads == 1 else (lambda done: None)
    workers = [threading.Thread(target=_work_loop, args=(app, stop, idle_seconds, report), daemon=True,
                                name=f"jobs-{n}") for n in range(threads)]
    for worker in workers:
        worker.start()
    last_purge = 0.0
    try:
        while True:
            schedule_due()
            fold_all()
            if time.monotonic() - last_purge > 3600:
                purged = purge_done()
                db.session.commit()
                last_purge = time.monotonic()
                if purged:
                    click.echo(f"{purged} old jobs forgotten")
            click.echo(f"queue: {counts()}")
            db.session.commit()
            time.sleep(60)
    finally:
        stop.set()


@jobs_cli.command("list")
@click.option("--failed", is_flag=True, help="Only the jobs that gave up.")
def list_command(failed):
    """The queue's counts and its waiting (or failed) jobs."""
    click.echo(f"queue: {counts()}")
    condition = Job.failed_at.is_not(None) if failed else (Job.done_at.is_(None) & Job.failed_at.is_(None))
    for job in db.session.scalars(select(Job).where(condition).order_by(Job.run_at).limit(100)):
        click.echo(f"{job.id:>8} {job.kind:<14} due {job.run_at:%Y-%m-%d %H:%M} attempts {job.attempts}"
                   + (f"  {job.last_error}" if job.last_error else ""))
