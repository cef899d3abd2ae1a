"""Small keyboard-first dialogs: the shortcuts sheet and the bookmarks list."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
)

from viewer.ui import themes
from viewer.ui.actions import PANE_SPECS, SPECS


def shortcut_rows(actions: dict[str, QAction]) -> list[tuple[str, str, str]]:
    """(menu, command, keys) for every action that has a key, from the actions themselves."""
    rows = []
    for spec in (*SPECS, *PANE_SPECS):
        action = actions[spec.name]
        own = {QKeySequence(k) for k in spec.keys}  # named in the spec: Space, Enter are meant
        keys = [
            s.toString(QKeySequence.SequenceFormat.NativeText)
            for s in action.shortcuts()
            if s in own or not _media_key(s.toString(QKeySequence.SequenceFormat.NativeText))
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


# Keys that belong to no action: what the panes do by themselves.
PANE_KEYS: tuple[tuple[str, str, str], ...] = (
    ("Tree", "Collapse / expand a category", "Left, Right"),
    ("Tree", "Open the selected topic", "Enter"),
    ("Page", "Scroll a line / a screen (two lines stay in sight)", "Up, Down; Space, PgDown, PgUp"),
    ("Page", "Top / end of the page", "Home, End"),
    ("Page", "Next / previous link; follow it", "Tab, Shift+Tab; Enter"),
    ("Tree, page, comparison", "Context menu at the current item", "Menu, Shift+F10"),
    ("Comparison", "Move between cells; open the subject's topic", "Arrows; Enter"),
    ("Comparison", "Copy as Markdown", "Ctrl+C"),
    ("Find bar", "Next / previous match; close", "Enter, Shift+Enter; Esc"),
)


class ShortcutsDialog(QDialog):
    """Every command with all its keys, one row each, grouped by menu; typing filters it.

    Typing goes to the filter field wherever focus is in the sheet; Esc clears the filter,
    and closes the sheet when there is none."""

    def __init__(self, actions: dict[str, QAction], parent=None):
        from PySide6.QtCore import QSortFilterProxyModel
        from PySide6.QtWidgets import QLineEdit, QTreeView

        super().__init__(parent)
        themes.style(self)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("Keyboard Shortcuts")
        self.model = QStandardItemModel(0, 2, self)
        self.model.setHorizontalHeaderLabels(["Command", "Keys"])
        groups: dict[str, QStandardItem] = {}
        for group, command, keys in [*shortcut_rows(actions), *PANE_KEYS]:
            if group not in groups:
                groups[group] = QStandardItem(group)
                groups[group].setEditable(False)
                self.model.appendRow([groups[group], QStandardItem()])
            row = [QStandardItem(command), QStandardItem(keys)]
            for item in row:
                item.setEditable(False)
            row[0].setData(f"{command}: {keys}", Qt.ItemDataRole.AccessibleTextRole)
            groups[group].appendRow(row)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)  # a group stays while a row of it matches
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)  # command or keys

        self.filter = QLineEdit()
        self.filter.setObjectName("shortcutsFilter")
        self.filter.setPlaceholderText("Type to filter: a command or a key")
        self.filter.setAccessibleName("Filter shortcuts")
        self.filter.setAccessibleDescription("Shows only the commands and keys that match")
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._filter)
        self.filter.installEventFilter(self)

        self.table = QTreeView()
        self.table.setObjectName("shortcutsTable")
        self.table.setAccessibleName("Keyboard shortcuts")
        self.table.setAccessibleDescription("Commands grouped by menu, each with all its keys")
        self.table.setModel(self.proxy)
        self.table.setAlternatingRowColors(True)
        self.table.setUniformRowHeights(True)
        self.table.setRootIsDecorated(False)
        self.table.setItemsExpandable(False)
        self.table.header().setSectionResizeMode(0, self.table.header().ResizeMode.ResizeToContents)
        self.table.header().setStretchLastSection(True)
        self.table.expandAll()
        for row in range(self.proxy.rowCount()):
            self.table.setFirstColumnSpanned(row, self.table.rootIndex(), True)
            index = self.proxy.index(row, 0)
            font = index.data(Qt.ItemDataRole.FontRole) or self.table.font()
            font.setBold(True)
            self.proxy.setData(index, font, Qt.ItemDataRole.FontRole)
        self.table.installEventFilter(self)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(600, 640)
        self.filter.setFocus()

    def _filter(self, text: str) -> None:
        from PySide6.QtCore import QRegularExpression

        self.proxy.setFilterRegularExpression(
            QRegularExpression(
                QRegularExpression.escape(text.strip()),
                QRegularExpression.PatternOption.CaseInsensitiveOption,
            )
        )
        self.table.expandAll()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        from PySide6.QtCore import QEvent

        if event.type() != QEvent.Type.KeyPress:
            return False
        if event.key() == Qt.Key.Key_Escape and self.filter.text():
            self.filter.clear()
            return True
        if watched is self.table and event.text().isprintable() and event.text().strip():
            # Typing in the list filters too, as in a file chooser.
            self.filter.setFocus()
            self.filter.insert(event.text())
            return True
        if watched is self.filter and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_PageDown):
            self.table.setFocus()
            return True
        return False

    def visible_rows(self) -> list[tuple[str, str, str]]:
        """(group, command, keys) of every row the filter shows, top to bottom."""
        rows = []
        for g in range(self.proxy.rowCount()):
            group = self.proxy.index(g, 0)
            for r in range(self.proxy.rowCount(group)):
                rows.append(
                    (
                        group.data(),
                        self.proxy.index(r, 0, group).data(),
                        self.proxy.index(r, 1, group).data(),
                    )
                )
        return rows


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
