"""Topics near the one on show, prepared while the reader reads it.

The reader's next topic is nearly always the next or previous one in the tree (Ctrl+PgDown,
Ctrl+PgUp) or one the page links to. Once a page is on show, `Prefetcher` has those pages
rendered on a worker thread (`CachedRenderer.prepare_page`: Markdown work holds Python's lock
only in short turns, so the window keeps answering) and then, back on the GUI thread, one
picture per turn of the event loop, has their SVG diagrams parsed and drawn at the size the
page shows them (`SVG_CACHE.picture`), which would otherwise happen when first painted.
Opening a prepared topic then costs Qt's reading of its HTML and its layout, nothing more.

Work starts a moment after a topic shows (PREPARE_DELAY_MS), so it never competes with that
topic's own layout and paint, and work for a topic the reader has left is dropped: only the
neighbourhood of what is on screen is prepared.
"""

from __future__ import annotations

import re
import threading

from PySide6.QtCore import QObject, QTimer, Signal

from viewer.library.folder import Library, Topic
from viewer.pages import links
from viewer.paper.document import SVG_CACHE, is_svg_name, shown_size
from viewer.session.session import LibrarySession
from viewer.ui.page_view import PageView

LINKED_TOPICS = 6  # topics the page links to, prepared after the next and previous ones
PREPARE_DELAY_MS = 60  # after a topic shows: its own layout and paint come first
_HREF = re.compile(r'<a\s[^>]*?href="([^"]+)"')
_IMG = re.compile(r"<img\s[^>]*>")
_ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')


def neighbourhood(library: Library, topic: Topic, html: str = "") -> tuple[list, list]:
    """The topics a reader of `topic` opens next, likeliest first: the next and the previous
    in the tree; then up to LINKED_TOPICS the page (`html`) links to."""
    found: list[Topic] = []
    for step in (1, -1):
        near = library.neighbour(topic, step) if library.topic(topic.id) is topic else None
        if near is not None:
            found.append(near)
    adjacent = len(found)
    linked = 0
    for href in dict.fromkeys(_HREF.findall(html)):
        if linked >= LINKED_TOPICS:
            break
        target = links.classify(library, topic, href)
        if target.kind != "topic":
            continue
        other = library.topic(target.topic_id)
        if other is not None and other is not topic and other not in found:
            found.append(other)
            linked += 1
    return found[:adjacent], found[adjacent:]


def svg_pictures(library: Library, topic: Topic, html: str) -> list[tuple[str, float, float]]:
    """The library's SVG files that `html` (a page of `topic`) draws, each with the size its
    `<img>` gives (0 × 0 when it gives none)."""
    found_pictures = []
    for tag in dict.fromkeys(_IMG.findall(html)):
        attributes = dict(_ATTRIBUTE.findall(tag))
        src = attributes.get("src", "")
        if not is_svg_name(src):
            continue
        found = links.resolve_image(library, topic, src)
        if found.kind != "file" or found.path is None:
            continue
        try:
            width, height = float(attributes["width"]), float(attributes["height"])
        except (KeyError, ValueError):
            width = height = 0.0
        found_pictures.append((str(found.path), width, height))
    return found_pictures


class Prefetcher(QObject):
    """Prepares the neighbourhood of the topic on show (`around`); `idle` once all is ready."""

    _pictures_added = Signal()  # the worker queued pictures to parse (queued to the GUI thread)

    def __init__(self, session: LibrarySession, page: PageView, parent: QObject | None = None):
        super().__init__(parent)
        self.session = session
        self.page = page
        # The worker's queue, likeliest first: (library, topic, role), the role "shown" (the
        # topic on show), "adjacent" (next or previous) or "linked"; pictures are drawn ahead
        # for the first two only, so the drawn pictures kept are those most likely shown.
        self._wanted: list[tuple[Library, Topic, str]] = []
        self._working = False
        self._stopped = False
        self._wake = threading.Condition()
        self._thread: threading.Thread | None = None
        self._around: Topic | None = None
        self._pictures: list[tuple[str, float, float]] = []
        self._start_timer = QTimer(self)
        self._start_timer.setSingleShot(True)
        self._start_timer.setInterval(PREPARE_DELAY_MS)
        self._start_timer.timeout.connect(self._start)
        self._picture_timer = QTimer(self)
        self._picture_timer.setSingleShot(True)
        self._picture_timer.setInterval(0)
        self._picture_timer.timeout.connect(self._warm_picture)
        self._pictures_added.connect(self._picture_timer.start)

    @property
    def idle(self) -> bool:
        """Nothing left to prepare around the topic on show."""
        with self._wake:
            waiting = self._wanted or self._working or self._pictures
        return not waiting and not self._start_timer.isActive()

    def around(self, topic: Topic | None) -> None:
        """`topic` is on show: prepare its page's pictures and its neighbourhood, dropping
        whatever was still to do for the topic before."""
        if topic is None or topic is self._around or self.session.library.provisional:
            return  # (a provisional library's links point by file names: wait for the whole)
        self._around = topic
        with self._wake:
            self._wanted = []
            self._pictures = []
        self._start_timer.start()

    def _start(self) -> None:
        topic = self._around
        if topic is None:
            return
        with self._wake:
            # The page on show first (a memory hit: it was just shown): its links say what is near.
            self._wanted = [(self.session.library, topic, "shown")]
            self._wake.notify()
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._work, name="cloudref-prefetch", daemon=True
            )
            self._thread.start()

    def stop(self) -> None:
        """End the worker (the window is closing)."""
        with self._wake:
            self._stopped = True
            self._wanted = []
            self._wake.notify()

    # -- the worker thread ----------------------------------------------------------------
    def _work(self) -> None:
        renderer = self.session.renderer
        while True:
            with self._wake:
                while not self._wanted and not self._stopped:
                    self._working = False
                    self._wake.wait()
                if self._stopped:
                    self._working = False
                    return
                library, topic, role = self._wanted.pop(0)
                self._working = True
            try:
                page = renderer.prepare_page(library, topic)
                html = page.html if page is not None else ""
                if role == "shown":
                    # The topic on show: queue its neighbours behind it, unless the reader moved.
                    adjacent, linked = neighbourhood(library, topic, html)
                    with self._wake:
                        if topic is self._around and library is self.session.library:
                            self._wanted += [(library, t, "adjacent") for t in adjacent]
                            self._wanted += [(library, t, "linked") for t in linked]
                draw = html and role != "linked"
                pictures = svg_pictures(library, topic, html) if draw else []
            except Exception:  # noqa: BLE001 - a page that fails here fails again, visibly, when shown
                continue
            if pictures:
                with self._wake:
                    self._pictures += [p for p in pictures if p not in self._pictures]
                try:
                    self._pictures_added.emit()
                except RuntimeError:
                    return  # the window, and this object with it, is gone

    # -- the GUI thread: pictures, one per turn ---------------------------------------------
    def _warm_picture(self) -> None:
        with self._wake:
            picture = self._pictures.pop(0) if self._pictures else None
            more = bool(self._pictures)
        if picture is not None:
            # Parsed and drawn now, in idle time, at the size the page will show it.
            path, width, height = picture
            if width > 0 and height > 0:
                size = shown_size(self.page.page_document, width, height)
                theme = str(self.page.page_document.property("pageTheme") or "light")
                SVG_CACHE.picture(path, *size, self.page.devicePixelRatioF(), theme=theme)
            else:
                SVG_CACHE.get(path)
        if more:
            self._picture_timer.start()


def follow(window) -> Prefetcher:
    """A prefetcher that prepares around every topic `window` (a MainWindow) shows, starting
    with the one on show now."""
    prefetcher = Prefetcher(window.session, window.page, window)
    window.topic_shown.connect(lambda _id: prefetcher.around(window.current))
    prefetcher.around(window.current)
    return prefetcher
