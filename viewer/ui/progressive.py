"""Show a long topic piece by piece: the first screen at once, the rest while the app is idle.

Rendering a 1 MB topic and handing it to Qt in one go freezes the window until all is laid out;
appended a piece at a time from a zero-timer, the page is readable after the first piece and
the window keeps answering keys between pieces.
"""

from __future__ import annotations

import time
from html import escape

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.library.folder import Library, Topic
from viewer.pages.budget import OverBudget
from viewer.pages.page_cache import CachedRenderer
from viewer.ui.page_view import PageView

STEP_SECONDS = 0.025  # work per turn of the event loop; keys and paints run in between


class ProgressiveLoader(QObject):
    progress = Signal(int, int)  # pieces done, pieces in all
    finished = Signal()

    def __init__(self, page: PageView, renderer: CachedRenderer, parent: QObject | None = None):
        super().__init__(parent)
        self.page = page
        self.renderer = renderer
        self.library: Library | None = None
        self.topic: Topic | None = None
        self.pieces: list[str] = []
        self.appendix = ""
        self.done = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    @property
    def busy(self) -> bool:
        return bool(self.pieces) or bool(self.appendix)

    def start(self, library: Library, topic: Topic, pieces: list[str], appendix: str) -> None:
        """Append `pieces` (Markdown) and then `appendix` (HTML) to the page, in idle time."""
        self.library, self.topic = library, topic
        self.pieces, self.appendix = list(pieces), appendix
        self.done = 0
        self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()
        self.pieces, self.appendix = [], ""

    def finish_now(self) -> None:
        """Render what is left at once: an anchor or a scroll position needs the whole page."""
        if not self.busy:
            return
        self._timer.stop()
        while self.pieces:
            self._append_piece()
        self._finish()

    def _step(self) -> None:
        deadline = time.perf_counter() + STEP_SECONDS
        while self.pieces and time.perf_counter() < deadline:
            self._append_piece()
        if self.pieces:
            self.progress.emit(self.done, self.done + len(self.pieces))
            self._timer.start()
        else:
            self._finish()

    def _append_piece(self) -> None:
        piece = self.pieces.pop(0)
        try:
            html = self.renderer.render_text(piece, self.library, self.topic)[0]
        except (OverBudget, RecursionError) as exc:  # the rest of the topic is not shown
            reason = str(exc) if isinstance(exc, OverBudget) else "the text is nested too deeply"
            html = (
                '<p class="footnote"><b>The rest of this topic is not shown:</b> '
                f"{escape(reason)} ({escape(str(self.topic.path) if self.topic else '')})</p>"
            )
            self.pieces = []
        self._append_html(html)
        self.done += 1

    def _finish(self) -> None:
        if self.appendix:
            self._append_html(self.appendix)
            self.appendix = ""
        self.finished.emit()

    def _append_html(self, html: str) -> None:
        from PySide6.QtGui import QTextCursor  # not at start-up: its enums cost the first paint

        cursor = QTextCursor(self.page.page_document)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        cursor.insertHtml(html)
