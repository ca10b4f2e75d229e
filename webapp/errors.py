"""One place that turns typed errors into JSON: ``{"error": {"code": ..., "message": ...}}``."""
from flask import jsonify
from werkzeug.exceptions import HTTPException

from geo.errors import GeoError, InvalidCoordinates, OutsideServiceArea


class ApiError(Exception):
    """An error raised by a view with its own code and HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400, **extra):
        super().__init__(message)
        self.code, self.status, self.extra = code, status, extra


def error_body(code: str, message: str, **extra) -> dict:
    return {"error": {"code": code, "message": message, **extra}}


def register_error_handlers(app) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return jsonify(error_body(exc.code, str(exc), **exc.extra)), exc.status

    @app.errorhandler(InvalidCoordinates)
    def invalid_coordinates(exc):
        return jsonify(error_body(exc.code, f"invalid coordinates: {exc}")), 400

    @app.errorhandler(OutsideServiceArea)
    def outside_service_area(exc):
        return jsonify(error_body(exc.code, str(exc), nearest_ward=exc.nearest_ward,
                                  distance_m=exc.distance_m)), 422

    @app.errorhandler(GeoError)
    def geo_error(exc):
        return jsonify(error_body(exc.code, str(exc))), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        code = (exc.name or "error").lower().replace(" ", "_")
        return jsonify(error_body(code, exc.description or exc.name)), exc.code
