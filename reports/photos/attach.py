"""Attaching a cleaned photo to a report: the files are stored (fsync'ed) first, then the row is
added to the session; the caller's commit makes it visible (an orphan file from a crash in between
is swept later, see ``reports.photos.storage``)."""
from reports.models import Report, ReportPhoto
from reports.photos.processing import ProcessedPhoto
from reports.photos.public_copy import queue_public_copy
from reports.photos.storage import PhotoStorage, photo_keys


def attach_photo(report: Report, photo: ProcessedPhoto, storage: PhotoStorage, kind: str = "report") -> str:
    """Store ``photo`` and its thumbnail and add the row, and ask the worker for its public copy (faces
    blurred: ``reports.photos.public_copy``); return the image's key."""
    image_key, thumb_key = photo_keys(photo.image)
    storage.put(image_key, photo.image)
    storage.put(thumb_key, photo.thumbnail)
    report.photos.append(ReportPhoto(sha256=image_key[:64], kind=kind, width=photo.width, height=photo.height))
    queue_public_copy(image_key[:64])
    return image_key
