"""The statistics office's old → new ward table, and placing legacy records by it.

A ``whole`` old ward went entirely into one new ward. A ``partial`` (split) old ward went into
several: a legacy record then needs its point (WGS84, SRID 4326) or a person's decision — this module
never guesses.
"""
import csv
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, text

from geo.assign import ward_for_point
from geo.errors import OutsideServiceArea, UnknownOldUnit
from geo.models import CrosswalkEntry
from store import db

CROSSWALK_COLUMNS = ("new_province_code", "new_province_name", "new_ward_code", "new_ward_name", "old_province_code",
                     "old_district_code", "old_district_name", "old_ward_code", "old_ward_name",
                     "note_vi", "merge_kind")

UPSERT_SQL = text("""
    INSERT INTO crosswalk_entry (old_ward_code, old_ward_name, old_district_code, old_district_name,
        old_province_code, new_ward_code, new_ward_name, new_province_code, new_province_name,
        merge_kind, note)
    VALUES (:old_ward_code, :old_ward_name, :old_district_code, :old_district_name,
        :old_province_code, :new_ward_code, :new_ward_name, :new_province_code, :new_province_name,
        :merge_kind, :note_vi)
    ON CONFLICT (old_ward_code, new_ward_code) DO UPDATE SET
        old_ward_name = EXCLUDED.old_ward_name, merge_kind = EXCLUDED.merge_kind,
        new_ward_name = EXCLUDED.new_ward_name, note = EXCLUDED.note""")


def read_crosswalk(path: str | Path) -> list[dict]:
    """Read the official CSV; raise ``ValueError`` naming the line of a malformed row."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = set(CROSSWALK_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise ValueError(f"{path}: missing columns {', '.join(sorted(missing))}")
        rows = []
        for line, row in enumerate(reader, start=2):
            if not row["old_ward_code"] or not row["new_ward_code"]:
                raise ValueError(f"{path} line {line}: old_ward_code and new_ward_code are required")
            if row["merge_kind"] not in ("whole", "partial", "other"):
                raise ValueError(f"{path} line {line}: unknown merge_kind {row['merge_kind']!r}")
            rows.append({k: (row[k] or "").strip() for k in CROSSWALK_COLUMNS})
    return rows


def import_crosswalk(rows: list[dict]) -> int:
    """Upsert the rows (safe to run twice); the caller commits."""
    if rows:
        db.session.execute(UPSERT_SQL, rows)
    return len(rows)


@dataclass
class CrosswalkResult:
    """``status`` is ``resolved`` (``ward_code`` set) or ``needs_decision`` (``candidates`` listed)."""

    old_ward_code: str
    status: str
    ward_code: str | None = None
    ward_name: str | None = None
    method: str = ""
    candidates: list[dict] = field(default_factory=list)
    reason: str = ""


def new_ward_for_old(old_ward_code: str, point: tuple[float, float] | None = None,
                     at=None) -> CrosswalkResult:
    """Place a legacy record of old ward ``old_ward_code`` (``point`` = (lon, lat) degrees)."""
    entries = db.session.scalars(select(CrosswalkEntry).filter_by(old_ward_code=old_ward_code)
                                 .order_by(CrosswalkEntry.new_ward_code)).all()
    if not entries:
        raise UnknownOldUnit(f"old ward {old_ward_code} is not in the crosswalk")
    candidates = [{"code": e.new_ward_code, "name": e.new_ward_name, "merge_kind": e.merge_kind}
                  for e in entries]
    if len(entries) == 1 and entries[0].merge_kind == "whole":
        return CrosswalkResult(old_ward_code, "resolved", entries[0].new_ward_code,
                               entries[0].new_ward_name, "whole", candidates)
    if point is None:
        return CrosswalkResult(old_ward_code, "needs_decision", candidates=candidates,
                               reason="the old ward was split; a point or a person must decide")
    try:
        match = ward_for_point(point[0], point[1], at=at)
    except OutsideServiceArea:
        return CrosswalkResult(old_ward_code, "needs_decision", candidates=candidates,
                               reason="the point lies outside every ward in force")
    if match.code not in {c["code"] for c in candidates}:
        return CrosswalkResult(old_ward_code, "needs_decision", candidates=candidates,
                               reason=f"the point lies in {match.name} ({match.code}), "
                                      "which the old ward did not become part of")
    return CrosswalkResult(old_ward_code, "resolved", match.code, match.name, "point", candidates)
