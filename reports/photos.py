"""Photo intake: decode and verify with Pillow, re-encode without any metadata, resize, thumbnail.

Only JPEG, PNG, WebP (and HEIC/HEIF when pillow-heif is installed) are accepted. Re-encoding from
pixels drops every metadata field (EXIF with GPS, XMP, IPTC, ICC comments); the orientation is
applied to the pixels first so that the photo still stands the right way up.
"""
import io
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from reports.errors import InvalidPhoto

try:  # HEIC from iPhones, when the library can read it
    import pillow_heif
    pillow_heif.register_heif_opener()
    HEIF_FORMATS = {"HEIF", "HEIC"}
except ImportError:  # pragma: no cover
    HEIF_FORMATS = set()

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"} | HEIF_FORMATS
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 50_000_000  # above this a file is treated as a decompression bomb
MAX_SIDE = 2048
THUMB_SIDE = 320
MAX_PHOTOS = 3
TOO_LARGE = "the photo is larger than 10 MB or 50 megapixels"
NOT_AN_IMAGE = "the file is not a JPEG, PNG, WebP or HEIC image"


@dataclass
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def _encode(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # no exif= → no metadata written
    return out.getvalue()


def process_photo(data: bytes) -> ProcessedPhoto:
    """Return the cleaned JPEG and its thumbnail, or raise :class:`InvalidPhoto`."""
    if len(data) > MAX_BYTES:
        raise InvalidPhoto(TOO_LARGE, key="photo_too_large", http_status=413)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise InvalidPhoto(NOT_AN_IMAGE, key="photo_type")
                if probe.width * probe.height > MAX_PIXELS:
                    raise InvalidPhoto(TOO_LARGE, key="photo_too_large", http_status=413)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                image = ImageOps.exif_transpose(image).convert("RGB")
    except InvalidPhoto:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidPhoto(TOO_LARGE, key="photo_too_large", http_status=413) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidPhoto(NOT_AN_IMAGE, key="photo_type") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    cleaned = _encode(image)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return ProcessedPhoto(cleaned, _encode(thumb), image.width, image.height)
