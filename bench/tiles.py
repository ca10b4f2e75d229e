"""Vector tiles over the benchmark city (1,000,000 synthetic reports with realistic concentration).

    .venv/bin/python -m bench.tiles [--repeat 40]

For each layer and zoom, tiles around Huế's centre are requested through the app (test client), each
rendered afresh, and, in the same run, the same ST_AsMVT SQL is executed directly (the baseline);
p50/p95, the ratio and the tile sizes are printed, then the same requests as served (aggregate tiles
kept for their max-age: the first request of each tile renders it). Clusters and hotspots up to
zoom 11 read the cells the worker keeps per day (``tiles.kept``; the city is folded
when seeded).
"""
import argparse
import time

import numpy as np

from bench.city import city_app
from bench.common import record
from geo.tile_key import tile_of
from reports.queries.filters import ReportFilter
from store import db
from tiles import mvt

CENTRE = (107.585, 16.463)


def tiles_around(z: int, n: int = 3) -> list[tuple[int, int, int]]:
    _, x0, y0 = tile_of(*CENTRE, z)
    return [(z, x0 + dx, y0 + dy) for dx in range(-(n // 2), n // 2 + 1) for dy in range(-(n // 2), n // 2 + 1)]


def measure(fn, tiles, repeat):
    times, sizes = [], []
    for i in range(repeat):
        z, x, y = tiles[i % len(tiles)]
        start = time.perf_counter()
        size = fn(z, x, y)
        times.append((time.perf_counter() - start) * 1000)
        sizes.append(size)
    return np.array(times), max(sizes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=45)
    parser.add_argument("--reports", type=int, default=1_000_000)
    args = parser.parse_args()
    app = city_app(args.reports)
    client = app.test_client()
    filters = ReportFilter(days=365)
    layers = [("reports", z, lambda z, x, y: mvt.report_tile(z, x, y, filters)) for z in (9, 10, 11, 12, 14, 16)]
    layers += [("hotspots", z, lambda z, x, y: mvt.hotspot_tile(z, x, y, filters)) for z in (8, 9, 10, 11, 12, 13)]
    layers += [("wards", z, lambda z, x, y: mvt.ward_tile(z, x, y)) for z in (10, 12, 14)]
    print(f"{'layer':<9} {'z':>2}  {'HTTP p50':>9} {'HTTP p95':>9}  {'SQL p50':>8} {'SQL p95':>8}  {'ratio':>5}  "
          f"{'kept p50':>9} {'kept p95':>9}  {'max size':>9}")
    with app.app_context():
        for name, z, direct in layers:
            tiles = tiles_around(z)
            sql, size = measure(lambda z, x, y: len(direct(z, x, y)), tiles, args.repeat)
            app.config["TILE_CACHE_SECONDS"] = 0  # every request renders its tile
            http, _ = measure(lambda z, x, y: len(client.get(f"/tiles/{name}/{z}/{x}/{y}.pbf?days=365").data),
                              tiles, args.repeat)
            app.config["TILE_CACHE_SECONDS"] = 60  # as served: aggregate tiles kept for their max-age
            kept, _ = measure(lambda z, x, y: len(client.get(f"/tiles/{name}/{z}/{x}/{y}.pbf?days=365").data),
                              tiles, args.repeat + len(tiles))
            ratio = np.percentile(http, 95) / max(np.percentile(sql, 95), 1e-6)
            p95 = float(np.percentile(http, 95))
            record("tiles", f"{name} z{z} p95 computed through the app (1M reports)", round(p95, 1), "ms", "< 100",
                   p95 < 100)
            print(f"{name:<9} {z:>2}  {np.percentile(http, 50):7.1f}ms {np.percentile(http, 95):7.1f}ms  "
                  f"{np.percentile(sql, 50):6.1f}ms {np.percentile(sql, 95):6.1f}ms  {ratio:5.2f}  "
                  f"{np.percentile(kept, 50):7.1f}ms {np.percentile(kept, 95):7.1f}ms  {size / 1024:7.1f}KB")
            db.session.rollback()
    print("HTTP: rendered on every request; kept: as served, clusters (z < 15) and hotspots kept for")
    print("TILE_CACHE_SECONDS (60 s, the tiles' max-age; the first request of each tile renders it).")
    print("targets: tiles p95 < 100 ms (z14 reports < 50 ms), HTTP ≤ 1.5 × SQL, tiles < 500 KB")


if __name__ == "__main__":
    main()
