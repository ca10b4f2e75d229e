"""PostGIS extension

Revision ID: 0001_postgis
Revises:
Create Date: 2026-11-23
"""
from alembic import op

revision = '0001_postgis'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE EXTENSION IF NOT EXISTS postgis")


def downgrade():
    op.execute("DROP EXTENSION IF EXISTS postgis")
