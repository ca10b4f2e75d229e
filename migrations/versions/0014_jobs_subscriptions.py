"""Notifications: the job outbox and subscriptions to a report's updates

Revision ID: 0014_jobs_subscriptions
Revises: 0013_demo_channel
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = '0014_jobs_subscriptions'
down_revision = '0013_demo_channel'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "job",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("payload", JSONB, nullable=False, server_default=sa.text("'{}'::jsonb")),
        sa.Column("report_event_id", sa.Integer, sa.ForeignKey("report_event.id"), nullable=True),
        sa.Column("dedupe_key", sa.String(200), nullable=True, unique=True),
        sa.Column("run_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("clock_timestamp()")),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text, nullable=True),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.text("clock_timestamp()")))
    op.create_index("ix_job_due", "job", ["run_at"], postgresql_where=sa.text("done_at IS NULL AND failed_at IS NULL"))
    op.create_table(
        "subscription",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("report.id", ondelete="CASCADE"), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("language", sa.String(5), nullable=False, server_default="vi"),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.UniqueConstraint("report_id", "email", name="uq_subscription_report_email"))
    op.create_index("ix_subscription_report_id", "subscription", ["report_id"])


def downgrade():
    op.drop_index("ix_subscription_report_id", table_name="subscription")
    op.drop_table("subscription")
    op.drop_index("ix_job_due", table_name="job")
    op.drop_table("job")
