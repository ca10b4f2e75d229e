"""Staff sessions: which account a cookie names, how long it lasts, and where a user may go.

The cookie carries the token of a session kept on the server (``reports.accounts.sessions``): a
session ended (sign-out, "end this session"), an account whose ``session_token`` was rotated or that
was deactivated, or a session past its idle (``SESSION_IDLE_MINUTES``) or absolute
(``SESSION_MAX_DAYS``) limit answers as signed out — a copied cookie too. Roles in
``REQUIRE_2FA_ROLES`` without a second factor may only enrol one (or sign out) until they have.
"""
import time
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from reports.accounts import sessions as server_sessions
from reports.accounts.staff import StaffUser
from store import db, on_primary, utcnow
from webapp.auth import bp
from webapp.extensions import login_manager
from webapp.policy import must_use_two_factor

SEEN_RESOLUTION_S = 60  # the "last seen" time is written at most once a minute
ENROL_ENDPOINTS = {"auth.two_factor", "auth.logout", "auth.login", "auth.second_factor", "static"}


def _limits() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return timedelta(minutes=config["SESSION_IDLE_MINUTES"]), timedelta(days=config["SESSION_MAX_DAYS"])


@login_manager.user_loader
def load_user(token: str):
    found = server_sessions.session_of(token, *_limits(), **on_primary())
    return found.user if found is not None else None


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None (closes the open redirect: ``//host``,
    ``/\\host``, ``/%09/host`` — browsers drop tabs and newlines —, ``https:``, ``javascript:``)."""
    if not target or not target.startswith("/") or any(c in target for c in "\\\t\r\n\x00") \
            or any(ord(c) < 32 or c.isspace() for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or target.startswith("//"):
        return None
    return target


BROWSERS = (("Zalo", "Zalo"), ("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
            ("Safari/", "Safari"))
SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("Linux", "Linux"))


def device_of(user_agent: str) -> str:
    """"Chrome · Android" from a User-Agent: what the account page shows of a session's device."""
    browser = next((name for mark, name in BROWSERS if mark in (user_agent or "")), "")
    system = next((name for mark, name in SYSTEMS if mark in (user_agent or "")), "")
    return " · ".join(part for part in (browser, system) if part)


def landing_page(user: StaffUser) -> str:
    """Where a sign-in leads when no page was asked for: a city leader to the dashboard (the figures
    and the inspection plan), an administrator to the administration pages, everyone else to the
    work queue."""
    return {"leader": url_for("dashboard.dashboard"), "admin": url_for("admin.home")}.get(
        user.role, url_for("desk.queue_page"))


def _sign_in(user: StaffUser, token: str) -> None:
    login_user(user)
    session["_user_id"] = token  # the server-side session's token, not the account's (Flask-Login's get_id)


def start_session(user: StaffUser) -> None:
    """A new session for ``user``: the old cookie's content is dropped (no fixation), limits start."""
    session.clear()
    g.pop("csrf_token", None)  # Flask-WTF keeps the request's token in g: a new one goes with the new session
    token = server_sessions.open_session(user, device_of(request.user_agent.string))
    _sign_in(user, token)
    session.permanent = True
    now = time.time()
    session["login_at"] = session["seen_at"] = now
    user.last_login_at = utcnow()
    db.session.commit()
    current_app.logger.info("login: staff user %s", user.id)  # never the email or password


def end_session() -> None:
    """Sign out here: the server-side session ends, so a copy of the cookie opens nothing either."""
    server_sessions.end_session(session.get("_user_id", ""))
    db.session.commit()
    logout_user()
    session.clear()


def current_session_token() -> str:
    return session.get("_user_id", "")


def keep_session(user: StaffUser) -> None:
    """After a rotation of the token by the user themself (password change): this device stays in, with
    a new server-side session (the rotation ended every other)."""
    login_at = session.get("login_at", time.time())
    started = utcnow() - timedelta(seconds=max(0.0, time.time() - login_at))
    token = server_sessions.open_session(user, device_of(request.user_agent.string), created_at=started)
    db.session.commit()
    _sign_in(user, token)
    session["login_at"], session["seen_at"] = login_at, time.time()


@bp.before_app_request
def enforce_session_limits():
    if "_user_id" not in session:
        return None
    now = time.time()
    config = current_app.config
    idle = config["SESSION_IDLE_MINUTES"] * 60
    if now - session.get("seen_at", 0) > idle or now - session.get("login_at", 0) > config["SESSION_MAX_DAYS"] * 86400:
        end_session()
        return None
    if now - session.get("seen_at", 0) > SEEN_RESOLUTION_S:
        session["seen_at"] = now
    if (current_user.is_authenticated and must_use_two_factor(current_user)
            and not current_user.two_factor_enabled and request.endpoint not in ENROL_ENDPOINTS):
        flash(_("Your role requires two-factor sign-in: set up an authenticator app to continue."), "error")
        return redirect(url_for("auth.two_factor"))
    return None
