"""The breach register: each personal-data incident, the 72-hour clock to the authority, what was done

Revision ID: 0035_breach_register
Revises: 0034_privacy_requests
Create Date: 2026-12-08
"""
from alembic import op

revision = '0035_breach_register'
down_revision = '0034_privacy_requests'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""CREATE TABLE breach (
                      id serial PRIMARY KEY, found_at timestamptz NOT NULL, recorded_at timestamptz NOT NULL DEFAULT now(),
                      recorded_by varchar(200) NOT NULL, what text NOT NULL, data_kinds text NOT NULL,
                      people integer NOT NULL CHECK (people >= 0), actions text NOT NULL DEFAULT '',
                      reported_at timestamptz, people_told_at timestamptz)""")


def downgrade():
    op.execute("DROP TABLE breach")
