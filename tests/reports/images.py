"""Test images made with Pillow: a JPEG carrying GPS EXIF, and non-images."""
import io

from PIL import Image

GPS_IFD = 0x8825


def jpeg_with_gps(size=(3000, 2000)) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0131] = "Camera 1.0"  # Software
    exif[GPS_IFD] = {1: "N", 2: (16.0, 28.0, 11.0), 3: "E", 4: (107.0, 34.0, 43.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def png(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (0, 128, 0)).save(out, "PNG")
    return out.getvalue()


def bomb_png() -> bytes:
    """A tiny file that claims 20,000 x 20,000 pixels (400 megapixels)."""
    out = io.BytesIO()
    Image.new("1", (20000, 20000)).save(out, "PNG", optimize=True)
    return out.getvalue()
