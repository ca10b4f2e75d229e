"""Covering index for the leaders' period queries; partial index of reopen events

The dashboard reads every report of a period (30 or 90 days: hundreds of thousands in a city of a
million). With ``created_at`` indexed together with the columns its figures use, PostgreSQL answers
from the index alone (index-only scan) instead of visiting table pages scattered over the table.

Revision ID: 0011_report_period_index
Revises: 0010_admin_unit_outline
Create Date: 2026-11-23
"""
from alembic import op

revision = '0011_report_period_index'
down_revision = '0010_admin_unit_outline'
branch_labels = None
depends_on = None

PERIOD_COLUMNS = ("id, ward_id, category_id, status, tile_key, deadline_at, first_response_at, resolved_at, "
                  "rating")  # reports.models.PERIOD_INDEX_COLUMNS when this migration was written


def upgrade():
    op.execute("DROP INDEX IF EXISTS ix_report_created_at")
    op.execute(f"CREATE INDEX ix_report_created_at ON report (created_at) INCLUDE ({PERIOD_COLUMNS})")
    op.execute("CREATE INDEX ix_report_event_reopened ON report_event (report_id) WHERE kind = 'reopened'")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_report_event_reopened")
    op.execute("DROP INDEX IF EXISTS ix_report_created_at")
    op.execute("CREATE INDEX ix_report_created_at ON report (created_at)")
