"""Shared benchmark plumbing: a database of its own, the app bound to it, percentiles, gunicorn."""
import json
import os
import re
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import psutil
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from devtools.ports import free_port
from ops.database import create_database
from settings import PROJECT_ROOT, Config
from webapp import create_app

OUTPUT_DIR = PROJECT_ROOT / "bench" / "output"


def bench_database_url(suffix: str = "bench") -> str:
    url = make_url(Config.SQLALCHEMY_DATABASE_URI)
    return url.set(database=f"{url.database}_{suffix}").render_as_string(hide_password=False)


def bench_app(suffix: str = "bench"):
    """The app on a benchmark database (created and migrated when missing; kept between runs)."""
    url = bench_database_url(suffix)
    create_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
    return app


def percentiles_ms(seconds) -> str:
    ms = np.asarray(seconds) * 1000
    return f"p50 {np.percentile(ms, 50):.3f} ms, p99 {np.percentile(ms, 99):.3f} ms (n={len(ms)})"


@contextmanager
def timed(label: str, results: dict):
    start = time.perf_counter()
    yield
    results[label] = time.perf_counter() - start




class Served(str):
    """A served base URL that also knows its gunicorn master (``process``)."""

    process: subprocess.Popen

    def worker_rss_mb(self) -> list[float]:
        """Resident memory of each gunicorn worker, in MiB."""
        return [child.memory_info().rss / 2 ** 20 for child in psutil.Process(self.process.pid).children()]


def record(bench: str, figure: str, value: float, unit: str, target: str, met: bool | None) -> None:
    """Keep one figure for ``bench/summary.py`` (``bench/output/figures.json``, replaced per figure)."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUTPUT_DIR / "figures.json"
    figures = json.loads(path.read_text()) if path.exists() else {}
    figures[f"{bench} | {figure}"] = {"value": value, "unit": unit, "target": target, "met": met,
                                       "measured": time.strftime("%Y-%m-%d %H:%M")}
    path.write_text(json.dumps(figures, indent=1, ensure_ascii=False))


@contextmanager
def gunicorn(database_url: str, module: str = "wsgi:app", extra_env: dict | None = None, access_log: bool = False):
    """Serve ``module`` on the benchmark database with ``make run``'s settings (``webapp.gunicorn_conf``,
    which ``extra_env`` may tune: ``WEB_WORKERS``, ``WEB_THREADS``, ``WEB_WORKER_CLASS``); yield its URL.

    As ``make run``, gunicorn writes no access log: the app writes its own JSON line per request (its
    cost is part of what is measured), here to a file rather than over the benchmark's output. A bare
    baseline, which has no request log of its own, asks for gunicorn's (``access_log``): one line per
    request on each side."""
    port = free_port()
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DATABASE_URL": database_url, "PORT": str(port), **(extra_env or {})}
    if access_log:
        env["ACCESS_LOG"] = str(OUTPUT_DIR / "access.log")
    log = open(OUTPUT_DIR / "gunicorn.log", "ab")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "python:webapp.gunicorn_conf", "--log-level", "warning",
         module], cwd=PROJECT_ROOT, env=env, stderr=log)
    base = Served(f"http://127.0.0.1:{port}")
    base.process = process
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(base: str, script: Path, seconds: int, connections: int, env: dict | None = None) -> dict:
    """wrk (2 threads) with a Lua script (``env``: variables it reads); requests per second, p50/p99 in
    ms, how many requests and how many answered other than 2xx/3xx."""
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), base],
                         capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}).stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if "99" not in percentiles:
        raise RuntimeError(f"wrk printed no latency distribution:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
            "p50_ms": _ms(percentiles["50"]), "p99_ms": _ms(percentiles["99"]),
            "requests": int(re.search(r"(\d+) requests in", out).group(1)), "non_2xx": int(errors.group(1)) if errors else 0}


def run_locust(locustfile: str, host: str, users: int, seconds: int, tag: str,
               extra: list[str] | None = None) -> dict:
    """Run locust headless; return the aggregated row of its stats CSV (times in ms)."""
    import csv
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    prefix = OUTPUT_DIR / tag
    subprocess.run([str(Path(sys.executable).parent / "locust"), "-f", locustfile, "--headless",
                    "-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", host,
                    "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
                    "--stop-timeout", "15", *(extra or [])],
                   cwd=PROJECT_ROOT, check=False, stdout=subprocess.DEVNULL)
    with open(f"{prefix}_stats.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return next(r for r in rows if r["Name"] == "Aggregated")
