"""Fetching the ward polygons from their pinned upstream when the data directory lacks them.

Upstream (MIT): one GeoJSON file per ward at ``<base>/<province_dir>/wards/<code>_<codeName>.geojson``
of a pinned commit (``settings.Config.BOUNDARY_UPSTREAM_URL`` may name another). The manifest kept in ``geo/data`` lists the
(code, codeName) pairs, so no listing of the upstream tree is needed. Each file is checked — it must
parse and carry the code the manifest promises — before it is written.
"""
import csv
import json
from pathlib import Path
from typing import Callable

import requests

from geo.errors import BoundaryFileError

MANIFEST = Path(__file__).parent / "data" / "upstream_ward_manifest.csv"
PROVINCE_DIRS = {"46": "46_hue", "01": "01_ha_noi"}

# The pinned commit of the ward polygons (``BOUNDARY_UPSTREAM_URL`` overrides it).
DEFAULT_UPSTREAM_URL = ("https://raw.githubusercontent.com/thanglequoc/vietnamese-provinces-database/"
                        "cd58063299585146ded3981f2272946ef19ced54/json/geojson")


def manifest_entries(province_dir: str) -> list[tuple[str, str]]:
    with open(MANIFEST, newline="", encoding="utf-8") as handle:
        return [(r["code"], r["code_name"]) for r in csv.DictReader(handle)
                if r["province_dir"] == province_dir]


def _feature_code(document) -> str:
    if isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features") or [{}]
        document = features[0]
    return str(((document or {}).get("properties") or {}).get("code", ""))


def fetch_province_wards(province_code: str, dest: Path, base_url: str,
                         progress: Callable[[int], None] = lambda n: None) -> Path:
    """Download a province's per-ward files into ``dest/<province_dir>/wards``; return that folder.

    Files already there with the right code are kept (the command can be resumed).
    """
    province_dir = PROVINCE_DIRS.get(province_code)
    if province_dir is None:
        raise BoundaryFileError(f"no upstream manifest for province {province_code}")
    folder = Path(dest) / province_dir / "wards"
    folder.mkdir(parents=True, exist_ok=True)
    with requests.Session() as http:
        for code, code_name in manifest_entries(province_dir):
            target = folder / f"{code}_{code_name}.geojson"
            if not (target.exists() and _feature_code(json.loads(target.read_text("utf-8"))) == code):
                url = f"{base_url.rstrip('/')}/{province_dir}/wards/{target.name}"
                try:
                    response = http.get(url, timeout=60)
                    response.raise_for_status()
                    document = response.json()
                except (requests.RequestException, ValueError) as exc:
                    raise BoundaryFileError(f"cannot fetch {url}: {exc}") from None
                if _feature_code(document) != code:
                    raise BoundaryFileError(f"{url} carries code {_feature_code(document)!r}, "
                                            f"expected {code}")
                tmp = target.with_suffix(".part")
                tmp.write_text(json.dumps(document, ensure_ascii=False), "utf-8")
                tmp.replace(target)
            progress(1)
    return folder
