"""Routing: a new report of a field in a ward goes straight to the officer an administrator chose

Revision ID: 0024_field_routes
Revises: 0023_days_off
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0024_field_routes'
down_revision = '0023_days_off'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "field_route",
        sa.Column("ward_code", sa.String(20), primary_key=True),
        sa.Column("field", sa.String(50), primary_key=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff_user.id", ondelete="CASCADE"), nullable=False))


def downgrade():
    op.drop_table("field_route")
