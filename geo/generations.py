"""Which boundary generation is in force: the one home of that rule (MapIt's ``Generation.current``).

A boundary set is in force on a date when it is active, has started (``effective_from <= date``) and
has not ended (``date < effective_to``). Spatial lookups use the ward-level sets only (province
outlines are kept for display). Every query of ``geo``, ``reports`` and ``tiles`` that needs "the
units in force" splices :func:`in_force` instead of writing the rule again.
"""
from sqlalchemy import text

from store import db

TODAY_SQL = "current_date"


def in_force(alias: str = "s", at: str = ":at", units_only: bool = True) -> str:
    """A SQL condition on the ``boundary_set`` row ``alias``: in force on ``at``, a bind parameter
    (``:at``) or a SQL date expression (:data:`TODAY_SQL`); ``units_only`` leaves out province sets."""
    condition = (f"{alias}.active AND {alias}.effective_from <= {at} "
                 f"AND ({alias}.effective_to IS NULL OR {at} < {alias}.effective_to)")
    return f"{condition} AND {alias}.level <> 'province'" if units_only else condition


def set_ids_in_force(at: str = ":at") -> str:
    """The ids of the unit sets in force, as an init-plan array (so that a GiST index on the parts
    drives the scan rather than a join)."""
    return f"ARRAY(SELECT s.id FROM boundary_set s WHERE {in_force('s', at)})"


def set_in_force(set_name: str) -> bool:
    """Is the set named ``set_name`` in force today, by the rule every ward lookup uses?"""
    return bool(db.session.execute(text(
        f"SELECT EXISTS (SELECT 1 FROM boundary_set s WHERE s.name = :name AND {in_force('s', TODAY_SQL)})"),
        {"name": set_name}).scalar())
