"""What the reader can do in the Comparison tab's grid beyond moving: recall and the menu.

Recall blanks the cells; Space or Enter reveals the current one and 1–4 grade it, then the
next blank cell becomes current. Those keys are actions on the grid (`attach_pane`), enabled
only while they mean something: off recall, or on a revealed cell, Space and Enter keep their
usual meaning. The grid's context menu copies, opens a subject's topic and toggles differences.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal

from viewer.ui.actions import GRADE_ACTIONS, RECALL_PANE, attach_pane

if TYPE_CHECKING:
    from viewer.ui.compare_view import CompareView


class CompareCommands(QObject):
    """The recall keys and the context menu of `view`'s grid."""

    cell_graded = Signal(str, str, str, int)  # table, attribute, subject ids; grade 1–4

    def __init__(self, view: CompareView, window_actions=None) -> None:
        super().__init__(view)
        self.view = view
        self.model, self.table = view.model, view.table
        self.recall_actions = attach_pane(self.table, RECALL_PANE, window_actions)
        self.recall_actions["recall_reveal"].triggered.connect(self.reveal_current)
        for grade, name in enumerate(GRADE_ACTIONS[RECALL_PANE], start=1):
            self.recall_actions[name].triggered.connect(
                lambda _=False, g=grade: self.grade_current(g)
            )
        self.model.modelReset.connect(self.update_recall_actions)
        self.update_recall_actions()
        from viewer.ui import context_keys

        context_keys.install(self.table, self._table_menu)

    def update_recall_actions(self) -> None:
        recall = self.model.recall
        hidden = recall and self.model.is_hidden(self.table.currentIndex())
        for name, action in self.recall_actions.items():
            action.setEnabled(hidden if name == "recall_reveal" else recall)

    def set_recall(self, on: bool) -> None:
        """Blank the cells (Space/Enter reveals the current one, 1–4 grade it) or show them."""
        current = self.table.currentIndex()
        self.model.set_recall(on)
        if current.isValid():
            self.table.setCurrentIndex(self.model.index(current.row(), current.column()))
        elif self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self.table.fit_rows()
        self.view.update_detail()
        self.update_recall_actions()

    def reveal_current(self) -> None:
        if self.model.reveal(self.table.currentIndex()):
            self.table.fit_rows()
            self.view.update_detail()
            self.update_recall_actions()

    def grade_current(self, grade: int) -> None:
        """Grade the revealed current cell, then move on to the next blank one."""
        index = self.table.currentIndex()
        cset = self.view.current_set()
        if not index.isValid() or cset is None or self.model.is_hidden(index):
            return
        attribute = self.model.attributes()[index.row()]
        subject = self.model.subjects[index.column()]
        self.cell_graded.emit(cset.id, attribute.id, subject.id, grade)
        columns, rows = self.model.columnCount(), self.model.rowCount()
        for step in range(1, rows * columns):
            flat = index.row() * columns + index.column() + step
            following = self.model.index(flat // columns % rows, flat % columns)
            if self.model.is_hidden(following):
                self.table.setCurrentIndex(following)
                return

    def _table_menu(self, position) -> None:
        """The grid's context menu (mouse, Menu key, Shift+F10), for the cell at `position`."""
        from PySide6.QtWidgets import QMenu

        table = self.table
        index = table.indexAt(position)
        if index.isValid() and index != table.currentIndex():
            table.setCurrentIndex(index)
        menu = QMenu(table)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        what = "Selected Cells" if table.selectionModel().hasSelection() else "Table"
        menu.addAction(f"&Copy {what} as Markdown", table.copy)
        current = table.currentIndex()
        if current.isValid():
            subject = self.model.subjects[current.column()]
            opener = menu.addAction(
                f"&Open {subject.label.replace('&', '&&')}",
                lambda: self.view.open_column(current.column()),
            )
            opener.setEnabled(bool(subject.topic))
        menu.addAction(self.view.differences_action)
        menu.popup(table.viewport().mapToGlobal(position))
