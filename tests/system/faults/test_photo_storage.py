"""The photo storage full, read-only or gone: the submission is refused with a clear error (503, in the
resident's language, Retry-After) and no report row is left without its photos."""
import errno
import io

import pytest

from reports.models import Report
from reports.photos.storage import LocalPhotoStorage
from store import db
from tests.reports.images import jpeg_with_gps


def no_space(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.parametrize("broken", ["full", "read-only", "gone"])
def test_a_submission_is_refused_and_nothing_is_half_written(app, client, tmp_path, monkeypatch, broken):
    storage = LocalPhotoStorage(tmp_path / "photos")
    if broken == "full":
        monkeypatch.setattr("reports.photos.storage.tempfile.mkstemp", no_space)
    elif broken == "read-only":
        monkeypatch.setattr("reports.photos.storage.os.replace",
                            lambda *a: (_ for _ in ()).throw(OSError(errno.EROFS, "Read-only file system")))
    else:  # the mount is gone: where the folder should be there is a file
        (tmp_path / "gone").write_text("")
        storage = LocalPhotoStorage(tmp_path / "gone" / "photos")
    monkeypatch.setitem(app.extensions, "photo_storage", storage)
    before = db.session.query(Report).count()
    token = client.get("/api/v1/csrf-token").json["csrf_token"]
    response = client.post("/api/v1/reports", headers={"X-CSRFToken": token}, content_type="multipart/form-data",
                           data={"category": "garbage", "description": f"Rác kèm ảnh ({broken})", "lat": "16.4698",
                                 "lon": "107.5786", "acknowledge_duplicate": "true",
                                 "photos": (io.BytesIO(jpeg_with_gps((800, 600))), "a.jpg")})
    assert response.status_code == 503 and int(response.headers["Retry-After"]) > 0
    assert response.json["error"]["code"] == "photo_storage_unavailable"
    assert "Hiện chưa lưu được ảnh" in response.json["error"]["message"]
    assert db.session.query(Report).count() == before  # no report without its photos
    leftovers = [p for p in (tmp_path / "photos").rglob("*") if p.is_file()] if (tmp_path / "photos").exists() else []
    assert leftovers == []  # no half-written file either
