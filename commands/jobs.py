"""``flask jobs``: the background worker (``worker.loop``) and a look at the queue."""
import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import select

from reports.notify.models import Job
from reports.notify.queue import counts
from store import db
from worker.loop import Worker, work_due

jobs_cli = AppGroup("jobs", help="Background jobs (notifications).")


@jobs_cli.command("work")
@click.option("--once", is_flag=True, help="Do the due jobs, then stop.")
@click.option("--threads", type=click.IntRange(1, 32), default=4, show_default=True,
              help="Jobs done at the same time (each waits on SMTP or a push service in turn).")
@click.option("--staff-threads", type=click.IntRange(0, 8), default=1, show_default=True,
              help="More threads that only send staff and security mail (password resets, assignments).")
@click.option("--idle-seconds", type=float, default=5.0, show_default=True,
              help="Longest sleep without jobs (an enqueued job wakes the worker at once).")
def work_command(once, threads, staff_threads, idle_seconds):
    """Do jobs as they come due (Ctrl-C stops)."""
    click.echo(f"worker started ({threads} threads + {staff_threads} for staff mail); queue: {counts()}")
    db.session.commit()
    if once:
        click.echo(f"{work_due(10_000)} jobs done")
        return
    worker = Worker(current_app._get_current_object(), threads, staff_threads, idle_seconds, click.echo).start()
    try:
        worker.run_forever()
    except KeyboardInterrupt:
        worker.stop(5.0)


@jobs_cli.command("list")
@click.option("--failed", is_flag=True, help="Only the jobs that gave up.")
def list_command(failed):
    """The queue's counts and its waiting (or failed) jobs: kind, due time, attempts, the last error's
    type and code (never an address)."""
    click.echo(f"queue: {counts()}")
    condition = Job.failed_at.is_not(None) if failed else (Job.done_at.is_(None) & Job.failed_at.is_(None))
    for job in db.session.scalars(select(Job).where(condition).order_by(Job.run_at).limit(100)):
        click.echo(f"{job.id:>8} {job.kind:<14} due {job.run_at:%Y-%m-%d %H:%M} attempts {job.attempts}"
                   + (f"  {job.last_error}" if job.last_error else ""))
