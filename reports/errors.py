"""Typed errors of the report domain; ``webapp.errors`` turns them into HTTP responses."""


class ReportError(Exception):
    """Base: ``code`` for the JSON body, ``http_status`` for the response."""

    code = "report_error"
    http_status = 400

    def __init__(self, message: str, *, key: str | None = None, http_status: int | None = None,
                 **extra):
        super().__init__(message)
        self.key = key or self.code  # the id of the user-facing (translated) message
        self.extra = extra
        if http_status:
            self.http_status = http_status


class InvalidReport(ReportError):
    code = "invalid_report"


class InvalidParameter(ReportError):
    """A filter or paging parameter out of its range (400 ``invalid_parameter``)."""

    code = "invalid_parameter"


class PossibleDuplicate(ReportError):
    """Open reports of the same category nearby; the client may insist (``acknowledge_duplicate``)."""

    code = "possible_duplicate"
    http_status = 409


class ReportNotFound(ReportError):
    code = "not_found"
    http_status = 404


class IllegalTransition(ReportError):
    """A status change the workflow does not allow (e.g. ``closed`` → ``in_progress``)."""

    code = "illegal_transition"
    http_status = 409


class NotAllowedNow(ReportError):
    """Rating twice, rating before resolution, reopening after 7 days..."""

    code = "not_allowed"
    http_status = 409


class InvalidPhoto(ReportError):
    """Not a real image of an accepted type (415), or too large / a decompression bomb (413)."""

    code = "invalid_photo"
    http_status = 415
