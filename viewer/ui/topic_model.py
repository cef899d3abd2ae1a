"""The topic tree as a Qt item model: a thin adapter over the library's plain-Python tree."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex

from viewer.library.folder import Category, Library, Topic
from viewer.qt_constants import (
    ACCESSIBLE_TEXT_ROLE,
    DISPLAY_ROLE,
    FONT_ROLE,
    TOOLTIP_ROLE,
    USER_ROLE,
)

TOPIC_ID_ROLE = USER_ROLE + 1


class TopicTreeModel(QAbstractItemModel):
    def __init__(self, library: Library, parent=None):
        super().__init__(parent)
        self._set(library)

    def _set(self, library: Library) -> None:
        self.library = library
        self._row: dict[int, int] = {}  # id(node) -> row under its parent: O(1) parent()
        self._keep: list = []  # nodes handed to createIndex must outlive the indexes
        self._index_rows(library.tree)

    def _index_rows(self, category: Category) -> None:
        for row, child in enumerate(category.children):
            self._row[id(child)] = row
            self._keep.append(child)
            if isinstance(child, Category):
                self._index_rows(child)

    def set_library(self, library: Library) -> None:
        self.beginResetModel()
        self._set(library)
        self.endResetModel()

    # -- structure -----------------------------------------------------------------------
    # The view asks these for every row it lays out: an invalid index is told by its empty
    # internal pointer (one call into Qt, not two).
    def _node(self, index: QModelIndex | QPersistentModelIndex) -> Category | Topic:
        node = index.internalPointer()
        return self.library.tree if node is None else node

    def index(self, row: int, column: int, parent=QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0:
            return QModelIndex()
        node = self._node(parent)
        if not isinstance(node, Category) or not 0 <= row < len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row])

    def parent(self, index=QModelIndex()) -> QModelIndex:  # noqa: B008
        node = index.internalPointer()
        if node is None:
            return QModelIndex()
        up = node.category if isinstance(node, Topic) else node.parent
        if up is None or up is self.library.tree:
            return QModelIndex()
        return self.createIndex(self._row[id(up)], 0, up)

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent)
        return len(node.children) if isinstance(node, Category) else 0

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 1

    def hasChildren(self, parent=QModelIndex()) -> bool:  # noqa: B008, N802
        return self.rowCount(parent) > 0

    # flags(): the base class's (enabled and selectable) is what every row needs.

    def data(self, index, role=DISPLAY_ROLE):
        node = index.internalPointer()
        if node is None:
            return None
        if role == DISPLAY_ROLE or role == ACCESSIBLE_TEXT_ROLE:
            return node.title
        if role == TOOLTIP_ROLE and isinstance(node, Topic):
            return node.summary or node.title
        if role == TOPIC_ID_ROLE:
            return node.id if isinstance(node, Topic) else None
        if role == FONT_ROLE and isinstance(node, Category):
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    # -- lookups -------------------------------------------------------------------------
    def index_of(self, topic: Topic) -> QModelIndex:
        row = self._row.get(id(topic))
        if row is None:
            return QModelIndex()
        return self.createIndex(row, 0, topic)

    def categories(self, parent: QModelIndex | None = None):
        """(folder, index) for every category, depth first; no index is made for a topic."""
        node = self._node(parent) if parent is not None else self.library.tree
        for row, child in enumerate(node.children):
            if isinstance(child, Category):
                index = self.createIndex(row, 0, child)
                yield child.folder, index
                yield from self.categories(index)

    def topic_at(self, index: QModelIndex) -> Topic | None:
        node = self._node(index) if index.isValid() else None
        return node if isinstance(node, Topic) else None
