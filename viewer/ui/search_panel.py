"""The search field and its result list: quick open and full-text search, by keyboard.

The panel sits at the top of the left pane. While a query is typed the results take the
topic tree's place; clearing the field (or Esc) brings the tree back. Like a browser's address
bar, focus stays in the field: Down/Up move in the list, Enter opens, Esc returns to the page.

Ranking and the index are `viewer.search.index`'s; this module only shows them. The index is built
on a worker thread (SQLite calls release the GIL) and announced with a queued Qt signal;
quick open by name answers from memory before it is ready.
"""

from __future__ import annotations

import html
import threading

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QRectF,
    QRegularExpression,
    QSize,
    Qt,
    QTimer,
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
    QLineEdit,
    QListView,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from viewer.library.folder import Library
from viewer.search.index import MARK_END, MARK_START, SearchIndex, SearchResult, plain_snippet
from viewer.ui.actions import SEARCH_HINT

DEBOUNCE_MS = 60  # typing pauses shorter than this run one search, not one per key
INDEX_DELAY_MS = (
    300  # after the panel shows: the window paints first, then the indexer may take CPU
)
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
            return result.title
        if role == RESULT_ROLE:
            return result
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            snippet = plain_snippet(result.snippet)
            return f"{result.title}. {snippet}" if snippet else result.title
        return None


# -- painting ----------------------------------------------------------------------------
def snippet_html(snippet: str) -> str:
    """A marked snippet as rich text: the matched words in bold."""
    text = html.escape(snippet)
    return text.replace(MARK_START, "<b>").replace(MARK_END, "</b>")


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(
        *(x * (1 - amount) + y * amount for x, y in zip(a.getRgbF()[:3], b.getRgbF()[:3]))
    )


class ResultDelegate(QStyledItemDelegate):
    """Title in bold on the first line, then two lines of snippet (match in bold, dimmed), elided."""

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
        dim = ink if selected else _mix(ink, palette.color(QPalette.ColorRole.Base), 0.35)
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
            result.title, Qt.TextElideMode.ElideRight, rect.width()
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


class SearchBox(QLineEdit):
    """The search field: keeps focus while Up/Down choose a result, like an address bar."""

    move_requested = Signal(int)  # rows to move the current result by
    accept_requested = Signal()
    cancel_requested = Signal()

    _MOVES = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1, Qt.Key.Key_PageDown: 5, Qt.Key.Key_PageUp: -5}

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in self._MOVES and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.move_requested.emit(self._MOVES[key])
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_requested.emit()
            return
        if key == Qt.Key.Key_Escape:
            self.cancel_requested.emit()
            return
        super().keyPressEvent(event)


# -- building the index ------------------------------------------------------------------
class _IndexBridge(QObject):
    """Carries "the index is ready" from the worker thread to the GUI thread (queued)."""

    finished = Signal(object)  # the SearchIndex that finished


class _IndexWorker:
    """Runs `SearchIndex.update` on a daemon thread; `stop()` ends it at the next file."""

    def __init__(self, index: SearchIndex, bridge: _IndexBridge):
        self.index = index
        self.stop_event = threading.Event()
        self.thread = threading.Thread(
            target=self._run, args=(bridge,), name="cloudref-search-index", daemon=True
        )
        self.thread.start()

    def _run(self, bridge: _IndexBridge) -> None:
        try:
            _ = self.index.names  # here, not on the GUI thread at the first key
            self.index.update(self.stop_event)
        except Exception:  # noqa: BLE001 - a broken index must not take search by name down
            return
        if self.stop_event.is_set():
            return
        try:
            bridge.finished.emit(self.index)
        except RuntimeError:
            pass  # the panel was deleted while we worked

    def stop(self, wait: float = 2.0) -> None:
        self.stop_event.set()
        if self.thread.is_alive() and self.thread is not threading.current_thread():
            self.thread.join(wait)


# -- the panel ---------------------------------------------------------------------------
class SearchPanel(QWidget):
    """The search field above a stack of [idle widget (the topic tree), result list]."""

    open_requested = Signal(
        str, list
    )  # topic id, words to find and highlight in the page ([] for names)
    dismissed = Signal()  # Esc: the window gives the page focus back
    index_ready = Signal()

    def __init__(self, library: Library, idle_widget: QWidget, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self.box = SearchBox()
        self.box.setObjectName("searchBox")
        self.box.setPlaceholderText(SEARCH_HINT)
        self.box.setAccessibleName("Search topics")
        self.box.setAccessibleDescription(
            "Type to find topics by name or full text. Down and Up choose a result, Enter opens it, Escape returns to the page."
        )
        self.box.setClearButtonEnabled(True)
        self.model = SearchResultsModel(self)
        self.results = ResultsView()
        self.results.setObjectName("searchResults")
        self.results.setAccessibleName("Search results")
        self.results.setAccessibleDescription(
            "Topics matching the search, best first. Enter opens one."
        )
        self.results.setModel(self.model)
        self.results.setItemDelegate(ResultDelegate(self.results))
        self.results.setUniformItemSizes(False)
        self.results.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.results.setVerticalScrollMode(QListView.ScrollMode.ScrollPerPixel)
        self.idle_widget = idle_widget
        self.stack = QStackedWidget()
        self.stack.setObjectName("searchStack")
        self.stack.addWidget(idle_widget)
        self.stack.addWidget(self.results)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self.box)
        layout.addWidget(self.stack, 1)
        # Narrower than its placeholder, the field and the snippets stop being readable.
        self.setMinimumWidth(
            self.box.fontMetrics().horizontalAdvance(self.box.placeholderText()) + 48
        )

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_query)
        self.box.textChanged.connect(self._text_changed)
        self.box.move_requested.connect(self.move_current)
        self.box.accept_requested.connect(self.open_current)
        self.box.cancel_requested.connect(self.cancel)
        self.results.open_requested.connect(self.open_row)
        self.results.cancel_requested.connect(self.cancel)
        self.results.clicked.connect(lambda index: self.open_row(index.row()))

        self._bridge = _IndexBridge(self)
        self._bridge.finished.connect(self._index_finished)
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(INDEX_DELAY_MS)
        self._start_timer.timeout.connect(self._start_indexing)
        self.index: SearchIndex | None = None
        self._workers: list[_IndexWorker] = []  # the running one, if any
        self._query = ""  # the query the list shows
        self._open_when_ready = (
            False  # Enter pressed while only names were searchable, none matching
        )
        self.set_library(library)
        # The worker must not outlive the panel by long. The slot holds the list, not the panel.
        workers = self._workers
        self.destroyed.connect(lambda *_: [worker.stop() for worker in workers])

    # -- library and index -------------------------------------------------------------
    def set_library(self, library: Library) -> None:
        """Search this library from now on: names at once, full text when the worker is done."""
        self.shutdown()
        if self.index is not None:
            self.index.close()
        self.index = SearchIndex(library)
        if self.isVisible():
            self._start_timer.start()  # else when first shown: see showEvent
        if self.box.text().strip():
            self.run_query()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.index is not None and not self.index.ready and not self._workers:
            self._start_timer.start()

    def _start_indexing(self) -> None:
        if self.index is not None and not self.index.ready and not self._workers:
            self._workers.append(_IndexWorker(self.index, self._bridge))

    def is_ready(self) -> bool:
        return self.index is not None and self.index.ready

    def shutdown(self) -> None:
        """Stop the indexer (window closing, library changing)."""
        self._start_timer.stop()
        while self._workers:
            self._workers.pop().stop()

    def _index_finished(self, index: SearchIndex) -> None:
        if index is not self.index:
            return  # an old library's index
        self._workers.clear()
        if self.box.text().strip():
            self.run_query()
            if self._open_when_ready and self.model.results:
                self._open_when_ready = False
                self.open_row(0)
        self.index_ready.emit()

    # -- typing and choosing -----------------------------------------------------------
    def activate(self) -> None:
        """Ctrl+K, Ctrl+L, /: focus the field with its text selected, ready to replace."""
        self.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.box.selectAll()

    def _text_changed(self, text: str) -> None:
        self._open_when_ready = False
        if not text.strip():
            self._timer.stop()
            self._query = ""
            self.model.set_results([])
            self.stack.setCurrentWidget(self.idle_widget)
            return
        self._timer.start()

    def run_query(self) -> None:
        """Search for the field's text now (the debounce timer, Enter and a ready index call it)."""
        self._timer.stop()
        query = self.box.text().strip()
        if not query or self.index is None:
            return
        chosen = (
            self.current_result() if query == self._query else None
        )  # kept when results refresh
        results = self.index.search(query)
        notice = ""
        if not self.index.ready:
            notice = (
                "Indexing full text…" if results else "No topic names match; indexing full text…"
            )
        elif not results:
            notice = "No matches"
        self.model.set_results(results, notice)
        self._query = query
        self.stack.setCurrentWidget(self.results)
        row = 0
        if chosen is not None:
            row = next((i for i, r in enumerate(results) if r.topic_id == chosen.topic_id), 0)
        if results:
            self.results.setCurrentIndex(self.model.index(row, 0))
            self.results.scrollTo(self.model.index(row, 0))

    def current_result(self) -> SearchResult | None:
        index = self.results.currentIndex()
        return self.model.result_at(index.row()) if index.isValid() else None

    def move_current(self, step: int) -> None:
        if self._timer.isActive():
            self.run_query()
        count = len(self.model.results)
        if not count:
            return
        row = self.results.currentIndex().row()
        row = max(0, min(count - 1, (row if row >= 0 else -1) + step))
        self.results.setCurrentIndex(self.model.index(row, 0))

    def open_current(self) -> None:
        if self._timer.isActive() or self.box.text().strip() != self._query:
            self.run_query()  # Enter typed before the pause: search first, then open
        index = self.results.currentIndex()
        if self.model.results:
            self.open_row(index.row() if index.isValid() else 0)
        elif self.index is not None and not self.index.ready:
            self._open_when_ready = True  # the full text may have it: open the best hit when ready

    def open_row(self, row: int) -> None:
        result = self.model.result_at(row)
        if result is None:
            return
        self.results.setCurrentIndex(self.model.index(row, 0))
        self.open_requested.emit(
            result.topic_id, list(result.terms) if result.kind == "text" else []
        )

    def cancel(self) -> None:
        """Esc: clear the query, bring the tree back, hand focus back to the page."""
        self._open_when_ready = False
        self.box.clear()
        self.dismissed.emit()


# -- showing a hit in the page ------------------------------------------------------------
def reveal_match(page: QTextEdit, terms: list[str]) -> bool:
    """Select the first word in the page that starts with one of `terms` (the words a snippet
    marked come first, then the query's), and scroll it a third of the way down the view."""
    doc = page.document()
    options = (
        QRegularExpression.PatternOption.CaseInsensitiveOption
        | QRegularExpression.PatternOption.UseUnicodePropertiesOption
    )
    for term in terms:
        if not term:
            continue
        pattern = QRegularExpression(r"\b" + QRegularExpression.escape(term) + r"\w*", options)
        cursor = doc.find(pattern, 0)
        if cursor.isNull():
            continue
        page.setTextCursor(cursor)
        bar = page.verticalScrollBar()
        top = page.cursorRect(cursor).top()
        bar.setValue(bar.value() + top - page.viewport().height() // 3)
        return True
    page.setTextCursor(QTextCursor(doc))
    return False
