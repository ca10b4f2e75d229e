"""Index of reports by last update (public ones): the feed of recent reports beside the public map

Revision ID: 0021_report_updated_index
Revises: 0020_coverage_cells
Create Date: 2026-11-30
"""
from alembic import op

revision = '0021_report_updated_index'
down_revision = '0020_coverage_cells'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE INDEX ix_report_public_updated ON report (updated_at DESC, id DESC) "
               "WHERE tracking_code IS NOT NULL AND NOT hidden")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_report_public_updated")
