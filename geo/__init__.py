"""Spatial core: boundary generations, pin → ward, crosswalk, re-assignment, service points, the
hexagon grid. Spatial SQL is kept here as named constants beside the functions that run it (the
report-table queries live in ``reports.queries``, the tile SQL in ``tiles``)."""
from geo.assign import WardMatch, ward_for_point
from geo.crosswalk import CrosswalkResult, new_ward_for_old
from geo.errors import (
                        BoundaryFileError,
                        BoundarySetError,
                        GeoError,
                        InvalidCoordinates,
                        OutsideServiceArea,
                        UnknownOldUnit,
)

__all__ = ["WardMatch", "ward_for_point", "CrosswalkResult", "new_ward_for_old", "BoundaryFileError",
           "BoundarySetError", "GeoError", "InvalidCoordinates", "OutsideServiceArea",
           "UnknownOldUnit"]
