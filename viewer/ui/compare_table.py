"""The comparison grid: subjects side by side, cells as wrapped rich text, Ctrl+C as Markdown.

`CompareTable` fits its columns to the width (scrolling sideways below a readable minimum)
and its rows to their tallest cell, and copies the selection (or the whole table) as
Markdown and tab-separated text. `CompareDelegate` draws each cell.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QModelIndex, QPointF, QRect, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
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
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from viewer.compare.tables import MISSING, markdown_table, tsv_table
from viewer.ui import themes
from viewer.ui.compare_model import DIFFERS_MARK, HAS_NOTE_ROLE, HTML_ROLE, SAME_ROLE

MIN_COLUMN_EM = 13  # narrower than this and cells wrap into towers: scroll sideways instead
MAX_HEADER_EM = 20  # the attribute column wraps beyond this
CELL_PADDING = (8, 6)  # horizontal, vertical, in pixels
HEADER_PADDING = (8, 5)  # as in ui.qss: QTableView#compareTable QHeaderView::section
HINT = "Arrows move between cells · Enter opens the subject's topic · Ctrl+C copies as Markdown"


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
                QPalette.ColorRole.Text,
                themes.mix(text, option.palette.base().color(), themes.QUIET_MIX),
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
            pen = QPen(opt.palette.link().color(), 2)  # the focus colour, as in ui.qss
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
    copied = Signal(str)  # what was copied, for the status bar

    def __init__(self, model, parent: QWidget | None = None):
        super().__init__(parent)
        self.compare_model = model
        self.setObjectName("compareTable")
        self.setAccessibleName("Comparison table")
        self.setAccessibleDescription(HINT)
        self.setModel(model)
        self.setItemDelegate(CompareDelegate(self))
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTabKeyNavigation(False)  # arrows move between cells; Tab leaves the table
        self.setCornerButtonEnabled(True)  # the corner selects everything, as Ctrl+A does
        self.setShowGrid(True)
        header = self.horizontalHeader()
        header.setAccessibleName("Subjects")
        header.setAccessibleDescription("Column headers: double-click one to open its topic")
        self.verticalHeader().setAccessibleName("Attributes")
        self.verticalHeader().setAccessibleDescription(
            f"Row headers; {DIFFERS_MARK} marks a row whose values differ"
        )
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setHighlightSections(True)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header_font = header.font()
        header_font.setBold(True)
        header.setFont(header_font)
        header.setMinimumHeight(int(header.fontMetrics().height() * 2))
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap
        )
        rows.setMaximumWidth(int(rows.fontMetrics().averageCharWidth() * MAX_HEADER_EM * 1.9))
        self.setAlternatingRowColors(True)
        rows.setHighlightSections(True)
        # Rows are fitted once per turn of the event loop, after columns settle.
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.fit_rows)
        self.horizontalHeader().sectionResized.connect(lambda *_: self._fit_timer.start())
        model.modelReset.connect(self.fit_columns)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        # Recall's Space, Enter and 1–4 are the view's actions (`compare_view`), not here.
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
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

    def fit_columns(self) -> None:
        """Share the width among the subjects; below a readable minimum, scroll sideways."""
        columns = self.compare_model.columnCount()
        if not columns:
            return
        minimum = int(self.fontMetrics().averageCharWidth() * MIN_COLUMN_EM * 1.9)
        available = self.viewport().width()
        width = max(minimum, available // columns)
        header = self.horizontalHeader()
        header.blockSignals(True)
        for column in range(columns):
            self.setColumnWidth(column, width)
        header.blockSignals(False)
        self._fit_timer.start()

    def fit_rows(self) -> None:
        """Rows as tall as their longest cell or their wrapped attribute label."""
        self.resizeRowsToContents()
        rows = self.verticalHeader()
        width = rows.width() - 2 * HEADER_PADDING[0]
        font = rows.font()
        font.setBold(True)
        metrics = QFontMetrics(font)
        for row in range(self.compare_model.rowCount()):
            label = str(self.compare_model.headerData(row, Qt.Orientation.Vertical) or "")
            needed = metrics.boundingRect(
                QRect(0, 0, max(20, width), 10_000), Qt.TextFlag.TextWordWrap, label
            ).height()
            needed += 2 * HEADER_PADDING[1] + 2
            if needed > self.rowHeight(row):
                self.setRowHeight(row, needed)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override: the viewport's resize)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_columns()

    def selection_cells(self) -> tuple[list[str], list[list[str]]]:
        """Header and rows of what Ctrl+C copies: the selected cells, or the whole table."""
        cset = self.compare_model.comparison_set
        subjects, attributes = self.compare_model.subjects, self.compare_model.attributes()
        selected = self.selectionModel().selectedIndexes() if self.selectionModel() else []
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
                line.append((cell.value if cell else MISSING) if (r, c) in chosen else "")
            body.append(line)
        return header, body

    def copy(self) -> None:
        if not self.compare_model.rowCount() or not self.compare_model.columnCount():
            return
        header, rows = self.selection_cells()
        markdown = markdown_table(header, rows)
        mime = QMimeData()
        mime.setText(markdown)
        mime.setData("text/markdown", markdown.encode("utf-8"))
        mime.setData("text/tab-separated-values", tsv_table(header, rows).encode("utf-8"))
        QGuiApplication.clipboard().setMimeData(mime)
        what = "selected cells" if self.selectionModel().hasSelection() else "whole table"
        self.copied.emit(f"Copied the {what} as Markdown and tab-separated text")
