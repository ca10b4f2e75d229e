"""``GET /healthz``: is the app up, does the database answer, is the replica usable (and its lag), and
where do limits and caches live?"""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from reports.notify.queue import counts as job_counts
from reports.queries.daily import marks_waiting
from store import db, replica_status
from webapp.extensions import limiter

bp = Blueprint("health", __name__)


def shared_storage() -> dict:
    """``redis`` when rate limits and caches are shared by every worker and node, ``memory`` when
    each process keeps its own (no ``REDIS_URL``, or Redis down: limits then fall back to memory)."""
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    limits = "memory (per process)"
    if uri.startswith("redis"):
        try:
            limits = "redis" if limiter.storage.check() else "memory (Redis does not answer)"
        except Exception:  # noqa: BLE001  (whatever the client raises, Redis is not usable now)
            limits = "memory (Redis does not answer)"
    cache = "redis" if current_app.config["CACHE_TYPE"] == "RedisCache" else "memory (per process)"
    return {"rate_limits": limits, "cache": cache}


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        current_app.logger.error("health check: database unavailable: %s", exc.__class__.__name__)
        return jsonify({"status": "error", "database": "unavailable",
                        "message": "the database does not answer", **shared_storage()}), 503
    replica = replica_status(force=True)
    replica["reads_go_to"] = "replica" if replica["ok"] else "primary"
    # Marks the worker has not folded yet: growing while it is stopped (figures stay exact, but slower).
    return jsonify({"status": "ok", "database": "ok", "replica": replica, **shared_storage(), "jobs": job_counts(),
                    "figures": {"marks_waiting": marks_waiting()}})
