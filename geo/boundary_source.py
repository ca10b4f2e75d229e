"""Reading a boundary source (GeoJSON file, directory of per-unit files, or http(s) URL) and the
checks that need no database: CRS, coordinate ranges (WGS84 degrees), codes present and unique.

Geometry validity, overlaps and gaps are checked in PostGIS by :mod:`geo.boundaries`.
"""
import hashlib
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import requests
import shapely

from geo.errors import BoundaryFileError

LONLAT_CRS = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326",
              "urn:ogc:def:crs:EPSG::4326", "urn:ogc:def:crs:EPSG:4326"}
CODE_KEYS = ("code", "ward_code", "district_code")
NAME_KEYS = ("fullName", "full_name", "name")


@dataclass
class SourceFeature:
    """One unit read from a source, before it touches the database."""

    index: int
    code: str
    name: str
    province_code: str
    properties: dict
    geometry: dict
    origin: str = ""

    def label(self) -> str:
        where = f" in {self.origin}" if self.origin else ""
        return f"feature #{self.index} (code {self.code or '∅'}){where}"


@dataclass
class BoundarySource:
    features: list[SourceFeature]
    sha256: str
    description: str
    notes: list[str] = field(default_factory=list)


def ascii_name(name: str) -> str:
    """``Phường Phú Xuân`` → ``Phuong Phu Xuan`` (Vietnamese đ/Đ included)."""
    name = name.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()


def _load_documents(source: str) -> list[tuple[str, object]]:
    """Return ``(origin, parsed JSON)`` pairs for a file, a directory or a URL."""
    if source.startswith(("http://", "https://")):
        try:
            response = requests.get(source, timeout=120)
            response.raise_for_status()
            return [(source, response.json())]
        except (requests.RequestException, ValueError) as exc:
            raise BoundaryFileError(f"cannot read {source}: {exc}") from None
    path = Path(source)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".geojson", ".json"))
        if not files:
            raise BoundaryFileError(f"{source} holds no .geojson or .json file")
    elif path.is_file():
        files = [path]
    else:
        raise BoundaryFileError(f"{source}: no such file, directory or URL")
    documents = []
    for file in files:
        try:
            documents.append((file.name, json.loads(file.read_text(encoding="utf-8"))))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BoundaryFileError(f"{file}: not valid GeoJSON ({exc})") from None
    return documents


def _features_of(origin: str, document, problems: list[str]) -> list[dict]:
    if not isinstance(document, dict):
        problems.append(f"{origin}: not a GeoJSON object")
        return []
    crs = (document.get("crs") or {}).get("properties", {}).get("name")
    if crs and crs not in LONLAT_CRS:
        problems.append(f"{origin}: CRS {crs} is not WGS84 lon/lat (EPSG:4326/CRS84)")
    if document.get("type") == "FeatureCollection":
        return list(document.get("features") or [])
    if document.get("type") == "Feature":
        return [document]
    problems.append(f"{origin}: expected a FeatureCollection or a Feature, got {document.get('type')!r}")
    return []


def _pick(props: dict, keys, override: str | None) -> str:
    for key in ((override,) if override else keys):
        value = props.get(key)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _check_coordinates(feature: SourceFeature, problems: list[str]) -> None:
    geometry = feature.geometry
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else geometry
        problems.append(f"{feature.label()}: geometry must be a Polygon or MultiPolygon, got {kind!r}")
        return
    try:
        coords = shapely.get_coordinates(shapely.from_geojson(json.dumps(geometry)))
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        problems.append(f"{feature.label()}: unreadable geometry ({exc})")
        return
    if len(coords) == 0 or not np.isfinite(coords).all():
        problems.append(f"{feature.label()}: empty geometry or non-finite coordinates")
        return
    lon, lat = coords[:, 0], coords[:, 1]
    if (np.abs(lat) > 90).any():
        hint = " — are longitude and latitude swapped?" if (np.abs(lon) <= 90).all() else ""
        problems.append(f"{feature.label()}: latitude {lat[np.abs(lat) > 90][0]:g} is outside "
                        f"[-90, 90]{hint}")
    elif (np.abs(lon) > 180).any():
        problems.append(f"{feature.label()}: longitude {lon[np.abs(lon) > 180][0]:g} is outside "
                        "[-180, 180] (projected coordinates? expected WGS84 degrees)")


def read_boundary_source(source: str, level: str, code_field: str | None = None) -> BoundarySource:
    """Read and check ``source``; raise :class:`BoundaryFileError` listing every bad feature."""
    problems: list[str] = []
    documents = _load_documents(source)
    digest = hashlib.sha256()
    features: list[SourceFeature] = []
    for origin, document in documents:
        digest.update(json.dumps(document, sort_keys=True, ensure_ascii=False).encode())
        for raw in _features_of(origin, document, problems):
            props = (raw.get("properties") or {}) if isinstance(raw, dict) else {}
            code = _pick(props, CODE_KEYS, code_field)
            province = code if level == "province" else str(props.get("province_code") or "")
            feature = SourceFeature(index=len(features) + 1, code=code,
                                    name=_pick(props, NAME_KEYS, None) or code,
                                    province_code=province, properties=props,
                                    geometry=raw.get("geometry") if isinstance(raw, dict) else None,
                                    origin=origin if len(documents) > 1 else "")
            features.append(feature)
            if not code:
                problems.append(f"{feature.label()}: no code (looked for {code_field or CODE_KEYS})")
            _check_coordinates(feature, problems)
    seen: dict[str, int] = {}
    for feature in features:
        if feature.code and feature.code in seen:
            problems.append(f"{feature.label()}: duplicate code {feature.code}, "
                            f"already used by feature #{seen[feature.code]}")
        seen.setdefault(feature.code, feature.index)
    if not features and not problems:
        problems.append(f"{source}: no features")
    if problems:
        raise BoundaryFileError(f"{source} is not a valid boundary file; nothing was written", problems)
    return BoundarySource(features, digest.hexdigest(), source)
