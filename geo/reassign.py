"""Moving stored reports to the units of a newly activated boundary set.

One set-based statement: the join starts from the set's subdivided parts (SRID 4326) and finds the
reports they cover through the GiST index on ``report.location``; a report on a shared border takes
the unit with the smallest code (the rule of :mod:`geo.assign`). Each moved report gets one
``ward_reassigned`` event (old unit → new unit). Running it again moves nothing.
"""
from dataclasses import dataclass

from sqlalchemy import text

from geo.boundaries import get_set
from geo.errors import BoundarySetError
from store import db

# Both statements end alike: the reports of ``target`` whose unit changes are moved, each with one
# ``ward_reassigned`` event (old unit → new unit).
MOVE_AND_LOG = """
    moved AS (
        UPDATE report r SET ward_id = t.new_unit_id, updated_at = now()
          FROM target t
         WHERE r.id = t.report_id AND r.ward_id IS DISTINCT FROM t.new_unit_id
        RETURNING r.id, t.old_unit_id, t.new_unit_id)
    INSERT INTO report_event (report_id, kind, actor, data, created_at)
    SELECT m.id, 'ward_reassigned', 'system',
           jsonb_build_object('from_code', ou.code, 'from_name', ou.name, 'from_set', os.name,
                              'to_code', nu.code, 'to_name', nu.name, 'to_set', :set_name),
           now()
      FROM moved m
      JOIN admin_unit nu ON nu.id = m.new_unit_id
      LEFT JOIN admin_unit ou ON ou.id = m.old_unit_id
      LEFT JOIN boundary_set os ON os.id = ou.boundary_set_id"""

REASSIGN_SQL = text("""
    WITH parts AS MATERIALIZED (  -- the fence keeps the parts as the outer side of the join
        SELECT unit_id, code, geom FROM admin_unit_part WHERE boundary_set_id = :set_id),
    target AS (
        SELECT DISTINCT ON (r.id) r.id AS report_id, r.ward_id AS old_unit_id, p.unit_id AS new_unit_id
          FROM parts p
          JOIN report r ON ST_Covers(p.geom, r.location)
         ORDER BY r.id, p.code),""" + MOVE_AND_LOG)

# Reports still on a unit of a set that is no longer in force and that no new unit covers.
STRANDED_SQL = text("""
    SELECT count(*) FROM report r JOIN admin_unit u ON u.id = r.ward_id
      JOIN boundary_set s ON s.id = u.boundary_set_id
     WHERE s.effective_to IS NOT NULL AND s.effective_to <= current_date""")


@dataclass
class ReassignSummary:
    set_name: str
    moved: int
    stranded: int

    def lines(self) -> list[str]:
        return [f"re-assigned {self.moved} reports to units of {self.set_name!r}",
                f"reports left on units no longer in force (outside the new boundaries): {self.stranded}"]


def reassign_reports(set_name: str) -> ReassignSummary:
    """Re-assign every stored report covered by set ``set_name``; the caller commits."""
    boundary_set = get_set(set_name)
    if boundary_set.level == "province":
        raise BoundarySetError("reports are assigned to wards or districts, not to province outlines")
    moved = db.session.execute(REASSIGN_SQL, {"set_id": boundary_set.id,
                                              "set_name": boundary_set.name}).rowcount
    stranded = db.session.execute(STRANDED_SQL).scalar()
    return ReassignSummary(boundary_set.name, moved, stranded)


# The same move for one range of report ids, driven from the reports (primary key range) to the set's
# parts (their GiST index): a job does the reports in chunks, each chunk its own transaction, so a long
# re-assignment shows its progress and survives a restart (a chunk done again moves nothing).
REASSIGN_RANGE_SQL = text("""
    WITH target AS (
        SELECT DISTINCT ON (r.id) r.id AS report_id, r.ward_id AS old_unit_id, p.unit_id AS new_unit_id
          FROM report r
          JOIN admin_unit_part p ON p.boundary_set_id = :set_id AND ST_Covers(p.geom, r.location)
         WHERE r.id >= :lo AND r.id < :hi
         ORDER BY r.id, p.code),""" + MOVE_AND_LOG)

# What activating a set would do, before it is done: reports that would change unit.
WOULD_MOVE_SQL = text("""
    SELECT count(*) FROM (
        SELECT DISTINCT ON (r.id) r.ward_id, p.unit_id
          FROM report r JOIN admin_unit_part p ON p.boundary_set_id = :set_id AND ST_Covers(p.geom, r.location)
         ORDER BY r.id, p.code) t
     WHERE t.ward_id IS DISTINCT FROM t.unit_id""")

CHUNK_REPORTS = 50_000


def reports_that_would_move(set_name: str) -> int:
    return db.session.execute(WOULD_MOVE_SQL, {"set_id": get_set(set_name).id}).scalar()


def first_chunk(set_name: str) -> dict:
    """The payload of a re-assignment's first chunk: every report id known now, in chunks."""
    last = db.session.execute(text("SELECT coalesce(max(id), 0) FROM report")).scalar()
    return {"set": set_name, "lo": 0, "last": last, "moved": 0}


def reassign_chunk(payload: dict) -> tuple[int, dict | None]:
    """Move the reports of one chunk (``lo`` ≤ id < ``lo`` + ``CHUNK_REPORTS``); return the reports moved
    so far and the next chunk's payload (None when ``last`` is passed). The caller commits."""
    boundary_set = get_set(payload["set"])
    hi = payload["lo"] + CHUNK_REPORTS
    moved = db.session.execute(REASSIGN_RANGE_SQL, {"set_id": boundary_set.id, "set_name": boundary_set.name,
                                                    "lo": payload["lo"], "hi": hi}).rowcount
    total = payload["moved"] + moved
    return total, ({**payload, "lo": hi, "moved": total} if hi <= payload["last"] else None)
