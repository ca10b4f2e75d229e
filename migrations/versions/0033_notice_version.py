"""Which privacy notice a person agreed to: ``notice_version`` on reports, subscriptions and area alerts

Set by the application to ``reports.privacy.notice.NOTICE_VERSION`` when the row is made (its
``created_at`` says when); rows made before the notice existed keep NULL.

Revision ID: 0033_notice_version
Revises: 0032_hidden_reports_index
Create Date: 2026-12-08
"""
from alembic import op

revision = '0033_notice_version'
down_revision = '0032_hidden_reports_index'
branch_labels = None
depends_on = None

TABLES = ("report", "subscription", "area_alert")


def upgrade():
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} ADD COLUMN notice_version varchar(20)")


def downgrade():
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN notice_version")
