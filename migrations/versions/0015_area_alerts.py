"""Local alerts: new reports in a ward or around a point, by email, at once or in a daily digest

Revision ID: 0015_area_alerts
Revises: 0014_jobs_subscriptions
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op
from geoalchemy2 import Geometry

revision = '0015_area_alerts'
down_revision = '0014_jobs_subscriptions'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "area_alert",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("language", sa.String(5), nullable=False, server_default="vi"),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("ward_code", sa.String(20), nullable=True),
        sa.Column("location", Geometry("POINT", srid=4326, spatial_index=False), nullable=True),
        sa.Column("radius_m", sa.Integer, nullable=True),
        sa.Column("field", sa.String(40), nullable=True),
        sa.Column("digest", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()),
        sa.CheckConstraint("(ward_code IS NOT NULL) <> (location IS NOT NULL)", name="ck_area_alert_one_area"),
        sa.CheckConstraint("location IS NULL OR radius_m BETWEEN 100 AND 5000", name="ck_area_alert_radius"))
    op.create_index("ix_area_alert_ward_code", "area_alert", ["ward_code"])
    op.execute("CREATE INDEX ix_area_alert_location ON area_alert USING gist (location)")


def downgrade():
    op.execute("DROP INDEX IF EXISTS ix_area_alert_location")
    op.drop_index("ix_area_alert_ward_code", table_name="area_alert")
    op.drop_table("area_alert")
