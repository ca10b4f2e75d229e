"""Where leaders send inspectors: the ranked hotspots with what was reported in each, and a plan of
visits split between teams.

The question "where should my teams go this week?" always gets an answer. Hotspots are the hexagons
where Gi* finds reports gathering beyond chance (``analytics.hotspots``); when none is
significant (a quiet month, a small city), the places with the most reports still open and overdue
are ranked instead, and said to be that (``basis``: ``hotspot`` or ``open_overdue``). Either way,
neighbouring hexagons are one place (one stop), named by its ward and the nearest named place held.

Hotspots are hexagons of the ``ST_HexagonGrid`` tiling (edge ``size_m`` metres, Web Mercator
EPSG:3857). A hexagon's reports are read by ``tile_key`` range and kept by the rule that counted them
(the hexagon holding their zoom-20 key cell's centre, ``analytics.maps.in_hexagons``), so the list
and the count always agree. Distances between hotspots are on the ground: EPSG:3857 metres times
cos(latitude), good to a fraction of a percent across a province.
"""
import math
from collections import Counter, defaultdict

import numpy as np
from sqlalchemy import text

from analytics.hotspots import busiest, places_of, rank_hotspots
from analytics.maps import HEXAGON_CELL_LEVEL, hexagon_counts, hexagon_key_ranges, in_hexagons, with_previous_counts
from geo.assign import ward_for_point
from geo.errors import OutsideServiceArea
from geo.service_points import nearest_service_points
from geo.tile_key import KEY_ZOOM
from reports.states import OPEN_STATUSES
from store import allow_big_reads, db, utcnow

TOP_CATEGORIES = 3
LISTED_REPORTS = 30  # per hotspot, newest first (the count says how many there are in all)

# The reports of the period under the hotspots' key ranges (a few tiles around each hexagon), read
# by index range: LATERAL, one scan per range.
HOTSPOT_REPORTS_SQL = """
    SELECT r.tile_key >> :shift AS cell, r.tracking_code, r.status, r.created_at, r.deadline_at,
           ST_X(r.location) AS lon, ST_Y(r.location) AS lat, c.code AS category, c.name_vi, c.name_en
      FROM unnest(CAST(:firsts AS bigint[]), CAST(:ends AS bigint[])) AS k(first, stop),
           LATERAL (SELECT r.* FROM report r
                     WHERE r.tile_key >= k.first AND r.tile_key < k.stop AND {where} OFFSET 0) r
      LEFT JOIN category c ON c.id = r.category_id"""


def with_reports(filters, spots: list[dict], size_m: float) -> list[dict]:
    """``spots`` with ``open`` and ``overdue`` (their reports still open, and past the deadline),
    ``categories`` (the top few: code, names, n) and ``reports`` (the newest ``LISTED_REPORTS``: code,
    status, category, created_at, lon, lat)."""
    if not spots:
        return []
    ranges = hexagon_key_ranges(spots, size_m)
    allow_big_reads()
    rows = db.session.execute(text(HOTSPOT_REPORTS_SQL.format(where=filters.sql())),
                              {**filters.params(), "firsts": [a for a, _ in ranges], "ends": [b for _, b in ranges],
                               "shift": 2 * (KEY_ZOOM - HEXAGON_CELL_LEVEL)}).mappings().all()
    by_hexagon = defaultdict(list)
    if rows:
        i, j = in_hexagons(np.array([r["cell"] for r in rows], dtype=np.int64), size_m)
        for row, key in zip(rows, zip(i.tolist(), j.tolist())):
            by_hexagon[key].append(row)
    out, now = [], utcnow()
    for spot in spots:
        found = sorted(by_hexagon.get((spot["i"], spot["j"]), []), key=lambda r: r["created_at"], reverse=True)
        still_open = [r for r in found if r["status"] in OPEN_STATUSES]
        spot = dict(spot, open=len(still_open),
                    overdue=sum(1 for r in still_open if r["deadline_at"] is not None and r["deadline_at"] < now))
        names = {r["category"]: (r["name_vi"], r["name_en"]) for r in found}
        counts = Counter(r["category"] for r in found)
        out.append(dict(spot, categories=[{"code": code, "name_vi": names[code][0] if code else None,
                                           "name_en": names[code][1] if code else None, "n": n}
                                          for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or ""))
                                          [:TOP_CATEGORIES]],
                        reports=[{"tracking_code": r["tracking_code"], "status": r["status"], "category": r["category"],
                                  "name_vi": r["name_vi"], "name_en": r["name_en"], "created_at": r["created_at"],
                                  "lon": round(r["lon"], 6), "lat": round(r["lat"], 6)} for r in found[:LISTED_REPORTS]]))
    return out


def merged(place: list[dict], basis: str) -> dict:
    """One stop of neighbouring hexagons: the first (best ranked) one's position, the counts added up,
    the problem types and reports of all, each hexagon kept (``hexagons``) for the maps."""
    first = place[0]
    counts = Counter()
    names = {}
    for spot in place:
        for c in spot["categories"]:
            counts[c["code"]] += c["n"]
            names[c["code"]] = (c["name_vi"], c["name_en"])
    reports = sorted((r for s in place for r in s["reports"]), key=lambda r: r["created_at"], reverse=True)
    return dict(first, basis=basis, hexagons=[(s["i"], s["j"]) for s in place],
                **{k: sum(s[k] for s in place) for k in ("current", "previous", "open", "overdue")},
                categories=[{"code": code, "name_vi": names[code][0], "name_en": names[code][1], "n": n}
                            for code, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0] or ""))[:TOP_CATEGORIES]],
                reports=reports[:LISTED_REPORTS])


def ranked_hotspots(filters, top: int, size_m: float) -> list[dict]:
    """The ``top`` places to visit (see the module's notes), each with this period's and the previous
    period's counts, its open and overdue reports, its ward, the nearest service centre (the named place
    we know nearest to it: its name, street address and distance), its main problem types and its reports."""
    hexagons = hexagon_counts(filters, size_m)
    spots, basis = rank_hotspots(hexagons, top * 3), "hotspot"
    if not spots:
        spots, basis = busiest(hexagons, top * 4), "open_overdue"
    spots = with_reports(filters, with_previous_counts(filters, spots, size_m), size_m)
    places = [merged(place, basis) for place in places_of(spots)]
    if basis == "open_overdue":
        places = [p for p in places if p["open"]]
        places.sort(key=lambda p: (-(p["open"] + p["overdue"]), -p["current"]))
    ranked = places[:top]
    for spot in ranked:
        try:
            spot["ward"] = ward_for_point(spot["lon"], spot["lat"]).name
        except OutsideServiceArea:
            spot["ward"] = None
        nearest = nearest_service_points(spot["lon"], spot["lat"], limit=1)
        spot["nearest_service_point"] = nearest[0]["name"] if nearest else None
        spot["nearest_address"] = nearest[0]["address"] if nearest else None
        spot["nearest_distance_m"] = round(nearest[0]["distance_m"]) if nearest else None
    return ranked


def ground_distance_m(a: dict, b: dict) -> float:
    """Metres on the ground between two spots' centres (``x``, ``y`` in EPSG:3857 metres)."""
    scale = math.cos(math.radians((a["lat"] + b["lat"]) / 2))
    return math.hypot(a["x"] - b["x"], a["y"] - b["y"]) * scale


def _teams_of(points: np.ndarray, teams: int) -> np.ndarray:
    """Team of each point: k-means (Lloyd) from farthest-point seeds — deterministic, compact areas."""
    seeds = [0]
    for _ in range(1, teams):
        d = np.min([np.hypot(*(points - points[s]).T) for s in seeds], axis=0)
        seeds.append(int(d.argmax()))
    centres = points[seeds].astype(float)
    label = np.zeros(len(points), dtype=int)
    for _ in range(50):
        label = np.argmin([np.hypot(*(points - c).T) for c in centres], axis=0)
        moved = np.array([points[label == k].mean(axis=0) if (label == k).any() else centres[k] for k in range(teams)])
        if np.allclose(moved, centres):
            break
        centres = moved
    return label


def visit_plan(spots: list[dict], teams: int) -> list[dict]:
    """The hotspots split between ``teams`` inspection teams by place, each team's visits in order.

    A team starts at its hotspot nearest to a service centre (where it sets out from) and goes on to
    the nearest hotspot not yet visited; ``leg_m`` is the straight-line distance from the previous
    stop. Teams are numbered by their first hotspot's rank."""
    if not spots:
        return []
    teams = max(1, min(teams, len(spots)))
    label = _teams_of(np.array([[s["x"], s["y"]] for s in spots]), teams)
    plans = []
    for k in range(teams):
        members = [dict(s, rank=n) for n, s in enumerate(spots, 1) if label[n - 1] == k]
        if not members:
            continue
        start = min(members, key=lambda s: (s["nearest_distance_m"] is None, s["nearest_distance_m"] or 0, s["rank"]))
        route, left = [dict(start, leg_m=0)], [s for s in members if s is not start]
        while left:
            here = route[-1]
            nxt = min(left, key=lambda s: (ground_distance_m(here, s), s["rank"]))
            left.remove(nxt)
            route.append(dict(nxt, leg_m=round(ground_distance_m(here, nxt))))
        plans.append({"stops": route, "total_m": sum(s["leg_m"] for s in route),
                      "reports": sum(s["current"] for s in route)})
    plans.sort(key=lambda p: min(s["rank"] for s in p["stops"]))
    for number, plan in enumerate(plans, 1):
        plan["team"] = number
    return plans
