"""The app's Flask class: Flask's, retrying a read that lost its database connection
(``webapp/resilience.py``), with two per-request costs paid once through Flask's documented override
points. Each saves ~10 µs of a ~650 µs tracking page (docs/performance.md).
"""
import inspect

from flask.sessions import SecureCookieSessionInterface

from webapp.resilience import RetryingFlask


class ReusedSerializerSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions with the signing serializer made once per key set, not on every
    request (Flask builds one to open each request's session, even one without a cookie)."""

    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app):
        key = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        serializer = self._serializers.get(key)
        if serializer is None:
            serializer = self._serializers[key] = super().get_signing_serializer(app)
        return serializer


class PhanAnhFlask(RetryingFlask):
    session_interface = ReusedSerializerSessionInterface()

    def ensure_sync(self, func):
        """A plain function or bound method is returned as it is without ``inspect`` unwrapping it
        (Flask asks for each hook and view: ~17 times a request); anything else as Flask decides."""
        code = getattr(func, "__code__", None)
        if code is not None and not code.co_flags & inspect.CO_COROUTINE:
            return func
        return super().ensure_sync(func)
