"""SVGs as the picture gate rewrote them, kept between runs in the user's cache folder.

The gate (`pictures`) parses every SVG with defusedxml and writes it out again; doing that
once per file rather than once per run means a start whose first page shows a diagram loads
neither the XML parser nor the gate. An entry is valid for one file path at one size and
modification time, written by this version of the gate's code (`source_signature`): a changed
file, or a changed gate, is sanitised again. No Qt here.
"""

from __future__ import annotations

import os
from pathlib import Path

from viewer.library.cache import cache_dir, new_sha1, read_blob, source_signature, write_blob

_GATE_SOURCE = str(Path(__file__).with_name("pictures.py"))


def _entry(path: str) -> tuple[Path, tuple] | None:
    """Where `path`'s entry lives and the key it must hold; None if the file cannot be read."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    key = ("safe-svg", 1, path, status.st_size, status.st_mtime_ns, source_signature(_GATE_SOURCE))
    return cache_dir() / "pictures" / f"{new_sha1(path).hexdigest()[:24]}.bin", key


def safe_svg(path: str) -> bytes:
    """The SVG file at `path` as the gate rewrote it, or b"" if the gate refuses it."""
    entry = _entry(path)
    if entry is not None:
        cached = read_blob(entry[0])
        if isinstance(cached, tuple) and len(cached) == 2 and cached[0] == entry[1]:
            if isinstance(cached[1], bytes):
                return cached[1]
    from viewer.pages import pictures  # here: the parser loads with the first new picture

    picture = pictures.inspect_file(path)
    data = picture.data if picture.kind == "svg" else b""
    if entry is not None:
        write_blob(entry[0], (entry[1], data))
    return data
