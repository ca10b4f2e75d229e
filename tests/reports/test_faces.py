"""Faces are blurred in a photo's public copy (reports.photos.faces, public_copy), on a sample photo
with a face that ships with scikit-image (the astronaut, whose face is at rows 30–190, columns
150–300 of the 512 × 512 image): the detector finds it, the copy's face region loses its detail, the
rest of the photo stays as it was, and the public is served the copy, never the original."""
import io

import numpy as np
from PIL import Image, ImageFilter
from skimage import data

from reports.models import ReportPhoto
from reports.photos.faces import find_faces
from reports.photos.processing import process_photo
from reports.photos.public_copy import make_public_copy, public_keys
from reports.photos.storage import LocalPhotoStorage, photo_keys
from store import db
from tests.helpers import login, make_report

FACE = (150, 30, 300, 190)  # left, top, right, bottom
FACE_CORE = (180, 70, 270, 160)  # eyes, nose, mouth


def _astronaut_jpeg() -> bytes:
    out = io.BytesIO()
    Image.fromarray(data.astronaut()).save(out, "JPEG", quality=95)
    return out.getvalue()


def _detail(image: Image.Image, box) -> float:
    """How much fine detail a region holds: the spread of what a slight blur takes away."""
    grey = image.crop(box).convert("L")
    return float((np.asarray(grey, dtype=float) - np.asarray(grey.filter(ImageFilter.GaussianBlur(2)), dtype=float)).std())


def _overlap(a, b) -> float:
    w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h) / ((b[2] - b[0]) * (b[3] - b[1]))


def test_the_face_is_found_and_blurred_in_the_public_copy(app, tmp_path):
    image = Image.open(io.BytesIO(_astronaut_jpeg())).convert("RGB")
    faces = find_faces(image)
    assert any(_overlap(box, FACE) > 0.6 for box in faces), faces
    storage = LocalPhotoStorage(tmp_path)
    processed = process_photo(_astronaut_jpeg())
    key, _thumb = photo_keys(processed.image)
    storage.put(key, processed.image)
    assert make_public_copy(storage, key[:64]) >= 1
    original = Image.open(storage.path(key))
    public = Image.open(storage.path(public_keys(key[:64])[0]))
    assert public.size == original.size and storage.path(public_keys(key[:64])[1]) is not None
    assert _detail(public, FACE_CORE) < 0.2 * _detail(original, FACE_CORE)  # the face's detail is gone
    corner = (0, 400, 100, 512)  # the rest is the photo as it was (JPEG re-encoded)
    assert abs(_detail(public, corner) - _detail(original, corner)) < 0.15 * _detail(original, corner)


def test_the_public_gets_the_blurred_copy_and_staff_the_original_on_the_record(app, client, staff):
    report = make_report(app)
    processed = process_photo(_astronaut_jpeg())
    key, thumb = photo_keys(processed.image)
    storage = LocalPhotoStorage(app.config["PHOTO_DIR"])
    storage.put(key, processed.image)
    storage.put(thumb, processed.thumbnail)
    report.photos.append(ReportPhoto(sha256=key[:64], width=processed.width, height=processed.height))
    db.session.commit()
    assert client.get(f"/photos/{key}").status_code == 404  # before the worker's copy: nothing public
    make_public_copy(storage, key[:64])
    served = client.get(f"/photos/{key}")
    assert served.status_code == 200 and served.data == storage.path(public_keys(key[:64])[0]).read_bytes()
    assert served.data != processed.image
    assert client.get(f"/photos/{thumb}").data == storage.path(public_keys(key[:64])[1]).read_bytes()
    assert client.get(f"/photos/{key}?original=1").status_code == 404  # the original: never to the public
    assert client.get(f"/photos/{public_keys(key[:64])[0]}").status_code == 404  # stored names are no URLs
    login(client, "officer@t.vn")
    original = client.get(f"/photos/{key}?original=1")
    assert original.status_code == 200 and original.data == processed.image
    assert "no-store" in original.headers["Cache-Control"]
    db.session.refresh(report)
    seen = [e for e in report.events if e.kind == "original_photo_viewed"]
    assert len(seen) == 1 and not seen[0].public and seen[0].actor
