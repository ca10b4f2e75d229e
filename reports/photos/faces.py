"""Faces found and blurred before a photo is public (Decree 356/2025: a person's image is personal data).

The detector is scikit-image's LBP cascade for frontal faces, whose trained model ships inside the
package (``skimage.data.lbp_frontal_face_cascade_filename``): nothing is downloaded, at install or at
run time. It finds frontal faces from about 20 pixels across in the reduced image it searches; it
misses faces in profile, turned away, small in a crowd or hidden in shadow, and it sometimes takes a
textured patch for a face (a blurred patch more costs nothing). ``bench/faces.py`` measures its recall
on scikit-image's sample photos. What it misses, an officer blurs by hand on the desk, or hides.
"""
import functools

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SEARCH_SIDE = 640  # faces are searched in the photo reduced to this longest side (time ~ pixels; bench/faces.py)
MIN_FACE = 20  # pixels across, in the reduced photo
PADDING = 0.25  # each found box grows by this share on every side: hair, ears and chin go too


@functools.cache
def _detector():
    from skimage.data import lbp_frontal_face_cascade_filename  # (loaded on first use: the worker's, not the web's)
    from skimage.feature import Cascade
    return Cascade(lbp_frontal_face_cascade_filename())


def find_faces(image: Image.Image) -> list[tuple[int, int, int, int]]:
    """Boxes (left, top, right, bottom) in ``image``'s pixels around the faces found."""
    scale = min(1.0, SEARCH_SIDE / max(image.size))
    small = image.convert("L")
    if scale < 1.0:
        small = small.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))), Image.BILINEAR)
    pixels = np.asarray(small, dtype=np.float64) / 255.0
    found = _detector().detect_multi_scale(img=pixels, scale_factor=1.2, step_ratio=1, min_size=(MIN_FACE, MIN_FACE),
                                           max_size=(max(pixels.shape), max(pixels.shape)), min_neighbor_number=2)
    boxes = []
    for face in found:
        pad_w, pad_h = face["width"] * PADDING, face["height"] * PADDING
        left, top = (face["c"] - pad_w) / scale, (face["r"] - pad_h) / scale
        right, bottom = (face["c"] + face["width"] + pad_w) / scale, (face["r"] + face["height"] + pad_h) / scale
        boxes.append((max(0, int(left)), max(0, int(top)), min(image.width, int(right) + 1),
                      min(image.height, int(bottom) + 1)))
    return boxes


def blur_boxes(image: Image.Image, faces=(), rectangles=()) -> Image.Image:
    """A copy of ``image`` in which each face (an ellipse in its box) and each rectangle (a plate, a
    house number) is made unrecognisable: the photo reduced to blocks of a fortieth of its side and
    enlarged again smoothly, laid over those areas through a feathered mask (no hard edge, no area
    blurred twice). Both are made at the reduced size, then enlarged: a blur at full size cost ~1 s."""
    if not faces and not rectangles:
        return image.copy()
    block = max(6, max(image.size) // 40)
    size = (max(1, image.width // block), max(1, image.height // block))
    small_mask = Image.new("L", (size[0] * 4, size[1] * 4), 0)  # at a quarter block: smooth enough an edge
    draw = ImageDraw.Draw(small_mask)
    scale = (small_mask.width / image.width, small_mask.height / image.height)
    for shape, boxes in ((draw.ellipse, faces), (draw.rectangle, rectangles)):
        for left, top, right, bottom in boxes:
            shape((left * scale[0], top * scale[1], right * scale[0], bottom * scale[1]), fill=255)
    mask = small_mask.filter(ImageFilter.GaussianBlur(2)).resize(image.size, Image.BILINEAR)
    blurred = image.resize(size, Image.BOX).filter(ImageFilter.GaussianBlur(0.7)).resize(image.size, Image.BILINEAR)
    return Image.composite(blurred, image, mask)
