"""Typed errors of the report domain; ``webapp.errors`` alone decides their HTTP status."""
from geo.errors import DomainError


class ReportError(DomainError):
    """Base of the report domain's errors (``code``, ``key``, ``extra`` from :class:`DomainError`)."""

    code = "report_error"


class InvalidReport(ReportError):
    code = "invalid_report"


class InvalidParameter(ReportError):
    """A filter or paging parameter out of its range."""

    code = "invalid_parameter"


class PossibleDuplicate(ReportError):
    """Open reports of the same category nearby; the client may insist (``acknowledge_duplicate``)."""

    code = "possible_duplicate"


class ReportNotFound(ReportError):
    code = "not_found"


class IllegalTransition(ReportError):
    """A status change the workflow does not allow (e.g. ``closed`` → ``in_progress``)."""

    code = "illegal_transition"


class NotAllowedNow(ReportError):
    """Rating twice, rating before resolution, reopening after 7 days..."""

    code = "not_allowed"


class InvalidPhoto(ReportError):
    """Not a real image of an accepted type."""

    code = "invalid_photo"


class PhotoTooLarge(InvalidPhoto):
    """Too many bytes or pixels (a decompression bomb)."""


class NotTheReporter(ReportError):
    """Rating, reopening, subscribing without the reporter's secret."""

    code = "reporter_secret_required"


class PhotoStorageUnavailable(ReportError):
    """The photo storage refused to write (full, read-only, gone): the report is not taken, so that no
    report stands without the photos its sender attached; the sender may try again later."""

    code = "photo_storage_unavailable"
