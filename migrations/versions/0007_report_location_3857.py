"""report.location_3857: a stored Web Mercator copy of each point, for vector tiles

Revision ID: 0007_report_location_3857
Revises: 0006_api_keys
Create Date: 2026-11-23
"""
from alembic import op

revision = '0007_report_location_3857'
down_revision = '0006_api_keys'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""ALTER TABLE report ADD COLUMN location_3857 geometry(Point, 3857)
                  GENERATED ALWAYS AS (ST_Transform(location, 3857)) STORED""")
    op.execute("CREATE INDEX idx_report_location_3857 ON report USING gist (location_3857)")


def downgrade():
    op.execute("DROP INDEX IF EXISTS idx_report_location_3857")
    op.execute("ALTER TABLE report DROP COLUMN location_3857")
