"""The user's cache folder, and small cache files in it: written whole or not at all, read
defensively.

Everything here is a cache: deleting the folder loses nothing but time. A file that cannot be
read, is damaged, or was written by another Python (marshal's format is per version) reads as
None and its owner rebuilds it. No Qt here.
"""

from __future__ import annotations

import marshal
import os
import sys
from pathlib import Path

# Bumped when what a blob holds changes shape; older blobs then read as None.
_MAGIC = ("cloudref-cache", 1, sys.version_info[:2])


def cache_dir() -> Path:
    """The per-user cache folder, as QStandardPaths.CacheLocation would give it (no Qt here)."""
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "Cloudref" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "Cloudref"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "cloudref"


_sha1 = None


def new_sha1(text: str = ""):
    """A SHA-1 hash object fed `text`, for names of cache files and settings keys (not security)."""
    global _sha1
    if _sha1 is None:
        # CPython's own SHA-1: hashlib would load all of OpenSSL first, on the start-up path.
        # Looked up once: with PySide6 loaded every import statement runs its hook, and card
        # ids hash thousands of questions.
        try:
            from _sha1 import sha1
        except ImportError:  # pragma: no cover - an interpreter without it
            from hashlib import sha1
        _sha1 = sha1
    return _sha1(text.encode("utf-8", "surrogatepass"))


def library_slug(root: Path) -> str:
    """A short name for one library folder, for its cache files."""
    return new_sha1(str(root)).hexdigest()[:16]


def read_blob(path: Path) -> object | None:
    """What `write_blob` stored at `path`, or None (missing, damaged, other Python)."""
    try:
        with open(path, "rb") as handle:
            magic, payload = marshal.loads(handle.read())
    except Exception:  # noqa: BLE001 - any damage at all means "not cached"
        return None
    return payload if magic == _MAGIC else None


def write_blob(path: Path, payload: object) -> bool:
    """Store `payload` (plain data: str, int, float, bytes, tuple, list, dict, None) at `path`.

    Written to a temporary file and renamed over, so a reader never sees half a file and two
    windows writing at once leave one whole version. False if it could not be written.
    """
    try:
        data = marshal.dumps((_MAGIC, payload))
        path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # here: only a write needs it, and a usual start writes nothing

        fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    except (OSError, ValueError):
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
        return True
    except OSError:
        try:
            os.unlink(temp)
        except OSError:
            pass
        return False


def file_stamp(path: str | os.PathLike) -> str:
    """Changes whenever the file does (size and modification time); "" if it cannot be read."""
    try:
        status = os.stat(path)
    except OSError:
        return ""
    return f"{status.st_size}:{status.st_mtime_ns}"


def source_signature(*files: str | None) -> tuple:
    """The size and modification time of these source files (module `__file__`s): a cache
    written by other code reads as stale, even where someone forgot to bump a version.
    A file that is not there (a frozen build) counts as the app's version."""
    from viewer import __version__

    signature: list = [__version__]
    for name in files:
        try:
            status = os.stat(name) if name else None
        except OSError:
            status = None
        signature.append((status.st_size, status.st_mtime_ns) if status else None)
    return tuple(signature)


def package_file(name: str) -> str | None:
    """The file an installed package is imported from, found without importing it (its size
    and time in `source_signature` tell an upgrade); None if it is not installed."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    return spec.origin if spec is not None else None
