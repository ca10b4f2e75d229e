"""The production shape with two app nodes against one, in the same run, through the same nginx.

    .venv/bin/python -m bench.stack [--seconds 15] [--connections 50]

Builds the stack of ``devtools/stack.py`` under ``var/stack-bench`` (primary + streaming replica, Redis,
nginx, gunicorn nodes with ``webapp/gunicorn_conf.py``'s settings), seeds 20,000 synthetic reports, then
drives it with wrk: public map tiles at city zoom and tracking pages (reads), and report submissions
(each with its own Idempotency-Key). Prints req/s, p50/p99 and two nodes / one node, and the cores
used. On a machine with the cores for it, two nodes should serve ≥ 1.6× one node's reads; on 2 cores
both nodes share the same two cores (each already runs cores + 1 workers), so the ratio says what the
second node costs, not what it adds.
"""
import argparse
import os
import random
import subprocess
import time
from pathlib import Path

import psycopg2
import requests

from bench.common import OUTPUT_DIR, record
from bench.http import run_wrk
from devtools.stack import cluster_pair, ensure_nginx, flask, nginx_conf, stack_env, start_node, stop_pair
from geo.tile_key import tile_of
from ops.database import create_database
from settings import PROJECT_ROOT

HOME = PROJECT_ROOT / "var" / "stack-bench"
PRIMARY, REPLICA, NODES, NGINX = 25491, 25492, (5191, 5192), 8191


def lua(name: str, body: str) -> Path:
    path = OUTPUT_DIR / f"wrk_stack_{name}.lua"
    path.write_text(body)
    return path


def read_script(codes: list[str]) -> Path:
    """Half tiles of central Huế at zoom 14 (clusters, kept a minute), half tracking pages."""
    tiles = {tile_of(107.55 + dx * 0.02, 16.43 + dy * 0.02, 14) for dx in range(5) for dy in range(4)}
    paths = [f"/tiles/reports/{z}/{x}/{y}.pbf" for z, x, y in sorted(tiles)] + [f"/r/{c}" for c in random.sample(codes, 200)]
    table = ",".join(f'"{p}"' for p in paths)
    return lua("reads", f"local items = {{{table}}}\nmath.randomseed(11)\nrequest = function()\n"
                        f'  return wrk.format("GET", items[math.random(#items)])\nend\n')


def submit_script(base: str) -> Path:
    session = requests.Session()
    token = session.get(f"{base}/api/v1/csrf-token", timeout=10).json()["csrf_token"]
    cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    body = '{"category":"garbage","description":"Rác (đo tải)","lat":16.4698,"lon":107.5786,"acknowledge_duplicate":true}'
    return lua("submit", f"""local n = 0
local id = tostring(os.time()) .. tostring(math.random(1000000))
request = function()
  n = n + 1
  return wrk.format("POST", "/api/v1/reports", {{["Content-Type"] = "application/json", ["X-CSRFToken"] = "{token}",
    ["Cookie"] = "{cookie}", ["Idempotency-Key"] = id .. "-" .. n}}, '{body}')
end
""")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=50)
    args = parser.parse_args()
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    primary, replica = cluster_pair(HOME, PRIMARY, REPLICA)
    create_database(primary)
    env = stack_env(primary, replica, NGINX, HOME, PHANANH_ENV="development", SUBMIT_RATE_LIMIT="1000000 per minute",
                    REQUEST_LOG="0")
    flask(env, "db", "upgrade", quiet=True)
    flask(env, "demo", "load", "--reports", "20000", quiet=True)
    conn = psycopg2.connect(primary)
    with conn.cursor() as cur:
        cur.execute("SELECT tracking_code FROM report WHERE tracking_code IS NOT NULL LIMIT 5000")
        codes = [row[0] for row in cur.fetchall()]
    conn.close()
    nodes = [start_node(env, p, stderr=subprocess.DEVNULL) for p in NODES]
    nginx = ensure_nginx()
    base = f"http://127.0.0.1:{NGINX}"
    results = {}
    try:
        time.sleep(4)
        for label, upstream in (("one node", NODES[:1]), ("two nodes", NODES)):
            server = subprocess.Popen([nginx, "-c", str(nginx_conf(NGINX, HOME.resolve(), upstream)), "-g", "daemon off;"],
                                      cwd=HOME, stderr=subprocess.DEVNULL)
            try:
                time.sleep(1)
                reads = read_script(codes)
                run_wrk(base, reads, 3, args.connections)  # warm: pools, caches
                results[label] = {"reads": run_wrk(base, reads, args.seconds, args.connections),
                                  "submissions": run_wrk(base, submit_script(base), args.seconds, args.connections)}
            finally:
                server.terminate()
                server.wait(timeout=10)
    finally:
        for node in nodes:
            node.terminate()
            node.wait(timeout=30)
        stop_pair(HOME)
    print(f"cores: {os.cpu_count()}; each node runs {(os.cpu_count() or 1) + 1} sync workers; wrk {args.connections} "
          f"connections, {args.seconds} s; through nginx, reads from the replica")
    for kind in ("reads", "submissions"):
        one, two = results["one node"][kind], results["two nodes"][kind]
        for label, figures in (("one node", one), ("two nodes", two)):
            print(f"  {kind:<12} {label:<10} {figures['rps']:8.0f} req/s  p50 {figures['p50_ms']:6.1f} ms  "
                  f"p99 {figures['p99_ms']:6.1f} ms  non-2xx {figures['non_2xx']}")
        ratio = two["rps"] / one["rps"]
        print(f"  {kind:<12} two nodes / one node: {ratio:.2f}×")
        if kind == "reads":
            record("stack", "reads through nginx, two nodes / one node", round(ratio, 2), "×",
                   "≥ 1.6 (with the cores for it)", ratio >= 1.6 if (os.cpu_count() or 1) >= 8 else None)


if __name__ == "__main__":
    main()
