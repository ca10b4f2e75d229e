"""report.tile_key: a Z-order (Morton) key of each point, for vector tiles at low zoom

The key interleaves the point's column and row in the zoom-24 Web Mercator pixel grid (EPSG:3857,
about 2.4 m at the equator; rows counted from the north as in XYZ tiles). Every tile of zoom ≤ 24
is then one contiguous range of keys, and a tile's 64 × 64 cluster cells are ``key >> shift``:
a covering B-tree (key, created_at, status, category_id, ward_id) lets PostgreSQL count the reports
of a tile by cell from the index alone, without visiting the table. Python twin: ``geo.tile_key``.

Revision ID: 0009_report_tile_key
Revises: 0008_report_duplicate_index
Create Date: 2026-11-23
"""
from alembic import op

revision = '0009_report_tile_key'
down_revision = '0008_report_duplicate_index'
branch_labels = None
depends_on = None

# gather_bits24: the even bits of a key (its column; of ``key >> 1``: its row), 8 bits at a time through a
# 256-entry table. A plain SQL expression (no PL/pgSQL call), so PostgreSQL inlines it: it runs once
# per cluster cell of every tile, tens of thousands of times per tile at low zoom.
EVEN_BITS = "'{" + ",".join(str(sum(((b >> (2 * k)) & 1) << k for k in range(4))) for b in range(256)) + "}'::int[]"
GATHER = " | ".join(f"(({EVEN_BITS})[((v >> {8 * k}) & 255) + 1] << {4 * k})" for k in range(6))

FUNCTIONS = """
CREATE FUNCTION spread_bits24(v bigint) RETURNS bigint LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
BEGIN
    v := v & 16777215;                                     -- 24 bits
    v := (v | (v << 16)) & 281470681808895;                 -- 0x0000FFFF0000FFFF
    v := (v | (v << 8)) & 71777214294589695;                -- 0x00FF00FF00FF00FF
    v := (v | (v << 4)) & 1085102592571150095;              -- 0x0F0F0F0F0F0F0F0F
    v := (v | (v << 2)) & 3689348814741910323;              -- 0x3333333333333333
    RETURN (v | (v << 1)) & 6148914691236517205;            -- 0x5555555555555555
END $$;

{gather}
-- Z-order key of a Web Mercator point in the zoom-24 pixel grid (x in even bits, y in odd bits).
CREATE FUNCTION tile_key_3857(g geometry) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT spread_bits24(least(greatest(floor((ST_X(g) + 20037508.342789244) / 40075016.685578488 * 16777216), 0),
                               16777215)::bigint)
         | (spread_bits24(least(greatest(floor((20037508.342789244 - ST_Y(g)) / 40075016.685578488 * 16777216), 0),
                                 16777215)::bigint) << 1)
$$;
""".replace("{gather}", "CREATE FUNCTION gather_bits24(v bigint) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE "
            f"AS $$ SELECT {GATHER} $$;")


def upgrade():
    op.execute(FUNCTIONS)
    op.execute("""ALTER TABLE report ADD COLUMN tile_key bigint
                  GENERATED ALWAYS AS (tile_key_3857(ST_Transform(location, 3857))) STORED""")
    op.execute("""CREATE INDEX ix_report_tile_key ON report (tile_key)
                  INCLUDE (created_at, status, category_id, ward_id)""")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_report_tile_key")
    op.execute("ALTER TABLE report DROP COLUMN tile_key")
    op.execute("DROP FUNCTION tile_key_3857(geometry); DROP FUNCTION gather_bits24(bigint); "
               "DROP FUNCTION spread_bits24(bigint)")
