"""Streaming the filtered reports for export: no personal data, a server-side cursor, any size."""
import csv
import io

from sqlalchemy import text

from store import db

EXPORT_FIELDS = ("tracking_code", "created_at", "status", "category", "category_vi", "category_en", "field", "priority",
                 "ward_code", "ward_name", "lat", "lon", "deadline_at", "resolved_at", "rating", "support_count",
                 "description")

EXPORT_SQL = """
    SELECT r.tracking_code, r.created_at, r.status, c.code AS category, c.name_vi AS category_vi,
           c.name_en AS category_en, c.field, r.priority,
           u.code AS ward_code, u.name AS ward_name, round(ST_Y(r.location)::numeric, 6)::float AS lat,
           round(ST_X(r.location)::numeric, 6)::float AS lon, r.deadline_at, r.resolved_at, r.rating,
           r.support_count, CASE WHEN r.hidden THEN NULL ELSE r.description END AS description
      FROM report r LEFT JOIN category c ON c.id = r.category_id JOIN admin_unit u ON u.id = r.ward_id
     WHERE u.province_code = :province AND {where}
     ORDER BY r.id"""


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """A text cell a spreadsheet shows as text, never runs as a formula (OWASP's CSV injection advice:
    a cell starting with = + - @ tab or carriage return gets a leading apostrophe). Numbers,
    dates and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_row(values) -> list:
    return [spreadsheet_safe(v) for v in values]


def csv_line(values) -> str:
    """One CSV line of spreadsheet-safe cells (the csv module's quoting)."""
    out = io.StringIO()
    csv.writer(out).writerow(csv_row(values))
    return out.getvalue()


def export_rows(filters, batch: int = 5000):
    """Yield row mappings in batches from a server-side cursor (constant memory for a million rows)."""
    result = db.session.execute(text(EXPORT_SQL.format(where=filters.sql())), filters.params(),
                                execution_options={"stream_results": True, "yield_per": batch})
    for row in result.mappings():
        yield row
