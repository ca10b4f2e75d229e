"""Partial index of failed jobs, so that /healthz counts them without reading the done ones

Revision ID: 0017_job_failed_index
Revises: 0016_push_subscriptions
Create Date: 2026-11-29
"""
from alembic import op

revision = '0017_job_failed_index'
down_revision = '0016_push_subscriptions'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE INDEX ix_job_failed ON job (failed_at) WHERE failed_at IS NOT NULL")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_job_failed")
