"""Administration from the browser: the admin audit trail, reply templates per field

Revision ID: 0022_admin_pages
Revises: 0021_report_updated_index
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = '0022_admin_pages'
down_revision = '0021_report_updated_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "admin_event",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(50), nullable=False),
        sa.Column("target", sa.String(300), nullable=False, server_default=""),
        sa.Column("data", postgresql.JSONB(), nullable=False, server_default=sa.text("'{}'::jsonb")))
    op.create_index("ix_admin_event_at", "admin_event", ["at"])
    op.add_column("reply_template", sa.Column("field", sa.String(50), nullable=True))


def downgrade():
    op.drop_column("reply_template", "field")
    op.drop_index("ix_admin_event_at", table_name="admin_event")
    op.drop_table("admin_event")
