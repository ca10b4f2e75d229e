"""Updates by SMS or Zalo (a subscription's phone and channel) and area alerts by Web Push

Revision ID: 0018_phone_and_push_alerts
Revises: 0017_job_failed_index
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = '0018_phone_and_push_alerts'
down_revision = '0017_job_failed_index'
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("subscription", sa.Column("phone", sa.String(20), nullable=True))
    op.add_column("subscription", sa.Column("channel", sa.String(10), nullable=True))
    op.execute("UPDATE subscription SET channel = CASE WHEN push IS NULL THEN 'email' ELSE 'push' END")
    op.alter_column("subscription", "channel", nullable=False)
    op.drop_constraint("ck_subscription_one_channel", "subscription", type_="check")
    op.create_check_constraint("ck_subscription_one_channel", "subscription", """
        (channel = 'email' AND email IS NOT NULL AND push IS NULL AND phone IS NULL)
        OR (channel = 'push' AND push IS NOT NULL AND email IS NULL AND phone IS NULL)
        OR (channel IN ('sms', 'zalo') AND phone IS NOT NULL AND email IS NULL AND push IS NULL)""")
    op.create_unique_constraint("uq_subscription_report_phone", "subscription", ["report_id", "channel", "phone"])
    op.add_column("area_alert", sa.Column("push", JSONB, nullable=True))
    op.add_column("area_alert", sa.Column("push_endpoint", sa.String(1000), nullable=True))
    op.alter_column("area_alert", "email", nullable=True)
    op.create_check_constraint("ck_area_alert_one_channel", "area_alert", "(email IS NULL) <> (push IS NULL)")


def downgrade():
    op.execute("DELETE FROM area_alert WHERE email IS NULL")
    op.drop_constraint("ck_area_alert_one_channel", "area_alert", type_="check")
    op.alter_column("area_alert", "email", nullable=False)
    op.drop_column("area_alert", "push_endpoint")
    op.drop_column("area_alert", "push")
    op.execute("DELETE FROM subscription WHERE channel IN ('sms', 'zalo')")
    op.drop_constraint("uq_subscription_report_phone", "subscription", type_="unique")
    op.drop_constraint("ck_subscription_one_channel", "subscription", type_="check")
    op.create_check_constraint("ck_subscription_one_channel", "subscription", "(email IS NULL) <> (push IS NULL)")
    op.drop_column("subscription", "channel")
    op.drop_column("subscription", "phone")
