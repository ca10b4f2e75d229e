"""The hidden reports by their tile key: a public low-zoom tile takes them off the kept cells

The kept cells (``report_day_cell``) count every report; a public tile subtracts the hidden ones under
it (``tiles.kept.HIDDEN_SQL``), read from this partial index, which holds only them (a handful in a
city: hiding is the dispatcher's exception).

Revision ID: 0032_hidden_reports_index
Revises: 0031_staff_sessions
Create Date: 2026-12-08
"""
from alembic import op

revision = '0032_hidden_reports_index'
down_revision = '0031_staff_sessions'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE INDEX ix_report_hidden_tile_key ON report (tile_key) WHERE hidden")


def downgrade():
    op.execute("DROP INDEX ix_report_hidden_tile_key")
