"""The Bookmarks menu and the bookmarks list: what the session's bookmarks look like.

The session keeps and saves the bookmarks; this module only shows them and turns the reader's
choices into calls on the session and the window.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMenu

    from viewer.ui.main_window import MainWindow


class BookmarksMenu(QObject):
    """Keeps the entries of the Bookmarks menu in step with the session's bookmarks."""

    def __init__(self, window: MainWindow, menu: QMenu):
        super().__init__(window)
        self.window = window
        self.menu = menu
        self._entries: list[QAction] = []
        menu.addSeparator()
        self.rebuild()

    def rebuild(self) -> None:
        window = self.window
        for action in self._entries:
            self.menu.removeAction(action)
            action.deleteLater()
        self._entries = []
        library = window.session.library
        for topic_id in window.session.bookmarks:
            topic = library.topic(topic_id)
            if topic is None:
                continue
            action = QAction(topic.title.replace("&", "&&"), self.menu)
            action.triggered.connect(lambda _=False, t=topic_id: window.open_topic(t))
            self.menu.addAction(action)
            self._entries.append(action)
        current = window.current
        window.actions_by_name["toggle_bookmark"].setChecked(
            current is not None and current.id in window.session.bookmarks
        )

    def toggle_current(self) -> None:
        window = self.window
        current = window.current
        if current is None:
            return
        added, problem = window.session.toggle_bookmark(current.id)
        verb = "Bookmarked" if added else "Bookmark removed"
        if problem:  # say what happened: the change lasts only until the app closes
            window.statusBar().showMessage(f"{verb} until you quit — {problem}", 10000)
        else:
            window.statusBar().showMessage(f"{verb}: {current.title}", 3000)

    def show_list(self) -> None:
        from viewer.ui.dialogs import BookmarksDialog

        window, session = self.window, self.window.session
        library = session.library
        entries = [(t, library.topic(t).title) for t in session.bookmarks if library.topic(t)]
        dialog = BookmarksDialog(entries, window)
        dialog.open_requested.connect(window.open_topic)
        dialog.remove_requested.connect(session.remove_bookmark)
        dialog.exec()
