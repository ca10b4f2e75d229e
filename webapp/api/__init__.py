"""JSON API under ``/api/v1``."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from webapp.api import hooks, privacy, reports, routes, service_points  # noqa: E402,F401  (registers the views)
