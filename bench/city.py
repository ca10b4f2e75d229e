"""The benchmark city: 1,000,000 synthetic reports over Huế with realistic concentration
(``reports.demo.city``), in a database of its own (``<name>_bench_city``), seeded once."""
import time
from pathlib import Path

import numpy as np
import shapely
from sqlalchemy import text

from bench.common import bench_app
from geo.provinces import load_province
from reports.categories import seed_demo_categories
from reports.demo.city import assign_wards, copy_reports, generate
from reports.queries.daily import fold_all, marks_waiting
from store import db


def inside_province(rows: list[tuple]) -> list[tuple]:
    """Keep the generated points that fall inside Huế's wards (Shapely, vectorised)."""
    outline = db.session.execute(text(
        "SELECT ST_AsBinary(ST_Union(u.geom)) FROM admin_unit u JOIN boundary_set s ON s.id = u.boundary_set_id "
        "WHERE s.name = 'hue-wards-2025'")).scalar()
    area = shapely.from_wkb(bytes(outline))
    shapely.prepare(area)
    xy = np.array([(r[0], r[1]) for r in rows])
    keep = shapely.contains_xy(area, xy[:, 0], xy[:, 1])
    return [r for r, k in zip(rows, keep) if k]


def city_app(target: int = 1_000_000):
    app = bench_app("bench_city")
    with app.app_context():
        seed_demo_categories()
        db.session.commit()
        load_province("46", Path(app.config["DATA_DIR"]))
        have = db.session.execute(text("SELECT count(*) FROM report WHERE is_synthetic")).scalar()
        if have < target * 0.9:
            start = time.perf_counter()
            centres = db.session.execute(text(
                "SELECT ST_X(sp.location), ST_Y(sp.location), coalesce(u.population, 1000) FROM service_point sp "
                "JOIN admin_unit u ON u.id = sp.ward_id WHERE sp.kind = 'ward_service_center'")).all()
            points = np.array([[c[0], c[1]] for c in centres])
            populations = np.array([c[2] for c in centres], dtype=float)
            rows = inside_province(generate(points, populations, int((target - have) * 1.08)))
            categories = dict(db.session.execute(text("SELECT code, id FROM category")).all())
            print(f"seeding {len(rows):,} synthetic city reports ...", flush=True)
            copy_reports(rows, categories)
            placed = assign_wards()
            db.session.commit()
            # Index-only scans need the visibility map set: autovacuum would do it later, do it now.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE report"))
            print(f"  {placed:,} placed in a ward in {time.perf_counter() - start:.0f} s", flush=True)
        if marks_waiting():
            # The worker's fold, done now: the dashboard benchmark measures the kept figures.
            start = time.perf_counter()
            folded = fold_all()
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
                connection.execute(text("VACUUM ANALYZE report_day, report_day_times, report_day_cell, report_day_hexagon, "
                                        "report_day_mark"))
            print(f"  daily figures kept for {folded:,} days × wards in {time.perf_counter() - start:.0f} s", flush=True)
        total = db.session.execute(text("SELECT count(*) FROM report")).scalar()
        print(f"reports in the benchmark city: {total:,}", flush=True)
    return app
