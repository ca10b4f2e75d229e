"""A synthetic city of reports with realistic concentration, for benchmarks (labelled synthetic).

No open data of Huế's markets, schools or bus stops is at hand, so the attractors are synthetic too
(and labelled so): a market near each ward's service centre, schools in the populated wards, and
"main roads" joining each ward centre to its two nearest neighbours, with bus stops along them.
Reports gather around markets (σ 120 m), schools (σ 80 m) and along roads (σ 25 m across), plus a
population-weighted background; categories follow the place (garbage and encroachment at markets,
traffic at schools, potholes and street lights on roads).
"""
import io
import random
from datetime import timedelta

import numpy as np

from reports.workflow.reassignment import assign_unplaced_synthetic_reports
from store import db, utcnow

LABEL = "[synthetic benchmark city]"
M_PER_DEG_LAT = 110_574.0
MIX = {"market": 0.35, "school": 0.20, "road": 0.25, "background": 0.20}
CATEGORIES = {"market": ["garbage", "encroachment", "food_safety", "illegal_dumping"],
              "school": ["traffic_bottleneck", "illegal_parking", "encroachment"],
              "road": ["pothole", "street_light", "traffic_bottleneck", "tree", "drainage_flooding"],
              "background": None}


def _attractors(rng, centres: np.ndarray, weights: np.ndarray):
    markets = centres + rng.normal(0, 0.002, centres.shape)
    schools = centres[rng.choice(len(centres), 120, p=weights)] + rng.normal(0, 0.01, (120, 2))
    roads = []
    for c in centres:
        d = np.hypot(*(centres - c).T)
        for j in np.argsort(d)[1:3]:
            roads.append((c, centres[j]))
    return markets, schools, roads


def _around(rng, points, n, sigma_m, lat0):
    chosen = points[rng.integers(0, len(points), n)]
    scale = np.array([sigma_m / (M_PER_DEG_LAT * np.cos(np.radians(lat0))), sigma_m / M_PER_DEG_LAT])
    return chosen + rng.normal(0, 1, (n, 2)) * scale


def _along(rng, roads, n, lat0):
    seg = rng.integers(0, len(roads), n)
    t = rng.random(n)[:, None]
    a = np.array([roads[s][0] for s in seg])
    b = np.array([roads[s][1] for s in seg])
    return a + (b - a) * t + _around(rng, np.zeros((1, 2)), n, 25, lat0)


def generate(centres: np.ndarray, populations: np.ndarray, n: int, seed: int = 2026) -> list[tuple]:
    """(lon, lat, kind) rows; ``centres`` are the wards' service-centre points (lon, lat)."""
    rng = np.random.default_rng(seed)
    weights = populations / populations.sum()
    markets, schools, roads = _attractors(rng, centres, weights)
    lat0 = float(centres[:, 1].mean())
    counts = {k: int(n * share) for k, share in MIX.items()}
    parts = [(_around(rng, markets, counts["market"], 120, lat0), "market"),
             (_around(rng, schools, counts["school"], 80, lat0), "school"),
             (_along(rng, roads, counts["road"], lat0), "road"),
             (_around(rng, centres[rng.choice(len(centres), counts["background"], p=weights)],
                      counts["background"], 1500, lat0), "background")]
    return [(float(x), float(y), kind) for pts, kind in parts for x, y in pts]


def copy_reports(rows: list[tuple], category_ids: dict, seed: int = 2026) -> int:
    """COPY the rows into ``report`` (ward assigned afterwards), with statuses, dates and ratings."""
    rnd = random.Random(seed)
    now = utcnow()
    statuses = ["received", "accepted", "assigned", "in_progress", "resolved", "resolved", "resolved", "rejected"]
    every = list(category_ids.values())
    buffer = io.StringIO()
    for lon, lat, kind in rows:
        created = now - timedelta(minutes=rnd.randint(0, 180 * 24 * 60))
        status = rnd.choice(statuses)
        options = CATEGORIES[kind]
        category = category_ids[rnd.choice(options)] if options else rnd.choice(every)
        deadline = created + timedelta(hours=72)
        first = created + timedelta(hours=rnd.uniform(0.5, 30)) if status != "received" else None
        resolved = created + timedelta(hours=rnd.uniform(2, 120)) if status == "resolved" else None
        rating = rnd.choice(["", "", "3", "4", "5", "5", "2"]) if resolved else ""
        fields = [f"SRID=4326;POINT({lon} {lat})", str(category), f"{LABEL} {kind}", status, "normal", "synthetic",
                  "t", "0", "t", created.isoformat(), created.isoformat(), deadline.isoformat(),
                  first.isoformat() if first else r"\N", resolved.isoformat() if resolved else r"\N", rating or r"\N"]
        buffer.write("\t".join(fields) + "\n")
    buffer.seek(0)
    raw = db.session.connection().connection
    with raw.cursor() as cur:
        cur.copy_expert("""COPY report (location, category_id, description, status, priority, channel, hide_identity,
                           support_count, is_synthetic, created_at, updated_at, deadline_at, first_response_at,
                           resolved_at, rating) FROM STDIN""", buffer)
    return len(rows)


def assign_wards() -> int:
    """Give this city's reports their ward (the generator keeps only points inside the province)."""
    return assign_unplaced_synthetic_reports()
