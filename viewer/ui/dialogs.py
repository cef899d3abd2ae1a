"""Small keyboard-first dialogs: the shortcuts sheet and the bookmarks list."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
)

from viewer.ui import themes
from viewer.ui.actions import SPECS


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every action that has a key, from the actions themselves."""
    rows = []
    for spec in SPECS:
        action = actions[spec.name]
        keys = [
            k
            for k in (
                s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
            )
            if not _media_key(k)
        ]
        if keys:
            rows.append(
                (
                    spec.menu.split("/")[0],
                    action.text().replace("&", "").rstrip("…"),
                    ", ".join(keys),
                )
            )
    return rows


def _media_key(text: str) -> bool:
    """A dedicated keyboard key such as "Open", "Back" or "Exit": standard bindings on X11
    include them, and they work, but listed beside Ctrl+O they only puzzle the reader."""
    return "+" not in text and text.isalpha() and len(text) > 2


class ShortcutsDialog(QDialog):
    def __init__(self, actions: dict[str, QAction], parent=None):
        super().__init__(parent)
        themes.style(self)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        model = QStandardItemModel(0, 3, self)
        model.setHorizontalHeaderLabels(["Menu", "Command", "Keys"])
        for row in shortcut_rows(actions):
            model.appendRow([QStandardItem(text) for text in row])
        extra = [
            ("Tree", "Collapse / expand a category", "Left, Right"),
            ("Tree", "Open the selected topic", "Enter"),
            ("Page", "Scroll", "Up, Down, Space, Shift+Space, PgUp, PgDown, Home, End"),
            ("Page", "Next / previous link; follow it", "Tab, Shift+Tab; Enter"),
            ("Find bar", "Next / previous match; close", "Enter, Shift+Enter; Esc"),
        ]
        for row in extra:
            model.appendRow([QStandardItem(text) for text in row])
        for r in range(model.rowCount()):
            for c in range(3):
                model.item(r, c).setEditable(False)
        self.table = QTableView()
        self.table.setObjectName("shortcutsTable")
        self.table.setModel(model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(640, 560)
        self.table.setFocus()


class BookmarksDialog(QDialog):
    """Arrows move, Enter opens, Delete removes, Esc closes."""

    open_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, entries: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        themes.style(self)
        self.setObjectName("bookmarksDialog")
        self.setWindowTitle("Bookmarks")
        self.list = QListWidget()
        self.list.setObjectName("bookmarkList")
        self.list.setAccessibleName("Bookmarks")
        for topic_id, title in entries:
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, topic_id)
            self.list.addItem(item)
        if entries:
            self.list.setCurrentRow(0)
        hint = QLabel(
            "Enter opens · Delete removes · Esc closes"
            if entries
            else "No bookmarks yet: Ctrl+D bookmarks the current topic."
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(hint)
        self.list.itemActivated.connect(self._open)
        self.resize(420, 360)

    def _open(self, item: QListWidgetItem) -> None:
        self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        self.accept()

    def keyPressEvent(self, event) -> None:  # noqa: N802
        item = self.list.currentItem()
        if event.key() == Qt.Key.Key_Delete and item is not None:
            self.remove_requested.emit(item.data(Qt.ItemDataRole.UserRole))
            self.list.takeItem(self.list.row(item))
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and item is not None:
            self._open(item)
            return
        super().keyPressEvent(event)


def show_about(parent) -> None:
    """Help → About: version, Qt, PySide6 and Python versions, licence, third-party notices."""
    from viewer.ui.about import show_about as about

    about(parent)
