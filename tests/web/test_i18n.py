"""Every string marked for translation in the code and templates has a Vietnamese translation."""
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from webapp.i18n import TRANSLATIONS

METHODS = [("**.py", "python"), ("**/templates/**.html", "jinja2"), ("**/templates/**.txt", "jinja2")]


def test_every_marked_string_is_translated_to_vietnamese():
    marked = {message for _, _, message, _, _ in extract_from_dir(
        str(TRANSLATIONS.parent), METHODS, keywords={**DEFAULT_KEYWORDS, "_l": None})}
    assert len(marked) > 100
    with open(TRANSLATIONS / "vi/LC_MESSAGES/messages.po", "rb") as handle:
        translated = {m.id: m.string for m in read_po(handle) if m.id}
    assert sorted(m for m in marked if not translated.get(m)) == []


def test_times_on_the_tracking_page_are_vietnam_time_in_the_reader_language(app, client):
    from datetime import datetime, timezone

    from reports.models import ReportEvent
    from store import db
    from tests.helpers import make_report
    report = make_report(app)
    db.session.add(ReportEvent(report=report, kind="reply", actor="officer", public=True, message="Đã ghi nhận.",
                               created_at=datetime(2026, 11, 30, 17, 5, tzinfo=timezone.utc)))
    db.session.commit()
    assert "00:05 01/12/2026" in client.get(f"/r/{report.tracking_code}").get_data(as_text=True)  # UTC+7, next day
    assert "1 Dec 2026, 00:05" in client.get(f"/r/{report.tracking_code}?lang=en").get_data(as_text=True)
