"""Notification throughput: status changes on followed reports fan out into emails delivered to a
local SMTP sink (aiosmtpd), by worker threads running the real job queue.

    .venv/bin/python -m bench.notify [--subscriptions 100000] [--changes 10000] [--rate 200] [--workers 2]

Prints jobs/s, the time from a status change (its commit) to the email's arrival (p50, p99), and a
baseline in the same run: plain inserts into the job table (the cheapest possible enqueue).
Reports are synthetic (``insert_synthetic_reports``) in a database of their own.
"""
import argparse
import email
import email.policy
import threading
import time
from datetime import date
from pathlib import Path

import numpy as np
from aiosmtpd.controller import Controller
from sqlalchemy import text

from bench.common import bench_app
from reports.categories import seed_demo_categories
from reports.demo.sampling import insert_synthetic_reports
from reports.models import Report
from reports.notify.queue import counts
from reports.workflow.lifecycle import change_status
from store import db
from webapp.demo import load_province
from webapp.worker import work_due

SINK_PORT = 2527


class Sink:
    def __init__(self):
        self.arrivals: dict[str, float] = {}
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        subject = str(email.message_from_bytes(envelope.content, policy=email.policy.default)["Subject"] or "")
        self.arrivals.setdefault(subject.split(":")[0].strip(), time.perf_counter())  # "HUE-XXXX-XXXX: …"
        self.count += 1
        return "250 OK"


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
            INSERT INTO subscription (report_id, email, language, token, confirmed_at)
            SELECT r.id, 'bench' || r.id || '-' || k || '@example.invalid', 'vi', md5(r.id || '-' || k), now()
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
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    app = bench_app("bench_notify")
    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=SINK_PORT)
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{SINK_PORT}"
    ids = seed(app, args.subscriptions, args.changes)
    per = max(1, args.subscriptions // len(ids))
    expected = len(ids) * per
    print(f"{len(ids):,} reports, {expected:,} confirmed subscriptions; {len(ids):,} status changes at {args.rate:.0f}/s")
    print(f"baseline: plain inserts into the job table {baseline_inserts(app, len(ids)):,.0f} rows/s")
    changed_at: dict[str, float] = {}
    stop = threading.Event()

    def worker():
        with app.app_context():
            while not stop.is_set():
                if not work_due(200):
                    time.sleep(0.05)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(args.workers)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    with app.app_context():
        for i, report_id in enumerate(ids):
            due = started + i / args.rate
            time.sleep(max(0.0, due - time.perf_counter()))
            report = db.session.get(Report, report_id)
            change_status(report, "resolved", "bench", public_message="Đã xử lý xong (bench)")
            db.session.commit()
            changed_at[report.tracking_code] = time.perf_counter()
    produced = time.perf_counter() - started
    while sink.count < expected and time.perf_counter() - started < produced + 600:
        time.sleep(0.2)
    total = time.perf_counter() - started
    stop.set()
    controller.stop()
    latencies = np.array([sink.arrivals[code] - t for code, t in changed_at.items() if code in sink.arrivals])
    with app.app_context():
        left = counts()
    print(f"status changes: {len(ids):,} in {produced:.1f} s ({len(ids) / produced:.0f}/s)")
    print(f"emails delivered: {sink.count:,} of {expected:,} in {total:.1f} s ({sink.count / total:,.0f}/s); "
          f"jobs done ≈ {(len(ids) + sink.count) / total:,.0f}/s; queue left {left}")
    if len(latencies):
        print(f"change → first email of the report: p50 {np.percentile(latencies, 50):.2f} s, "
              f"p99 {np.percentile(latencies, 99):.2f} s (target p99 < 5 s at 200 changes/s)")


if __name__ == "__main__":
    main()
