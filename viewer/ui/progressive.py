"""Show a long topic piece by piece: Markdown is converted on a worker thread, and each piece
is handed to the page on the GUI thread as it is ready.

Rendering a 1 MB topic and handing it to Qt in one go freezes the window until all is laid out,
and one piece of adversarial Markdown (a run of brackets, say) can take a few hundred
milliseconds on its own: on a worker thread neither stops the window answering keys and
paints. The first piece is waited for briefly, so a long topic still opens with its first
screen; the rest is appended one piece per event-loop turn.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.library.folder import Library, Topic
from viewer.pages.page_cache import CachedRenderer
from viewer.pages.turns import TurnGate
from viewer.ui.page_view import PageView

if TYPE_CHECKING:
    import queue

FIRST_PIECE_WAIT = 0.03  # seconds the GUI waits for the first piece before showing the page
FIRST_EVER_WAIT = 2.0  # the worker's first piece also builds its Markdown converter
HEARTBEAT_MS = 4  # the GUI thread's turns are counted this often while pieces are converted


class _Bridge(QObject):
    """Carries "piece ready" from the worker thread to the GUI thread (a queued signal)."""

    ready = Signal(int)  # generation


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
        self.generation = 0
        self._results: dict[tuple[int, int], str] = {}  # (generation, index) -> HTML
        self._lock = threading.Lock()
        self._first = threading.Event()
        self._jobs: queue.Queue | None = None
        self._warm = False
        self._turns = TurnGate()  # the worker steps aside while the GUI thread needs the GIL
        self._heartbeat = QTimer(self)  # the GUI thread's turns, while the worker converts
        self._heartbeat.setInterval(HEARTBEAT_MS)
        self._heartbeat.timeout.connect(self._turns.beat)
        self._bridge = _Bridge()  # no parent: the worker may emit while the window goes
        # A piece is appended from a zero timer: one per event-loop turn, so other timers, keys
        # and paints run between two pieces (queued signals would be taken all in one turn).
        self._next_piece = QTimer(self)
        self._next_piece.setSingleShot(True)
        self._next_piece.setInterval(0)
        self._next_piece.timeout.connect(lambda: self._drain(self.generation))
        self._bridge.ready.connect(self._piece_ready)

    @property
    def busy(self) -> bool:
        return self.done < len(self.pieces) or bool(self.appendix)

    def start(self, library: Library, topic: Topic, pieces: list[str], appendix: str) -> None:
        """Append `pieces` (Markdown) and then `appendix` (HTML) to the page as the worker
        renders them; the first piece is waited for (briefly) and shown at once."""
        self.cancel()
        self.library, self.topic = library, topic
        self.pieces, self.appendix = list(pieces), appendix
        self.done = 0
        self._first.clear()
        self._turns.stop_beating()  # the GUI thread waits for the worker: the worker goes on
        self._worker_jobs().put((self.generation, library, topic, list(pieces)))
        self._first.wait(FIRST_PIECE_WAIT if self._warm else FIRST_EVER_WAIT)
        self._turns.beat()
        self._heartbeat.start()
        self._drain(self.generation, limit=1)

    def warm_up(self) -> None:
        """Start the worker and build its Markdown converter now, in idle time, so the first
        long topic opens with its first screen without waiting for that."""
        self._worker_jobs()

    @property
    def warm(self) -> bool:
        """The worker is ready to convert at once."""
        return self._warm

    def cancel(self) -> None:
        """Stop: the worker drops what it renders for the old topic."""
        with self._lock:
            self.generation += 1
            self._results.clear()
        self._next_piece.stop()
        self._stop_heartbeat()
        self.pieces, self.appendix, self.done = [], "", 0

    def finish_now(self) -> None:
        """Show what is left at once: an anchor or a scroll position needs the whole page.
        Pieces the worker has not finished are rendered here."""
        if not self.busy:
            return
        generation = self.generation
        with self._lock:
            self.generation += 1  # the worker stops; what it finished is used below
            finished = {i: html for (g, i), html in self._results.items() if g == generation}
            self._results.clear()
        while self.done < len(self.pieces):
            html = finished.get(self.done)
            if html is None:
                html = _render(self.renderer, self.pieces[self.done], self.library, self.topic)
            self._append(html)
            if html.startswith(_STOPPED):
                break
        self._finish()

    # -- the GUI side ----------------------------------------------------------------------
    def _piece_ready(self, generation: int) -> None:
        if generation == self.generation and not self._next_piece.isActive():
            self._next_piece.start()

    def _drain(self, generation: int, limit: int = 1) -> None:
        """Append the next ready piece(s) of the current topic, one per event-loop turn."""
        if generation != self.generation:
            return
        appended = 0
        while appended < limit and self.done < len(self.pieces):
            with self._lock:
                html = self._results.pop((generation, self.done), None)
            if html is None:
                return
            self._append(html)
            appended += 1
            if html.startswith(_STOPPED):
                self.done = len(self.pieces)
        if self.done < len(self.pieces):
            self.progress.emit(self.done, len(self.pieces))
            with self._lock:
                more = (generation, self.done) in self._results
            if more:  # already rendered: the next turn of the event loop takes it
                self._next_piece.start()
        elif self.pieces or self.appendix:
            self._finish()

    def _append(self, html: str) -> None:
        with self._turns.working():  # the worker waits at its next checkpoint
            _insert_at_end(self.page.page_document, html)
        self.done += 1

    def _finish(self) -> None:
        if self.appendix:
            _insert_at_end(self.page.page_document, self.appendix)
            self.appendix = ""
        self.pieces, self.done = [], 0
        self._stop_heartbeat()
        self.finished.emit()

    def _stop_heartbeat(self) -> None:
        self._heartbeat.stop()
        self._turns.stop_beating()

    # -- the worker ------------------------------------------------------------------------
    def _worker_jobs(self) -> queue.Queue:
        if self._jobs is None:
            import queue  # the first long topic starts the worker: not at start-up

            self._jobs = queue.Queue()
            threading.Thread(
                target=self._work, args=(self._jobs,), name="cloudref-pieces", daemon=True
            ).start()
        return self._jobs

    def _work(self, jobs: queue.Queue) -> None:
        """Render pieces, newest job first; a job whose topic was left is dropped."""
        from viewer.pages.render import Renderer  # its own converter: one per thread

        renderer = Renderer()
        renderer.context.gate = self._turns
        renderer.md  # noqa: B018 - built now, before the first topic asks for it
        self._warm = True
        bridge = self._bridge  # kept alive by this reference, whatever happens to the window
        while True:
            job = jobs.get()
            while not jobs.empty():  # only the newest topic matters
                job = jobs.get()
            generation, library, topic, pieces = job
            for index, piece in enumerate(pieces):
                if generation != self.generation:
                    break
                html = _render(renderer, piece, library, topic)
                with self._lock:
                    if generation != self.generation:
                        break
                    self._results[(generation, index)] = html
                if index == 0:
                    self._first.set()
                try:
                    bridge.ready.emit(generation)
                except RuntimeError:
                    return  # the application is gone (its objects deleted at exit)
                if html.startswith(_STOPPED):
                    break


# Qt merges the first block of inserted HTML into the block at the cursor, which keeps its own
# format: a piece starting with a heading would lose it to the previous paragraph. A throwaway
# character takes that place and is removed after.
_JOINER = "\u200b"


def _insert_at_end(document, html: str) -> None:
    """Append `html` to `document` as blocks of their own."""
    from PySide6.QtGui import QTextCursor  # not at start-up: its enums cost the first paint

    cursor = QTextCursor(document)
    if document.isEmpty():  # (an empty document takes the first block's format)
        cursor.insertHtml(html)
        return
    cursor.movePosition(QTextCursor.MoveOperation.End)
    end = cursor.position()
    cursor.beginEditBlock()
    cursor.insertHtml(f"<p>{_JOINER}</p>{html}")
    cursor.setPosition(end)
    cursor.setPosition(end + 1, QTextCursor.MoveMode.KeepAnchor)
    if cursor.selectedText() == _JOINER:
        cursor.removeSelectedText()
    cursor.endEditBlock()


_STOPPED = '<p class="footnote"><b>The rest of this topic is not shown:</b>'


def _render(renderer, piece: str, library: Library | None, topic: Topic | None) -> str:
    """One piece's HTML; a piece over its budget ends the topic with a note saying why."""
    try:
        return renderer.render_text(piece, library, topic)[0]
    except RecursionError:
        reason = "the text is nested too deeply"
    except Exception as exc:  # noqa: BLE001 - a renderer bug must not take the window down
        from viewer.pages.budget import OverBudget  # here: only a topic over budget needs it

        if isinstance(exc, OverBudget):
            reason = str(exc)
        else:
            reason = f"cannot render: {type(exc).__name__}: {exc}"
    from html import escape  # an error page only

    where = escape(str(topic.path)) if topic is not None else ""
    return f"{_STOPPED} {escape(reason)} ({where})</p>"
