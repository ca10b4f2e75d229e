"""Photo intake: metadata stripped, resized, thumbnails, refusals."""
import io

import pytest
from PIL import Image

from reports.errors import InvalidPhoto
from reports.photos.processing import MAX_SIDE, THUMB_SIDE, process_photo
from reports.photos.storage import LocalPhotoStorage, photo_keys
from tests.reports.images import GPS_IFD, bomb_png, jpeg_with_gps, png
from webapp.errors import http_status


def test_gps_exif_is_removed_and_the_photo_resized():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the input really has GPS
    result = process_photo(original)
    cleaned = Image.open(io.BytesIO(result.image))
    assert cleaned.format == "JPEG"
    assert len(cleaned.getexif()) == 0 and not cleaned.info.get("exif")
    assert max(cleaned.size) == MAX_SIDE == max(result.width, result.height)
    assert max(Image.open(io.BytesIO(result.thumbnail)).size) <= THUMB_SIDE


def test_no_comment_or_xmp_of_the_file_goes_on():
    """A JPEG comment or an XMP packet can hold a name, a phone number or a place, like EXIF."""
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><exif:GPSLatitude>16,28.18N</exif:GPSLatitude></x:xmpmeta>'
    Image.new("RGB", (3000, 2000), (20, 90, 160)).save(out, "JPEG", comment=b"Nguyen Van Rieng 0905123456", xmp=xmp)
    assert b"0905123456" in out.getvalue() and b"GPSLatitude" in out.getvalue()  # the input really has both
    result = process_photo(out.getvalue())
    for produced in (result.image, result.thumbnail):
        assert b"0905123456" not in produced and b"Nguyen" not in produced and b"GPSLatitude" not in produced
        assert not {"comment", "xmp", "exif"} & set(Image.open(io.BytesIO(produced)).info)


def test_an_exif_orientation_is_applied():
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90° clockwise to view
    Image.new("RGB", (3000, 2000), (20, 90, 160)).save(out, "JPEG", exif=exif.tobytes())
    result = process_photo(out.getvalue())
    assert (result.width, result.height) == (1365, 2048)  # stored upright: portrait


def test_png_is_accepted():
    assert process_photo(png()).width == 64


@pytest.mark.parametrize("data", [b"", b"%PDF-1.4 not an image", b"GIF89a" + b"\0" * 40,
                                  png()[:60]])
def test_non_images_are_refused(data):
    with pytest.raises(InvalidPhoto) as raised:
        process_photo(data)
    assert http_status(raised.value) == 415


def test_a_gif_is_refused_even_when_it_is_a_real_image():
    out = io.BytesIO()
    Image.new("RGB", (10, 10)).save(out, "GIF")
    with pytest.raises(InvalidPhoto):
        process_photo(out.getvalue())


def test_decompression_bomb_and_oversized_file_are_refused():
    with pytest.raises(InvalidPhoto) as raised:
        process_photo(bomb_png())
    assert http_status(raised.value) == 413
    with pytest.raises(InvalidPhoto) as raised:
        process_photo(b"\xff\xd8" + b"\0" * (10 * 1024 * 1024 + 1))
    assert http_status(raised.value) == 413


def test_storage_is_content_addressed(tmp_path):
    storage = LocalPhotoStorage(tmp_path)
    image = process_photo(png()).image
    key, thumb_key = photo_keys(image)
    storage.put(key, image)
    storage.put(key, image)
    assert storage.path(key).read_bytes() == image
    assert len(list(tmp_path.rglob("*.jpg"))) == 1
    assert storage.path("../../etc/passwd") is None and storage.path(thumb_key) is None


def test_heic_from_an_iphone_is_accepted_and_becomes_jpeg():
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 200, 30)).save(out, format="HEIF")  # pillow-heif's encoder
    result = process_photo(out.getvalue())
    assert (result.width, result.height) == (640, 480)
    assert Image.open(io.BytesIO(result.image)).format == "JPEG"
