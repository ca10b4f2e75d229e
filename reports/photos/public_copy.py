"""The public copy of a stored photo: the original (``<sha>.jpg``, with its thumbnail ``<sha>_t.jpg``)
stays private to the staff who may see its report; the worker makes the copy anyone may see
(``<sha>_p.jpg`` and its thumbnail ``<sha>_pt.jpg``) with the faces blurred, and the public is served
that copy only once it exists (``webapp.citizen.photo``). Officers' rectangles (plates, house numbers,
a face the detector missed) are blurred the same way when they ask for a new copy."""
from PIL import Image

from reports.notify.queue import enqueue
from reports.photos.faces import blur_boxes, find_faces
from reports.photos.processing import THUMB_SIDE, encode_jpeg
from reports.photos.storage import PhotoStorage
from store import utcnow


def public_keys(sha256: str) -> tuple[str, str]:
    return f"{sha256}_p.jpg", f"{sha256}_pt.jpg"


def make_public_copy(storage: PhotoStorage, sha256: str, areas=()) -> int | None:
    """Write the public copy of the stored photo ``sha256`` (its faces and ``areas`` blurred: rectangles
    as fractions of its width and height, drawn by an officer); the number of faces found, or None when
    the original is gone (erased meanwhile)."""
    path = storage.path(f"{sha256}.jpg")
    if path is None:
        return None
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    faces = find_faces(image)
    rectangles = [(a[0] * image.width, a[1] * image.height, a[2] * image.width, a[3] * image.height) for a in areas]
    public = blur_boxes(image, faces, rectangles)
    thumb = public.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    image_key, thumb_key = public_keys(sha256)
    storage.put(thumb_key, encode_jpeg(thumb))
    storage.put(image_key, encode_jpeg(public))  # last: its presence says the copy is complete
    return len(faces)


def queue_public_copy(sha256: str, again: bool = False) -> None:
    """Ask the worker for the photo's public copy (``again``: a new one, after an officer's change)."""
    suffix = f":{utcnow().timestamp()}" if again else ""
    enqueue("public_photo", {"sha256": sha256}, dedupe_key=f"public-photo:{sha256}{suffix}")


def withdraw_public_copy(storage: PhotoStorage, sha256: str) -> None:
    """Remove the public copy (the public gets nothing until the worker makes the new one)."""
    for key in public_keys(sha256):
        storage.delete(key)


def public_copy_ready(storage: PhotoStorage, sha256: str) -> bool:
    return storage.path(public_keys(sha256)[0]) is not None

