"""Absolute links in what is read elsewhere — messages that leave (email, Web Push, SMS, Zalo), Open311
documents, feeds — built by the app's own router from ``PUBLIC_URL``, never from a request's Host
header, and outside any request (the worker has none): the routes in ``webapp`` stay the one
home of every path, and a renamed route fails here instead of sending a dead link."""
from urllib.parse import urlsplit

from flask import current_app


def public_link(endpoint: str, _anchor: str | None = None, **values) -> str:
    """``https://city.example/r/HUE-…`` for ``public_link("citizen.track_page", tracking_code=…)``."""
    link = _adapter().build(endpoint, values, force_external=True)
    return f"{link}#{_anchor}" if _anchor else link


def _adapter():
    """The router bound to ``PUBLIC_URL`` (host, scheme and path prefix), made once per app."""
    base = current_app.config["PUBLIC_URL"]
    found = current_app.extensions.get("public_links")
    if found is None or found[0] != base:
        parts = urlsplit(base)
        adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https")
        found = current_app.extensions["public_links"] = (base, adapter)
    return found[1]
