"""Light or dark for the whole app: follow the system, or force one (Qt 6.8+ colour scheme)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication


def apply(name: str) -> None:
    """Ask Qt for a colour scheme; "system" hands the choice back to the platform."""
    hints = QGuiApplication.styleHints()
    scheme = {
        "light": Qt.ColorScheme.Light,
        "dark": Qt.ColorScheme.Dark,
    }.get(name, Qt.ColorScheme.Unknown)
    if hasattr(hints, "setColorScheme"):
        hints.setColorScheme(scheme)


def effective(name: str) -> str:
    """"light" or "dark": what pages should be drawn in right now."""
    if name in ("light", "dark"):
        return name
    scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"
