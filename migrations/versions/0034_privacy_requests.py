"""A person's requests about their personal data (``privacy_request``): access, correct, delete,
restrict, withdraw — each with its acknowledgement and answer due dates (Decree 356/2025)

Revision ID: 0034_privacy_requests
Revises: 0033_notice_version
Create Date: 2026-12-08
"""
from alembic import op

revision = '0034_privacy_requests'
down_revision = '0033_notice_version'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("""CREATE TABLE privacy_request (
                      id serial PRIMARY KEY,
                      kind varchar(10) NOT NULL CHECK (kind IN ('access', 'correct', 'delete', 'restrict', 'withdraw')),
                      status varchar(10) NOT NULL DEFAULT 'received'
                          CHECK (status IN ('received', 'verified', 'on_hold', 'done')),
                      report_id integer REFERENCES report(id) ON DELETE SET NULL,
                      email varchar(200), phone varchar(40),
                      detail text NOT NULL DEFAULT '', hold_reason text NOT NULL DEFAULT '', answer text NOT NULL DEFAULT '',
                      received_at timestamptz NOT NULL DEFAULT now(), acknowledge_by timestamptz NOT NULL,
                      due_at timestamptz NOT NULL, verified_at timestamptz, done_at timestamptz)""")
    op.execute("CREATE INDEX ix_privacy_request_open_due ON privacy_request (due_at) WHERE status <> 'done'")


def downgrade():
    op.execute("DROP TABLE privacy_request")
