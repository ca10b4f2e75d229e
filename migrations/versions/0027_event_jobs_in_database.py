"""Every event its job, kept by the database: a statement trigger on ``report_event`` enqueues the job
that a new event starts (subscribers' updates, area alerts, the officer's assignment email)

Before, a SQLAlchemy ``before_flush`` hook added a ``Job`` object for each such event: one more
statement per submission, the unit of work's bookkeeping for it, and a rule that held only for writes
made through the ORM session. Now any writer (ORM, Core, SQL by hand) gets the same jobs, in the
same transaction, in the events' order; one INSERT per statement however many events it adds.

Which kind starts which job (``reports/notify/updates.py`` names them):
- a public ``reply``, ``resolved``, ``rejected``, ``reopened`` or ``transferred`` → ``report_update``
- a public ``received`` → ``area_alerts``
- ``officer_assigned`` (internal) → ``staff_assignment``

Restores are not affected: ``pg_dump`` puts triggers after the data, so restored events start no jobs.

Revision ID: 0027_event_jobs_in_database
Revises: 0026_report_day_figures
Create Date: 2026-11-30
"""
from alembic import op

revision = '0027_event_jobs_in_database'
down_revision = '0026_report_day_figures'
branch_labels = None
depends_on = None


STARTS_JOB = ("(e.public AND e.kind IN ('reply', 'resolved', 'rejected', 'reopened', 'transferred', 'received'))"
              " OR e.kind = 'officer_assigned'")


def upgrade():
    op.execute("""
        CREATE FUNCTION public.report_event_jobs() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            -- Only when there is a job to add: an empty INSERT would still wake the workers
            -- (job_queue_notify is a statement trigger).
            IF EXISTS (SELECT FROM added e WHERE {starts_job}) THEN
                INSERT INTO public.job (kind, payload, report_event_id, attempts)
                SELECT CASE WHEN e.kind = 'received' THEN 'area_alerts'
                            WHEN e.kind = 'officer_assigned' THEN 'staff_assignment'
                            ELSE 'report_update' END,
                       '{{}}'::jsonb, e.id, 0
                  FROM added e
                 WHERE {starts_job}
                 ORDER BY e.id;
            END IF;
            RETURN NULL;
        END $$""".format(starts_job=STARTS_JOB))
    op.execute("""CREATE TRIGGER report_event_jobs AFTER INSERT ON report_event
                  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION public.report_event_jobs()""")


def downgrade():
    op.execute("DROP TRIGGER report_event_jobs ON report_event")
    op.execute("DROP FUNCTION public.report_event_jobs()")
