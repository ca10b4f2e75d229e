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

REASSIGN_SQL = text("""
    WITH parts AS MATERIALIZED (  -- the fence keeps the parts as the outer side of the join
        SELECT unit_id, code, geom FROM admin_unit_part WHERE boundary_set_id = :set_id),
    target AS (
        SELECT DISTINCT ON (r.id) r.id AS report_id, r.ward_id AS old_unit_id, p.unit_id AS new_unit_id
          FROM parts p
          JOIN report r ON ST_Covers(p.geom, r.location)
         ORDER BY r.id, p.code),
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
      LEFT JOIN boundary_set os ON os.id = ou.boundary_set_id""")

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
