"""The real ward polygons, read with Shapely straight from the data directory (the reference)."""
import json
from functools import lru_cache

import shapely

from tests.conftest import DATA_DIR


@lru_cache
def ward_polygons(prefix: str) -> dict[str, shapely.Geometry]:
    """Ward code → Shapely geometry for ``46_hue`` or ``01_ha_noi``."""
    with open(DATA_DIR / "boundaries" / f"{prefix}_wards_2025.geojson", encoding="utf-8") as handle:
        collection = json.load(handle)
    return {f["properties"]["code"]: shapely.geometry.shape(f["geometry"])
            for f in collection["features"]}
