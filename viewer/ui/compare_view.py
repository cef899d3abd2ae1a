"""The Comparison tab: choose a table and its subjects, read them side by side.

Layout and wiring only. What is in a table, which rows differ and how a table is written as
Markdown or tab-separated text come from `viewer.compare.tables`; the window decides what opening
a topic means (the view only emits `topic_requested`).
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPointF,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QAction,
    QColor,
    QDesktopServices,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QPolygonF,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from viewer.compare.tables import (
    ComparisonData,
    ComparisonSet,
    markdown_table,
    problems_summary,
    tsv_table,
)
from viewer.ui.compare_model import CELL_ROLE, HAS_NOTE_ROLE, HTML_ROLE, SAME_ROLE, CompareModel

MIN_COLUMN_EM = 13  # narrower than this and cells wrap into towers: scroll sideways instead
MAX_HEADER_EM = 20  # the attribute column wraps beyond this
CELL_PADDING = (8, 6)  # horizontal, vertical, in pixels
HEADER_PADDING = (8, 5)  # as in ui.qss: QTableView#compareTable QHeaderView::section
SHOWN_PROBLEMS = 5  # above the table; the rest are one `cloudref --check` away
HINT = "Arrows move between cells · Enter opens the subject's topic · Ctrl+C copies as Markdown"


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


class CompareDelegate(QStyledItemDelegate):
    """Draws a cell's value as rich text (its **bold** kept), wrapped, with room around it;
    quietens rows where every subject has the same value (colours from the palette, so they
    follow the theme); marks cells that have a note with a corner triangle, as spreadsheets
    mark comments. Rows that differ are marked by the model: "≠" and a bold label."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:  # noqa: N802
        super().initStyleOption(option, index)
        if index.data(SAME_ROLE):
            text = option.palette.text().color()
            option.palette.setColor(
                QPalette.ColorRole.Text, _mix(text, option.palette.base().color(), 0.38)
            )

    @staticmethod
    def _document(html_text: str, font, width: float) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(font)
        doc.setHtml(html_text)
        doc.setTextWidth(max(10.0, width))
        return doc

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        width = opt.rect.width() if opt.rect.width() > 0 else 200
        doc = self._document(index.data(HTML_ROLE) or "", opt.font, width - 2 * CELL_PADDING[0])
        return QSize(
            int(doc.idealWidth()) + 2 * CELL_PADDING[0],
            int(doc.size().height()) + 2 * CELL_PADDING[1],
        )

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(
            QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget
        )  # background, selection
        rect: QRect = opt.rect
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        doc = self._document(
            index.data(HTML_ROLE) or "", opt.font, rect.width() - 2 * CELL_PADDING[0]
        )
        context = QAbstractTextDocumentLayout.PaintContext()
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.translate(rect.left() + CELL_PADDING[0], rect.top() + CELL_PADDING[1])
        painter.setClipRect(
            QRectF(0, 0, rect.width() - CELL_PADDING[0], rect.height() - CELL_PADDING[1])
        )
        doc.documentLayout().draw(painter, context)
        painter.restore()
        if opt.state & QStyle.StateFlag.State_HasFocus:
            # The stylesheet hides Qt's dotted focus rectangle; keyboard users still need to
            # see the current cell, selected or not.
            painter.save()
            pen = QPen(opt.palette.highlight().color(), 2)
            pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
            painter.restore()
        if index.data(HAS_NOTE_ROLE):
            size = max(7.0, opt.fontMetrics.height() * 0.45)
            right, top = rect.right() + 1.0, float(rect.top())
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(opt.palette.link())
            painter.drawPolygon(
                QPolygonF(
                    [QPointF(right - size, top), QPointF(right, top), QPointF(right, top + size)]
                )
            )
            painter.restore()


class CompareTable(QTableView):
    """The table: Enter asks for the column's topic, Ctrl+C for a copy, Escape clears the
    selection (so the next Ctrl+C copies the whole table)."""

    subject_activated = Signal(int)  # column
    copy_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_requested.emit()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.subject_activated.emit(self.currentIndex().column())
            return
        if (
            event.key() == Qt.Key.Key_Escape
            and self.selectionModel()
            and self.selectionModel().hasSelection()
        ):
            self.clearSelection()
            return
        super().keyPressEvent(event)


class CompareView(QWidget):
    topic_requested = Signal(str)  # topic id of a subject the user asked to read about
    status_message = Signal(str)

    def __init__(
        self,
        settings,
        settings_key: str,
        parent: QWidget | None = None,
        differences_action: QAction | None = None,
    ):
        super().__init__(parent)
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
        self.table = CompareTable()
        self.table.setObjectName("compareTable")
        self.table.setAccessibleName("Comparison table")
        self.table.setAccessibleDescription(HINT)
        self.table.setModel(self.model)
        self.table.setItemDelegate(CompareDelegate(self.table))
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setTabKeyNavigation(False)  # arrows move between cells; Tab leaves the table
        self.table.setCornerButtonEnabled(True)  # the corner selects everything, as Ctrl+A does
        self.table.setShowGrid(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header_font = header.font()
        header_font.setBold(True)
        header.setFont(header_font)
        header.setMinimumHeight(int(header.fontMetrics().height() * 2))
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        )
        rows.setMaximumWidth(int(rows.fontMetrics().averageCharWidth() * MAX_HEADER_EM * 1.9))
        self.table.setAlternatingRowColors(True)
        rows.setHighlightSections(True)

        self.detail = QLabel()
        self.detail.setObjectName("compareDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setOpenExternalLinks(False)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.detail.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.detail.setMinimumHeight(int(self.detail.fontMetrics().height() * 2.6))
        self.detail.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

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
        layout.addWidget(self.detail)

        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_rows)

        self.set_combo.currentIndexChanged.connect(self._set_chosen)
        self.differences_action.toggled.connect(self._differences_toggled)
        self.table.subject_activated.connect(self._open_column)
        self.table.doubleClicked.connect(lambda index: self._open_column(index.column()))
        self.table.horizontalHeader().sectionDoubleClicked.connect(self._open_column)
        self.table.copy_requested.connect(self.copy)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.table.horizontalHeader().sectionResized.connect(lambda *_: self._fit_timer.start())
        self.model.modelReset.connect(self._model_reset)
        # The viewport narrows when a scroll bar appears; the columns must follow it.
        self.table.viewport().installEventFilter(self)
        self.detail.linkActivated.connect(self._open_source)

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
        self._update_detail()

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
            f"<b>⚠ Problems in the comparison files</b> — the table shows what could be read:<br/>{'<br/>'.join(lines)}"
        )
        self.problems_label.show()

    def problems_text(self) -> str:
        return problems_summary(self.data.problems, self.root)

    def _model_reset(self) -> None:
        self.fit_columns()
        self._fit_timer.start()

    def fit_columns(self) -> None:
        """Share the width among the subjects; below a readable minimum, scroll sideways."""
        columns = self.model.columnCount()
        if not columns:
            return
        minimum = int(self.table.fontMetrics().averageCharWidth() * MIN_COLUMN_EM * 1.9)
        available = self.table.viewport().width()
        width = max(minimum, available // columns)
        header = self.table.horizontalHeader()
        header.blockSignals(True)
        for column in range(columns):
            self.table.setColumnWidth(column, width)
        header.blockSignals(False)
        self._fit_timer.start()

    def fit_rows(self) -> None:
        """Rows as tall as their longest cell or their wrapped attribute label."""
        self.table.resizeRowsToContents()
        rows = self.table.verticalHeader()
        width = rows.width() - 2 * HEADER_PADDING[0]
        font = rows.font()
        font.setBold(True)
        metrics = QFontMetrics(font)
        for row in range(self.model.rowCount()):
            label = str(self.model.headerData(row, Qt.Orientation.Vertical) or "")
            needed = metrics.boundingRect(
                QRect(0, 0, max(20, width), 10_000), Qt.TextFlag.TextWordWrap, label
            ).height()
            needed += 2 * HEADER_PADDING[1] + 2
            if needed > self.table.rowHeight(row):
                self.table.setRowHeight(row, needed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            if event.size().width() != event.oldSize().width():
                self.fit_columns()
        return super().eventFilter(watched, event)

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        self.fit_columns()

    def _current_changed(self, _current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_detail()

    def _update_detail(self) -> None:
        index = self.table.currentIndex()
        count = len(self.ticked())
        if count < 2 and self.current_set() is not None:
            self._set_detail(
                f"<i>Tick at least two subjects to compare them.</i> {html.escape(HINT)}"
            )
            return
        if not index.isValid():
            self._set_detail(html.escape(HINT))
            return
        subject = self.model.subjects[index.column()]
        attribute = self.model.attributes()[index.row()]
        cell = index.data(CELL_ROLE)
        head = f"<b>{html.escape(subject.label)} · {html.escape(attribute.label)}</b>"
        if cell is None:
            self._set_detail(f"{head} — no value in the comparison file.")
            return
        parts = [head]
        if cell.note:
            parts.append(html.escape(cell.note))
        extra = []
        if cell.source:
            host = urlsplit(cell.source).netloc or cell.source
            url = html.escape(cell.source, quote=True)
            extra.append(f'Source: <a href="{url}">{html.escape(host)}</a>')
        if cell.checked:
            extra.append(f"checked {html.escape(cell.checked)}")
        if extra:
            parts.append(" · ".join(extra))
        if len(parts) == 1:
            parts.append(html.escape(cell.plain))
        self._set_detail(" — ".join(parts), link=bool(cell.source))
        self.detail.setToolTip(cell.source)

    def _set_detail(self, text: str, link: bool = False) -> None:
        # A Tab stop only while there is a link to follow, so Tab is not wasted on plain text.
        flags = (
            Qt.TextInteractionFlag.TextBrowserInteraction
            if link
            else Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.detail.setTextInteractionFlags(flags)
        self.detail.setFocusPolicy(Qt.FocusPolicy.StrongFocus if link else Qt.FocusPolicy.NoFocus)
        self.detail.setText(text)

    # -- actions -------------------------------------------------------------------------
    def _open_column(self, column: int) -> None:
        subjects = self.model.subjects
        if not 0 <= column < len(subjects):
            return
        subject = subjects[column]
        if subject.topic:
            self.topic_requested.emit(subject.topic)
        else:
            self.status_message.emit(f"{subject.label} has no topic page")

    def _open_source(self, url: str) -> None:
        if urlsplit(url).scheme.lower() != "https":
            self.status_message.emit(f"Not opened (only https:// sources are): {url}")
            return
        QDesktopServices.openUrl(QUrl(url))  # the system browser, never inside the app
        self.status_message.emit(f"Opened in your browser: {url}")

    def selection_cells(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows of what Ctrl+C copies: the selected cells, or the whole table."""
        cset = self.model.comparison_set
        subjects, attributes = self.model.subjects, self.model.attributes()
        selected = (
            self.table.selectionModel().selectedIndexes() if self.table.selectionModel() else []
        )
        if selected:
            rows = sorted({i.row() for i in selected})
            columns = sorted({i.column() for i in selected})
            chosen = {(i.row(), i.column()) for i in selected}
        else:
            rows, columns = list(range(len(attributes))), list(range(len(subjects)))
            chosen = {(r, c) for r in rows for c in columns}
        header = ["", *(subjects[c].label for c in columns)]
        body = []
        for r in rows:
            line = [attributes[r].label]
            for c in columns:
                cell = cset.cell(attributes[r].id, subjects[c].id) if cset else None
                line.append((cell.value if cell else "—") if (r, c) in chosen else "")
            body.append(line)
        return header, body

    def copy(self) -> None:
        if not self.model.rowCount() or not self.model.columnCount():
            return
        header, rows = self.selection_cells()
        markdown = markdown_table(header, rows)
        mime = QMimeData()
        mime.setText(markdown)
        mime.setData("text/markdown", markdown.encode("utf-8"))
        mime.setData("text/tab-separated-values", tsv_table(header, rows).encode("utf-8"))
        QGuiApplication.clipboard().setMimeData(mime)
        what = "selected cells" if self.table.selectionModel().hasSelection() else "whole table"
        self.status_message.emit(f"Copied the {what} as Markdown and tab-separated text")
