"""Open311 GeoReport v2 at ``/open311/v2/``: JSON and XML, errors as the spec's list."""
from flask import Blueprint

bp = Blueprint("open311", __name__, url_prefix="/open311/v2")

from webapp.open311 import routes, updates  # noqa: E402,F401  (registers the views on bp)
