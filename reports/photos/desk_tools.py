"""What an officer does to a report's photo before the public sees it (the desk): hide it, or blur
areas the face detector does not know — number plates, house numbers, a face it missed. Each is in
the report's trail; a blur withdraws the public copy at once and the worker makes the new one."""
from reports.errors import InvalidReport
from reports.models import Report, ReportPhoto
from reports.photos.public_copy import queue_public_copy, withdraw_public_copy
from reports.workflow.lifecycle import record_event

MAX_AREAS = 20


def _photo(report: Report, sha256: str) -> ReportPhoto:
    photo = next((p for p in report.photos if p.sha256 == sha256), None)
    if photo is None:
        raise InvalidReport("this photo is not one of the report's", key="invalid_request")
    return photo


def hide_photo(report: Report, actor: str, role: str, sha256: str) -> None:
    photo = _photo(report, sha256)
    photo.hidden = True
    record_event(report, "photo_hidden", actor, public=False, role=role, photo=sha256[:12])


def blur_area(report: Report, actor: str, role: str, sha256: str, area, storage) -> None:
    """Add ``area`` (left, top, right, bottom as percentages of the photo) to the photo's blurred areas."""
    photo = _photo(report, sha256)
    try:
        left, top, right, bottom = (float(v) / 100 for v in area)
    except (TypeError, ValueError):
        raise InvalidReport("give the area as four percentages", key="invalid_blur_area") from None
    if not (0 <= left < right <= 1 and 0 <= top < bottom <= 1) or len(photo.blurred or []) >= MAX_AREAS:
        raise InvalidReport("the area must lie within the photo", key="invalid_blur_area")
    photo.blurred = [*(photo.blurred or []), [left, top, right, bottom]]
    withdraw_public_copy(storage, sha256)
    queue_public_copy(sha256, again=True)
    record_event(report, "photo_blurred", actor, public=False, role=role, photo=sha256[:12])
