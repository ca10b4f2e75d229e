"""Low-zoom map tiles from the kept cells: ``report_day_cell`` gains the open reports per cell and an
index by cell, so a tile reads the cells of its key ranges instead of every report under it

A zoom-10 tile of a million-report city counts the whole city: 130–430 ms from the reports at zoom
8–10. The cells kept per day and ward (zoom-17 key cells, ~300 m, migration 0026) hold a few reports
each; a tile's key ranges are ranges of cells too, read through ``ix_report_day_cell_cell`` (an
index-only scan: day and ward for the period and the marks, the counts for the tile).

A report moved within its ward and day now marks its day too (its cell changes; no page moves a
report, but an import or SQL by hand may). ``open`` is new, so every kept day is marked: until the worker folds a day again, the tiles and the
heatmap read that day from the reports (exact either way; see ``reports.queries.daily``).

Revision ID: 0028_kept_map_cells
Revises: 0027_event_jobs_in_database
Create Date: 2026-11-30
"""
from alembic import op

revision = '0028_kept_map_cells'
down_revision = '0027_event_jobs_in_database'
branch_labels = None
depends_on = None

FIGURE_COLUMNS = ("ward_id", "category_id", "status", "created_at", "deadline_at", "first_response_at",
                  "resolved_at", "rating")  # migration 0026's


def _update_trigger(columns) -> None:
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    op.execute("DROP TRIGGER IF EXISTS report_day_mark_update ON report")
    op.execute(f"CREATE TRIGGER report_day_mark_update AFTER UPDATE ON report FOR EACH ROW WHEN ({changed}) "
               "EXECUTE FUNCTION public.report_day_mark_row()")


def upgrade():
    op.execute("ALTER TABLE report_day_cell ADD COLUMN open integer NOT NULL DEFAULT 0")
    op.execute("INSERT INTO report_day_mark (day, ward_id) SELECT DISTINCT day, ward_id FROM report_day_cell")
    op.execute("CREATE INDEX ix_report_day_cell_cell ON report_day_cell (cell) INCLUDE (day, ward_id, n, open)")
    _update_trigger(FIGURE_COLUMNS + ("tile_key",))


def downgrade():
    _update_trigger(FIGURE_COLUMNS)
    op.execute("DROP INDEX IF EXISTS ix_report_day_cell_cell")
    op.execute("ALTER TABLE report_day_cell DROP COLUMN open")
