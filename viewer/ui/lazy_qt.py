"""`Qt`, the QtCore namespace, made when first used rather than when imported.

PySide6 builds all of the namespace's ~100 Python enums (Qt.Key, Qt.ItemDataRole, …) the
first time `Qt` is looked up: as much work as building the rest of the window.
The modules on the way to the first paint import `Qt` from here and use it only in code that
runs later (keys, focus, dialogs), so the first screen never pays for it. Everything else
imports `Qt` from PySide6 as usual.
"""

from __future__ import annotations


class _LazyQt:
    __slots__ = ("_qt",)

    def __init__(self) -> None:
        self._qt = None

    def __getattr__(self, name: str):
        if self._qt is None:
            from PySide6.QtCore import Qt

            self._qt = Qt
        return getattr(self._qt, name)


Qt = _LazyQt()
