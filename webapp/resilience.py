"""Requests that outlive a database restart without the pool's pre-ping (a round trip per request).

A pooled connection that died with the server fails the statement that finds it dead; SQLAlchemy then
invalidates it and every connection made before it. A read (GET, HEAD, OPTIONS) is safe to run
again: it is retried once, on a fresh connection. A write is not retried here (the client retries it:
report submissions carry an idempotency key); it answers 503 ``database_unavailable`` with
``Retry-After``, never a half-written 500. While the server is down (restarting, shutting down, not
accepting connections) every request answers that 503 at once.
"""
from flask import Flask, g, request
from sqlalchemy.exc import DBAPIError, OperationalError

from store import db, replica_failed

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class DatabaseUnavailable(Exception):
    """The database connection was lost during a write request."""


# SQLSTATEs of a server going away or not yet back (admin shutdown, crash, cannot connect now, and the
# connection exceptions); a refused connection has none.
GONE_SQLSTATES = (None, "57P01", "57P02", "57P03", "08000", "08001", "08003", "08004", "08006")


def database_gone(exc: DBAPIError) -> bool:
    """The connection died, or the server cannot be reached (not a query's own error)."""
    return exc.connection_invalidated or (isinstance(exc, OperationalError)
                                          and getattr(exc.orig, "pgcode", None) in GONE_SQLSTATES)


class RetryingFlask(Flask):
    def full_dispatch_request(self):
        try:
            return super().full_dispatch_request()
        except DBAPIError as exc:
            if not database_gone(exc):
                raise
            db.session.remove()
            on_replica = g.get("replica_reads") and request.method in SAFE_METHODS
            if on_replica:  # the replica went away: the primary answers this read and the next ones
                replica_failed()
            if request.method in SAFE_METHODS and (exc.connection_invalidated or on_replica):
                self.logger.warning("database connection lost; the read is retried once")
                try:
                    return super().full_dispatch_request()
                except DBAPIError as again:
                    if not database_gone(again):
                        raise
                    db.session.remove()
            self.logger.warning("database unavailable: 503")
            return self.finalize_request(self.handle_user_exception(DatabaseUnavailable()))


def install(app) -> None:
    """After every request, the session is closed before Flask-SQLAlchemy's own teardown would: closing
    rolls back, and a rollback on a connection the database just dropped raises — the answer (already
    made, often a success) would become a 500. The dead connection is dropped instead."""
    @app.teardown_appcontext
    def _close_session_quietly(exc):
        try:
            db.session.remove()
        except DBAPIError:
            db.session.registry.clear()
            for engine in db.engines.values():
                engine.dispose()
