"""Web Push subscriptions: a report's subscriber is an email or a browser's push subscription

Revision ID: 0016_push_subscriptions
Revises: 0015_area_alerts
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = '0016_push_subscriptions'
down_revision = '0015_area_alerts'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("subscription", sa.Column("push", JSONB, nullable=True))
    op.add_column("subscription", sa.Column("push_endpoint", sa.String(1000), nullable=True))
    op.alter_column("subscription", "email", nullable=True)
    op.create_check_constraint("ck_subscription_one_channel", "subscription", "(email IS NULL) <> (push IS NULL)")
    op.create_unique_constraint("uq_subscription_report_push", "subscription", ["report_id", "push_endpoint"])


def downgrade():
    op.execute("DELETE FROM subscription WHERE email IS NULL")
    op.drop_constraint("uq_subscription_report_push", "subscription", type_="unique")
    op.drop_constraint("ck_subscription_one_channel", "subscription", type_="check")
    op.alter_column("subscription", "email", nullable=False)
    op.drop_column("subscription", "push_endpoint")
    op.drop_column("subscription", "push")
