"""Secure by default: required production settings, the secret key, proxies, hosts and headers.

- Outside development the app refuses to start without a strong ``SECRET_KEY`` and a ``PUBLIC_URL``
  (one line on stderr, exit status 1): nothing falls back to a value anyone could guess.
- In development an unset key is generated once under ``var/`` (mode 0600) and reused, so demo
  sessions survive a restart and no two installs share a key.
- ``PROXY_FIX_HOPS`` trusts exactly that many reverse proxies (Werkzeug's ``ProxyFix``); with 0 a
  client-sent ``X-Forwarded-For`` changes nothing.
- Every response carries the Content-Security-Policy (the app's own scripts and styles, a nonce for
  the few inline blocks of the pages that have them; images also from the basemap host, ``data:`` and
  ``blob:``), nosniff, the referrer policy, frame-ancestors 'none', and HSTS when served over HTTPS
  (``webapp/headers.py`` puts them on).
- Every POST carries the session's CSRF token, except where something else is the authority:
  :func:`authorised_by_reporter_secret` below, the unsubscribe link's token, Open311's API keys.
"""
import os
import re
import secrets
from pathlib import Path
from urllib.parse import quote, urlsplit

from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import headers
from webapp.extensions import csrf

MIN_SECRET_LENGTH = 32
KNOWN_WEAK_KEYS = {"dev-only-not-secret", "changeme", "secret", "dev", "development"}


class ConfigurationError(SystemExit):
    """A production setting is missing or unsafe: the process stops with this one-line message."""

    def __init__(self, message: str):
        super().__init__(f"Phản Ánh refuses to start: {message}")


def load_or_create_secret(path: str | Path) -> str:
    """The development key kept in ``path``; written once (0600) with 48 random bytes if missing."""
    path = Path(path)
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def check_settings(config) -> None:
    """Fill in development defaults, or refuse to start when production lacks a required setting."""
    development = config["ENVIRONMENT"] == "development"
    if not config.get("SECRET_KEY") and development:
        config["SECRET_KEY"] = load_or_create_secret(config["SECRET_KEY_FILE"])
    key = config.get("SECRET_KEY") or ""
    if not development:
        if not key:
            raise ConfigurationError("SECRET_KEY is not set (PHANANH_ENV=production). Generate one with: "
                                     "python -c 'import secrets; print(secrets.token_urlsafe(48))'")
        if len(key) < MIN_SECRET_LENGTH or key in KNOWN_WEAK_KEYS or len(set(key)) < 8:
            raise ConfigurationError(f"SECRET_KEY must be at least {MIN_SECRET_LENGTH} random characters")
        if not config.get("PUBLIC_URL"):
            raise ConfigurationError("PUBLIC_URL is not set (e.g. https://phananh.hue.gov.vn): links "
                                     "must not be built from the Host header")
    if not config.get("PUBLIC_URL"):
        config["PUBLIC_URL"] = f"http://127.0.0.1:{config['PORT']}"
    # Cookies only over HTTPS outside development (TLS ends at the city's proxy: PROXY_FIX_HOPS).
    config["SESSION_COOKIE_SECURE"] = config["REMEMBER_COOKIE_SECURE"] = not development
    if config.get("REQUIRE_2FA_ROLES") is None:
        from webapp.policy import PERSONAL_DATA_ROLES
        config["REQUIRE_2FA_ROLES"] = () if development else PERSONAL_DATA_ROLES
    if config.get("TRUSTED_HOSTS") is None and not development:
        config["TRUSTED_HOSTS"] = [urlsplit(config["PUBLIC_URL"]).hostname]


def basemap_origin(url: str) -> str | None:
    """``https://{s}.tile.example/{z}/{x}/{y}.png`` → ``https://*.tile.example`` (for img-src)."""
    if not url:
        return None
    parts = urlsplit(url)
    host = re.sub(r"^\{[a-z]\}\.", "*.", parts.netloc)
    return f"{parts.scheme}://{host}" if parts.scheme in ("http", "https") and host else None


def content_security_policy(config) -> dict:
    """The CSP's directives; ``frame-ancestors`` (and the nonce) are added per response by
    ``webapp/headers.py``."""
    images = ["'self'", "data:", "blob:"]
    origin = basemap_origin(config.get("BASEMAP_URL") or "")
    if origin:
        images.append(origin)
    return {"default-src": "'self'", "script-src": "'self'", "style-src": "'self'", "img-src": images,
            "connect-src": "'self'", "font-src": "'self'", "object-src": "'none'", "base-uri": "'self'",
            "form-action": "'self'", "worker-src": ["'self'", "blob:"]}


def authorised_by_reporter_secret(view):
    """A resident's action that the reporter's secret authorises (rate, reopen, subscribe:
    ``reports.workflow.reporter_secret``) takes no session CSRF token.

    A CSRF token stops another site from spending the authority a browser sends by itself: a staff
    session cookie. These actions read none; the authority is the secret in the request body, which a
    forging site does not have and which anyone who has it can send directly. Their view refuses a
    missing or wrong secret before it writes anything. So the tracking page needs no token, and an
    anonymous visit to it makes no session and sets no cookie. Actions that anyone may take from the
    browser (support a report, alerts, a new report) and everything staff do keep their token."""
    return csrf.exempt(view)


def reporter_or_same_origin(report, secret: str | None) -> bool:
    """For a view exempted by :func:`authorised_by_reporter_secret` that anyone may also use (following a
    report): True for the reporter (their secret is the authority); anyone else must carry the session's
    CSRF token like every other action anyone takes from the browser (CSRFError otherwise)."""
    from reports.workflow.reporter_secret import is_reporter
    if is_reporter(report, secret):
        return True
    csrf.protect()
    return False


def private_link(config, tracking_code: str, secret: str) -> str:
    """The reporter's private link: the tracking page with the key in its fragment."""
    return f"{config['PUBLIC_URL']}/r/{tracking_code}#k={quote(secret.strip(), safe='')}"


def install(app) -> None:
    """Proxy trust and security headers on ``app`` (called by ``create_app``)."""
    hops = app.config["PROXY_FIX_HOPS"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops)
    headers.SecurityHeaders(app, content_security_policy(app.config), referrer_policy="strict-origin-when-cross-origin",
                            permissions={"geolocation": "(self)", "camera": "(self)", "microphone": "()",
                                         "browsing-topics": "()"},
                            hsts_seconds=365 * 24 * 3600)
