"""Wake idle workers when jobs are enqueued: a statement trigger on ``job`` NOTIFYs ``job_queue``

Revision ID: 0019_job_notify
Revises: 0018_phone_and_push_alerts
Create Date: 2026-11-29
"""
from alembic import op

revision = '0019_job_notify'
down_revision = '0018_phone_and_push_alerts'
branch_labels = None
depends_on = None


def upgrade():
    # One notification per INSERT statement (however many rows), delivered at commit; the payload is
    # empty: a woken worker claims due jobs as usual.
    op.execute("""
        CREATE FUNCTION job_queue_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('job_queue', '');
            RETURN NULL;
        END $$""")
    op.execute("""CREATE TRIGGER job_queue_notify AFTER INSERT ON job
                  FOR EACH STATEMENT EXECUTE FUNCTION job_queue_notify()""")


def downgrade():
    op.execute("DROP TRIGGER job_queue_notify ON job")
    op.execute("DROP FUNCTION job_queue_notify()")
