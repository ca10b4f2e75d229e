"""A request about personal data by phone: the code the phone sends to the city's SMS number proves it

Revision ID: 0038_privacy_request_by_phone
Revises: 0037_erasable_resident_words
Create Date: 2026-12-08
"""
from alembic import op

revision = '0038_privacy_request_by_phone'
down_revision = '0037_erasable_resident_words'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE privacy_request ADD COLUMN proof_code varchar(10)")


def downgrade():
    op.execute("ALTER TABLE privacy_request DROP COLUMN proof_code")
