"""The left pane: the topic tree, with the search field above it and the outline below.

At start-up the search field is a read-only stand-in of the same size, so the tree sits where
it will stay; `install_search` swaps in the real search panel (which takes the tree into its
stack) after the first paint or when first needed; `add_outline` puts the outline of the
current topic under them, in a splitter the reader can move.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from viewer.library.folder import LARGE_LIBRARY_TOPICS, Library
from viewer.ui.actions import SEARCH_HINT
from viewer.ui.lazy_qt import Qt
from viewer.ui.topic_model import TopicTreeModel


class TopicPane(QWidget):
    def __init__(self, library: Library, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("leftPanel")
        self.tree = QTreeView()
        self.tree.setObjectName("topicTree")
        self.tree.setAccessibleName("Topics")
        self.tree.setAccessibleDescription(
            "The library's categories and topics. Enter opens a topic."
        )
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QTreeView.SelectionMode.ExtendedSelection)
        self.tree_model = TopicTreeModel(library, self)
        self.tree.setModel(self.tree_model)
        self._outer = QVBoxLayout(self)
        self._outer.setContentsMargins(6, 6, 0, 6)
        self._upper = QWidget()  # the search field and the tree (or the results)
        self._outer.addWidget(self._upper)
        layout = self.pane_layout = QVBoxLayout(self._upper)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self._stand_in = QLineEdit()
        self._stand_in.setPlaceholderText(SEARCH_HINT)
        self._stand_in.setReadOnly(True)
        hint_width = self._stand_in.fontMetrics().horizontalAdvance(SEARCH_HINT)
        self._stand_in.setMinimumWidth(hint_width + 48)  # as SearchPanel
        layout.addWidget(self._stand_in)
        layout.addWidget(self.tree, 1)

    def open_folders(self, opened: dict[str, bool]) -> None:
        """Every folder of the tree open, except on a large library, where only the shown
        topic's is (opening it shows the topic): a list of thousands of rows helps nobody.
        `opened` overrides either, folder by folder."""
        open_by_default = len(self.tree_model.library.topics) <= LARGE_LIBRARY_TOPICS
        if open_by_default:
            self.tree.expandAll()
        for folder, index in self.tree_model.categories():
            state = opened.get(folder, open_by_default)
            if state != open_by_default:
                self.tree.setExpanded(index, state)

    def show_topic_menu(self, position, actions) -> None:
        """The tree's context menu (mouse, Menu key, Shift+F10): what can be done with the
        topic under `position`, which becomes the current topic first."""
        from PySide6.QtWidgets import QMenu

        tree = self.tree
        index = tree.indexAt(position)
        if index.isValid():
            tree.setCurrentIndex(index)
        if self.tree_model.topic_at(tree.currentIndex()) is None:
            return
        menu = QMenu(tree)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        for name in ("toggle_bookmark", "compare_with", "print", "export_pdf"):
            menu.addAction(actions[name])
        menu.popup(tree.viewport().mapToGlobal(position))

    def opened_folders(self) -> dict[str, bool]:
        """Which folders the reader has open, to keep them so across a reload."""
        return {f: self.tree.isExpanded(i) for f, i in self.tree_model.categories()}

    def install_search(self, library: Library):
        """Put the real search panel in the stand-in's place and return it."""
        from viewer.ui.search_panel import SearchPanel

        focus = self.window().focusWidget() if self.window() else None
        tree_had_focus = self.tree.hasFocus() or focus in (None, self._stand_in)
        panel = SearchPanel(library, self.tree)  # the tree moves into its stack
        self.pane_layout.removeWidget(self._stand_in)
        self._stand_in.deleteLater()
        # The layout's widget owns it (replaceWidget would leave Python owning it).
        self.pane_layout.addWidget(panel, 1)
        panel.show()  # now, not in the next turn: no paint may find the tree gone
        if tree_had_focus:  # as on a window built whole: first in the chain
            panel.box.setFocus(Qt.FocusReason.OtherFocusReason)
        return panel

    def add_outline(self, outline: QWidget) -> None:
        """The outline below the tree, with a handle between them (the tree gets more room)."""
        from PySide6.QtWidgets import QSplitter

        focus = self.window().focusWidget() if self.window() else None
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setObjectName("leftSplitter")
        splitter.setChildrenCollapsible(False)
        self._outer.removeWidget(self._upper)
        splitter.addWidget(self._upper)
        splitter.addWidget(outline)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        height = max(self.height(), 500)
        splitter.setSizes([height * 3 // 5, height * 2 // 5])
        self._outer.addWidget(splitter)
        self._upper.show()  # a widget moved to a new parent is hidden until shown
        if focus is not None and self._upper.isAncestorOf(focus):
            focus.setFocus(Qt.FocusReason.OtherFocusReason)  # hiding it on the way lost it
