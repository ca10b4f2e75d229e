"""Photo intake: decode and verify with Pillow, re-encode without any metadata, resize, thumbnail.

Only JPEG, PNG, WebP (and HEIC/HEIF when pillow-heif is installed) are accepted. Re-encoding from
pixels drops every metadata field (EXIF with GPS, XMP, IPTC, ICC comments); the orientation is
applied to the pixels first so that the photo still stands the right way up.

Memory is bounded: a JPEG is decoded already reduced (libjpeg's DCT scaling, ``Image.draft``) to
about the stored size, so a 100-megapixel photo costs what a 4-megapixel one does; formats that must
be decoded whole (PNG, WebP, HEIC) are refused above ``MAX_FULL_DECODE_PIXELS``; and at most
``DECODE_SLOTS`` photos are decoded at once in a process (the other requests wait their turn).
"""
import io
import threading
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from reports.errors import InvalidPhoto, PhotoTooLarge

try:  # HEIC from iPhones, when the library can read it
    import pillow_heif
    pillow_heif.register_heif_opener()
    HEIF_FORMATS = {"HEIF", "HEIC"}
except ImportError:  # pragma: no cover
    HEIF_FORMATS = set()

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"} | HEIF_FORMATS
MAX_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 64_000_000  # JPEG, decoded reduced; above this a file is treated as a decompression bomb
MAX_FULL_DECODE_PIXELS = 24_000_000  # PNG, WebP, HEIC: ~72 MB of RGB while decoding
DECODE_SLOTS = 2
_decoding = threading.BoundedSemaphore(DECODE_SLOTS)
MAX_SIDE = 2048
THUMB_SIDE = 320
MAX_PHOTOS = 3
TOO_LARGE = "the photo is larger than 10 MB or has too many pixels (64 MP for JPEG, 24 MP otherwise)"
NOT_AN_IMAGE = "the file is not a JPEG, PNG, WebP or HEIC image"


@dataclass
class ProcessedPhoto:
    image: bytes
    thumbnail: bytes
    width: int
    height: int


def encode_jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85, optimize=True)  # no exif= → no metadata written
    return out.getvalue()


def process_photo(data: bytes) -> ProcessedPhoto:
    """Return the cleaned JPEG and its thumbnail, or raise :class:`InvalidPhoto`."""
    if len(data) > MAX_BYTES:
        raise PhotoTooLarge(TOO_LARGE, key="photo_too_large")
    with _decoding:
        return _process(data)


def _process(data: bytes) -> ProcessedPhoto:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in ACCEPTED_FORMATS:
                    raise InvalidPhoto(NOT_AN_IMAGE, key="photo_type")
                limit = MAX_PIXELS if probe.format == "JPEG" else MAX_FULL_DECODE_PIXELS
                if probe.width * probe.height > limit:
                    raise PhotoTooLarge(TOO_LARGE, key="photo_too_large")
                probe.verify()
            # Not in a ``with``: closing an image frees its pixels, and these are used below (the
            # BytesIO holds no handle to release).
            image = Image.open(io.BytesIO(data))
            if image.format == "JPEG":
                image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # decode at 1/2, 1/4 or 1/8 scale when larger
            image.load()
            # Turned upright without a copy when it need not turn, and converted only when not RGB
            # already: each copy of a 12 MP decode is 36 MB more at the peak.
            ImageOps.exif_transpose(image, in_place=True)
            if image.mode != "RGB":
                image = image.convert("RGB")
            # Nothing of the file's metadata goes on: Pillow writes a JPEG comment from ``info`` by
            # itself, and a comment can hold a name or a phone number like EXIF can.
            image.info = {}
    except InvalidPhoto:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoTooLarge(TOO_LARGE, key="photo_too_large") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidPhoto(NOT_AN_IMAGE, key="photo_type") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    cleaned = encode_jpeg(image)
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return ProcessedPhoto(cleaned, encode_jpeg(thumb), image.width, image.height)
