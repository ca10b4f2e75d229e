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


def phone_photo(size=(4000, 3000), seed=1) -> bytes:
    """A 12-megapixel JPEG that weighs what a phone's does (~4 MB): smooth shading with sensor noise."""
    import numpy as np
    w, h = size
    y, x = np.mgrid[0:h, 0:w]
    shading = np.stack([120 + 80 * np.sin(x / 300.0), 110 + 60 * np.cos(y / 250.0), 90 + 50 * np.sin((x + y) / 400.0)], -1)
    pixels = np.clip(shading + np.random.default_rng(seed).normal(0, 9, (h, w, 3)), 0, 255).astype("uint8")
    out = io.BytesIO()
    Image.fromarray(pixels).save(out, "JPEG", quality=92)
    return out.getvalue()
