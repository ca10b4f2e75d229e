"""Queries over photo rows: who may see a stored photo file, and which files rows still refer to.

A file is content-addressed (reports.photos.storage), so the same photo may belong to several reports: it
is public when at least one report shows it publicly (a report photo of a report that is not
hidden, or a result photo); otherwise only staff who may see one of its reports get it.
"""
from sqlalchemy import or_, select

from reports.models import Report, ReportPhoto
from reports.queries.predicates import PUBLIC, PUBLIC_PHOTO
from store import db


def reports_with_photo(sha256: str) -> list[Report]:
    return list(db.session.scalars(select(Report).join(ReportPhoto).where(ReportPhoto.sha256 == sha256)))


def photo_is_public(sha256: str) -> bool:
    return db.session.scalar(
        select(ReportPhoto.id).join(Report)
        .where(ReportPhoto.sha256 == sha256, PUBLIC_PHOTO.orm(), or_(ReportPhoto.kind == "result", PUBLIC.orm()))
        .limit(1)) is not None


def blurred_areas(sha256: str) -> list:
    """Every area an officer blurred in this photo, on any report that holds it."""
    return [area for areas in db.session.scalars(select(ReportPhoto.blurred).where(ReportPhoto.sha256 == sha256))
            for area in areas or []]


def referenced_hashes(hashes: list[str]) -> set[str]:
    """The subset of ``hashes`` that photo rows refer to (for the orphan sweep)."""
    found: set[str] = set()
    for start in range(0, len(hashes), 1000):
        chunk = hashes[start:start + 1000]
        found |= set(db.session.scalars(select(ReportPhoto.sha256).where(ReportPhoto.sha256.in_(chunk))))
    return found


def result_photos(report_id: int) -> list[str]:
    """The hashes of a report's result photos (always public), oldest first."""
    return list(db.session.scalars(select(ReportPhoto.sha256).where(
        ReportPhoto.report_id == report_id, ReportPhoto.kind == "result", PUBLIC_PHOTO.orm()).order_by(ReportPhoto.id)))
