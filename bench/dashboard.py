"""Dashboard queries over the benchmark city (1,000,000 synthetic reports with realistic concentration).

    .venv/bin/python -m bench.dashboard [--repeat 15]

p50/p95 of each dashboard query for 30 and 90 days (target p95 < 300 ms), computed afresh every time;
of the whole page and the heatmap through the app, both recomputed (``refresh=1``) and from the kept
figures; and the export's throughput. Baseline in the same run: a plain ``count(*)`` of the period.
"""
import argparse
import gzip
import re
import time

import numpy as np
from sqlalchemy import text

from analytics.hotspots import rank_hotspots
from analytics.maps import heat_cells, hexagon_counts, with_previous_counts
from bench.city import city_app
from bench.common import record
from reports.accounts.staff import create_user
from reports.queries.dashboard import category_breakdown, ward_figures, weekly_trends
from reports.queries.exports import export_rows
from reports.queries.filters import ReportFilter
from store import db


def timed(fn, repeat):
    fn()
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return np.array(out)


def line(label, ms, days=None):
    """A printed line; the 90-day figures are also recorded for bench/summary.py."""
    if days == 90 and not label.startswith("baseline"):
        p95 = float(np.percentile(ms, 95))
        record("dashboard", f"90 days: {label} p95 computed (1M reports)", round(p95), "ms", "< 300", p95 < 300)
    return f"  {label:<56} p50 {np.percentile(ms, 50):8.1f} ms  p95 {np.percentile(ms, 95):8.1f} ms"


ASSET = re.compile(r'(?:src|href)="(/(?:static|dashboard/maps)/[^"?#]+)(?:\?([^"]*))?"')


def page_weight(client, path: str, data_url: str | None = None) -> dict:
    """What a first visit downloads for ``path``: the page, its framed maps and their pages, the
    app's own scripts and styles, and ``data_url`` (a map's data); raw and gzip-compressed (what nginx
    would send). Tiles are not counted (the map asks for them as it is moved)."""
    seen, sizes = set(), {"documents": 0, "static": 0, "data": 0, "gzip": 0}

    def fetch(url, kind):
        if url in seen:
            return ""
        seen.add(url)
        body = client.get(url).data
        sizes[kind] += len(body)
        sizes["gzip"] += len(gzip.compress(body, 6))
        return body.decode("utf-8", "replace")

    html = fetch(path, "documents")
    for asset, query in ASSET.findall(html):
        if asset.startswith("/dashboard/maps"):
            framed = fetch(asset.replace("&amp;", "&") + ("?" + query.replace("&amp;", "&") if query else ""), "documents")
            for inner, _q in ASSET.findall(framed):
                fetch(inner, "static")
        else:
            fetch(asset, "static")
    if data_url:
        fetch(data_url, "data")
    sizes["total"] = sizes["documents"] + sizes["static"] + sizes["data"]
    return sizes


def weight_line(label: str, sizes: dict) -> str:
    return (f"  {label:<40} {sizes['total'] / 1024:7.0f} KB raw ({sizes['documents'] / 1024:.0f} pages, "
            f"{sizes['static'] / 1024:.0f} scripts and styles, {sizes['data'] / 1024:.0f} data), "
            f"{sizes['gzip'] / 1024:.0f} KB gzip")


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
            filters = ReportFilter.last_days(days)
            n = db.session.execute(text("SELECT count(*) FROM report WHERE created_at >= :s"),
                                   {"s": filters.start}).scalar()
            print(f"{days} days ({n:,} reports in the period):")
            print(line("baseline: SELECT count(*) of the period",
                       timed(lambda: db.session.execute(text("SELECT count(*) FROM report WHERE created_at >= :s"),
                                                        {"s": filters.start}).scalar(), args.repeat)))
            print(line("ward figures (40 wards)", timed(lambda: ward_figures(filters), args.repeat), days))
            print(line("weekly trend by field", timed(lambda: weekly_trends(filters), args.repeat), days))
            print(line("category breakdown", timed(lambda: category_breakdown(filters), args.repeat), days))
            print(line("heatmap cells (300 m)", timed(lambda: heat_cells(filters), args.repeat), days))
            print(line("hexagons (400 m) + Gi* ranking + previous period of the top 10",
                       timed(lambda: with_previous_counts(filters, rank_hotspots(hexagon_counts(filters, 400))), args.repeat),
                       days))
        filters = ReportFilter.last_days(90)
        start = time.perf_counter()
        rows = sum(1 for _ in export_rows(filters))
        elapsed = time.perf_counter() - start
        print(f"export stream, 90 days: {rows:,} rows in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)")
        db.session.rollback()
    client = app.test_client()
    client.post("/login", data={"email": "leader.bench@demo.local", "password": "bench-password-1"})
    print(f"through the app (figures kept {app.config['DASHBOARD_CACHE_SECONDS']} s per filter set; "
          "refresh=1 recomputes them):")
    for days in (30, 90):
        for path in (f"/dashboard?days={days}", f"/dashboard/maps/heat?days={days}"):
            print(line(f"GET {path}&refresh=1 (computed)", timed(lambda: client.get(path + "&refresh=1"), 5)))
            print(line(f"GET {path} (kept figures)", timed(lambda: client.get(path), 5)))
    dashboard = page_weight(client, "/dashboard?days=90")
    print("page weight, first visit:")
    print(weight_line("/dashboard?days=90", dashboard))
    record("dashboard", "/dashboard 90 days: first visit, pages + maps + scripts (gzip)", round(dashboard["gzip"] / 1024),
           "KB", "", None)

    print("service-point coverage (kept in coverage_cell; computed once per change of its inputs):")
    with app.app_context():
        from datetime import date

        from geo.coverage import coverage_run
        for size in (1000.0, 500.0):
            start = time.perf_counter()
            coverage_run("46", size, date.today())
            print(f"  coverage at {size:.0f} m: kept run ready in {(time.perf_counter() - start) * 1000:.0f} ms "
                  "(seconds when computed after an import)")
    page = timed(lambda: client.get("/dashboard/coverage?size=1000"), 20)
    cells = timed(lambda: client.get("/dashboard/coverage/cells.json?size=1000"), 20)
    print(line("GET /dashboard/coverage (kept)", page))
    print(line("GET /dashboard/coverage/cells.json (kept)", cells))
    p95 = float(np.percentile(page, 95))
    record("dashboard", "/dashboard/coverage p95 (kept figures)", round(p95, 1), "ms", "< 300", p95 < 300)
    coverage = page_weight(client, "/dashboard/coverage?size=1000", "/dashboard/coverage/cells.json?size=1000")
    print(weight_line("/dashboard/coverage (1,000 m)", coverage))
    own = (coverage["documents"] + coverage["data"]) / 1024
    print(f"  the page and its map's data alone: {own:.0f} KB raw (before: a 756 KB GeoJSON)")
    record("dashboard", "/dashboard/coverage: page + map data, raw", round(own), "KB", "< 150", own < 150)


if __name__ == "__main__":
    main()
