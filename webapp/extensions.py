"""Flask extensions, created unbound and attached in :func:`webapp.create_app` (the database handle
``db`` lives in ``store``, below the web package; ``create_app`` binds it too)."""
from flask import current_app
from flask_babel import Babel
from flask_babel import lazy_gettext as _l
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

migrate = Migrate()
babel = Babel()
cache = Cache()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message = _l("Please sign in to see this page.")
login_manager.login_message_category = "error"


def remember(key: str, seconds: int, compute, refresh: bool = False):
    """``compute()``'s value, cached under ``key`` for ``seconds``; ``refresh`` computes it
    again. Zero or less caches nothing (Flask-Caching would read a timeout of 0 as "for ever"). A cache
    that does not answer (Redis down) is skipped, logged, and used again when it answers: the page is
    computed instead of failing."""
    if seconds <= 0:
        return compute()
    try:
        value = None if refresh else cache.get(key)
    except Exception as exc:  # noqa: BLE001  (any client error: the cache is not usable now)
        current_app.logger.warning("cache unavailable (%s): computing without it", type(exc).__name__)
        return compute()
    if value is None:
        value = compute()
        try:
            cache.set(key, value, timeout=seconds)
        except Exception as exc:  # noqa: BLE001
            current_app.logger.warning("cache unavailable (%s): not cached", type(exc).__name__)
    return value


def photo_storage():
    """The app's photo storage, built once by ``create_app`` (``PHOTO_DIR``)."""
    return current_app.extensions["photo_storage"]


def privacy_deadlines():
    """The deadlines of a person's requests about their data: ``PRIVACY_DAYS`` on the desk's calendar."""
    from reports.privacy.requests import Deadlines
    return Deadlines(deadline_rules().calendar, current_app.config["PRIVACY_DAYS"])


_RULES_BY_DAYS_OFF: dict = {}


def deadline_rules():
    """The app's working-hours rules: Vietnam's holidays, ``HOLIDAYS`` and the days off added at
    ``/admin/days-off`` (read at most once a minute; the rules are built once per set of days)."""
    from sqlalchemy import select

    from reports.models import DayOff
    from reports.workflow.deadlines import rules_with_holidays
    from store import db
    days = remember("days-off", 60, lambda: tuple(db.session.scalars(select(DayOff.day).order_by(DayOff.day))))
    key = (current_app.config["HOLIDAYS"], days)
    if key not in _RULES_BY_DAYS_OFF:
        _RULES_BY_DAYS_OFF[key] = rules_with_holidays(*key)
    return _RULES_BY_DAYS_OFF[key]
