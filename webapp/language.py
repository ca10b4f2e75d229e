"""Which language a page speaks, in one place: Vietnamese first, English on request.

``?lang=`` (the one-tap switch, remembered a year in the ``lang`` cookie) → the cookie → Vietnamese;
the JSON API also honours ``Accept-Language``. Templates get ``lang``.
"""
from flask import current_app, request
from flask_babel import get_locale, refresh

from webapp.extensions import babel

COOKIE_YEAR = 365 * 24 * 3600


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in languages:
        return chosen
    if request.path.startswith("/api/"):
        return request.accept_languages.best_match(languages) or languages[0]
    return languages[0]


def _fresh_locale() -> None:
    refresh()  # the locale is per request, even when an app context outlives one (tests, shell)


def _template_language() -> dict:
    return {"lang": str(get_locale() or "vi")}


def _remember_choice(response):
    lang = request.args.get("lang")
    if lang in current_app.config["LANGUAGES"]:
        response.set_cookie("lang", lang, max_age=COOKIE_YEAR, samesite="Lax")
    return response


def init_language(app) -> None:
    babel.init_app(app, locale_selector=select_locale)
    app.before_request(_fresh_locale)
    app.context_processor(_template_language)
    app.after_request(_remember_choice)
