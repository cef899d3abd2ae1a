"""File → Open Recent: the libraries opened lately, most recent first.

Entries are numbered `&1` … `&8`, so Alt+F, R, then a digit opens one without the mouse. The
list is the session-independent `viewer.session.recent.RecentLibraries`; this module shows
it and opens what the reader picks. A folder that is gone is shown disabled ("not found");
one that vanished while the menu was open is dropped with a line in the status bar.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from viewer.session.recent import RecentLibraries

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from viewer.library.folder import Library
    from viewer.ui.main_window import MainWindow


def display_path(path: Path) -> str:
    """`path` as a menu shows it: the home folder as `~`."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)


class RecentMenu(QObject):
    """Keeps File → Open Recent in step with the libraries the window opens."""

    def __init__(self, window: MainWindow, menu: QMenu):
        super().__init__(window)
        self.window, self.menu = window, menu
        self.recent = RecentLibraries(window.settings)
        self._entries: list[QAction] = []
        menu.setObjectName("recentMenu")
        self.clear_action = window.actions_by_name["clear_recent"]
        self._separator = menu.insertSeparator(self.clear_action)
        self.clear_action.triggered.connect(self.clear)
        menu.aboutToShow.connect(self.rebuild)  # read when looked at: other windows add too
        window.session.replaced.connect(self._replaced)

    def remember_open(self) -> None:
        self.recent.add(self.window.library.root)

    def _replaced(self, _library: Library, same_root: bool) -> None:
        if not same_root:
            self.remember_open()

    def rebuild(self) -> None:
        for action in self._entries:
            self.menu.removeAction(action)
            action.deleteLater()
        self._entries = []
        current = self.window.library.root
        paths = self.recent.paths()
        for number, path in enumerate(paths, start=1):
            found = path.is_dir()
            label = display_path(path).replace("&", "&&")
            action = QAction(f"&{number}  {label}" + ("" if found else "  (not found)"), self.menu)
            action.setObjectName(f"recent:{number}")
            action.setToolTip(str(path))
            action.setStatusTip(f"Open the library in {path}" if found else f"Not found: {path}")
            action.setEnabled(found)
            action.setCheckable(True)
            action.setChecked(path == current)  # the library on show
            action.triggered.connect(lambda _=False, p=path: self.open(p))
            self._entries.append(action)
        if not paths:
            empty = QAction("No Recent Libraries", self.menu)
            empty.setEnabled(False)
            self._entries.append(empty)
        self.menu.insertActions(self._separator, self._entries)
        self.clear_action.setEnabled(bool(paths))

    def open(self, path: Path) -> bool:
        """Open the recent library at `path`; a folder gone meanwhile is dropped from the list."""
        window = self.window
        if path == window.library.root:
            return True
        if not path.is_dir():
            self.recent.remove(path)
            window.statusBar().showMessage(
                f"The library folder is gone: {path} (removed from Open Recent)", 10000
            )
            return False
        return window.load_library(path)

    def clear(self) -> None:
        self.recent.clear()
        self.window.statusBar().showMessage("Open Recent cleared", 3000)
