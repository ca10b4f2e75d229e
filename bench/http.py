"""The HTTP layer against a bare baseline, in one run: wrk drives the app (gunicorn as ``make run``
serves it) and ``bench/baseline_wsgi.py`` (the same queries with no framework, same gunicorn settings)
through the same request mix: both served at once, measured in alternating rounds (``--rounds`` of
``--seconds`` per side), the ratio the median of the rounds' ratios (on a machine whose speed drifts
from one minute to the next, one long run of each side after the other swung the ratio by ±10%). Each
side writes one access line per request: the app its JSON request log (gunicorn's own off, as
``make run``), the baseline gunicorn's access log.

    .venv/bin/python -m bench.http [--seconds 5] [--rounds 4] [--connections 50]

Prints req/s, p50/p99 and app/baseline for each endpoint, and writes ``bench/output/http.json``
(read by ``bench/summary.py``). Points and codes are drawn from the seeded synthetic reports, all
inside Huế's wards, so both sides run the same lookups.
"""
import argparse
import json
import shutil
import subprocess
import sys
from contextlib import ExitStack
from datetime import date
from pathlib import Path

import numpy as np
from sqlalchemy import text

from bench.common import OUTPUT_DIR, bench_app, gunicorn, record, run_wrk
from geo.provinces import load_province
from reports.categories import seed_demo_categories
from reports.demo.sampling import insert_synthetic_reports
from reports.tracking import new_tracking_code
from store import db

ENDPOINTS = {  # name: (path template for Lua, target ratio, target p99 ms)
    "locate": ("/api/v1/locate?lon=%.6f&lat=%.6f", 0.6, 25),
    "report API": ("/api/v1/reports/%s", 0.5, 50),
    "tracking page": ("/r/%s", 0.5, 50),
}


def seed(app, n: int = 2000) -> tuple[list[tuple[float, float]], list[str]]:
    with app.app_context():
        seed_demo_categories()
        db.session.commit()
        load_province("46", Path(app.config["DATA_DIR"]))
        have = db.session.execute(text("SELECT count(*) FROM report WHERE is_synthetic")).scalar()
        if have < n:
            insert_synthetic_reports("46", n - have, 17, date.today(), "[synthetic http bench]")
        untracked = db.session.scalars(text("SELECT id FROM report WHERE tracking_code IS NULL OR tracking_code LIKE 'BEN-%'")).all()
        if untracked:  # real-looking codes: the app refuses malformed ones before any query
            db.session.execute(text("UPDATE report SET tracking_code = :code WHERE id = :id"),
                               [{"id": i, "code": new_tracking_code("46")} for i in untracked])
        db.session.commit()
        rows = db.session.execute(text("""SELECT ST_X(location), ST_Y(location), tracking_code FROM report
                                          WHERE is_synthetic AND ward_id IS NOT NULL ORDER BY id LIMIT 500""")).all()
        return [(x, y) for x, y, _ in rows], [code for _, _, code in rows]


def lua_script(name: str, points, codes) -> Path:
    """A wrk script that picks a random point or code for every request."""
    template = ENDPOINTS[name][0]
    if name == "locate":
        table = ",".join(f"{{{x:.6f},{y:.6f}}}" for x, y in points)
        line = f'string.format("{template}", p[1], p[2])'
    else:
        table = ",".join(f'"{c}"' for c in codes)
        line = f'string.format("{template}", p)'
    path = OUTPUT_DIR / f"wrk_{name.replace(' ', '_')}.lua"
    path.write_text(f"local items = {{{table}}}\nmath.randomseed(7)\n"
                    f"request = function()\n  local p = items[math.random(#items)]\n"
                    f'  return wrk.format("GET", {line})\nend\n')
    return path


def profile(base, script: Path, name: str, connections: int) -> None:
    """A py-spy flame graph of one app worker while wrk drives it (bench/output/flame_<name>.svg)."""
    import psutil
    worker = psutil.Process(base.process.pid).children()[0].pid
    load = subprocess.Popen(["wrk", "-t2", f"-c{connections}", "-d8s", "-s", str(script), base],
                            stdout=subprocess.DEVNULL)
    svg = OUTPUT_DIR / f"flame_{name.replace(' ', '_')}.svg"
    subprocess.run([str(Path(sys.executable).parent / "py-spy"), "record", "-d", "6", "-o", str(svg), "-p", str(worker)],
                   capture_output=True, check=False)
    load.wait()
    print(f"flame graph: {svg}")


def server_env(server: str) -> dict:
    if not server:
        return {}
    worker_class, workers, threads = server.split(":")
    return {"WEB_WORKER_CLASS": worker_class, "WEB_WORKERS": workers, "WEB_THREADS": threads}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=5, help="per side and round")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--only", choices=list(ENDPOINTS), action="append")
    parser.add_argument("--profile", action="store_true",
                        help="save a py-spy flame graph of a worker under load (bench/output/flame_*.svg)")
    parser.add_argument("--server", default="", help="gunicorn settings to compare, e.g. sync:4:1 "
                        "(worker class:workers:threads); default: webapp/gunicorn_conf.py's")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench` installs it (Debian package wrk)")
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    app = bench_app("bench_http")
    points, codes = seed(app)
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("+psycopg2", "")
    results, rss = {}, []
    for name in args.only or ENDPOINTS:
        script = lua_script(name, points, codes)
        with ExitStack() as stack:
            served = {side: stack.enter_context(gunicorn(url, module=module, extra_env=server_env(args.server),
                                                         access_log=side == "baseline"))
                      for side, module in (("app", "wsgi:app"), ("baseline", "bench.baseline_wsgi:app"))}
            for base in served.values():
                run_wrk(base, script, 2, args.connections)  # warm: connections, caches
            if args.profile:
                profile(served["app"], script, name, args.connections)
            rounds = {"app": [], "baseline": []}
            for round_number in range(args.rounds):  # alternating, so that a slower minute hits both sides
                order = ("app", "baseline") if round_number % 2 == 0 else ("baseline", "app")
                for side in order:
                    rounds[side].append(run_wrk(served[side], script, args.seconds, args.connections))
            rss += served["app"].worker_rss_mb()
        ratios = [a["rps"] / b["rps"] for a, b in zip(rounds["app"], rounds["baseline"])]
        figures = {side: {key: float(np.median([r[key] for r in runs])) for key in ("rps", "p50_ms", "p99_ms")}
                   | {"non_2xx": sum(r["non_2xx"] for r in runs), "rounds": runs} for side, runs in rounds.items()}
        ratio = float(np.median(ratios))
        target_ratio, target_p99 = ENDPOINTS[name][1:]
        results[name] = {**figures, "ratio": ratio, "round_ratios": ratios, "target_ratio": target_ratio,
                         "target_p99_ms": target_p99}
        if not args.server:
            record("http", f"{name}: app / bare baseline", round(ratio, 2), "×", f"≥ {target_ratio}", ratio >= target_ratio)
            record("http", f"{name}: p99 under {args.connections} connections", figures["app"]["p99_ms"], "ms",
                   f"< {target_p99}", figures["app"]["p99_ms"] < target_p99)
            record("http", f"{name}: throughput", round(figures["app"]["rps"]), "req/s", "", None)
            record("http", f"{name}: the bare baseline's p99 in the same run", figures["baseline"]["p99_ms"], "ms",
                   "", None)
        print(f"{name:14} app {figures['app']['rps']:7,.0f} req/s p50 {figures['app']['p50_ms']:6.1f} ms "
              f"p99 {figures['app']['p99_ms']:6.1f} ms | baseline {figures['baseline']['rps']:7,.0f} req/s "
              f"p99 {figures['baseline']['p99_ms']:6.1f} ms | ratio {ratio:.2f} (target ≥ {target_ratio}, "
              f"p99 < {target_p99} ms; rounds {', '.join(f'{r:.2f}' for r in ratios)}) | "
              f"non-2xx {figures['app']['non_2xx']}/{figures['baseline']['non_2xx']}")
        # Little's law: with every connection always waiting, the mean latency is connections / throughput,
        # whatever the server does; a p99 target below the baseline's own mean is not the framework's to meet.
        print(f"{'':14} mean latency any server has at that throughput (Little's law, {args.connections} / req/s): "
              f"app {1000 * args.connections / figures['app']['rps']:.1f} ms, "
              f"baseline {1000 * args.connections / figures['baseline']['rps']:.1f} ms")
    (OUTPUT_DIR / "http.json").write_text(json.dumps(results, indent=1))
    if rss:
        print(f"gunicorn workers after the runs: RSS {max(rss):.0f} MiB at most (target ≤ 150 MiB each)")
        if not args.server:
            record("http", "gunicorn worker RSS after the runs (largest)", round(max(rss)), "MiB", "≤ 150", max(rss) <= 150)


if __name__ == "__main__":
    main()
