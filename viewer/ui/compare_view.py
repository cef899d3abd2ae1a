"""The Comparison tab: choose a table and its subjects, read them side by side.

Layout and wiring only: the chooser, the ticks, the differences toggle and the remembered
choice are here; the grid is `compare_table` over `compare_model`, the line under it
`compare_detail`, recall and the grid's menu `compare_commands`. What is in a table, which rows
differ and how a table is written as Markdown or tab-separated text come from
`viewer.compare.tables`; the window decides what opening a topic means (the view only emits
`topic_requested`).
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QKeySequence,
    QPalette,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.compare.tables import (
    ComparisonData,
    ComparisonSet,
    problems_summary,
)
from viewer.ui.compare_commands import CompareCommands
from viewer.ui.compare_detail import CellDetail
from viewer.ui.compare_model import DIFFERS_MARK, CompareModel
from viewer.ui.compare_table import CompareTable

SHOWN_PROBLEMS = 5  # above the table; the rest are one `cloudref --check` away


class CompareView(QWidget):
    topic_requested = Signal(str)  # topic id of a subject the user asked to read about
    status_message = Signal(str)
    cell_graded = Signal(str, str, str, int)  # recall: table, attribute, subject ids; grade 1–4

    def __init__(
        self,
        settings,
        settings_key: str,
        parent: QWidget | None = None,
        differences_action: QAction | None = None,
        actions: dict[str, QAction] | None = None,
    ):
        """`actions`: the window's (`create_actions`), for the recall keys; on its own, the
        view makes its own from the same specs."""
        super().__init__(parent)
        self._window_actions = actions
        self.differences_action = (
            differences_action  # the window's, so menus and the shortcuts sheet show it
        )
        self.setObjectName("compareView")
        self.settings = settings
        self.settings_key = settings_key
        self.data = ComparisonData()
        self.root = None
        self.checks: list[QCheckBox] = []
        self._choice = {"set": "", "subjects": {}, "differences": False}
        self._restoring = False
        self._build()

    # -- building ------------------------------------------------------------------------
    def _build(self) -> None:
        self.set_label = QLabel("&Table:")
        self.set_combo = QComboBox()
        self.set_combo.setObjectName("compareSet")
        self.set_combo.setAccessibleName("Comparison table")
        self.set_combo.setAccessibleDescription("Which comparison to show")
        self.set_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.set_label.setBuddy(self.set_combo)

        self.subjects_box = QWidget()
        self.subjects_box.setObjectName("compareSubjects")
        self.subjects_layout = QHBoxLayout(self.subjects_box)
        self.subjects_layout.setContentsMargins(0, 0, 0, 0)
        self.subjects_layout.setSpacing(14)

        if self.differences_action is None:  # on its own (tests, other windows): its own action
            self.differences_action = QAction("≠ &Differences Only", self)
            self.differences_action.setObjectName("compare_differences")
            self.differences_action.setCheckable(True)
            self.differences_action.setShortcut(QKeySequence("Ctrl+Shift+D"))
            self.differences_action.setShortcutContext(
                Qt.ShortcutContext.WidgetWithChildrenShortcut
            )
            self.addAction(self.differences_action)
        keys = self.differences_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        self.differences_action.setToolTip(
            f"Hide rows where every subject shown has the same value ({keys})"
        )
        self.differences_button = QToolButton()
        self.differences_button.setObjectName("compareDifferences")
        self.differences_button.setDefaultAction(self.differences_action)
        self.differences_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.differences_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.differences_button.setAccessibleName("Differences only")
        self.differences_button.setAccessibleDescription(self.differences_action.toolTip())

        bar = QHBoxLayout()
        bar.setSpacing(8)
        bar.addWidget(self.set_label)
        bar.addWidget(self.set_combo)
        bar.addSpacing(16)
        bar.addWidget(self.subjects_box)
        bar.addStretch(1)
        bar.addWidget(self.differences_button)

        self.description = QLabel()
        self.description.setObjectName("compareDescription")
        self.description.setWordWrap(True)
        self.description.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.problems_label = QLabel()
        self.problems_label.setObjectName("compareProblems")
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems_label.hide()

        self.model = CompareModel(self)
        self.table = CompareTable(self.model)
        # The marks in the table, explained once: a mark is no use to one who cannot guess it.
        self.legend = QLabel(
            f"{DIFFERS_MARK} before a row: the subjects' values differ · "
            "◥ in a cell's corner: it has a note or a source, shown below when the cell is current"
        )
        self.legend.setObjectName("compareLegend")
        self.legend.setWordWrap(True)
        self.legend.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.detail = CellDetail()

        self.empty = QLabel()
        self.empty.setObjectName("compareEmpty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.description)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addWidget(self.legend)
        layout.addWidget(self.detail)

        self.set_combo.currentIndexChanged.connect(self._set_chosen)
        self.differences_action.toggled.connect(self._differences_toggled)
        self.table.subject_activated.connect(self.open_column)
        self.table.doubleClicked.connect(lambda index: self.open_column(index.column()))
        self.table.horizontalHeader().sectionDoubleClicked.connect(self.open_column)
        self.table.copied.connect(self.status_message)
        self.commands = CompareCommands(self, self._window_actions)  # recall keys, menu
        self.commands.cell_graded.connect(self.cell_graded)
        self.recall_actions = self.commands.recall_actions
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.detail.status_message.connect(self.status_message)

    # -- data and choice -------------------------------------------------------------------
    def set_data(self, data: ComparisonData, root=None, settings_key: str | None = None) -> None:
        """Show a library's comparison data, restoring the remembered choice where it fits."""
        self.data, self.root = data, root
        if settings_key is not None:
            self.settings_key = settings_key
        saved = self.settings.get_json(self.settings_key, {}) if self.settings is not None else {}
        self._choice = {
            "set": saved.get("set", "") if isinstance(saved.get("set"), str) else "",
            "subjects": saved.get("subjects", {})
            if isinstance(saved.get("subjects"), dict)
            else {},
            "differences": bool(saved.get("differences", False)),
        }
        self._restoring = True
        self.set_combo.blockSignals(True)  # one refresh below, once everything is in place
        try:
            self.differences_action.setChecked(self._choice["differences"])
            self.set_combo.clear()
            for cset in data.sets:
                self.set_combo.addItem(cset.title, cset.id)
                self.set_combo.setItemData(
                    self.set_combo.count() - 1,
                    cset.description or cset.title,
                    Qt.ItemDataRole.ToolTipRole,
                )
        finally:
            self.set_combo.blockSignals(False)
            self._restoring = False
        ids = [s.id for s in data.sets]
        self.set_combo.setEnabled(bool(ids))
        self._show_problems()
        if not ids:
            self._show_empty()
            return
        self.empty.hide()
        self.table.show()
        index = ids.index(self._choice["set"]) if self._choice["set"] in ids else 0
        self.set_combo.blockSignals(True)
        self.set_combo.setCurrentIndex(index)
        self.set_combo.blockSignals(False)
        self._set_chosen(index)

    def current_set(self) -> ComparisonSet | None:
        return self.data.set_by_id(self.set_combo.currentData()) if self.set_combo.count() else None

    def ticked(self) -> list[str]:
        return [c.property("subjectId") for c in self.checks if c.isChecked()]

    def _set_chosen(self, _index: int) -> None:
        cset = self.current_set()
        if cset is None:
            return
        remembered = self._choice["subjects"].get(cset.id)
        known = [s.id for s in cset.subjects]
        ticked = [s for s in remembered if s in known] if isinstance(remembered, list) else []
        self._build_checks(cset, ticked or known)  # first start: every subject of the table
        self.description.setText(cset.description)
        self.description.setVisible(bool(cset.description))
        self._refresh()

    def _clear_checks(self) -> None:
        for check in self.checks:
            self.subjects_layout.removeWidget(check)
            check.deleteLater()
        self.checks = []

    def _build_checks(self, cset: ComparisonSet, ticked: list[str]) -> None:
        self._clear_checks()
        previous: QWidget = self.set_combo
        for subject in cset.subjects:
            check = QCheckBox(subject.label.replace("&", "&&"))
            check.setObjectName(f"compareSubject-{subject.id}")
            check.setProperty("subjectId", subject.id)
            check.setChecked(subject.id in ticked)
            check.setToolTip(f"Show {subject.label} as a column")
            check.setAccessibleDescription(f"Show {subject.label} as a column of the table")
            check.toggled.connect(self._ticks_changed)
            self.subjects_layout.addWidget(check)
            self.checks.append(check)
            QWidget.setTabOrder(previous, check)
            previous = check
        QWidget.setTabOrder(previous, self.differences_button)
        QWidget.setTabOrder(self.differences_button, self.table)

    def _ticks_changed(self) -> None:
        self._refresh()

    def _differences_toggled(self, _on: bool) -> None:
        if not self._restoring:
            self._refresh()

    def _refresh(self) -> None:
        cset = self.current_set()
        current = self.table.currentIndex()
        attribute_id = self.model.attributes()[current.row()].id if current.isValid() else ""
        subject_id = self.model.subjects[current.column()].id if current.isValid() else ""
        self.model.show(cset, self.ticked(), self.differences_action.isChecked())
        self._restore_current(attribute_id, subject_id)
        if cset is not None:
            self._choice["set"] = cset.id
            self._choice["subjects"][cset.id] = self.ticked()
        self._choice["differences"] = self.differences_action.isChecked()
        if self.settings is not None and not self._restoring:
            self.settings.set_json(self.settings_key, self._choice)
        self.update_detail()

    def _restore_current(self, attribute_id: str, subject_id: str) -> None:
        """Keep the current cell on the same attribute and subject across a change, if shown."""
        rows = [a.id for a in self.model.attributes()]
        columns = [s.id for s in self.model.subjects]
        if not rows or not columns:
            return
        row = rows.index(attribute_id) if attribute_id in rows else 0
        column = columns.index(subject_id) if subject_id in columns else 0
        self.table.selectionModel().setCurrentIndex(
            self.model.index(row, column), QItemSelectionModel.SelectionFlag.NoUpdate
        )

    def compare_with(self, subject_ids: list[str]) -> bool:
        """Open the table holding these subjects, with them ticked and the first one current."""
        cset = next((self.data.set_of(s) for s in subject_ids if self.data.set_of(s)), None)
        if cset is None:
            return False
        wanted = [s for s in subject_ids if cset.subject(s)]
        others = self._choice["subjects"].get(cset.id) if cset.id == self._choice["set"] else None
        others = (
            [s.id for s in cset.subjects]
            if not others or len(set(others) | set(wanted)) < 2
            else others
        )
        self._choice["subjects"][cset.id] = list(dict.fromkeys([*wanted, *others]))
        index = self.set_combo.findData(cset.id)
        if index != self.set_combo.currentIndex():
            self.set_combo.setCurrentIndex(index)
        else:
            self._set_chosen(index)
        columns = [s.id for s in self.model.subjects]
        if wanted and wanted[0] in columns and self.model.rowCount():
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, columns.index(wanted[0])),
                QItemSelectionModel.SelectionFlag.NoUpdate,
            )
            self.table.scrollTo(self.table.currentIndex())
        return True

    # -- showing -------------------------------------------------------------------------
    def _show_empty(self) -> None:
        self.model.show(None, [])
        self._clear_checks()
        self.table.hide()
        self.description.hide()
        self.empty.setText(
            "This library has no comparison tables.\n"
            "Add TOML files to its comparisons/ folder (the library guide shows the format)."
        )
        self.empty.show()
        self.detail.clear()

    def _show_problems(self) -> None:
        problems = self.data.problems
        if not problems:
            self.problems_label.hide()
            return
        lines = [html.escape(p.format(self.root)) for p in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            lines.append(
                f"… and {len(problems) - SHOWN_PROBLEMS} more (cloudref --check lists them all)"
            )
        self.problems_label.setText(
            "<b>⚠ Problems in the comparison files</b> — the table shows what could be "
            f"read:<br/>{'<br/>'.join(lines)}"
        )
        self.problems_label.show()

    def problems_text(self) -> str:
        return problems_summary(self.data.problems, self.root)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.table.fit_columns()

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self.update_detail()
        self.commands.update_recall_actions()

    # -- recall (CompareCommands) ------------------------------------------------------------
    def set_recall(self, on: bool) -> None:
        """Blank the cells (Space/Enter reveals the current one, 1–4 grade it) or show them."""
        self.commands.set_recall(on)

    def reveal_current(self) -> None:
        self.commands.reveal_current()

    def grade_current(self, grade: int) -> None:
        self.commands.grade_current(grade)

    def update_detail(self) -> None:
        """The detail line for the current cell (CellDetail)."""
        self.detail.show_cell(
            self.model,
            self.table.currentIndex(),
            len(self.ticked()),
            self.current_set() is not None,
        )

    # -- actions -------------------------------------------------------------------------
    def open_column(self, column: int) -> None:
        subjects = self.model.subjects
        if not 0 <= column < len(subjects):
            return
        subject = subjects[column]
        if subject.topic:
            self.topic_requested.emit(subject.topic)
        else:
            self.status_message.emit(f"{subject.label} has no topic page")
