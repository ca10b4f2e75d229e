"""``GET /healthz``: is the app up and does the database answer?"""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from webapp.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        current_app.logger.error("health check: database unavailable: %s", exc.__class__.__name__)
        return jsonify({"status": "error", "database": "unavailable",
                        "message": "the database does not answer"}), 503
    return jsonify({"status": "ok", "database": "ok"})
