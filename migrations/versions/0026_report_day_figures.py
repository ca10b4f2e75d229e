"""The leaders' figures kept per day and ward: report_day (counts), report_day_times (durations),
report_day_cell and report_day_hexagon (maps), report_day_mark (days and wards changed since folded)

Revision ID: 0026_report_day_figures
Revises: 0025_restorable_tile_key
Create Date: 2026-11-30

Row triggers on ``report`` append a mark (local day of ``created_at``, ward) for every report
inserted, deleted, or updated in a column the figures read; ``reports.queries.daily.fold`` (the
worker, once a minute) recomputes the marked days from the reports and deletes their marks. Queries
read the kept rows of unmarked days and the reports themselves for marked days, so the figures are
exact whatever the worker's delay. Existing reports are all marked here: the first fold keeps them.
"""
from alembic import op

revision = '0026_report_day_figures'
down_revision = '0025_restorable_tile_key'
branch_labels = None
depends_on = None

OPEN_STATUSES = "('received', 'accepted', 'assigned', 'in_progress', 'reopened')"
LOCAL_DAY = "({t}.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date"
# The columns the figures read: a change in any other column (support count, text, photos) marks nothing.
FIGURE_COLUMNS = ("ward_id", "category_id", "status", "created_at", "deadline_at", "first_response_at",
                  "resolved_at", "rating")


def upgrade():
    op.execute("""
        CREATE TABLE report_day (
            day date NOT NULL,              -- local (Asia/Ho_Chi_Minh) day of created_at
            ward_id integer NOT NULL,
            category_id integer,
            status varchar(20) NOT NULL,
            is_open boolean NOT NULL,       -- an open status (reports.states)
            deadline_day date,              -- open reports only: local day of the deadline
            received integer NOT NULL,
            resolved integer NOT NULL,      -- resolved_at set
            on_time integer NOT NULL,       -- resolved by the deadline
            ratings integer NOT NULL,
            rating_sum integer NOT NULL,
            good_ratings integer NOT NULL,  -- rated 4 or 5
            reopened integer NOT NULL       -- reports with a reopen event
        )""")
    op.execute("CREATE INDEX ix_report_day_day_ward ON report_day (day, ward_id)")
    op.execute("""
        CREATE TABLE report_day_times (
            day date NOT NULL,
            ward_id integer NOT NULL,
            category_id integer,
            first_response bytea NOT NULL,  -- seconds from filing to the first public answer, int4 big-endian
            resolution bytea NOT NULL       -- seconds from filing to resolution, int4 big-endian
        )""")
    op.execute("CREATE INDEX ix_report_day_times_day_ward ON report_day_times (day, ward_id)")
    # Reports per zoom-17 key cell (~300 m, geo.tile_key) per day and ward: the leaders' heatmap.
    op.execute("CREATE TABLE report_day_cell (day date NOT NULL, ward_id integer NOT NULL, cell bigint NOT NULL, "
               "n integer NOT NULL)")
    op.execute("CREATE INDEX ix_report_day_cell_day_ward ON report_day_cell (day, ward_id)")
    # Reports per 400 m hexagon (the dashboard's hotspot grid, by the zoom-20 key cell rule) per day and ward.
    op.execute("CREATE TABLE report_day_hexagon (day date NOT NULL, ward_id integer NOT NULL, i integer NOT NULL, "
               "j integer NOT NULL, n integer NOT NULL)")
    op.execute("CREATE INDEX ix_report_day_hexagon_day_ward ON report_day_hexagon (day, ward_id)")
    op.execute("CREATE TABLE report_day_mark (day date NOT NULL, ward_id integer NOT NULL)")
    op.execute("CREATE INDEX ix_report_day_mark ON report_day_mark (day, ward_id)")
    # Open reports by deadline: the figures count those falling due today until now from the reports.
    op.execute(f"CREATE INDEX ix_report_open_deadline ON report (deadline_at) "
               f"INCLUDE (created_at, ward_id, category_id, status, resolved_at) WHERE status IN {OPEN_STATUSES}")
    # Row triggers whose WHEN is checked before any function runs: an update that changes no figure
    # column (support count, text, photos, updated_at) and an event other than a reopening cost nothing.
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in FIGURE_COLUMNS)
    op.execute(f"""
        CREATE FUNCTION public.report_day_mark_row() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP <> 'INSERT' AND OLD.ward_id IS NOT NULL THEN
                INSERT INTO public.report_day_mark (day, ward_id) VALUES ({LOCAL_DAY.format(t='OLD')}, OLD.ward_id);
            END IF;
            IF TG_OP <> 'DELETE' AND NEW.ward_id IS NOT NULL
               AND (TG_OP = 'INSERT' OR OLD.ward_id IS DISTINCT FROM NEW.ward_id OR OLD.created_at IS DISTINCT FROM NEW.created_at) THEN
                INSERT INTO public.report_day_mark (day, ward_id) VALUES ({LOCAL_DAY.format(t='NEW')}, NEW.ward_id);
            END IF;
            RETURN NULL;
        END $$""")
    op.execute("CREATE TRIGGER report_day_mark_insert AFTER INSERT ON report FOR EACH ROW WHEN (NEW.ward_id IS NOT NULL) "
               "EXECUTE FUNCTION public.report_day_mark_row()")
    op.execute(f"CREATE TRIGGER report_day_mark_update AFTER UPDATE ON report FOR EACH ROW WHEN ({changed}) "
               "EXECUTE FUNCTION public.report_day_mark_row()")
    op.execute("CREATE TRIGGER report_day_mark_delete AFTER DELETE ON report FOR EACH ROW WHEN (OLD.ward_id IS NOT NULL) "
               "EXECUTE FUNCTION public.report_day_mark_row()")
    # A reopen event counts in its report's day (the workflow changes the status too; an import may not).
    op.execute(f"""
        CREATE FUNCTION public.report_day_mark_reopened() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO public.report_day_mark (day, ward_id)
            SELECT {LOCAL_DAY.format(t='r')}, r.ward_id FROM public.report r WHERE r.id = NEW.report_id AND r.ward_id IS NOT NULL;
            RETURN NULL;
        END $$""")
    op.execute("CREATE TRIGGER report_day_mark_reopened AFTER INSERT ON report_event FOR EACH ROW "
               "WHEN (NEW.kind = 'reopened') EXECUTE FUNCTION public.report_day_mark_reopened()")
    op.execute("""
        CREATE FUNCTION public.report_day_forget() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            DELETE FROM public.report_day; DELETE FROM public.report_day_times; DELETE FROM public.report_day_cell;
            DELETE FROM public.report_day_hexagon; DELETE FROM public.report_day_mark;
            RETURN NULL;
        END $$""")
    op.execute("CREATE TRIGGER report_day_truncate AFTER TRUNCATE ON report FOR EACH STATEMENT "
               "EXECUTE FUNCTION public.report_day_forget()")
    # Every stored report is marked: until the worker's first fold the figures read the reports.
    op.execute(f"INSERT INTO report_day_mark (day, ward_id) SELECT DISTINCT {LOCAL_DAY.format(t='r')}, r.ward_id "
               "FROM report r WHERE r.ward_id IS NOT NULL")


def downgrade():
    for operation in ("insert", "update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS report_day_mark_{operation} ON report")
    op.execute("DROP TRIGGER IF EXISTS report_day_truncate ON report")
    op.execute("DROP TRIGGER IF EXISTS report_day_mark_reopened ON report_event")
    op.execute("DROP FUNCTION IF EXISTS public.report_day_mark_reopened()")
    op.execute("DROP FUNCTION IF EXISTS public.report_day_mark_row()")
    op.execute("DROP FUNCTION IF EXISTS public.report_day_forget()")
    op.execute("DROP INDEX IF EXISTS ix_report_open_deadline")
    op.execute("DROP TABLE IF EXISTS report_day, report_day_times, report_day_cell, report_day_hexagon, report_day_mark")
