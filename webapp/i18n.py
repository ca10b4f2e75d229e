"""Compiling the translation catalogues (``.po`` → ``.mo``); run by ``make`` and by the tests.

Source strings are English; ``webapp/translations/vi`` holds Vietnamese, the default language.
    python -m webapp.i18n
"""
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).parent / "translations"


def compile_catalogs() -> list[Path]:
    """Compile every ``messages.po`` whose ``.mo`` is missing or older; return what was written."""
    written = []
    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with open(po_path, "rb") as handle:
            catalog = read_po(handle)
        with open(mo_path, "wb") as handle:
            write_mo(handle, catalog)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_catalogs():
        print(f"compiled {path}")
