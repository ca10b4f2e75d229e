"""Photo intake memory and time: ``process_photo`` (JPEG decoded reduced, PNG refused above 24 MP)
against a bare Pillow baseline doing the same job the plain way (decode the whole image, RGB, fit in
2048 px, encode the photo and a 320 px thumbnail), each case in a fresh process.

    .venv/bin/python -m bench.photos

Prints, per case, the peak resident memory the decode added (MB) and the time; the ratio of our
peak to the baseline's is the figure that counts (the machines are noisy).
"""
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CASES = {"jpeg_48mp": ("JPEG", (8000, 6000)), "jpeg_12mp": ("JPEG", (4000, 3000)), "png_49mp": ("PNG", (7000, 7000))}


def make(kind: str, size: tuple[int, int]) -> bytes:
    from PIL import Image, ImageDraw
    image = Image.new("RGB", size, (90, 140, 60))
    ImageDraw.Draw(image).rectangle((size[0] // 4, size[1] // 4, size[0] // 2, size[1] // 2), fill=(200, 30, 30))
    out = io.BytesIO()
    image.save(out, kind, quality=90) if kind == "JPEG" else image.convert("1").save(out, kind, optimize=True)
    return out.getvalue()


def measure(path: str, way: str) -> dict:
    """Run in a child: read the file, note the peak RSS, process it, report the added peak."""
    from PIL import Image

    from reports.errors import InvalidPhoto
    from reports.photos.processing import process_photo
    data = Path(path).read_bytes()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = "ok"
    if way == "ours":
        try:
            process_photo(data)
        except InvalidPhoto as exc:
            outcome = f"refused ({exc.key})"
    else:
        Image.MAX_IMAGE_PIXELS = None
        with Image.open(io.BytesIO(data)) as image:
            image = image.convert("RGB")
            image.thumbnail((2048, 2048))
            for side in (2048, 320):
                image.thumbnail((side, side))
                image.save(io.BytesIO(), "JPEG", quality=85, optimize=True)
    seconds = time.perf_counter() - started
    added = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    return {"way": way, "bytes": len(data), "added_mb": round(added, 1), "seconds": round(seconds, 3),
            "outcome": outcome}


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="bench-photos-"))
    print(f"{'case':<11} {'file':>8}  {'ours: MB':>9} {'s':>6} {'outcome':<28} {'Pillow whole: MB':>16} {'s':>6} {'MB ratio':>8}")
    added = {}
    for case in CASES:
        path = folder / case
        kind, (width, height) = CASES[case]
        subprocess.run([sys.executable, "-m", "bench.photos", "--make", str(path), kind, str(width), str(height)],
                       check=True)  # made in a child of its own: the measuring children only read it
        rows = {}
        for way in ("ours", "baseline"):
            out = subprocess.run([sys.executable, "-m", "bench.photos", "--child", str(path), way],
                                 capture_output=True, text=True, check=True)
            rows[way] = json.loads(out.stdout)
        ours, base = rows["ours"], rows["baseline"]
        ratio = ours["added_mb"] / base["added_mb"] if base["added_mb"] else float("nan")
        print(f"{case:<11} {ours['bytes'] / 1e6:>6.2f}MB  {ours['added_mb']:>9.1f} {ours['seconds']:>6.2f} "
              f"{ours['outcome']:<28} {base['added_mb']:>16.1f} {base['seconds']:>6.2f} {ratio:>8.2f}")
        added[case] = ours["added_mb"], ratio
    # Imported after the children ran. On Linux a child inherits the peak RSS of the process that
    # started it (through exec): this one stays small — no image made here, no numpy or SQLAlchemy
    # loaded before — or the peak a decode adds would be hidden under it.
    from bench.common import record
    for case, (_, ratio) in added.items():
        record("photos", f"{case}: peak memory added, ours / plain Pillow", round(ratio, 2), "×", "", None)
    growth = added["jpeg_48mp"][0] / max(added["jpeg_12mp"][0], 0.1)
    record("photos", "peak memory added by a 48 MP JPEG / by a 12 MP JPEG (ours)", round(growth, 2), "×",
           "≤ 1.5 (bounded: not growing with the image)", growth <= 1.5)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(measure(sys.argv[2], sys.argv[3])))
    elif sys.argv[1:2] == ["--make"]:
        Path(sys.argv[2]).write_bytes(make(sys.argv[3], (int(sys.argv[4]), int(sys.argv[5]))))
    else:
        main()
