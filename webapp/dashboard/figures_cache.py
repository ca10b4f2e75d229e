"""Leaders' figures cached for ``DASHBOARD_CACHE_SECONDS`` per filter set (Flask-Caching).

A 90-day period of a million-report city takes PostgreSQL hundreds of milliseconds per figure;
the page, its two maps and the inspection plan ask for the same figures within seconds of each
other. Each entry remembers when it was computed (shown on the page); ``?refresh=1`` recomputes.
"""
from datetime import datetime
from typing import Any, Callable
from urllib.parse import urlencode

from flask import current_app, request

from store import utcnow
from webapp.extensions import remember

FILTER_ARGS = ("days", "from", "to", "category", "field", "status", "ward")


def filter_key() -> str:
    """The request's filters, normalised (the default period written out) and URL-encoded: a value
    holding ``&`` or ``=`` (``category=garbage%26status%3Dopen``) cannot pose as other filters."""
    args = {k: request.args.get(k, "") for k in FILTER_ARGS}
    if not (args["from"] or args["to"]):
        args["days"] = args["days"] or "30"
    return urlencode([(k, v) for k, v in args.items() if v])


def cached(name: str, compute: Callable[[], Any]) -> tuple[Any, datetime]:
    """``compute()``'s value for this request's filters, and when it was computed (UTC)."""
    return remember(f"dashboard:{name}:{filter_key()}", current_app.config["DASHBOARD_CACHE_SECONDS"],
                    lambda: (compute(), utcnow()), refresh=bool(request.args.get("refresh")))
