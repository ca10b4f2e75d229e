"""The demo's own synthetic reports get the channel ``demo`` (backfill)

``flask demo load`` tops up its synthetic reports to a target; it now finds them by ``is_synthetic``
and this channel instead of matching their text. Rows written by earlier demo loads are recognised
here once, by the label those loads wrote.

Revision ID: 0013_demo_channel
Revises: 0012_secure_by_default
Create Date: 2026-11-29
"""
from alembic import op

revision = '0013_demo_channel'
down_revision = '0012_secure_by_default'
branch_labels = None
depends_on = None

LABEL = "[Dữ liệu mô phỏng / synthetic]"  # reports.demo.seed.SYNTHETIC_LABEL when this was written


def upgrade():
    op.execute(f"UPDATE report SET channel = 'demo' WHERE is_synthetic AND channel = 'synthetic' "
               f"AND left(description, {len(LABEL)}) = '{LABEL}'")


def downgrade():
    op.execute("UPDATE report SET channel = 'synthetic' WHERE is_synthetic AND channel = 'demo'")
