"""The desk's photo tools (reports.photos.desk_tools): an officer blurs an area the detector does not
know (a number plate) — the public copy is withdrawn at once and the worker's new one has the area
blurred — or hides a photo, which then leaves every public output while its report stays shown."""
import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from reports.models import ReportPhoto
from reports.photos.processing import process_photo
from reports.photos.public_copy import make_public_copy, public_keys
from reports.photos.storage import photo_keys
from store import db
from tests.helpers import login, make_report
from worker.loop import work_due


def _photo_with_a_plate() -> bytes:
    image = Image.new("RGB", (800, 600), (120, 160, 90))
    draw = ImageDraw.Draw(image)
    for x in range(420, 620, 12):  # a plate's black and white detail at 52–78 % × 60–70 %
        draw.rectangle((x, 360, x + 5, 420), fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()


def _detail(image: Image.Image, box) -> float:
    grey = image.crop(box).convert("L")
    return float((np.asarray(grey, float) - np.asarray(grey.filter(ImageFilter.GaussianBlur(2)), float)).std())


def test_an_officer_blurs_a_plate_and_hides_a_photo(app, client, staff):
    report = make_report(app)
    storage = app.extensions["photo_storage"]
    processed = process_photo(_photo_with_a_plate())
    key, _thumb = photo_keys(processed.image)
    storage.put(key, processed.image)
    report.photos.append(ReportPhoto(sha256=key[:64], width=processed.width, height=processed.height))
    db.session.commit()
    make_public_copy(storage, key[:64])
    plate = (420, 360, 620, 420)
    before = _detail(Image.open(storage.path(public_keys(key[:64])[0])), plate)
    token = login(client, "officer@t.vn")
    path = f"/desk/reports/{report.tracking_code}"
    assert "Làm mờ một vùng hoặc ẩn ảnh này" in client.get(path).get_data(as_text=True)
    area = {"csrf_token": token, "photo": key[:64], "left": "50", "top": "58", "right": "80", "bottom": "72"}
    bad = client.post(f"{path}/photo-blur", data={**area, "right": "40"}, follow_redirects=True)
    assert "trái nhỏ hơn phải" in bad.get_data(as_text=True)
    client.post(f"{path}/photo-blur", data=area)
    assert storage.path(public_keys(key[:64])[0]) is None  # withdrawn at once
    client.post("/logout", data={"csrf_token": token})
    assert client.get(f"/photos/{key}").status_code == 404
    work_due()
    after = _detail(Image.open(storage.path(public_keys(key[:64])[0])), plate)
    assert after < 0.2 * before
    assert client.get(f"/photos/{key}").status_code == 200
    token = login(client, "officer@t.vn")
    client.post(f"{path}/photo-hide", data={"csrf_token": token, "photo": key[:64]})
    client.post("/logout", data={"csrf_token": token})
    assert client.get(f"/photos/{key}").status_code == 404
    assert client.get(f"/api/v1/reports/{report.tracking_code}").json["photos"] == []
    db.session.refresh(report)
    assert {"photo_blurred", "photo_hidden"} <= {e.kind for e in report.events}
