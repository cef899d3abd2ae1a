"""The open library as the window sees it: one object the window subscribes to.

`LibrarySession` owns what outlives a page: the library, the page renderer, history,
bookmarks, the comparison data (read on first use; what pages need of it comes from the page
cache at start-up), and the decisions of opening, reloading and rescanning. It builds no
widget: it tells the window through its signals, and the window decides what to show.
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from viewer.library.cache import library_slug
from viewer.library.folder import Library, LibraryError, Topic
from viewer.pages.page_cache import CachedRenderer, comparisons_signature
from viewer.session.bookmarks import Bookmark, Bookmarks, merged
from viewer.session.history import History
from viewer.settings import Settings


def library_key(root: Path) -> str:
    """Settings that belong to one library (last topic, bookmarks) live under this key."""
    return "library/" + library_slug(root)[:12]


def start_is_read(library: Library, settings: Settings, requested: str | None) -> bool:
    """Whether the topic to start on (the one asked for, else the last one read) is among
    those a first start's quick scan read (`Library.provisional`), or there is none."""
    wanted = requested or settings.get(f"{library_key(library.root)}/lastTopic", "")
    return not wanted or library.topic(wanted) is not None


class LibrarySession(QObject):
    """The library on show and everything kept per library.

    Signals (queued across threads, so a worker's scan arrives on the GUI thread):
    - `replaced(library, same_root)`: another library, or the same one read again; the window
      shows it and keeps the reader's place when `same_root`;
    - `bookmarks_changed()`: the bookmark list changed (here or in another window);
    - `message(text, milliseconds)`: a line for the status bar.
    """

    replaced = Signal(object, bool)
    bookmarks_changed = Signal()
    message = Signal(str, int)
    _scanned = Signal(object, object)  # the remembered Library; the scanned one or an exception

    def __init__(self, library: Library, settings: Settings, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings
        self.renderer = CachedRenderer()
        self.history = History()
        self._scanned.connect(self._remembered_scanned)
        self._use(library)

    def _use(self, library: Library) -> None:
        self.library = library
        self.key = library_key(library.root)
        self.bookmarks = Bookmarks(self.settings.get_json(f"{self.key}/bookmarks", []))
        self._comparisons = None  # read on first use
        self._comparison_digest: tuple | bool | None = None  # the page cache's, until they are

    # -- topics -----------------------------------------------------------------------------
    def start_topic(self, requested: str | None = None) -> Topic | None:
        """The topic to open first: the one asked for, else the last one read, else the first."""
        library = self.library
        topic = library.topic(requested) if requested else None
        return (
            topic
            or library.topic(self.settings.get(f"{self.key}/lastTopic", ""))
            or library.first_topic
        )

    def remember_topic(self, topic: Topic | None, anchor: str = "", offset: int = 0) -> None:
        """The topic on show, and the reading place in it: the section at the top of the view
        (its anchor) and how far below that heading the view starts, in pixels; with no
        section, `offset` is the scroll from the page's top."""
        if topic is not None:
            self.settings.set(f"{self.key}/lastTopic", topic.id)
            self.settings.set(f"{self.key}/lastAnchor", anchor)
            self.settings.set(f"{self.key}/lastOffset", max(0, int(offset)))

    def reading_place(self, topic: Topic | None) -> tuple[str, int]:
        """(anchor, offset) remembered for `topic` if it is the last one read, else ("", 0)."""
        if topic is None or self.settings.get(f"{self.key}/lastTopic", "") != topic.id:
            return "", 0
        anchor = self.settings.get(f"{self.key}/lastAnchor", "")
        offset = self.settings.get(f"{self.key}/lastOffset", 0)
        return (anchor if isinstance(anchor, str) else ""), max(0, offset)

    # -- bookmarks --------------------------------------------------------------------------
    def toggle_bookmark(self, topic_id: str, anchor: str = "", title: str = "") -> tuple[bool, str]:
        """Add or remove a topic or (with `anchor`) a section of it. Returns whether it is
        bookmarked afterwards, and why the change could not be saved ("" when it was)."""
        bookmark = Bookmark(topic_id, anchor, title if anchor else "")
        added = self.bookmarks.get(bookmark.key) is None
        return added, self._save_bookmarks(bookmark, added)

    def remove_bookmark(self, key: str) -> None:
        """Remove the bookmark `key` (a topic id, or `id#anchor` for a section)."""
        topic_id, _, anchor = key.partition("#")
        problem = self._save_bookmarks(Bookmark(topic_id, anchor), False)
        if problem:
            self.message.emit(problem, 10000)

    def _save_bookmarks(self, bookmark: Bookmark, added: bool) -> str:
        """Apply one change to the bookmarks as saved now, not as this window read them: two
        windows on one library keep each other's changes."""
        stored, problem = self.settings.update_json(
            f"{self.key}/bookmarks", lambda ids: merged(ids, bookmark, added), []
        )
        if problem:  # not saved: this window still shows the change, until it quits
            stored = merged(self.bookmarks.to_list(), bookmark, added)
        self.bookmarks = Bookmarks(stored)
        self.bookmarks_changed.emit()
        return problem

    # -- comparisons ------------------------------------------------------------------------
    @property
    def comparisons(self):
        """The library's comparison data, read on first use; what pages need of it is cached."""
        if self._comparisons is None:
            from viewer.compare.tables import (
                load_comparisons,
                problems_summary,
                topic_appendix_html,
            )

            library = self.library
            signature = comparisons_signature(library)  # before reading: a later change shows
            data = self._comparisons = load_comparisons(library)
            topic_ids = {s.topic for cset in data.sets for s in cset.subjects if s.topic}
            rows = {
                topic_id: html
                for topic_id in sorted(topic_ids)
                if (html := topic_appendix_html(data, topic_id))
            }
            self.renderer.cache.put_comparison_digest(
                library, signature, rows, problems_summary(data.problems, library.root)
            )
        return self._comparisons

    @property
    def comparisons_read(self) -> bool:
        """Whether the comparison files have been read (not only their cached digest)."""
        return self._comparisons is not None

    def _cached_digest(self) -> tuple | None:
        """(rows by topic id, problems line) as the page cache has them, while unread."""
        if self._comparisons is not None:
            return None
        if self._comparison_digest is None:
            self._comparison_digest = self.renderer.cache.comparison_digest(self.library) or False
        return self._comparison_digest or None

    def topic_appendix(self, topic: Topic) -> str:
        """HTML added below a topic's own text (comparison rows for its subjects)."""
        if (digest := self._cached_digest()) is not None:
            return digest[0].get(topic.id, "")
        from viewer.compare.tables import topic_appendix_html

        return topic_appendix_html(self.comparisons, topic.id)

    def comparison_problems(self) -> str:
        """The comparison files' problems in one line ("" if none)."""
        if (digest := self._cached_digest()) is not None:
            return digest[1]
        from viewer.compare.tables import problems_summary

        return problems_summary(self.comparisons.problems, self.library.root)

    # -- opening, reloading -----------------------------------------------------------------
    def open_root(self, root: Path) -> None:
        """Make the library at `root` the open one; raises LibraryError if it cannot be read."""
        library = Library(root)
        self.history = History()
        self._use(library)
        self.replaced.emit(library, False)

    def reload(self) -> bool:
        """Read the open library again (a file changed, or the reader asked)."""
        root = self.library.root
        if not root.is_dir():
            self.message.emit(f"The library folder is gone: {root}", 15000)
            return False
        try:
            library = Library(root)
        except LibraryError as exc:
            self.message.emit(str(exc), 10000)
            return False
        self._replace_same(library)
        return True

    def _replace_same(self, library: Library) -> None:
        gone = {topic.id for topic in self.library.topics} - {t.id for t in library.topics}
        self.history.forget(gone)
        self._use(library)
        self.replaced.emit(library, True)

    def rescan_remembered(self, shown: Topic | None = None) -> None:
        """Start-up showed the library as its last scan left it, or from a quick scan: scan it
        again on a worker thread (no Qt there) and replace it if anything changed. The page of
        `shown` (the topic on show) is rendered there too, so the window shows it again at the
        cost of a layout."""
        if not self.library.remembered:
            return
        remembered = self.library

        def scan() -> None:
            try:
                result: Library | Exception = Library(remembered.root)
            except Exception as exc:  # noqa: BLE001 - reported in the status bar, never raised
                result = exc
            if isinstance(result, Library) and result.snapshot != remembered.snapshot and shown:
                topic = result.topic_for_file(shown.path)
                try:
                    if topic is not None:
                        self.renderer.prepare_page(result, topic)
                except Exception:  # noqa: BLE001, S110 - the window renders it again, and says why
                    pass
            try:
                self._scanned.emit(remembered, result)
            except RuntimeError:
                pass  # the window, and this session with it, was closed meanwhile

        threading.Thread(target=scan, name="cloudref-library-scan", daemon=True).start()

    def _remembered_scanned(self, remembered: Library, result) -> None:
        if self.library is not remembered:
            return  # another library, or a reload, came first
        if isinstance(result, Exception):
            self.message.emit(f"Cannot read the library again: {result}", 10000)
        elif result.snapshot != remembered.snapshot:
            self._replace_same(result)
