"""Pages for city leaders (roles leader, dispatcher, admin): dashboard, maps, inspection plan,
exports, service-point coverage."""
from functools import wraps

from flask import Blueprint, abort
from flask_login import current_user, login_required

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")
LEADER_ROLES = ("leader", "dispatcher", "admin")


def leaders_only(view):
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if current_user.role not in LEADER_ROLES:
            abort(403)
        return view(*args, **kwargs)
    return wrapper


from webapp.dashboard import coverage_routes, routes  # noqa: E402,F401  (registers the views on bp)
