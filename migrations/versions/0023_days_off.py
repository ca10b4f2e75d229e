"""Days off added by an administrator (deadlines skip them like public holidays)

Revision ID: 0023_days_off
Revises: 0022_admin_pages
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0023_days_off'
down_revision = '0022_admin_pages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "day_off",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False))


def downgrade():
    op.drop_table("day_off")
