"""Nearest service points: 100,000 synthetic points over Vietnam, in PostGIS and by brute force.

    .venv/bin/python -m bench.nearest [--points 100000] [--http-seconds 20]

Points are synthetic (our generator: random places inside random units of the national file),
labelled with the source ``synthetic-benchmark``. Prints p50/p99 of nearest-5 in the database
(KNN + exact geodesic distance), the same through the Python function, a brute-force WGS84
geodesic (pyproj) over all points in the same run, the agreement between them, and HTTP under 50 clients.
"""
import argparse
import io
import json
import time

import numpy as np
import shapely
from pyproj import Geod
from sqlalchemy import text

from bench.assign import NATIONAL, generate_pins, load_national_set
from bench.common import bench_app, bench_database_url, gunicorn, percentiles_ms, record, run_locust
from geo.service_points import KNN_CANDIDATES, NEAREST_SQL, nearest_service_points
from settings import PROJECT_ROOT
from store import db

SOURCE = "synthetic-benchmark"


def seed_points(app, n: int) -> np.ndarray:
    with open(f"{app.config['DATA_DIR']}/{NATIONAL}", encoding="utf-8") as handle:
        polygons = [shapely.make_valid(shapely.geometry.shape(f["geometry"])) for f in json.load(handle)["features"]]
    points = generate_pins(polygons, n, seed=11)
    with app.app_context():
        db.session.execute(text("DELETE FROM service_point WHERE source = :s"), {"s": SOURCE})
        db.session.commit()
        connection = db.session.connection().connection
        with connection.cursor() as cur:
            buffer = io.StringIO("".join(
                f"bench-{i}\tĐiểm phục vụ mô phỏng {i}\tbench_synthetic\t\t[]\t{SOURCE}\tsynthetic\tt\tf\tnow\t"
                f"SRID=4326;POINT({float(x)!r} {float(y)!r})\n" for i, (x, y) in enumerate(points)))
            cur.copy_expert("COPY service_point (external_id, name, kind, address, services, source, licence,"
                            " active, hours_assumed, imported_at, location) FROM STDIN", buffer)
            cur.execute("ANALYZE service_point")
        db.session.commit()
        coords = db.session.execute(text("SELECT id, ST_X(location), ST_Y(location) FROM service_point "
                                         "WHERE active ORDER BY id")).all()
    return np.array(coords)


GEOD = Geod(ellps="WGS84")


def geodesic_m(lon, lat, lons, lats):
    """Exact WGS84 geodesic distances (metres) from one point to every point (pyproj, vectorised)."""
    return GEOD.inv(np.full_like(lons, lon), np.full_like(lats, lat), lons, lats)[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--http-seconds", type=int, default=20)
    args = parser.parse_args()
    app = bench_app()
    load_national_set(app)
    table = seed_points(app, args.points)
    ids, lons, lats = table[:, 0].astype(int), table[:, 1], table[:, 2]
    rng = np.random.default_rng(3)
    queries = np.column_stack([rng.uniform(102.2, 109.4, args.queries), rng.uniform(8.8, 23.2, args.queries)])
    server, call, brute, same_order, same_distances = [], [], [], 0, 0
    with app.app_context():
        for lon, lat in queries.tolist():
            plan = db.session.execute(text("EXPLAIN (ANALYZE, FORMAT JSON) " + NEAREST_SQL.text), {
                "lon": lon, "lat": lat, "kind": None, "candidates": KNN_CANDIDATES}).scalar()
            server.append(plan[0]["Execution Time"] / 1000)
            start = time.perf_counter()
            found = nearest_service_points(lon, lat, limit=5)
            call.append(time.perf_counter() - start)
            start = time.perf_counter()
            distances = geodesic_m(lon, lat, lons, lats)
            truth = np.argsort(distances)[:5]
            brute.append(time.perf_counter() - start)
            same_order += [r["id"] for r in found] == list(ids[truth])
            same_distances += bool(np.allclose([r["distance_m"] for r in found], distances[truth], atol=0.01))
    print(f"nearest-5 among {len(ids):,} active service points ({args.points:,} synthetic), {args.queries} queries:")
    print(f"  PostGIS, executed in the database:      {percentiles_ms(server)}  (target < 5 ms)")
    print(f"  PostGIS, whole Python call:             {percentiles_ms(call)}")
    print(f"  baseline, brute-force WGS84 geodesic over all points (pyproj): {percentiles_ms(brute)}")
    print(f"  same 5 points in the same order as brute force: {same_order} of {args.queries}; "
          f"same 5 distances within 1 cm: {same_distances}")
    p99 = float(np.percentile(server, 99) * 1000)
    record("nearest", f"nearest 5 of {len(ids):,} points, p99 executed in PostgreSQL", round(p99, 2), "ms", "< 5", p99 < 5)
    record("nearest", "brute force over all points (baseline), p50", round(float(np.percentile(brute, 50) * 1000), 1),
           "ms", "", None)
    record("nearest", "answers equal to brute force (same 5, same order)", same_order, f"of {args.queries:,}",
           f"{args.queries:,}", same_order == args.queries)
    with gunicorn(bench_database_url()) as base:  # make run's settings
        row = run_locust(str(PROJECT_ROOT / "bench" / "nearest_locustfile.py"), base, users=50,
                         seconds=args.http_seconds, tag="nearest")
    print("GET /api/v1/service-points/nearest, 50 locust clients (~10 req/s each), gunicorn as make run:")
    print(f"  {float(row['Requests/s']):.0f} req/s, p50 {row['50%']} ms, p99 {row['99%']} ms, "
          f"failures {row['Failure Count']} of {row['Request Count']} (target p99 < 25 ms)")
    record("nearest", "HTTP p99, 50 locust clients at ~10 req/s each", float(row["99%"]), "ms", "< 25",
           float(row["99%"]) < 25)


if __name__ == "__main__":
    main()
