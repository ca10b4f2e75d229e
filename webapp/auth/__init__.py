"""Staff sign-in: passwords, a second factor (TOTP), revocable sessions with idle and absolute limits."""
from flask import Blueprint

bp = Blueprint("auth", __name__)

from webapp.auth import password_reset, routes, sessions, two_factor_views  # noqa: E402,F401  (registers the views)
