"""Content-addressed photo storage behind a small interface, so an object store can replace it.

A photo's key is the SHA-256 of its cleaned JPEG (``<sha>.jpg``); its thumbnail sits beside it
(``<sha>_t.jpg``). Writing the same photo twice stores it once.

Order of a submission: the file is written and fsync'ed (with its folder) before the database
commit, so a committed row never points at a file lost in a crash; a crash between the two leaves
an orphan file, which :meth:`LocalPhotoStorage.sweep` removes later (``flask reports sweep-photos``).
"""
import contextlib
import hashlib
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Callable, Iterator, Protocol

from reports.errors import PhotoStorageUnavailable

KEY_PATTERN = re.compile(r"^[0-9a-f]{64}(_t|_p|_pt)?\.jpg$")  # the original, its thumbnail, the public copy and its thumbnail


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
        """Write atomically (a temporary file, fsync, rename, fsync of the folder); a refusal of the disk
        (full, read-only, missing) is :class:`PhotoStorageUnavailable`, a half-written file removed."""
        if not KEY_PATTERN.match(key):
            raise ValueError(f"bad photo key {key!r}")
        target = self.root / key[:2] / key
        if target.exists():
            return
        tmp = None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
            tmp = None
            folder = os.open(target.parent, os.O_RDONLY)
            try:
                os.fsync(folder)  # the rename itself survives a crash
            finally:
                os.close(folder)
        except OSError as exc:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.remove(tmp)
            raise PhotoStorageUnavailable(f"the photo storage refused to write ({exc.strerror or exc})",
                                          key="photo_storage_unavailable") from exc

    def path(self, key: str) -> Path | None:
        if not KEY_PATTERN.match(key):
            return None
        target = self.root / key[:2] / key
        return target if target.is_file() else None

    def keys(self) -> Iterator[tuple[str, float]]:
        """Every stored key with its modification time (seconds since the epoch)."""
        for path in self.root.glob("??/*.jpg"):
            if KEY_PATTERN.match(path.name):
                yield path.name, path.stat().st_mtime

    def delete(self, key: str) -> None:
        if KEY_PATTERN.match(key):
            (self.root / key[:2] / key).unlink(missing_ok=True)

    def sweep(self, referenced: Callable[[list[str]], set[str]], older_than_s: float = 3600,
              now: float | None = None) -> int:
        """Delete files no report refers to, once older than ``older_than_s`` (a submission under
        way has written its files but not yet committed). ``referenced`` maps photo hashes to the
        ones rows refer to. Returns how many files were deleted."""
        now = time.time() if now is None else now
        old = [key for key, mtime in self.keys() if now - mtime > older_than_s]
        kept = referenced(sorted({key[:64] for key in old}))
        gone = [key for key in old if key[:64] not in kept]
        for key in gone:
            self.delete(key)
        return len(gone)
