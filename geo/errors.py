"""Typed errors of the domain: :class:`DomainError` (the base of every one, spatial or report) and
those of the spatial core. ``webapp.errors`` alone turns them into HTTP responses and statuses."""


class DomainError(Exception):
    """``code``: the machine-readable code of the JSON error body; ``key``: the id of the message
    shown to people (translated at response time, ``webapp.messages``), the code unless given."""

    code = "error"

    def __init__(self, message: str = "", *, key: str | None = None, **extra):
        super().__init__(message)
        self.key = key or self.code
        self.extra = extra


class GeoError(DomainError):
    """Base class of the spatial core's errors."""

    code = "geo_error"


class InvalidCoordinates(GeoError):
    """Longitude/latitude missing, not a number, not finite or out of range (rejected before SQL)."""

    code = "invalid_coordinates"


class OutsideServiceArea(GeoError):
    """The point lies in no ward in force; carries the nearest ward and the distance in metres."""

    code = "outside_service_area"

    def __init__(self, message: str, nearest_ward=None, distance_m: float | None = None):
        super().__init__(message)
        self.nearest_ward = nearest_ward
        self.distance_m = distance_m


class BoundaryFileError(GeoError):
    """A boundary source failed validation; ``problems`` lists each bad feature and why."""

    code = "invalid_boundary_file"

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.problems = problems or []

    def __str__(self) -> str:
        lines = [super().__str__()] + [f"  - {p}" for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        return "\n".join(lines)


class UnknownOldUnit(GeoError):
    """An old (pre-2025) ward code that the crosswalk does not know."""

    code = "unknown_old_unit"


class BoundarySetError(GeoError):
    """A boundary set operation that cannot be done (unknown set, name taken with other content)."""

    code = "boundary_set_error"
