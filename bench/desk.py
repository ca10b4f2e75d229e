"""The desk with 1,000,000 synthetic reports in Huế: the queue page and the map data of one ward.

    .venv/bin/python -m bench.desk [--reports 1000000] [--repeat 30]

Times, through the app (test client, logged-in officer of Phường Phú Xuân, page rendered): the queue
with several filter sets, and ``/desk/map.json``. Baseline in the same run: the same SQL the queue
runs (count, first page, counts by status, overdue count) sent directly through psycopg2.
"""
import argparse
import time
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import text

from bench.common import bench_app, record
from geo.provinces import load_province
from reports.accounts.staff import create_user
from reports.categories import seed_demo_categories
from reports.demo.sampling import insert_synthetic_reports
from store import db

LABEL = "[synthetic benchmark desk] Phản ánh mô phỏng"
WARD = "19753"
FILTERS = {"all": "", "open": "?status=open", "environment, open": "?status=open&field=environment",
           "overdue": "?overdue=1", "last 7 days": "?age_days=7", "unassigned, urgent": "?assignee=none&priority=urgent"}
BASELINE_SQL = [
    "SELECT count(*) FROM report r WHERE r.ward_id IN (SELECT id FROM admin_unit WHERE code = %(w)s)"
    " AND r.status = ANY(%(open)s)",
    "SELECT r.* FROM report r WHERE r.ward_id IN (SELECT id FROM admin_unit WHERE code = %(w)s)"
    " AND r.status = ANY(%(open)s) ORDER BY r.created_at DESC LIMIT 50",
    "SELECT r.status, count(*) FROM report r WHERE r.ward_id IN (SELECT id FROM admin_unit WHERE code = %(w)s)"
    " GROUP BY r.status",
    "SELECT count(*) FROM report r WHERE r.ward_id IN (SELECT id FROM admin_unit WHERE code = %(w)s)"
    " AND r.status = ANY(%(open)s) AND r.deadline_at < now()",
]


def seed(app, target: int) -> None:
    with app.app_context():
        seed_demo_categories()
        db.session.commit()
        load_province("46", Path(app.config["DATA_DIR"]))
        have = db.session.execute(text("SELECT count(*) FROM report WHERE description = :l"), {"l": LABEL}).scalar()
        if have < target * 0.95:
            print(f"seeding {target - have:,} synthetic reports over Huế ...", flush=True)
            start = time.perf_counter()
            insert_synthetic_reports("46", target - have, 46, date.today(), LABEL)
            db.session.commit()
            db.session.execute(text("ANALYZE report"))
            db.session.commit()
            print(f"  seeded in {time.perf_counter() - start:.1f} s")
        create_user("officer.bench@demo.local", "officer", "bench-password-1", WARD, ["environment"],
                    method="pbkdf2:sha256:1000")
        db.session.commit()
        total = db.session.execute(text("SELECT count(*) FROM report")).scalar()
        ward = db.session.execute(text("SELECT count(*) FROM report r JOIN admin_unit u ON u.id = r.ward_id "
                                       "WHERE u.code = :w"), {"w": WARD}).scalar()
        print(f"reports in the database: {total:,}; in Phường Phú Xuân: {ward:,}")


def timed(fn, repeat: int) -> np.ndarray:
    fn()  # warm up
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return np.array(out) * 1000


def line(label: str, ms: np.ndarray, target_ms: float | None = 300) -> str:
    """One printed line; with a target, the p95 is also recorded for the summary table."""
    p95 = float(np.percentile(ms, 95))
    record("desk", f"{label} p95 (1M reports)", round(p95, 1), "ms", f"< {target_ms}" if target_ms else "",
           p95 < target_ms if target_ms else None)
    return f"  {label:<34} p50 {np.percentile(ms, 50):7.1f} ms  p95 {p95:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reports", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    app = bench_app()
    app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    seed(app, args.reports)
    client = app.test_client()
    client.post("/login", data={"email": "officer.bench@demo.local", "password": "bench-password-1"})
    print("queue page and map data, officer of Phường Phú Xuân (target p95 < 300 ms):")
    for label, query in FILTERS.items():
        print(line(f"/desk{query or ''} ({label})", timed(lambda: client.get(f"/desk{query}"), args.repeat)))
    print(line("/desk/map.json (20,000 newest)", timed(lambda: client.get("/desk/map.json"), args.repeat)))
    print(line("/desk/map.json?status=open", timed(lambda: client.get("/desk/map.json?status=open"), args.repeat)))
    with app.app_context():
        connection = db.engine.raw_connection()
        params = {"w": WARD, "open": ["received", "accepted", "assigned", "in_progress", "reopened"]}

        def baseline():
            with connection.cursor() as cur:
                for sql in BASELINE_SQL:
                    cur.execute(sql, params)
                    cur.fetchall()
        print("baseline, the queue's four queries (status=open) in plain SQL through psycopg2:")
        print(line("baseline: the queue's SQL (status=open)", timed(baseline, args.repeat), None))
        connection.close()


if __name__ == "__main__":
    main()
