"""Face blurring (``reports.photos.faces``): the detector's recall and false alarms on the labelled
faces that ship with scikit-image, and the time a photo's public copy takes against a bare baseline
run in the same process (Pillow decoding the stored JPEG and encoding it again with its thumbnail:
what a public copy costs without looking for faces).

    .venv/bin/python -m bench.faces

- recall: ``skimage.data.lfw_subset()``, 100 faces and 100 non-faces of 25 × 25 pixels from Labeled
  Faces in the Wild, each set in the middle of a grey 200 × 200 photo at 4× (a face 100 px across);
  and the two sample photos with one face each (astronaut, camera).
- time: the astronaut photo enlarged to 2048 px (the largest a stored photo is), median of 7 runs.
"""
import io
import statistics
import time

import numpy as np
from PIL import Image
from skimage import data

from reports.photos.faces import find_faces
from reports.photos.processing import THUMB_SIDE, encode_jpeg
from reports.photos.public_copy import make_public_copy
from reports.photos.storage import LocalPhotoStorage


def _framed(patch: np.ndarray) -> Image.Image:
    face = Image.fromarray((patch * 255).astype(np.uint8)).resize((100, 100), Image.BICUBIC)
    photo = Image.new("L", (200, 200), 128)
    photo.paste(face, (50, 50))
    return photo.convert("RGB")


def recall() -> dict:
    patches = data.lfw_subset()  # the first 100 are faces, the next 100 are not
    found = [bool(find_faces(_framed(p))) for p in patches]
    samples = {name: len(find_faces(Image.fromarray(getattr(data, name)()).convert("RGB"))) for name in ("astronaut", "camera")}
    return {"faces_found": sum(found[:100]), "faces": 100, "false_alarms": sum(found[100:]), "non_faces": 100,
            "sample_photos": samples}


def timing(tmp: str, runs: int = 7) -> dict:
    photo = Image.fromarray(data.astronaut()).resize((2048, 2048), Image.BICUBIC)
    stored = encode_jpeg(photo)
    storage = LocalPhotoStorage(tmp)
    ours, bare = [], []
    for i in range(runs):
        sha = f"{i:064x}"
        storage.put(f"{sha}.jpg", stored)
        start = time.perf_counter()
        make_public_copy(storage, sha)
        ours.append(time.perf_counter() - start)
        start = time.perf_counter()
        image = Image.open(io.BytesIO(stored)).convert("RGB")
        thumb = image.copy()
        thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
        encode_jpeg(thumb), encode_jpeg(image)
        bare.append(time.perf_counter() - start)
    return {"public_copy_s": statistics.median(ours), "bare_reencode_s": statistics.median(bare),
            "ratio": statistics.median(bare) / statistics.median(ours)}


def main() -> None:
    import tempfile
    r = recall()
    print(f"recall: {r['faces_found']}/{r['faces']} LFW faces found, {r['false_alarms']}/{r['non_faces']} non-faces "
          f"taken for faces; sample photos (one face each): {r['sample_photos']}")
    with tempfile.TemporaryDirectory() as tmp:
        t = timing(tmp)
    print(f"public copy of a 2048 px photo: {t['public_copy_s'] * 1000:.0f} ms (faces found and blurred, copy and "
          f"thumbnail written); bare Pillow re-encode of the same: {t['bare_reencode_s'] * 1000:.0f} ms; "
          f"ratio {t['ratio']:.2f}×")


if __name__ == "__main__":
    main()
