"""Jobs claimed one at a time under a lease, in lanes by priority; workers' heartbeats

Before, a worker thread claimed ten jobs under row locks and held that transaction open while it sent
them: a push service that never answered kept database sessions "idle in transaction" for minutes and
made a staff password reset wait behind residents' notifications (issue 28). Now a claim sets
``locked_until`` and commits; ``priority`` (0 staff and security mail, 1 residents' confirmations,
2 the rest) orders the claims and lets a lane of threads take priority 0 only. Jobs the database
starts itself (migration 0027's trigger) get their priority there: an officer's assignment is staff mail.

``last_error`` keeps the exception's type (and a server's status code) only, never its message.

``worker_heartbeat``: each running worker's threads alive, written every few seconds (``/healthz``).

Revision ID: 0029_job_lanes_and_leases
Revises: 0028_kept_map_cells
Create Date: 2026-12-07
"""
from alembic import op

revision = '0029_job_lanes_and_leases'
down_revision = '0028_kept_map_cells'
branch_labels = None
depends_on = None

STARTS_JOB = ("(e.public AND e.kind IN ('reply', 'resolved', 'rejected', 'reopened', 'transferred', 'received'))"
              " OR e.kind = 'officer_assigned'")


def _trigger_function(with_priority: bool) -> None:
    priority_column = ", priority" if with_priority else ""
    priority_value = ", CASE WHEN e.kind = 'officer_assigned' THEN 0 ELSE 2 END" if with_priority else ""
    op.execute("""
        CREATE OR REPLACE FUNCTION public.report_event_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF EXISTS (SELECT FROM added e WHERE {starts_job}) THEN
                INSERT INTO public.job (kind, payload, report_event_id, attempts{priority_column})
                SELECT CASE WHEN e.kind = 'received' THEN 'area_alerts'
                            WHEN e.kind = 'officer_assigned' THEN 'staff_assignment'
                            ELSE 'report_update' END,
                       '{{}}'::jsonb, e.id, 0{priority_value}
                  FROM added e
                 WHERE {starts_job}
                 ORDER BY e.id;
            END IF;
            RETURN NULL;
        END $$""".format(starts_job=STARTS_JOB, priority_column=priority_column, priority_value=priority_value))


def upgrade():
    op.execute("ALTER TABLE job ADD COLUMN priority smallint NOT NULL DEFAULT 2")
    op.execute("ALTER TABLE job ADD COLUMN locked_until timestamptz")
    op.execute("""UPDATE job SET priority = CASE WHEN kind = 'staff_assignment' OR payload ? 'staff_id' THEN 0
                                              WHEN payload->>'template' IN ('confirm', 'alert_confirm') THEN 1
                                              ELSE 2 END
                   WHERE done_at IS NULL AND failed_at IS NULL""")
    # last_error kept the exception's message, which could name a resident's address: its type only now.
    op.execute("UPDATE job SET last_error = split_part(last_error, ':', 1) WHERE last_error IS NOT NULL")
    op.execute("CREATE INDEX ix_job_next ON job (priority, run_at, id) WHERE done_at IS NULL AND failed_at IS NULL")
    _trigger_function(with_priority=True)
    op.execute("""CREATE TABLE worker_heartbeat (
                      name varchar(200) PRIMARY KEY, threads integer NOT NULL, threads_alive integer NOT NULL,
                      started_at timestamptz NOT NULL, beat_at timestamptz NOT NULL)""")


def downgrade():
    op.execute("DROP TABLE worker_heartbeat")
    _trigger_function(with_priority=False)
    op.execute("DROP INDEX ix_job_next")
    op.execute("ALTER TABLE job DROP COLUMN locked_until")
    op.execute("ALTER TABLE job DROP COLUMN priority")
