"""Keep `None` alive under PySide6 builds that return it from void methods without a reference.

PySide6 6.12.0 on CPython 3.11 (measured: `QPainter.save()`, `QObject.setObjectName()`,
`QWidget.setEnabled()`… each lower `sys.getrefcount(None)` by one for good) lets `None`'s
reference count drain; at zero the interpreter aborts with "none_dealloc: deallocating None".
A window starts with about 10,000 references, and a search keystroke (model reset, list repaint
with a Python delegate) costs about 85, so the app would die after a hundred keystrokes.

From Python 3.12 `None` is immortal and the bug is harmless. Before that, `install()` checks
whether this PySide6 leaks, and only then gives `None` so many references (2**40) that no
session can drain them. It does nothing on a correct PySide6.
"""

from __future__ import annotations

import ctypes
import sys

BALLAST = 1 << 40
_installed = False


def leaks_none() -> bool:
    """Whether calling a void Qt method loses a reference to None (checked with 64 calls)."""
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(64):
        probe.setObjectName("probe")
    return before - sys.getrefcount(None) >= 48


def install() -> bool:
    """Apply the ballast if this interpreter and PySide6 need it; True if applied (once)."""
    global _installed
    if _installed or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return _installed
    if not leaks_none():
        return False
    # ob_refcnt is the first field of every object on CPython before 3.12 (non-debug builds).
    ctypes.c_ssize_t.from_address(id(None)).value += BALLAST
    _installed = True
    return True
