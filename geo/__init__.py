"""Spatial core: boundary generations, pin → ward, crosswalk, service points, the hexagon grid and
the Z-order tile key; a province's reference data in one step (``geo.provinces``). It answers spatial
questions and writes no report (moving reports to new wards is ``reports.workflow.reassignment``). Spatial SQL is kept here as named constants beside the functions that run it (the
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
