"""The search results list: a model of hits, and a delegate drawing title and snippet.

Each row is a `SearchResult` (or a notice such as "no matches"); the delegate draws the title
in bold, then up to two lines of snippet with the matched words in bold, elided.
"""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPalette,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

from viewer.search.query import MARK_END, MARK_START, SearchResult, plain_snippet
from viewer.ui import themes

RESULT_ROLE = Qt.ItemDataRole.UserRole + 1  # the SearchResult of a row (None for a notice row)
SNIPPET_LINES = 2


# -- model -------------------------------------------------------------------------------
class SearchResultsModel(QAbstractListModel):
    """The results of one query, plus an optional notice row ("Indexing…", "No matches")."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.results: list[SearchResult] = []
        self.notice = ""

    def set_results(self, results: list[SearchResult], notice: str = "") -> None:
        self.beginResetModel()
        self.results = list(results)
        self.notice = notice
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.results) + (1 if self.notice else 0)

    def result_at(self, row: int) -> SearchResult | None:
        return self.results[row] if 0 <= row < len(self.results) else None

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self.result_at(index.row()) is None:
            return Qt.ItemFlag.NoItemFlags  # the notice: read, never chosen
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self.rowCount():
            return None
        result = self.result_at(index.row())
        if result is None:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                return self.notice
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return result.label
        if role == RESULT_ROLE:
            return result
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            snippet = plain_snippet(result.snippet)
            return f"{result.label}. {snippet}" if snippet else result.label
        return None


# -- painting ----------------------------------------------------------------------------
def snippet_html(snippet: str) -> str:
    """A marked snippet as rich text: the matched words in bold."""
    text = html.escape(snippet)
    return text.replace(MARK_START, "<b>").replace(MARK_END, "</b>")


class ResultDelegate(QStyledItemDelegate):
    """Title in bold on the first line, then two lines of snippet (match in bold, dimmed),
    elided."""

    PADDING = 6

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._heights: dict[str, float] = {}  # font -> height of title + snippet lines

    @staticmethod
    def _document(
        font, width: float, title_html: str, snippet_html_text: str, ink: QColor, dim: QColor
    ) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(font)
        doc.setDocumentMargin(0)
        doc.setTextWidth(width)
        doc.setHtml(
            f'<p style="margin:0; color:{ink.name()}"><b>{title_html}</b></p>'
            f'<p style="margin:0; color:{dim.name()}">{snippet_html_text}</p>'
        )
        return doc

    def _text_height(self, font) -> float:
        key = font.key()
        if key not in self._heights:
            sample = "<br>".join("X" for _ in range(SNIPPET_LINES))
            doc = self._document(font, 1000, "X", sample, QColor("black"), QColor("black"))
            self._heights[key] = doc.size().height()
        return self._heights[key]

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        if index.data(RESULT_ROLE) is None:
            return QSize(100, option.fontMetrics.lineSpacing() + 2 * self.PADDING)
        return QSize(100, int(self._text_height(option.font)) + 2 * self.PADDING)

    @staticmethod
    def _elide(doc: QTextDocument) -> None:
        """Cut the snippet after SNIPPET_LINES lines, ending it with "…"."""
        for _attempt in range(4):
            doc.size()  # lays the document out: a block's lines exist only after that
            block = doc.lastBlock()
            layout = block.layout()
            if layout is None or layout.lineCount() <= SNIPPET_LINES:
                return
            line = layout.lineAt(SNIPPET_LINES - 1)
            end = block.position() + line.textStart() + line.textLength()
            cursor = QTextCursor(doc)
            cursor.setPosition(max(block.position(), end - 2 - 2 * _attempt))
            cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText("…")

    def paint(self, painter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        result: SearchResult | None = index.data(RESULT_ROLE)
        # The list shows its choice in full colour even while focus stays in the search field.
        opt.state |= QStyle.StateFlag.State_Active
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, opt, painter, opt.widget
            )
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        ink = palette.color(
            QPalette.ColorGroup.Active,
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text,
        )
        dim = ink if selected else themes.mix(ink, palette.color(QPalette.ColorRole.Base), 0.35)
        rect = opt.rect.adjusted(self.PADDING, self.PADDING, -self.PADDING, -self.PADDING)
        painter.save()
        painter.setClipRect(opt.rect)
        if result is None:
            painter.setPen(dim)
            font = QFont(opt.font)
            font.setItalic(True)
            painter.setFont(font)
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, index.data() or ""
            )
            painter.restore()
            return
        bold = QFont(opt.font)
        bold.setBold(True)
        title = QFontMetrics(bold).elidedText(
            result.label, Qt.TextElideMode.ElideRight, rect.width()
        )
        doc = self._document(
            opt.font, rect.width(), html.escape(title), snippet_html(result.snippet), ink, dim
        )
        self._elide(doc)
        painter.translate(rect.topLeft())
        context = QAbstractTextDocumentLayout.PaintContext()
        context.clip = QRectF(0, 0, rect.width(), rect.height())
        painter.setClipRect(context.clip)
        doc.documentLayout().draw(painter, context)
        painter.restore()


class ResultsView(QListView):
    """The result list: Enter opens the current result, Esc gives up."""

    open_requested = Signal(int)  # row
    cancel_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.open_requested.emit(self.currentIndex().row())
            return
        if event.key() == Qt.Key.Key_Escape:
            self.cancel_requested.emit()
            return
        super().keyPressEvent(event)
