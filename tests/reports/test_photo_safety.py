"""Photos and memory, visibility and storage: big images decoded reduced or refused, at most a few
decoded at once, photos of hidden reports not served, orphan files swept."""
import io
import os
import threading
import time

import pytest
from PIL import Image

from reports.errors import InvalidPhoto
from reports.photos import processing as photos
from reports.photos.processing import MAX_SIDE, process_photo
from reports.photos.public_copy import make_public_copy
from reports.photos.records import referenced_hashes
from reports.photos.storage import LocalPhotoStorage
from store import db
from tests.helpers import login, make_report
from tests.reports.images import jpeg_with_gps
from webapp.errors import http_status


def png_of(size) -> bytes:
    out = io.BytesIO()
    Image.new("1", size).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_a_small_file_with_many_pixels_is_refused_before_decoding():
    data = png_of((7000, 7000))  # ~60 KB, 49 megapixels: it once took a worker from 173 to 422 MB
    assert len(data) < 100_000
    with pytest.raises(InvalidPhoto) as raised:
        process_photo(data)
    assert http_status(raised.value) == 413


def test_a_large_jpeg_is_decoded_reduced(monkeypatch):
    """A 48-megapixel phone JPEG: libjpeg decodes it at 1/4 scale, never the full 144 MB of pixels."""
    data = jpeg_with_gps((8000, 6000))
    decoded = []
    original_load = Image.Image.load

    def load(image):
        result = original_load(image)
        decoded.append(image.size)
        return result
    monkeypatch.setattr(Image.Image, "load", load)
    result = process_photo(data)
    assert max(result.width, result.height) == MAX_SIDE
    assert max(max(size) for size in decoded) <= 2 * MAX_SIDE  # never 8000 wide in memory


def test_decoding_is_limited_to_a_few_at_once(monkeypatch):
    inside, most = [0], [0]
    lock = threading.Lock()
    original = photos._process

    def counting(data):
        with lock:
            inside[0] += 1
            most[0] = max(most[0], inside[0])
        try:
            time.sleep(0.05)
            return original(data)
        finally:
            with lock:
                inside[0] -= 1
    monkeypatch.setattr(photos, "_process", counting)
    data = jpeg_with_gps((400, 300))
    threads = [threading.Thread(target=process_photo, args=(data,)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most[0] == photos.DECODE_SLOTS


def test_photos_follow_the_reports_visibility(app, client, staff):
    report = make_report(app)
    from reports.models import ReportPhoto
    from reports.photos.storage import photo_keys
    processed = process_photo(jpeg_with_gps((600, 400)))
    key, thumb = photo_keys(processed.image)
    storage = LocalPhotoStorage(app.config["PHOTO_DIR"])
    storage.put(key, processed.image)
    report.photos.append(ReportPhoto(sha256=key[:64], width=processed.width, height=processed.height))
    db.session.commit()
    assert client.get(f"/photos/{key}").status_code == 404  # no public copy yet (the worker makes it)
    make_public_copy(storage, key[:64])
    shown = client.get(f"/photos/{key}")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert shown.headers["Cache-Control"] == "public, max-age=300"
    report.hidden, report.hidden_reason = True, "ảnh vi phạm"
    db.session.commit()
    assert client.get(f"/photos/{key}").status_code == 404
    login(client, "officer@t.vn")  # the ward's own staff still see it, never kept by a cache
    staff_view = client.get(f"/photos/{key}")
    assert staff_view.status_code == 200 and "no-store" in staff_view.headers["Cache-Control"]
    assert staff_view.data == processed.image  # the original
    assert [e.kind for e in report.events][-1] == "original_photo_viewed"
    login(client, "other@t.vn")  # another ward's officer does not
    assert client.get(f"/photos/{key}").status_code == 404


def test_orphan_files_are_swept_and_referenced_ones_kept(app, tmp_path):
    storage = LocalPhotoStorage(tmp_path)
    kept_report = make_report(app)
    from reports.models import ReportPhoto
    kept, orphan, fresh = "a" * 64, "b" * 64, "c" * 64
    kept_report.photos.append(ReportPhoto(sha256=kept, width=1, height=1))
    db.session.commit()
    for sha in (kept, orphan, fresh):
        storage.put(f"{sha}.jpg", b"jpeg")
        storage.put(f"{sha}_t.jpg", b"jpeg")
    old = time.time() - 7200
    for sha in (kept, orphan):
        for key in (f"{sha}.jpg", f"{sha}_t.jpg"):
            os.utime(storage.path(key), (old, old))
    assert storage.sweep(referenced_hashes, older_than_s=3600) == 2
    assert storage.path(f"{orphan}.jpg") is None and storage.path(f"{orphan}_t.jpg") is None
    assert storage.path(f"{kept}.jpg") and storage.path(f"{fresh}.jpg")  # a submission may be under way
