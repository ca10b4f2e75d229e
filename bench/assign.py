"""Bulk pin → ward over Vietnam's 3,321 units: PostGIS vs Shapely 2 STRtree, plus single lookups.

    make bench            # or: DATABASE_URL=... .venv/bin/python -m bench.assign [--pins N]

Pins are synthetic (our generator, seeded): most drawn inside randomly chosen units, some anywhere in
Vietnam's bounding box. Both engines answer the same question on the same polygons — the unit that
covers the pin, the smallest code on a shared border — and the run checks they agree.
"""
import argparse
import io
import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import numpy as np
import shapely
from sqlalchemy import text

from bench.common import bench_app, percentiles_ms, record, timed
from geo import OutsideServiceArea, ward_for_point
from geo.boundaries import activate_set
from geo.bulk import assign_shard, prepare_bulk_tables, resolve_borders
from geo.loading import import_boundaries
from store import db

NATIONAL = "boundaries/national/vn_wards_2025_simplified_0p0005.geojson"
SET_NAME = "bench-national-2025-v48"  # parts cut at 48 vertices

SHARDS = 2  # one connection per core


def generate_pins(polygons: list, n: int, seed: int = 7) -> np.ndarray:
    """``n`` (lon, lat) pins: 90 % inside random units (rejection sampling), 10 % anywhere."""
    rng = np.random.default_rng(seed)
    inside_n = int(n * 0.9)
    owners = rng.integers(0, len(polygons), inside_n)
    pins = []
    for index, count in zip(*np.unique(owners, return_counts=True)):
        polygon = polygons[index]
        minx, miny, maxx, maxy = polygon.bounds
        got = np.empty((0, 2))
        while len(got) < count:
            xs = rng.uniform(minx, maxx, count * 3)
            ys = rng.uniform(miny, maxy, count * 3)
            keep = shapely.contains_xy(polygon, xs, ys)
            got = np.vstack([got, np.column_stack([xs[keep], ys[keep]])])
        pins.append(got[:count])
    pins.append(np.column_stack([rng.uniform(102.1, 109.5, n - inside_n),
                                 rng.uniform(8.5, 23.4, n - inside_n)]))
    pins = np.vstack(pins)
    return pins[rng.permutation(len(pins))]


def shapely_assign(polygons, codes: np.ndarray, pins: np.ndarray) -> np.ndarray:
    """Code of the covering unit per pin ('' when none), smallest code on a border."""
    tree = shapely.STRtree(polygons)
    pin_idx, poly_idx = tree.query(shapely.points(pins), predicate="covered_by")
    order = np.lexsort((codes[poly_idx], pin_idx))
    pin_idx, poly_idx = pin_idx[order], poly_idx[order]
    first = np.ones(len(pin_idx), bool)
    first[1:] = pin_idx[1:] != pin_idx[:-1]
    result = np.full(len(pins), "", dtype=object)
    result[pin_idx[first]] = codes[poly_idx[first]]
    return result


def load_national_set(app) -> int:
    data_dir = app.config["DATA_DIR"]
    with app.app_context():
        import_boundaries(f"{data_dir}/{NATIONAL}", SET_NAME, "ward", date(2025, 7, 1), repair=True,
                          check_topology=False, description="benchmark only (simplified)", echo=print)
        activate_set(SET_NAME)
        db.session.commit()
        return db.session.execute(text("SELECT id FROM boundary_set WHERE name = :n"),
                                  {"n": SET_NAME}).scalar()


def copy_pins(pins: np.ndarray) -> None:
    connection = db.session.connection().connection
    with connection.cursor() as cur:
        cur.execute("DROP TABLE IF EXISTS bench_pin, bench_assigned")
        cur.execute("CREATE UNLOGGED TABLE bench_pin (id int PRIMARY KEY, geom geometry(Point, 4326))")
        buffer = io.StringIO("".join(f"{i}\tSRID=4326;POINT({float(x)!r} {float(y)!r})\n"
                                     for i, (x, y) in enumerate(pins)))
        cur.copy_expert("COPY bench_pin FROM STDIN", buffer)
        cur.execute("ANALYZE bench_pin")
    db.session.commit()


def postgis_assign(set_id: int, times: dict) -> None:
    """Index the pins, then assign them with one connection per shard of the parts, in parallel."""
    engine = db.engine  # threads have no app context of their own

    def run(work):
        connection = engine.raw_connection()
        try:
            with connection.cursor() as cursor:
                work(cursor)
            connection.commit()
        finally:
            connection.close()

    with timed("  GiST index on the pins", times):
        run(lambda cur: prepare_bulk_tables(cur, "bench_pin", "bench_assigned"))
    with timed(f"  join from the ward side ({SHARDS} connections)", times):
        with ThreadPoolExecutor(SHARDS) as pool:
            list(pool.map(lambda shard: run(lambda cur: assign_shard(
                cur, "bench_pin", "bench_assigned", set_id, shard, SHARDS)), range(SHARDS)))
    with timed("  border tie rule", times):
        run(lambda cur: resolve_borders(cur, "bench_assigned"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pins", type=int, default=1_000_000)
    args = parser.parse_args()
    app = bench_app()
    set_id = load_national_set(app)
    with open(f"{app.config['DATA_DIR']}/{NATIONAL}", encoding="utf-8") as handle:
        features = json.load(handle)["features"]
    polygons = [shapely.make_valid(shapely.geometry.shape(f["geometry"])) for f in features]
    codes = np.array([f["properties"]["code"] for f in features], dtype=object)
    print(f"units: {len(polygons)}; generating {args.pins:,} synthetic pins ...", flush=True)
    pins = generate_pins(polygons, args.pins)
    times: dict[str, float] = {}

    with timed("shapely", times):
        shapely.prepare(polygons)
        by_shapely = shapely_assign(polygons, codes, pins)
    with app.app_context():
        copy_pins(pins)
        with timed("postgis", times):
            postgis_assign(set_id, times)
        rows = db.session.execute(text("SELECT pin_id, code FROM bench_assigned")).all()
        db.session.execute(text("DROP TABLE bench_assigned, bench_pin"))
        db.session.commit()
    by_postgis = np.full(len(pins), "", dtype=object)
    for pin_id, code in rows:
        by_postgis[pin_id] = code
    agree = int((by_postgis == by_shapely).sum())
    print(f"bulk assignment of {len(pins):,} pins ({int((by_postgis != '').sum()):,} inside a unit):")
    for engine in ("postgis", "shapely"):
        print(f"  {engine:<8} {times[engine]:7.2f} s  {len(pins) / times[engine]:>12,.0f} pins/s")
    for label, seconds in times.items():
        if label.startswith("  "):
            print(f"  {label:<40} {seconds:6.2f} s")
    print(f"  PostGIS time / Shapely time: {times['postgis'] / times['shapely']:.2f}  "
          f"(target ≤ 1.5; PostGIS target ≥ 300,000 pins/s)")
    print(f"  answers agree on {agree:,} of {len(pins):,} pins ({agree / len(pins):.4%})")
    rate = len(pins) / times["postgis"]
    record("assign", f"bulk pin → ward in PostGIS ({len(pins):,} pins)", round(rate), "pins/s", "≥ 300,000", rate >= 300_000)
    record("assign", "PostGIS time / Shapely STRtree time, same pins", round(times["postgis"] / times["shapely"], 2), "×",
           "≤ 1.5", times["postgis"] / times["shapely"] <= 1.5)
    record("assign", "pins given the same unit by both engines", round(100 * agree / len(pins), 4), "%", "100",
           agree == len(pins))

    single_lookups(app, pins[:2000])


def single_lookups(app, sample: np.ndarray) -> None:
    with app.app_context():
        call, server = [], []
        for lon, lat in sample:
            start = time.perf_counter()
            try:
                ward_for_point(float(lon), float(lat))
            except OutsideServiceArea:
                pass
            call.append(time.perf_counter() - start)
        from geo.assign import WARD_FOR_POINT_SQL
        for lon, lat in sample[:300]:
            plan = db.session.execute(text("EXPLAIN (ANALYZE, FORMAT JSON) " + WARD_FOR_POINT_SQL.text),
                                      {"lon": float(lon), "lat": float(lat), "at": date.today()}).scalar()
            server.append(plan[0]["Execution Time"] / 1000)
    print("single ward_for_point (target p50 < 1 ms in the database):")
    print(f"  executed in PostgreSQL: {percentiles_ms(server)}")
    print(f"  whole Python call (SQLAlchemy round trip, outside-area path included): {percentiles_ms(call)}")
    p50 = float(np.percentile(server, 50) * 1000)
    record("assign", "ward_for_point p50 executed in PostgreSQL", round(p50, 3), "ms", "< 1", p50 < 1)


if __name__ == "__main__":
    main()
