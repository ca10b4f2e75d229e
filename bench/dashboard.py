"""Dashboard queries over the benchmark city (1,000,000 synthetic reports with realistic concentration).

    .venv/bin/python -m bench.dashboard [--repeat 15]

p50/p95 of each dashboard query for 30 and 90 days (target p95 < 300 ms), of the whole page through
the app, and the export's throughput; baseline in the same run: a plain ``count(*)`` of the period.
"""
import argparse
import time

import numpy as np
from sqlalchemy import text

from bench.city import city_app
from reports.accounts import create_user
from reports.dashboard import DashboardFilters, category_breakdown, ward_figures, weekly_trends
from reports.exports import export_rows
from reports.hotspots import rank_hotspots
from tiles.aggregates import heat_cells, hexagon_counts
from webapp.extensions import db


def timed(fn, repeat):
    fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return np.array(out)


def line(label, ms):
    return f"  {label:<42} p50 {np.percentile(ms, 50):8.1f} ms  p95 {np.percentile(ms, 95):8.1f} ms"


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    app = city_app()
    app.config.update(WTF_CSRF_ENABLED=False, RATELIMIT_ENABLED=False)
    with app.app_context():
        create_user("leader.bench@demo.local", "leader", "bench-password-1", method="pbkdf2:sha256:1000")
        db.session.commit()
        for days in (30, 90):
            filters = DashboardFilters.last_days(days)
            n = db.session.execute(text("SELECT count(*) FROM report WHERE created_at >= :s"),
                                   {"s": filters.start}).scalar()
            print(f"{days} days ({n:,} reports in the period):")
            print(line("baseline: SELECT count(*) of the period",
                       timed(lambda: db.session.execute(text("SELECT count(*) FROM report WHERE created_at >= :s"),
                                                        {"s": filters.start}).scalar(), args.repeat)))
            print(line("ward figures (40 wards)", timed(lambda: ward_figures(filters), args.repeat)))
            print(line("weekly trend by field", timed(lambda: weekly_trends(filters), args.repeat)))
            print(line("category breakdown", timed(lambda: category_breakdown(filters), args.repeat)))
            print(line("heatmap cells (200 m)", timed(lambda: heat_cells(filters), args.repeat)))
            print(line("hexagons (400 m) + Gi* ranking",
                       timed(lambda: rank_hotspots(hexagon_counts(filters, 400)), args.repeat)))
        filters = DashboardFilters.last_days(90)
        start = time.perf_counter()
        rows = sum(1 for _ in export_rows(filters))
        elapsed = time.perf_counter() - start
        print(f"export stream, 90 days: {rows:,} rows in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)")
        db.session.rollback()
    client = app.test_client()
    client.post("/login", data={"email": "leader.bench@demo.local", "password": "bench-password-1"})
    print("through the app:")
    print(line("GET /dashboard?days=30 (whole page)", timed(lambda: client.get("/dashboard?days=30"), 5)))
    print(line("GET /dashboard/maps/heat?days=30", timed(lambda: client.get("/dashboard/maps/heat?days=30"), 5)))


if __name__ == "__main__":
    main()
