"""The search field and its result list: quick open and full-text search, by keyboard.

The panel sits at the top of the left pane. While a query is typed the results take the
topic tree's place; clearing the field (or Esc) brings the tree back. Like a browser's address
bar, focus stays in the field: Down/Up move in the list, Enter opens, Esc returns to the page.

Ranking and the index are `viewer.search.index`'s; this module only shows them. The index is built
on a worker thread (SQLite calls release the GIL) and announced with a queued Qt signal;
quick open by name answers from memory before it is ready.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import (
    QObject,
    QRegularExpression,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QKeyEvent,
    QTextCursor,
)
from PySide6.QtWidgets import (
    QLineEdit,
    QListView,
    QStackedWidget,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from viewer.library.folder import Library
from viewer.search.index import SearchIndex
from viewer.search.query import SearchResult
from viewer.ui.actions import SEARCH_HINT
from viewer.ui.search_results import (
    ResultDelegate,
    ResultsView,
    SearchResultsModel,
)

DEBOUNCE_MS = 60  # typing pauses shorter than this run one search, not one per key
INDEX_DELAY_MS = (
    300  # after the panel shows: the window paints first, then the indexer may take CPU
)


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

    open_requested = Signal(object)  # the SearchResult chosen (topic, section, words to mark)
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
            "Type to find topics by name or full text. Down and Up choose a result, Enter opens "
            "it, Escape returns to the page."
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
        quick = self.index is not None and self.index.library.provisional
        if self.index is not None:
            self.index.close()
        self.index = SearchIndex(library)
        if self.isVisible():
            # Else when first shown (see showEvent). The whole scan after a first start's quick
            # one comes long after the first paint: the indexer starts on the next turn of the
            # event loop, once the window has taken the scanned library in.
            self._start_timer.setInterval(0 if quick else INDEX_DELAY_MS)
            self._start_timer.start()
        if self.box.text().strip():
            self.run_query()

    def showEvent(self, event) -> None:  # noqa: N802
        super().showEvent(event)
        if self.index is not None and not self.index.ready and not self._workers:
            self._start_timer.setInterval(INDEX_DELAY_MS)
            self._start_timer.start()

    def _start_indexing(self) -> None:
        if self.index is not None and self.index.library.provisional:
            return  # titles and ids are file names until the whole scan: index that library
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
        self.open_requested.emit(result)

    def cancel(self) -> None:
        """Esc: clear the query, bring the tree back, hand focus back to the page."""
        self._open_when_ready = False
        self.box.clear()
        self.dismissed.emit()


# -- showing a hit in the page ------------------------------------------------------------
def reveal_match(page: QTextEdit, terms: list[str], start: int = 0) -> bool:
    """Highlight every word in the page that starts with one of `terms` (all the query's
    words, not only the first), and select the first one from document position `start`
    (the hit's section) on: scrolled a third of the way down the view if it is not in view.
    """
    from PySide6.QtGui import QColor, QTextCharFormat

    from viewer.pages.theme import palette

    doc = page.document()
    words = sorted({t.casefold() for t in terms if t}, key=len, reverse=True)
    if not words:
        page.setTextCursor(QTextCursor(doc))
        return False
    options = (
        QRegularExpression.PatternOption.CaseInsensitiveOption
        | QRegularExpression.PatternOption.UseUnicodePropertiesOption
    )
    alternatives = "|".join(QRegularExpression.escape(w) for w in words)
    pattern = QRegularExpression(rf"\b(?:{alternatives})\w*", options)
    dark = page.palette().base().color().lightness() < 128
    every = QTextCharFormat()
    every.setBackground(QColor(palette("dark" if dark else "light")["highlight"]))
    selections, first = [], None
    cursor = doc.find(pattern, 0)
    while not cursor.isNull():
        selection = QTextEdit.ExtraSelection()
        selection.cursor, selection.format = cursor, every
        selections.append(selection)
        if first is None and cursor.selectionStart() >= start:
            first = cursor
        cursor = doc.find(pattern, cursor)
    page.setExtraSelections(selections)
    first = first or (selections[0].cursor if selections else None)
    if first is None:
        page.setTextCursor(QTextCursor(doc))
        return False
    bar = page.verticalScrollBar()
    value = bar.value()
    page.setTextCursor(first)
    bar.setValue(value)  # setTextCursor scrolls as little as it can; we decide below
    rect = page.cursorRect(first)
    if rect.top() < 0 or rect.bottom() > page.viewport().height():
        bar.setValue(bar.value() + rect.top() - page.viewport().height() // 3)
    return True
