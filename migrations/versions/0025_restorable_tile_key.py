"""The tile key function names its schema (restorable: pg_restore runs with an empty search_path)

``tile_key_3857`` computes ``report.tile_key`` (a generated column). A restore of a ``pg_dump`` copies the
reports with ``search_path`` empty, so unqualified calls (``ST_X``, ``spread_bits24``) failed and no
backup could be restored (found by the restore drill, tests/ops).

Revision ID: 0025_restorable_tile_key
Revises: 0024_field_routes
Create Date: 2026-11-30
"""
from alembic import op

revision = '0025_restorable_tile_key'
down_revision = '0024_field_routes'
branch_labels = None
depends_on = None

BODY = """
CREATE OR REPLACE FUNCTION tile_key_3857(g geometry) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT {schema}spread_bits24(least(greatest(floor(({schema}ST_X(g) + 20037508.342789244) / 40075016.685578488 * 16777216), 0),
                               16777215)::bigint)
         | ({schema}spread_bits24(least(greatest(floor((20037508.342789244 - {schema}ST_Y(g)) / 40075016.685578488 * 16777216), 0),
                                 16777215)::bigint) << 1)
$$"""


def upgrade():
    op.execute(BODY.format(schema="public."))


def downgrade():
    op.execute(BODY.format(schema=""))
