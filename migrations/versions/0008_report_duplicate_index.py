"""Index report.duplicate_of_id (a self-reference: deleting or merging must not scan the table)

Revision ID: 0008_report_duplicate_index
Revises: 0007_report_location_3857
Create Date: 2026-11-23
"""
from alembic import op

revision = '0008_report_duplicate_index'
down_revision = '0007_report_location_3857'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_report_duplicate_of_id", "report", ["duplicate_of_id"])


def downgrade():
    op.drop_index("ix_report_duplicate_of_id", table_name="report")
