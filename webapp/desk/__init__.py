"""The ward desk: the queue and its map, a report's detail, the actions, intake from other channels."""
from flask import Blueprint

bp = Blueprint("desk", __name__, url_prefix="/desk")

from webapp.desk import actions, bulk, routes  # noqa: E402,F401  (registers the views on bp)
