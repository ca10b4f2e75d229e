"""One place that turns typed errors into responses: ``{"error": {"code": ..., "message": ...}}``.

Messages are in the user's language; the English ``detail`` says exactly what was wrong.
"""
from flask import jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from geo.errors import DomainError, OutsideServiceArea
from reports.errors import (
    IllegalTransition,
    InvalidPhoto,
    NotAllowedNow,
    NotTheReporter,
    PhotoStorageUnavailable,
    PhotoTooLarge,
    PossibleDuplicate,
    ReportNotFound,
)
from reports.notify.updates import TooManySubscriptions
from reports.queries.public import summary
from reports.text import has_unreadable
from webapp.links import with_links
from webapp.messages import message_for
from webapp.resilience import DatabaseUnavailable


class ApiError(Exception):
    """An error raised by a view with its own code and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400, **extra):
        super().__init__(message)
        self.code, self.status, self.extra = code, status, extra


def error_body(code: str, detail: str, key: str | None = None, **extra) -> dict:
    """The JSON error; ``reason`` names the precise problem (``description_too_long`` under
    ``invalid_report``) so that a form can say it beside the field it is about."""
    body = {"code": code, "message": message_for(key or code, detail), "detail": detail, **extra}
    if key and key != code:
        body["reason"] = key
    return {"error": body}


def _wants_html() -> bool:
    return not request.path.startswith(("/api/", "/healthz", "/photos/")) and \
        request.accept_mimetypes.accept_html


def _respond(body: dict, status: int):
    if request.path.startswith("/open311/"):  # the GeoReport v2 error list, in the asked format
        from webapp.open311.render import errors
        return errors(status, body["error"]["message"], "xml" if request.path.endswith(".xml") else "json")
    if _wants_html():
        return render_template("error.html", error=body["error"], status=status), status
    return jsonify(body), status


def refuse_unreadable_input() -> None:
    """A NUL or a lone surrogate in the path, a query parameter or a form field can be stored by no
    column and compared by no query: refused before any view runs (400, not a database error)."""
    texts = [request.path, *request.args.keys(), *request.args.values()]
    if request.method in ("POST", "PUT", "PATCH") and request.mimetype in (
            "application/x-www-form-urlencoded", "multipart/form-data"):
        texts += [*request.form.keys(), *request.form.values()]
    if any(has_unreadable(t) for t in texts):
        raise ApiError("invalid_parameter", "a parameter contains a NUL character or an invalid surrogate")


# The HTTP status of each typed domain error (the nearest class in its MRO decides; 400 otherwise).
STATUSES = {OutsideServiceArea: 422, PossibleDuplicate: 409, ReportNotFound: 404, IllegalTransition: 409,
            NotAllowedNow: 409, InvalidPhoto: 415, PhotoTooLarge: 413, NotTheReporter: 403,
            PhotoStorageUnavailable: 503, TooManySubscriptions: 429}


def http_status(exc: DomainError) -> int:
    return next((STATUSES[cls] for cls in type(exc).__mro__ if cls in STATUSES), 400)


def _details(exc: DomainError) -> dict:
    """What an error adds to its body: the nearest ward, duplicate candidates."""
    if isinstance(exc, OutsideServiceArea):
        return {"nearest_ward": exc.nearest_ward, "distance_m": exc.distance_m}
    if isinstance(exc, PossibleDuplicate):
        return {"candidates": [with_links(summary(report, distance)) for report, distance in exc.extra["candidates"]]}
    return {}


def register_error_handlers(app) -> None:
    app.before_request(refuse_unreadable_input)

    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return _respond(error_body(exc.code, str(exc), **exc.extra), exc.status)

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        status = http_status(exc)
        response = app.make_response(_respond(error_body(exc.code, str(exc), key=exc.key, **_details(exc)), status))
        if status == 503:  # a storage that is full or gone: come back in a minute
            response.headers["Retry-After"] = "60"
        return response

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return _respond(error_body("csrf_failed", exc.description), 400)

    @app.errorhandler(DatabaseUnavailable)
    def database_unavailable(exc):
        response = app.make_response(_respond(error_body("database_unavailable", "the database restarted; "
                                                         "nothing was saved, please try again"), 503))
        response.headers["Retry-After"] = "2"
        return response

    @app.errorhandler(429)
    def rate_limited(exc):
        response = _respond(error_body("rate_limited", str(exc.description)), 429)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        response = _respond(error_body(code, exc.description or exc.name), exc.code)
        if isinstance(response, tuple):
            response = app.make_response(response)
        for name, value in exc.get_headers():  # e.g. Allow on 405, Retry-After on 429
            if name.lower() != "content-type":
                response.headers[name] = value
        return response
