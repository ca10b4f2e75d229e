"""The desk's photo tools: a photo hidden from the public, and the areas an officer blurred in it

``report_photo.hidden``: the photo leaves every public output (its report stays shown);
``report_photo.blurred``: rectangles (fractions of the photo's width and height) blurred in its public
copy besides the faces found.

Revision ID: 0036_photo_tools
Revises: 0035_breach_register
Create Date: 2026-12-08
"""
from alembic import op

revision = '0036_photo_tools'
down_revision = '0035_breach_register'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE report_photo ADD COLUMN hidden boolean NOT NULL DEFAULT false, "
               "ADD COLUMN blurred jsonb NOT NULL DEFAULT '[]'")


def downgrade():
    op.execute("ALTER TABLE report_photo DROP COLUMN hidden, DROP COLUMN blurred")
