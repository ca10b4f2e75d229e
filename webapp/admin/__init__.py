"""``/admin``: what a city's administrator does, in the browser — staff accounts (invitations, roles,
wards, fields, leavers, 2FA resets), categories, reply templates, Open311 API keys — each change written
to the admin audit trail (``reports.accounts.admin_log``).

Our own views rather than Flask-Admin: they reuse the domain functions (the same rules as the
commands), the app's templates, language and strict Content-Security-Policy (Flask-Admin's Bootstrap
pages bring inline scripts and styles), CSRF from Flask-WTF, and the sign-in with 2FA. Also the routing of
new reports to a default officer per ward and field, and the days off of the working calendar. Admins only:
every other role gets 403, nobody signed in the sign-in page."""
from flask import Blueprint, render_template, request

from geo.wards import wards_in_force
from reports.accounts.admin_log import recent_admin_events
from reports.notify.queue import counts as job_counts
from reports.queries.daily import marks_waiting
from webapp.admin.audit_words import describe
from webapp.policy import roles_only

bp = Blueprint("admin", __name__, url_prefix="/admin")
ADMIN_ROLES = ("admin",)


@bp.before_request
@roles_only(ADMIN_ROLES)
def admins_only():
    """Every ``/admin`` route: admins only (returns nothing when allowed, so the view runs)."""


@bp.get("")
def home():
    """The pages, and the background worker's backlog (it should drain within a minute or two)."""
    return render_template("admin/home.html", jobs=job_counts(), marks=marks_waiting())


@bp.get("/audit")
def audit():
    target = (request.args.get("target") or "").strip()[:300] or None
    wards = {w.code: w.name for w in wards_in_force()}
    events = [(e, describe(e.action, e.data, wards)) for e in recent_admin_events(300, target)]
    return render_template("admin/audit.html", events=events, target=target)


from webapp.admin import (  # noqa: E402,F401,I001  (registers the views on bp)
    api_keys, boundaries, catalogue, days_off, privacy, routing, service_points, staff)
