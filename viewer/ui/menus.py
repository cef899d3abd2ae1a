"""The menu bar, from the actions table (`actions.SPECS`): menus, submenus, separators.

Submenus are named `Menu/Sub` in the table: File → Open Recent (filled by `recent_menu`)
comes right after Open Library, View → Theme (one exclusive group) closes the View menu.
"""

from __future__ import annotations

from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMainWindow, QMenu

from viewer.ui.actions import SPECS

# Menu entries that start a new group (a separator above them).
_GROUP_STARTS = ("quit", "find", "focus_next", "toggle_tree", "zoom_in", "reload", "about")


def build_menus(window: QMainWindow, actions: dict[str, QAction]) -> dict[str, QMenu]:
    """Fill the window's menu bar with `actions`; returns the menus by name ("File",
    "View/Theme", …)."""
    menus: dict[str, QMenu] = {}
    for name in ("File", "Go", "View", "Bookmarks", "Help"):
        menus[name] = window.menuBar().addMenu(f"&{name}")
    menus["File/Recent"] = QMenu("Open &Recent", window)
    menus["View/Theme"] = QMenu("T&heme", window)
    theme_group = QActionGroup(window)  # one theme at a time
    for spec in SPECS:
        action = actions[spec.name]
        if spec.name in _GROUP_STARTS:
            menus[spec.menu].addSeparator()
        if spec.menu == "View/Theme":
            theme_group.addAction(action)
        menus[spec.menu].addAction(action)
        if spec.name == "open_library":
            menus["File"].addMenu(menus["File/Recent"])
    menus["View"].addSeparator()
    menus["View"].addMenu(menus["View/Theme"])
    return menus
