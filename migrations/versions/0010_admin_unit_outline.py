"""admin_unit_outline: unit outlines in Web Mercator pre-simplified per tile zoom (ward tile layer)

Revision ID: 0010_admin_unit_outline
Revises: 0009_report_tile_key
Create Date: 2026-11-23
"""
import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = '0010_admin_unit_outline'
down_revision = '0009_report_tile_key'
branch_labels = None
depends_on = None

DETAILS = "{6,8,10,12,14,16}"  # geo.boundaries.OUTLINE_DETAILS when this migration was written


def upgrade():
    op.create_table(
        "admin_unit_outline",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("unit_id", sa.Integer, sa.ForeignKey("admin_unit.id", ondelete="CASCADE"), nullable=False),
        sa.Column("boundary_set_id", sa.Integer, sa.ForeignKey("boundary_set.id", ondelete="CASCADE"),
                  nullable=False),
        sa.Column("detail", sa.Integer, nullable=False),
        sa.Column("geom", Geometry("MULTIPOLYGON", srid=3857, spatial_index=False), nullable=False))
    op.create_index("ix_admin_unit_outline_unit_id", "admin_unit_outline", ["unit_id"])
    op.create_index("ix_admin_unit_outline_detail_set", "admin_unit_outline", ["detail", "boundary_set_id"])
    op.execute("CREATE INDEX idx_admin_unit_outline_geom ON admin_unit_outline USING gist (geom)")
    op.execute(f"""
        INSERT INTO admin_unit_outline (unit_id, boundary_set_id, detail, geom)
        SELECT u.id, u.boundary_set_id, d.detail,
               ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SimplifyPreserveTopology(
                   ST_Transform(u.geom, 3857), 40075016.685578488 / 2 ^ d.detail / 4096)), 3))
          FROM admin_unit u, unnest('{DETAILS}'::integer[]) AS d(detail)""")


def downgrade():
    op.drop_table("admin_unit_outline")
