"""Secure by default: revocable staff sessions, TOTP, the reporter's secret, database rules

- ``staff_user.session_token``: the id a session cookie carries (Flask-Login's alternative id);
  rotating it ends every session of the account. ``totp_secret`` / ``totp_enabled_at`` /
  ``recovery_codes`` (SHA-256 hashes) for two-factor sign-in; ``last_login_at``.
- ``report.reporter_secret_hash``: SHA-256 of the secret the reporter gets at submission; rating,
  reopening and subscriptions require it (the tracking code is public).
- CHECK constraints on status, priority, rating 1–5, support count ≥ 0, role, and a ward for the
  ward roles; ``report_event.public`` gets the server default the model has.
Existing rows that break a rule are not silently changed: the migration fails on them instead.

Revision ID: 0012_secure_by_default
Revises: 0011_report_period_index
Create Date: 2026-11-29
"""
import sqlalchemy as sa
from alembic import op

revision = '0012_secure_by_default'
down_revision = '0011_report_period_index'
branch_labels = None
depends_on = None

# The values in force when this migration was written (reports.states, categories, accounts).
STATUSES = ("received", "accepted", "assigned", "in_progress", "reopened", "resolved", "rejected", "closed")
PRIORITIES = ("urgent", "normal", "complex")
ROLES = ("officer", "ward_lead", "dispatcher", "leader", "admin")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


CHECKS = [
    ("report", "ck_report_status", _in("status", STATUSES)),
    ("report", "ck_report_priority", _in("priority", PRIORITIES)),
    ("report", "ck_report_rating", "rating IS NULL OR rating BETWEEN 1 AND 5"),
    ("report", "ck_report_support_count", "support_count >= 0"),
    ("staff_user", "ck_staff_user_role", _in("role", ROLES)),
    ("staff_user", "ck_staff_user_ward", "role NOT IN ('officer', 'ward_lead') OR ward_code IS NOT NULL"),
]


def upgrade():
    op.add_column("staff_user", sa.Column("session_token", sa.String(64), nullable=True))
    # gen_random_uuid() is built in (PostgreSQL 13+) and drawn from a strong random source.
    op.execute("UPDATE staff_user SET session_token = replace(gen_random_uuid()::text, '-', '')")
    op.alter_column("staff_user", "session_token", nullable=False)
    op.create_index("ix_staff_user_session_token", "staff_user", ["session_token"], unique=True)
    op.add_column("staff_user", sa.Column("totp_secret", sa.String(64), nullable=True))
    op.add_column("staff_user", sa.Column("totp_enabled_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("staff_user", sa.Column("recovery_codes", sa.dialects.postgresql.JSONB(), nullable=False,
                                          server_default=sa.text("'[]'::jsonb")))
    op.add_column("staff_user", sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("report", sa.Column("reporter_secret_hash", sa.String(64), nullable=True))
    op.alter_column("report_event", "public", server_default=sa.false())
    for table, name, condition in CHECKS:
        op.create_check_constraint(name, table, condition)


def downgrade():
    for table, name, _ in reversed(CHECKS):
        op.drop_constraint(name, table, type_="check")
    op.alter_column("report_event", "public", server_default=None)
    op.drop_column("report", "reporter_secret_hash")
    op.drop_column("staff_user", "last_login_at")
    op.drop_column("staff_user", "recovery_codes")
    op.drop_column("staff_user", "totp_enabled_at")
    op.drop_column("staff_user", "totp_secret")
    op.drop_index("ix_staff_user_session_token", table_name="staff_user")
    op.drop_column("staff_user", "session_token")
