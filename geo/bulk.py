"""Set-based pin → ward for large tables of points (SRID 4326), the path a bulk import takes.

Driven from the ward side: each subdivided part (a small polygon) finds the pins inside its box
through the GiST index on the pins, and PostGIS re-uses the prepared part for every pin it tests.
The parts are split into shards so that several connections (one per core) can share the work;
points covered by two parts (exactly on a shared border) keep the smallest code, as in
:mod:`geo.assign`.
"""
from psycopg2 import sql

ASSIGN_SHARD_SQL = """
    INSERT INTO {result} (pin_id, code)
    WITH parts AS MATERIALIZED (
        SELECT code, geom FROM admin_unit_part
         WHERE boundary_set_id = %(set_id)s AND id %% %(shards)s = %(shard)s)
    SELECT pin.id, parts.code FROM parts JOIN {pins} pin ON ST_Covers(parts.geom, pin.geom)"""

# Only pins found twice need the tie rule: find them with one aggregate, then drop the larger codes.
RESOLVE_BORDERS_SQL = """
    WITH twice AS (SELECT pin_id, min(code) AS keep FROM {result}
                    GROUP BY pin_id HAVING count(*) > 1)
    DELETE FROM {result} r USING twice t WHERE r.pin_id = t.pin_id AND r.code <> t.keep"""


def prepare_bulk_tables(cursor, pins: str, result: str) -> None:
    """Index the pins table (``id``, ``geom`` Point 4326) and create the empty result table."""
    cursor.execute(sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING gist (geom)").format(
        sql.Identifier(f"{pins}_geom_gist"), sql.Identifier(pins)))
    cursor.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(pins)))
    cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(result)))
    cursor.execute(sql.SQL("CREATE UNLOGGED TABLE {} (pin_id int NOT NULL, code text NOT NULL)")
                   .format(sql.Identifier(result)))


def assign_shard(cursor, pins: str, result: str, set_id: int, shard: int, shards: int) -> int:
    """Assign the pins covered by shard ``shard`` of ``shards`` of the set's parts; rows written."""
    cursor.execute("SET jit = off")  # compiling this plan costs more than it saves
    cursor.execute(sql.SQL(ASSIGN_SHARD_SQL).format(result=sql.Identifier(result),
                                                    pins=sql.Identifier(pins)),
                   {"set_id": set_id, "shard": shard, "shards": shards})
    return cursor.rowcount


def resolve_borders(cursor, result: str) -> int:
    """Keep one row per pin (the smallest code); return how many border duplicates were removed."""
    cursor.execute(sql.SQL(RESOLVE_BORDERS_SQL).format(result=sql.Identifier(result)))
    return cursor.rowcount
