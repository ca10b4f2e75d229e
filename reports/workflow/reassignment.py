"""Moving stored reports to the units of a newly activated boundary set (the report domain writes its
reports; ``geo`` answers which unit covers a point and which set is in force).

One set-based statement: the join starts from the set's subdivided parts (SRID 4326) and finds the
reports they cover through the GiST index on ``report.location``; a report on a shared border takes
the unit with the smallest code (the rule of :mod:`geo.assign`). Each moved report gets one
``ward_reassigned`` event (old unit → new unit). Running it again moves nothing.

A report whose ward changes (another official code, not only a new generation of the same ward) is
routed as a transfer is: it loses its assignee (an officer of another ward, who could no longer open
it), its event is public, and the open ones start over in their new ward
(``reports.workflow.routing.restart_in_new_ward``).

The chunked form (:func:`reassign_chunk`) runs when the set takes effect, not when it is activated
(``geo.generations.set_in_force``), and covers every report stored until it finishes: reports filed
before the set took effect were placed in the old units and must move too. :func:`activate_and_reassign`
is the step above both: put a set in force, then move the reports.
"""
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import text

from geo.boundaries import activate_set, get_set
from geo.errors import BoundarySetError
from geo.generations import TODAY_SQL, in_force, set_in_force
from reports.workflow.routing import restart_in_new_ward
from store import db


def _moved(rows) -> int:
    """Count the moved reports; those now in another ward start over there."""
    rows = list(rows)
    other_ward = [report_id for report_id, public in rows if public]
    if other_ward:
        restart_in_new_ward(other_ward)
    return len(rows)

# Both statements end alike: the reports of ``target`` whose unit changes are moved, each with one
# ``ward_reassigned`` event (old unit → new unit).
MOVE_AND_LOG = """
    coded AS (
        SELECT t.*, ou.code IS DISTINCT FROM nu.code AS other_ward
          FROM target t JOIN admin_unit nu ON nu.id = t.new_unit_id LEFT JOIN admin_unit ou ON ou.id = t.old_unit_id),
    moved AS (
        UPDATE report r SET ward_id = c.new_unit_id, updated_at = now(),
               assignee_id = CASE WHEN c.other_ward THEN NULL ELSE r.assignee_id END
          FROM coded c
         WHERE r.id = c.report_id AND r.ward_id IS DISTINCT FROM c.new_unit_id
        RETURNING r.id, c.old_unit_id, c.new_unit_id, c.other_ward)
    INSERT INTO report_event (report_id, kind, actor, public, data, created_at)
    SELECT m.id, 'ward_reassigned', 'system', m.other_ward,
           jsonb_build_object('from_code', ou.code, 'from_name', ou.name, 'from_set', os.name,
                              'to_code', nu.code, 'to_name', nu.name, 'to_set', :set_name,
                              'assignee_removed', m.other_ward),
           now()
      FROM moved m
      JOIN admin_unit nu ON nu.id = m.new_unit_id
      LEFT JOIN admin_unit ou ON ou.id = m.old_unit_id
      LEFT JOIN boundary_set os ON os.id = ou.boundary_set_id
    RETURNING report_id, public"""

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
    moved = _moved(db.session.execute(REASSIGN_SQL, {"set_id": boundary_set.id,
                                                               "set_name": boundary_set.name}))
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
    """The payload of a re-assignment's first chunk; the last report id is read when it runs."""
    return {"set": set_name, "lo": 0, "last": None, "moved": 0}


LAST_REPORT_SQL = text("SELECT coalesce(max(id), 0) FROM report")


def reassign_chunk(payload: dict) -> tuple[int, int, dict | None]:
    """Move the reports of one chunk (``lo`` ≤ id < ``lo`` + ``CHUNK_REPORTS``); return the reports moved
    so far, the last report id known now, and the next chunk's payload (None when the last report is
    passed: the last id is read again then, so that reports filed meanwhile are covered too). The
    caller commits."""
    boundary_set = get_set(payload["set"])
    last = payload["last"] if payload["last"] is not None else db.session.execute(LAST_REPORT_SQL).scalar()
    hi = payload["lo"] + CHUNK_REPORTS
    moved = _moved(db.session.execute(REASSIGN_RANGE_SQL, {
        "set_id": boundary_set.id, "set_name": boundary_set.name, "lo": payload["lo"], "hi": hi}))
    total = payload["moved"] + moved
    if hi > last:
        last = db.session.execute(LAST_REPORT_SQL).scalar()
    return total, last, ({**payload, "lo": hi, "last": last, "moved": total} if hi <= last else None)


def activate_and_reassign(set_name: str, echo: Callable[[str], None] = lambda line: None) -> None:
    """Put ``set_name`` in force (ending the set it replaces) and move stored reports to its units (now
    when it is in force today; else the day it takes effect, by ``flask geo reassign`` or the job an
    activation from /admin/boundaries schedules). The caller commits."""
    closed = activate_set(set_name)
    echo(f"activated {set_name!r}" + (f"; it ends {', '.join(closed)}" if closed else ""))
    if get_set(set_name).level == "province":
        return  # reports belong to wards (or districts), never to a province outline
    if not set_in_force(set_name):  # moving reports now would place them in units not yet in force
        echo(f"{set_name!r} takes effect on {get_set(set_name).effective_from:%Y-%m-%d}: run "
             f"'flask geo reassign {set_name}' that day (an activation from /admin/boundaries schedules it)")
        return
    echo("re-assigning stored reports ...")
    for line in reassign_reports(set_name).lines():
        echo(line)


# Every report without a ward gets the unit in force on its creation date (same border rule).
ASSIGN_UNPLACED_SQL = text(f"""
    UPDATE report r SET ward_id = (
        SELECT p.unit_id FROM admin_unit_part p JOIN boundary_set s ON s.id = p.boundary_set_id
         WHERE {in_force(at="r.created_at::date")}
           AND ST_Covers(p.geom, r.location)
         ORDER BY p.code LIMIT 1)
     WHERE r.ward_id IS NULL""")


def assign_unplaced_reports() -> int:
    """Give every report that has no ward the unit covering its point; return how many were set."""
    return db.session.execute(ASSIGN_UNPLACED_SQL).rowcount


# Many synthetic reports at once (the benchmark city): the ward side first, each small part finds its
# reports by index.
ASSIGN_UNPLACED_BULK_SQL = f"""
    WITH parts AS MATERIALIZED (  -- the ward side first: each small part finds its reports by index
        SELECT p.unit_id, p.code, p.geom FROM admin_unit_part p JOIN boundary_set s ON s.id = p.boundary_set_id
         WHERE {in_force(at=TODAY_SQL)}),
    target AS (SELECT DISTINCT ON (r.id) r.id, parts.unit_id FROM parts
                 JOIN report r ON ST_Covers(parts.geom, r.location)
                WHERE r.ward_id IS NULL AND r.is_synthetic ORDER BY r.id, parts.code)
    UPDATE report r SET ward_id = target.unit_id FROM target WHERE r.id = target.id"""


def assign_unplaced_synthetic_reports(drop_outside: bool = False) -> int:
    """Set the ward of many unplaced synthetic reports (``is_synthetic``) at once; optionally delete
    those in no ward."""
    cursor = db.session.connection().connection.cursor()
    cursor.execute(ASSIGN_UNPLACED_BULK_SQL)
    placed = cursor.rowcount
    if drop_outside:
        cursor.execute("DELETE FROM report WHERE ward_id IS NULL AND is_synthetic")
    return placed
