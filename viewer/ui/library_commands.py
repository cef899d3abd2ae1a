"""Opening a library and following its files: File → Open Library and live reload.

The session reads libraries and decides what changed; this controller asks the reader for a
folder, reports what happened in the status bar, and turns file-watcher events into reloads.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from viewer.library.folder import LibraryError

if TYPE_CHECKING:
    from viewer.ui.main_window import MainWindow


class LibraryCommands(QObject):
    def __init__(self, window: MainWindow):
        super().__init__(window)
        self.window = window

    def choose(self) -> None:
        """File → Open Library: a folder dialog starting at the open library."""
        from PySide6.QtWidgets import QFileDialog

        window = self.window
        folder = QFileDialog.getExistingDirectory(window, "Open Library", str(window.library.root))
        if folder:
            self.load(Path(folder))

    def load(self, root: Path) -> bool:
        """Make the library at `root` the open one; a folder that cannot be read says why."""
        window = self.window
        window.save_state()
        try:
            window.session.open_root(root)
        except LibraryError as exc:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(window, "Cannot open library", str(exc))
            return False
        library = window.library
        window.statusBar().showMessage(
            f"Opened {library.title} ({len(library.topics)} topics)", 5000
        )
        return True

    def files_changed(self, paths: list[str]) -> None:
        """Files in the library were saved, added or removed: show the new state, same scroll."""
        from viewer.paper.document import SVG_CACHE  # a library's pictures: not at start-up

        SVG_CACHE.clear()
        if not self.window.session.reload():
            return
        # A folder among the paths: files came or went in it.
        files = [path for path in paths if not Path(path).is_dir()] or paths
        names = ", ".join(Path(path).name for path in files[:3]) + (" …" if len(files) > 3 else "")
        self.window.statusBar().showMessage(f"Reloaded: {names} changed on disk", 4000)
