"""Pages for city leaders (roles leader, dispatcher, admin): dashboard, maps, inspection plan,
exports, service-point coverage."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


from webapp.dashboard import coverage_routes, routes  # noqa: E402,F401  (registers the views on bp)
