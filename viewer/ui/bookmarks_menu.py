"""The Bookmarks menu and the bookmarks list: what the session's bookmarks look like.

Topic bookmarks show the topic's title, section bookmarks `Topic › Section`; the first nine
entries get Alt+1 … Alt+9.

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


ENTRY_KEYS = 9  # Alt+1 … Alt+9


def bookmark_label(library, bookmark) -> str | None:
    """What a bookmark is called in the menu and the list; None if its topic is gone."""
    topic = library.topic(bookmark.topic_id)
    if topic is None:
        return None
    return f"{topic.title} › {bookmark.title}" if bookmark.anchor else topic.title


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
            window.removeAction(action)
            action.deleteLater()
        self._entries = []
        library = window.session.library
        for bookmark in window.session.bookmarks:
            label = bookmark_label(library, bookmark)
            if label is None:
                continue
            action = QAction(label.replace("&", "&&"), self.menu)
            action.setObjectName(f"bookmark:{bookmark.key}")
            if len(self._entries) < ENTRY_KEYS:
                action.setShortcut(f"Alt+{len(self._entries) + 1}")
            action.triggered.connect(lambda _=False, key=bookmark.key: self.open(key))
            self.menu.addAction(action)
            window.addAction(action)  # its key works while the menu is closed
            self._entries.append(action)
        current = window.current
        window.actions_by_name["toggle_bookmark"].setChecked(
            current is not None and current.id in window.session.bookmarks
        )

    def open(self, key: str) -> None:
        """Open a bookmark: its topic, at its section if it has one."""
        bookmark = self.window.session.bookmarks.get(key)
        if bookmark is None:
            return
        if bookmark.anchor:
            self.window.sections.open_section(bookmark.topic_id, bookmark.anchor, bookmark.title)
        else:
            self.window.open_topic(bookmark.topic_id)

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
        entries = [
            (bookmark.key, label)
            for bookmark in session.bookmarks
            if (label := bookmark_label(session.library, bookmark)) is not None
        ]
        dialog = BookmarksDialog(entries, window)
        dialog.open_requested.connect(self.open)
        dialog.remove_requested.connect(session.remove_bookmark)
        dialog.exec()
