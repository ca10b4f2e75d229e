"""Phone numbers prove themselves before any SMS or Zalo message is sent to them; daily caps

A confirmation SMS sent to any number someone typed made the city's gateway a tool for SMS pumping
(issue 28). Now a number receives nothing until it has sent us its subscription's code by SMS
(``subscription.proof_code``; the gateway posts what it receives to ``/api/v1/hooks/sms``); a number
that has proven itself is kept in ``verified_phone``. ``message_quota`` counts each day's messages per
number and per channel for the daily caps. Pending phone subscriptions made before this revision
asked for nothing: they stay pending until their resident subscribes again.

Revision ID: 0030_phone_proof
Revises: 0029_job_lanes_and_leases
Create Date: 2026-12-07
"""
from alembic import op

revision = '0030_phone_proof'
down_revision = '0029_job_lanes_and_leases'
branch_labels = None
depends_on = None


def upgrade():
    op.execute("ALTER TABLE subscription ADD COLUMN proof_code varchar(12)")
    op.execute("""CREATE TABLE verified_phone (phone varchar(20) PRIMARY KEY, verified_at timestamptz NOT NULL)""")
    op.execute("""CREATE TABLE message_quota (day date NOT NULL, channel varchar(10) NOT NULL, key varchar(64) NOT NULL,
                                              count integer NOT NULL DEFAULT 0, PRIMARY KEY (day, channel, key))""")


def downgrade():
    op.execute("DROP TABLE message_quota")
    op.execute("DROP TABLE verified_phone")
    op.execute("ALTER TABLE subscription DROP COLUMN proof_code")
