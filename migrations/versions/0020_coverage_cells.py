"""Service-point coverage kept in tables: computed once per change of service points or boundaries

Revision ID: 0020_coverage_cells
Revises: 0019_job_notify
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = '0020_coverage_cells'
down_revision = '0019_job_notify'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "coverage_run",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("province_code", sa.String(10), nullable=False),
        sa.Column("size_m", sa.Integer(), nullable=False),
        sa.Column("inputs_version", sa.Text(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("province_code", "size_m", "inputs_version"))
    op.create_table(
        "coverage_cell",
        sa.Column("run_id", sa.Integer(), sa.ForeignKey("coverage_run.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("i", sa.Integer(), primary_key=True),
        sa.Column("j", sa.Integer(), primary_key=True),
        sa.Column("distance_m", sa.Integer(), nullable=False),
        sa.Column("ward_code", sa.String(20), nullable=True),
        sa.Column("nearest_name", sa.String(300), nullable=True))


def downgrade():
    op.drop_table("coverage_cell")
    op.drop_table("coverage_run")
