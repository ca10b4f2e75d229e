"""Spatial core: boundary generations, pin → ward, crosswalk, re-assignment (all SQL lives here)."""
from geo.assign import WardMatch, ward_for_point
from geo.crosswalk import CrosswalkResult, new_ward_for_old
from geo.errors import (BoundaryFileError, BoundarySetError, GeoError, InvalidCoordinates,
                        OutsideServiceArea, UnknownOldUnit)

__all__ = ["WardMatch", "ward_for_point", "CrosswalkResult", "new_ward_for_old", "BoundaryFileError",
           "BoundarySetError", "GeoError", "InvalidCoordinates", "OutsideServiceArea",
           "UnknownOldUnit"]
