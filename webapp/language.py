"""Which language a page speaks, in one place: Vietnamese first, English on request.

``?lang=`` (the one-tap switch, remembered a year in the ``lang`` cookie) → the cookie → Vietnamese;
the JSON API also honours ``Accept-Language``. Templates get ``lang``.
"""
import functools

from babel import Locale
from babel import numbers as babel_numbers
from flask import current_app, request
from flask_babel import get_locale, get_translations, refresh
from jinja2 import pass_context
from markupsafe import Markup

from webapp.extensions import babel

COOKIE_YEAR = 365 * 24 * 3600


@functools.cache
def _parsed(code: str) -> Locale:
    return Locale.parse(code)


def select_locale() -> Locale:
    """This request's language, parsed once per process (Flask-Babel parses a code on every request:
    a Locale built again and its data file looked for on disk)."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen not in languages:
        chosen = (request.path.startswith("/api/") and request.accept_languages.best_match(languages)) or languages[0]
    return _parsed(chosen)


def in_english() -> bool:
    """This request (or this ``force_locale``) speaks English: views picking names from data columns."""
    return str(get_locale()) == "en"


def _fresh_locale() -> None:
    refresh()  # the locale is per request, even when an app context outlives one (tests, shell)


def _template_language() -> dict:
    # The catalogue, looked up once per rendering (under force_locale too: emails in the
    # subscriber's language) and read by the template's gettext below.
    return {"lang": str(get_locale() or "vi"), "_translations": get_translations()}


def _translations_of(context):
    return context.get("_translations") or get_translations()


@pass_context
def _gettext(context, string):
    return _translations_of(context).ugettext(string)


@pass_context
def _template_gettext(context, string, **variables):
    """``_()`` and ``gettext()`` in templates: Jinja's newstyle gettext (escaped when the template is,
    always a format string) in one call, where Jinja's own passes through three (the ``_`` alias, the
    newstyle wrapper, then the catalogue lookup: ~2.5 µs a string, ~13 strings a page)."""
    rv = _translations_of(context).ugettext(string)
    if context.eval_ctx.autoescape:
        rv = Markup(rv)
    return rv % variables


@pass_context
def _ngettext(context, singular, plural, n):
    return _translations_of(context).ungettext(singular, plural, n)


@pass_context
def _pgettext(context, msgctxt, string):
    return _translations_of(context).upgettext(msgctxt, string)


@pass_context
def _npgettext(context, msgctxt, singular, plural, n):
    return _translations_of(context).unpgettext(msgctxt, singular, plural, n)


def _remember_choice(response):
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", lang, max_age=COOKIE_YEAR, samesite="Lax")
    return response


def number(value, digits: int = 0) -> str:
    """A number as the reader's language writes it (Babel): ``10.000``, ``1,36`` in Vietnamese."""
    if value is None:
        return "—"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=get_locale())


def percent(value, digits: int = 0) -> str:
    """A share (0–1) as a percentage in the reader's language: ``76,0 %`` in Vietnamese."""
    if value is None:
        return "—"
    return number(value * 100, digits) + " %"  # (a % in a Babel pattern would multiply by 100 again)


def distance(metres) -> str:
    """Metres to what a reader says: ``350 m`` below a kilometre, ``1,4 km`` above (never miles)."""
    if metres is None:
        return "—"
    return f"{number(metres)} m" if metres < 1000 else f"{number(metres / 1000, 1)} km"


def init_language(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel's template gettext finds the catalogue through two context proxies on every call
    # (~17 µs; a tracking page makes 29 calls, half of its rendering time): these read it from the
    # template context instead, where the context processor above put it once per rendering.
    # Jinja wraps the plural and context forms in its newstyle wrappers; ``gettext`` and ``_``, the ones
    # every page calls, are then replaced by the one-call version (``_gettext`` is only what the
    # extension requires to install).
    app.jinja_env.install_gettext_callables(_gettext, _ngettext, newstyle=True, pgettext=_pgettext,
                                            npgettext=_npgettext)
    app.jinja_env.globals.update(gettext=_template_gettext, _=_template_gettext)
    app.jinja_env.filters.update(number=number, percent=percent, distance=distance)
    app.before_request(_fresh_locale)
    app.context_processor(_template_language)
    app.after_request(_remember_choice)
