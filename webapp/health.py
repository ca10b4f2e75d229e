"""``GET /healthz``: is the app up, does the database answer, is the replica usable (and its lag),
where do limits and caches live, and is the background worker alive (its threads, from the heartbeat it
writes every few seconds) with no job waiting too long?"""
from flask import Blueprint, current_app, jsonify
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from reports.notify.models import WorkerHeartbeat
from reports.notify.queue import counts as job_counts
from reports.queries.daily import marks_waiting
from store import db, replica_status, utcnow
from webapp.extensions import limiter

bp = Blueprint("health", __name__)
WORKER_SILENT_S = 60  # a worker that has not written its heartbeat for this long is taken for dead


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


def workers() -> dict:
    """The workers seen in the last 10 minutes: threads alive of threads started, and how long ago each
    wrote its heartbeat; ``ok`` when one at least beats with every thread alive."""
    now = utcnow()
    rows = db.session.scalars(select(WorkerHeartbeat).order_by(WorkerHeartbeat.beat_at.desc()).limit(20)).all()
    seen = [{"name": w.name, "threads": w.threads, "threads_alive": w.threads_alive,
             "seen_s": round((now - w.beat_at).total_seconds(), 1)} for w in rows
            if (now - w.beat_at).total_seconds() < 600]
    ok = any(w["seen_s"] < WORKER_SILENT_S and w["threads_alive"] == w["threads"] for w in seen)
    return {"ok": ok, "workers": seen}


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
    worker = workers()
    # 200 either way: a web node serves whether or not the worker runs (a load balancer reads the status).
    return jsonify({"status": "ok" if worker["ok"] else "degraded", "database": "ok", "replica": replica,
                    **shared_storage(), "jobs": job_counts(), "worker": worker,
                    "figures": {"marks_waiting": marks_waiting()}})
