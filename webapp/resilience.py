"""Requests that outlive a database restart without the pool's pre-ping (a round trip per request).

A pooled connection that died with the server fails the statement that finds it dead; SQLAlchemy then
invalidates it and every connection made before it. A read (GET, HEAD, OPTIONS) is safe to run
again: it is retried once, on a fresh connection. A write is not retried here (the client retries it:
report submissions carry an idempotency key); it answers 503 ``database_unavailable`` with
``Retry-After``, never a half-written 500.
"""
from flask import Flask, request
from sqlalchemy.exc import DBAPIError

from store import db

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class DatabaseUnavailable(Exception):
    """The database connection was lost during a write request."""


class RetryingFlask(Flask):
    def full_dispatch_request(self):
        try:
            return super().full_dispatch_request()
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            db.session.remove()
            if request.method not in SAFE_METHODS:
                return self.finalize_request(self.handle_user_exception(DatabaseUnavailable()))
            self.logger.warning("database connection lost; the read is retried once")
            return super().full_dispatch_request()
