"""Where bundled files live: one place that works from source, installed and frozen.

From a source checkout the library is `content/` beside the package; installed with pip it is
`viewer/content`; in a PyInstaller build it sits under `sys._MEIPASS`.
"""

from __future__ import annotations

import sys
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _roots() -> list[Path]:
    roots = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots.append(Path(frozen))
    roots += [PACKAGE_DIR.parent, PACKAGE_DIR]
    return roots


def bundled_library() -> Path:
    """The folder of the library that ships with the app."""
    for root in _roots():
        candidate = root / "content"
        if (candidate / "library.toml").is_file():
            return candidate
    return PACKAGE_DIR.parent / "content"


def data_file(name: str) -> Path:
    """A file shipped inside the package (stylesheets, icon)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen and (Path(frozen) / "viewer" / name).exists():
        return Path(frozen) / "viewer" / name
    return PACKAGE_DIR / name


def read_text(name: str) -> str:
    return data_file(name).read_text(encoding="utf-8")
