"""Staff sessions kept on the server, ended at sign-out; a second-factor code is good once

A signed cookie naming the account went on opening the desk after "Đăng xuất" when someone had copied
it (issue 28). Each sign-in now opens a ``staff_session`` row (only the SHA-256 of its token is kept),
which sign-out and "end this session" close. Cookies issued before this revision name the account's
token, not a session: their holders sign in again.

``staff_user.totp_last_step``: the time step of the last TOTP code accepted; that step and earlier ones
are refused (a code could open two sessions within its 30 seconds).

Revision ID: 0031_staff_sessions
Revises: 0030_phone_proof
Create Date: 2026-12-07
"""
from alembic import op

revision = '0031_staff_sessions'
down_revision = '0030_phone_proof'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""CREATE TABLE staff_session (
                      id serial PRIMARY KEY, token_hash varchar(64) NOT NULL UNIQUE,
                      user_id integer NOT NULL REFERENCES staff_user(id) ON DELETE CASCADE,
                      user_token varchar(64) NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
                      last_seen_at timestamptz NOT NULL DEFAULT now(), ended_at timestamptz,
                      device varchar(200) NOT NULL DEFAULT '')""")
    op.execute("CREATE INDEX ix_staff_session_user_open ON staff_session (user_id) WHERE ended_at IS NULL")
    op.execute("ALTER TABLE staff_user ADD COLUMN totp_last_step bigint")


def downgrade():
    op.execute("ALTER TABLE staff_user DROP COLUMN totp_last_step")
    op.execute("DROP TABLE staff_session")
