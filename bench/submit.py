"""Sustained report submission under 50 concurrent clients, and nothing lost.

    .venv/bin/python -m bench.submit [--seconds 30] [--users 50]

Serves the app with gunicorn on the benchmark database (rate limits off: one machine plays fifty
phones), drives it with wrk (``bench/submit.lua``: a new report per request), then counts this run's
rows in the database against the 201s wrk saw. wrk rather than locust: on two cores shared with the
app, locust's Python took a fifth of a core and its own event loop's delays showed in its latencies.
Baseline in the same run: the rows of as many submissions (the report and its two events, one
transaction each) through one raw SQL connection (psycopg2), i.e. what the database alone costs.
"""
import argparse
import json
import shutil
import time
import urllib.request
import uuid

from sqlalchemy import text

from bench.common import OUTPUT_DIR, bench_app, bench_database_url, gunicorn, record, run_wrk
from geo.provinces import load_province
from reports.categories import seed_demo_categories
from settings import PROJECT_ROOT
from store import db

SCRIPT = PROJECT_ROOT / "bench" / "submit.lua"


def prepare(app) -> None:
    with app.app_context():
        seed_demo_categories()
        db.session.commit()
        load_province("46", __import__("pathlib").Path(app.config["DATA_DIR"]))


def raw_sql_baseline(app, rows: int) -> float:
    """Seconds for ``rows`` submissions' rows written through one raw connection: each the report (in
    a ward, with a category) and its two events, one transaction and COMMIT each, as a submission
    writes them; no lookups, no validation, no HTTP."""
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            with connection.cursor() as cur:
                cur.execute("""SELECT u.id, u.code, u.name FROM admin_unit u
                                WHERE u.province_code = '46' AND u.level = 'ward' ORDER BY u.code LIMIT 1""")
                ward_id, ward_code, ward_name = cur.fetchone()
                cur.execute("SELECT id FROM category WHERE code = 'garbage'")
                category_id = cur.fetchone()[0]
                connection.commit()
                start = time.perf_counter()
                for _ in range(rows):
                    cur.execute("""INSERT INTO report (tracking_code, location, ward_id, category_id, description,
                                     status, priority, channel, hide_identity, support_count, is_synthetic,
                                     created_at, updated_at)
                                   VALUES (%s, ST_SetSRID(ST_MakePoint(107.58, 16.46), 4326), %s, %s,
                                     '[synthetic benchmark baseline]', 'received', 'normal', 'bench',
                                     true, 0, true, now(), now()) RETURNING id""",
                                (f"BL-{uuid.uuid4().hex[:12]}", ward_id, category_id))
                    report_id = cur.fetchone()[0]
                    cur.execute("""INSERT INTO report_event (report_id, kind, actor, public, channel, data, created_at)
                                   VALUES (%s, 'received', 'resident', true, 'bench', '{"channel": "bench"}', now()),
                                          (%s, 'ward_assigned', 'system', true, NULL, %s, now())""",
                                (report_id, report_id, json.dumps({"ward_code": ward_code, "ward_name": ward_name})))
                    connection.commit()
                elapsed = time.perf_counter() - start  # the rows stay, labelled synthetic, as the app's do:
                # events are append-only (migration 0005), so a report with events is never deleted
        finally:
            connection.close()
    return elapsed


def session_token(base: str) -> tuple[str, str]:
    """The same-origin token and its session cookie, as the phone page gets them."""
    with urllib.request.urlopen(f"{base}/api/v1/csrf-token") as response:
        cookie = response.headers["Set-Cookie"].split(";", 1)[0]
        return json.load(response)["csrf_token"], cookie


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--users", type=int, default=50, help="connections wrk keeps busy")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs it (Debian package wrk)")
    app = bench_app()
    prepare(app)
    run_id = uuid.uuid4().hex[:8]
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    acked_file = OUTPUT_DIR / f"submit-{run_id}-acknowledged.txt"
    with gunicorn(bench_database_url(),
                  extra_env={"RATELIMIT_ENABLED": "0", "PHOTO_DIR": str(PROJECT_ROOT / "var" / "bench-photos")}) as base:
        token, cookie = session_token(base)
        env = {"PHANANH_CSRF": token, "PHANANH_COOKIE": cookie, "PHANANH_RUN": run_id, "PHANANH_ACKED": str(acked_file)}
        run_wrk(base, SCRIPT, 2, args.users, {**env, "PHANANH_RUN": f"{run_id}-warm", "PHANANH_ACKED": "/dev/null"})
        figures = run_wrk(base, SCRIPT, args.seconds, args.users, env)
    acknowledged = set(acked_file.read_text().split())
    with app.app_context():
        stored = set(db.session.execute(text("SELECT tracking_code FROM report WHERE description LIKE :m"),
                                        {"m": f"[synthetic benchmark {run_id}]%"}).scalars())
    baseline = raw_sql_baseline(app, 2000)
    rps, p50, p99 = figures["rps"], figures["p50_ms"], figures["p99_ms"]
    print(f"POST /api/v1/reports, wrk with {args.users} connections, {args.seconds} s, gunicorn as make run "
          f"(webapp/gunicorn_conf.py):")
    print(f"  {rps:.0f} req/s, p50 {p50:.0f} ms, p99 {p99:.0f} ms, not 201: {figures['non_2xx']} of "
          f"{figures['requests']}  (targets: >= 300 req/s, p99 < 200 ms)")
    lost = acknowledged - stored
    print(f"  201 responses {len(acknowledged)}, this run's rows in the database {len(stored)}; "
          f"acknowledged but missing: {len(lost)}; stored but never acknowledged (cut off when the "
          f"run stopped): {len(stored - acknowledged)}")
    record("submit", f"POST /api/v1/reports, {args.users} connections", round(rps), "req/s", "≥ 300", rps >= 300)
    record("submit", "POST /api/v1/reports p99", p99, "ms", "< 200", p99 < 200)
    record("submit", "acknowledged but not stored", len(lost), "reports", "0", not lost)
    record("submit", "app / raw insert baseline", round(rps / (2000 / baseline), 2), "×", "≥ 0.25",
           rps / (2000 / baseline) >= 0.25)
    print(f"  baseline, a submission's rows (report + 2 events, one commit) on one raw connection: {2000 / baseline:.0f}/s "
          f"(app throughput is {rps / (2000 / baseline):.2f}x of it)")


if __name__ == "__main__":
    main()
