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
