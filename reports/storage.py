"""Content-addressed photo storage behind a small interface, so an object store can replace it.

A photo's key is the SHA-256 of its cleaned JPEG (``<sha>.jpg``); its thumbnail sits beside it
(``<sha>_t.jpg``). Writing the same photo twice stores it once.
"""
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

KEY_PATTERN = re.compile(r"^[0-9a-f]{64}(_t)?\.jpg$")


class PhotoStorage(Protocol):
    def put(self, key: str, data: bytes) -> None: ...
    def path(self, key: str) -> Path | None: ...


def photo_keys(image: bytes) -> tuple[str, str]:
    """``(image key, thumbnail key)`` for a cleaned JPEG."""
    sha = hashlib.sha256(image).hexdigest()
    return f"{sha}.jpg", f"{sha}_t.jpg"


class LocalPhotoStorage:
    """Files under ``root/<first two hex digits>/<key>``, written atomically."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def put(self, key: str, data: bytes) -> None:
        if not KEY_PATTERN.match(key):
            raise ValueError(f"bad photo key {key!r}")
        target = self.root / key[:2] / key
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)

    def path(self, key: str) -> Path | None:
        if not KEY_PATTERN.match(key):
            return None
        target = self.root / key[:2] / key
        return target if target.is_file() else None
