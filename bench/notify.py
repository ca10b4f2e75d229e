"""Notification throughput: status changes on followed reports fan out into emails delivered to a
local SMTP sink (aiosmtpd, a process of its own) by ``flask jobs work`` processes running the real
job queue, as ``make run`` starts them.

    .venv/bin/python -m bench.notify [--subscriptions 100000] [--changes 10000] [--rate 200]
                                     [--workers 2] [--threads 4]

Prints emails/s, the time from a status change (its commit) to the report's first email (p50, p99),
and two baselines in the same run: plain inserts into the job table (the cheapest enqueue) and a bare
SMTP client sending a prebuilt message to the same sink (the cheapest delivery).
Reports are synthetic (``insert_synthetic_reports``) in a database of their own.
"""
import argparse
import email.policy
import multiprocessing
import os
import smtplib
import subprocess
import sys
import time
from datetime import date
from email.header import decode_header, make_header
from email.parser import BytesHeaderParser
from pathlib import Path

import numpy as np
from aiosmtpd.controller import Controller
from sqlalchemy import text

from bench.common import bench_app, record
from geo.provinces import load_province
from reports.categories import seed_demo_categories
from reports.demo.sampling import insert_synthetic_reports
from reports.models import Report
from reports.notify.queue import counts
from reports.workflow.lifecycle import change_status
from settings import PROJECT_ROOT
from store import db

SINK_PORT = 2527


class Sink:
    """Records when the first email of each report arrives (the code opens the subject)."""

    def __init__(self):
        self.arrivals: dict[str, float] = {}
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        headers = BytesHeaderParser(policy=email.policy.compat32).parsebytes(envelope.content)
        subject = str(make_header(decode_header(headers["Subject"] or "")))
        self.arrivals.setdefault(subject.split(":")[0].strip(), time.monotonic())  # "HUE-XXXX-XXXX: …"
        self.count += 1
        return "250 OK"


def run_sink(port: int, pipe) -> None:
    """The SMTP sink in a process of its own (as a mail relay would be), answering the main
    process's questions over ``pipe``: "count", or "stop" (then its arrivals)."""
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    pipe.send("ready")
    while True:
        question = pipe.recv()
        if question == "count":
            pipe.send(sink.count)
        else:
            controller.stop()
            pipe.send((sink.count, sink.arrivals))
            return


def baseline_smtp(port: int, n: int) -> float:
    """The ceiling of delivery here: one bare smtplib client sending a prebuilt message, no queue,
    no database, no rendering (messages/s)."""
    message = (b"From: a@example.invalid\r\nTo: b@example.invalid\r\nSubject: BASELINE: x\r\n"
               b"Content-Type: text/plain; charset=utf-8\r\n\r\n" + "Đã xử lý xong.\r\n".encode() * 20)
    with smtplib.SMTP("127.0.0.1", port) as client:
        started = time.perf_counter()
        for _ in range(n):
            client.sendmail("a@example.invalid", ["b@example.invalid"], message)
        return n / (time.perf_counter() - started)


def start_workers(database_url: str, processes: int, threads: int) -> list[subprocess.Popen]:
    """``flask jobs work`` as ``make run`` starts it, ``processes`` times."""
    env = {**os.environ, "DATABASE_URL": database_url, "SMTP_URL": f"smtp://127.0.0.1:{SINK_PORT}"}
    return [subprocess.Popen([str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "jobs", "work",
                              "--threads", str(threads)], cwd=PROJECT_ROOT, env=env,
                             stdout=subprocess.DEVNULL) for _ in range(processes)]


def seed(app, subscriptions: int, changes: int) -> list[int]:
    """``changes`` open synthetic reports, each followed by ``subscriptions / changes`` confirmed emails."""
    with app.app_context():
        seed_demo_categories()
        db.session.commit()
        load_province("46", Path(app.config["DATA_DIR"]))
        db.session.execute(text("TRUNCATE job, subscription RESTART IDENTITY"))
        have = db.session.execute(text("SELECT count(*) FROM report WHERE is_synthetic")).scalar()
        if have < changes:  # kept between runs (events are append-only): only the status is reset
            insert_synthetic_reports("46", changes - have, 13 + have, date.today(), "[synthetic notify bench]")
        db.session.execute(text("UPDATE report SET status = 'received', tracking_code = coalesce(tracking_code, "
                                "'BEN-' || id) WHERE is_synthetic"))
        ids = [r for (r,) in db.session.execute(text("SELECT id FROM report WHERE is_synthetic ORDER BY id LIMIT :n"),
                                                 {"n": changes})]
        per = max(1, subscriptions // len(ids))
        db.session.execute(text("""
            INSERT INTO subscription (report_id, channel, email, language, token, confirmed_at)
            SELECT r.id, 'email', 'bench' || r.id || '-' || k || '@example.invalid', 'vi', md5(r.id || '-' || k), now()
              FROM unnest(CAST(:ids AS int[])) AS r(id), generate_series(1, :per) AS k"""), {"ids": ids, "per": per})
        db.session.commit()
        return ids


def baseline_inserts(app, n: int) -> float:
    with app.app_context():
        started = time.perf_counter()
        db.session.execute(text("INSERT INTO job (kind, payload) SELECT 'bench', '{}'::jsonb FROM generate_series(1, :n)"),
                           {"n": n})
        db.session.commit()
        elapsed = time.perf_counter() - started
        db.session.execute(text("DELETE FROM job WHERE kind = 'bench'"))
        db.session.commit()
        return n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--changes", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=200.0, help="status changes per second")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (flask jobs work)")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker process")
    args = parser.parse_args()
    ours, theirs = multiprocessing.Pipe()
    sink = multiprocessing.Process(target=run_sink, args=(SINK_PORT, theirs), daemon=True)
    sink.start()  # before the app opens database connections (a forked child would share them)
    assert ours.recv() == "ready"
    app = bench_app("bench_notify")
    ids = seed(app, args.subscriptions, args.changes)
    per = max(1, args.subscriptions // len(ids))
    expected = len(ids) * per
    print(f"{len(ids):,} reports, {expected:,} confirmed subscriptions; {len(ids):,} status changes at {args.rate:.0f}/s; "
          f"{args.workers} worker processes × {args.threads} threads")
    print(f"baseline: plain inserts into the job table {baseline_inserts(app, len(ids)):,.0f} rows/s")
    smtp_ceiling = baseline_smtp(SINK_PORT, 2000)
    print(f"baseline: a bare SMTP client to the same sink {smtp_ceiling:,.0f} messages/s (no queue, no rendering)")
    ours.send("count")
    already = ours.recv()
    workers = start_workers(app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg2", ""), args.workers, args.threads)
    changed_at: dict[str, float] = {}
    time.sleep(3)  # the workers start
    started = time.monotonic()
    with app.app_context():
        for i, report_id in enumerate(ids):
            time.sleep(max(0.0, started + i / args.rate - time.monotonic()))
            report = db.session.get(Report, report_id)
            change_status(report, "resolved", "bench", public_message="Đã xử lý xong (bench)")
            db.session.commit()
            changed_at[report.tracking_code] = time.monotonic()
    produced = time.monotonic() - started
    delivered = 0
    while delivered < expected and time.monotonic() - started < produced + 600:
        time.sleep(0.2)
        ours.send("count")
        delivered = ours.recv() - already
    total = time.monotonic() - started
    for worker in workers:
        worker.terminate()
        worker.wait(timeout=30)
    ours.send("stop")
    count, arrivals = ours.recv()
    latencies = np.array([arrivals[code] - t for code, t in changed_at.items() if code in arrivals])
    with app.app_context():
        left = counts()
    print(f"status changes: {len(ids):,} in {produced:.1f} s ({len(ids) / produced:.0f}/s)")
    print(f"emails delivered: {delivered:,} of {expected:,} in {total:.1f} s ({delivered / total:,.0f}/s, "
          f"{delivered / total / smtp_ceiling:.2f}× the bare SMTP client); "
          f"jobs done ≈ {(len(ids) + delivered) / total:,.0f}/s; queue left {left}")
    record("notify", f"emails/s ({args.subscriptions:,} subscriptions, {args.changes:,} changes)",
           round(delivered / total), "emails/s", "", None)
    record("notify", "emails / bare SMTP client", round(delivered / total / smtp_ceiling, 2), "×", "", None)
    if len(latencies):
        p99 = float(np.percentile(latencies, 99))
        print(f"change → first email of the report: p50 {np.percentile(latencies, 50):.2f} s, "
              f"p99 {p99:.2f} s (target p99 < 5 s at 200 changes/s)")
        record("notify", f"change → email p99 at {len(ids) / produced:.0f} changes/s (asked {args.rate:.0f})",
               round(p99, 2), "s", "< 5 at 200 changes/s", p99 < 5 and len(ids) / produced >= 200)


if __name__ == "__main__":
    main()
