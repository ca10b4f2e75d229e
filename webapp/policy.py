"""Who may see and do what: the one place where access to reports is decided.

- ``officer`` and ``ward_lead``: see and act on the reports of their own ward only; any other report
  answers 404, as if it did not exist.
- ``dispatcher``: sees and acts on every ward's reports, and sees reporters' identities.
- ``leader`` and ``admin``: see every ward, read only (an action answers 403).
A reporter's name, phone and email reach the ward only when the reporter chose to show them.
"""
from functools import wraps

from flask import abort, current_app, g
from flask_login import current_user, login_required

from geo.wards import units_of_ward
from reports.accounts.staff import WARD_ROLES, StaffUser
from reports.errors import ReportNotFound
from reports.models import Report
from reports.workflow.lifecycle import get_by_tracking_code
from store import db

ACTING_ROLES = ("officer", "ward_lead", "dispatcher")
# Roles that read personal data: reporters' identities (dispatchers all of them, ward staff those shown to
# them) or staff accounts (admin). In production they sign in with a second factor by default.
PERSONAL_DATA_ROLES = ("officer", "ward_lead", "dispatcher", "admin")
DESK_ROLES = ("officer", "ward_lead", "dispatcher", "leader", "admin")
LEADER_ROLES = ("leader", "dispatcher", "admin")


def visible_ward_ids(user: StaffUser) -> tuple[int, ...] | None:
    """The units whose reports ``user`` may see (one per boundary generation holding the ward's
    code), or None for every ward: a :class:`reports.queries.filters.ReportFilter` scope."""
    if user.role in WARD_ROLES:
        return tuple(db.session.scalars(units_of_ward(user.ward_code)))
    return None


def can_see(user: StaffUser, report: Report) -> bool:
    if user.role in WARD_ROLES:
        return report.ward is not None and report.ward.code == user.ward_code
    return user.role in DESK_ROLES


def can_act(user: StaffUser, report: Report) -> bool:
    return user.role in ACTING_ROLES and can_see(user, report)


def can_see_identity(user: StaffUser, report: Report) -> bool:
    if user.role == "dispatcher":
        return True
    return user.role in WARD_ROLES and can_see(user, report) and not report.hide_identity


def roles_only(roles: tuple[str, ...]):
    """A page for ``roles``: nobody signed in → the sign-in page; another role → 403."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)
        return wrapper
    return decorator


desk_access = roles_only(DESK_ROLES)  # the ward desk: every staff role
leaders_only = roles_only(LEADER_ROLES)  # the leaders' pages: leader, dispatcher, admin


def report_access(write: bool):
    """Load ``tracking_code`` into ``g.report`` if the user may see it (else 404) and, for ``write``,
    act on it (else 403)."""
    def decorator(view):
        @wraps(view)
        @desk_access
        def wrapper(tracking_code, *args, **kwargs):
            try:
                report = get_by_tracking_code(tracking_code)
            except ReportNotFound:
                abort(404)
            if not can_see(current_user, report):
                abort(404)
            if write and not can_act(current_user, report):
                abort(403)
            g.report = report
            return view(tracking_code, *args, **kwargs)
        return wrapper
    return decorator


def must_use_two_factor(user: StaffUser) -> bool:
    """Roles in ``REQUIRE_2FA_ROLES`` sign in with a second factor (and enrol before anything else)."""
    return user.role in current_app.config["REQUIRE_2FA_ROLES"]


def can_record_for_residents(user: StaffUser) -> bool:
    """Recording a report received by phone, fanpage, Zalo or in person is acting on the desk."""
    return user.role in ACTING_ROLES


def desk_api_access(view):
    """Staff data fetched by scripts (tiles): 401 when nobody is signed in, 403 for other roles; no
    redirect to the sign-in page."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            abort(401)
        if current_user.role not in DESK_ROLES:
            abort(403)
        return view(*args, **kwargs)
    return wrapper
