"""Live reload: notice when an author saves, adds or removes a file in the library.

A QFileSystemWatcher watches every folder (files appearing and disappearing) and every file
the viewer reads (topics, `library.toml`, comparison data, images). Changes are gathered for a short
debounce, since an editor's save is several events (write, rename, chmod), then reported once.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import islice
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QTimer, Signal

WATCHED_SUFFIXES = (".md", ".toml", ".svg", ".png", ".jpg", ".jpeg", ".gif")
MAX_WATCHED = 20_000  # inotify watches are a per-user budget: leave plenty for other programs
BATCH = 200  # paths added per turn of the event loop: thousands at once would hold up keys


class LibraryWatcher(QObject):
    """Watches one library's folders and files; `changed` carries the paths that changed."""

    changed = Signal(list)  # list[str], sorted

    def __init__(self, parent: QObject | None = None, *, debounce_ms: int):
        """`debounce_ms`: how long the files must be quiet before a change is reported (the
        window passes the `reload/delayMs` setting)."""
        super().__init__(parent)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.fileChanged.connect(self._on_change)
        self._watcher.directoryChanged.connect(self._on_change)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(0, debounce_ms))
        self._timer.timeout.connect(self._flush)
        self._roots: list[Path] = []
        self._pending: set[str] = set()
        self._generation = 0  # a new walk (watch, refresh) drops the batches of the one before

    def watch(self, *roots: Path) -> None:
        """Watch these folders (the library and its images folder) instead of any before."""
        self._timer.stop()
        self._pending.clear()
        for paths in (self._watcher.files(), self._watcher.directories()):
            if paths:
                self._watcher.removePaths(paths)
        self._roots = [Path(root) for root in dict.fromkeys(roots) if Path(root).is_dir()]
        self._refresh()

    def watched(self) -> set[str]:
        return set(self._watcher.files()) | set(self._watcher.directories())

    def _wanted(self) -> Iterator[str]:
        """The folders and watched files under the roots, a folder at a time (at most
        MAX_WATCHED)."""
        count = 0
        for root in self._roots:
            for folder, subfolders, files in os.walk(root):
                subfolders[:] = [name for name in subfolders if not name.startswith((".", "_"))]
                paths = [folder] + [
                    os.path.join(folder, name)
                    for name in files
                    if name.lower().endswith(WATCHED_SUFFIXES)
                ]
                for path in paths:
                    yield path
                    count += 1
                    if count >= MAX_WATCHED:
                        return

    def _refresh(self) -> None:
        """Watch what is there now: new files and folders, and files an editor replaced. The
        library is walked a batch a turn of the event loop, each batch added as it is found
        (walking thousands of files in one turn held the window up). A walk still going is
        dropped: this one sees all it would have."""
        self._generation += 1
        self._add(self._wanted(), self.watched(), self._generation)

    def _add(self, wanted: Iterator[str], watched: set[str], generation: int) -> None:
        """Watch the next BATCH `wanted` paths not `watched` yet; the rest in later turns, so
        the window answers keys."""
        if generation != self._generation:
            return
        found = list(islice(wanted, BATCH))
        batch = [path for path in dict.fromkeys(found) if path not in watched]
        if batch:
            watched.update(batch)  # a path met twice (a root inside another) is added once
            self._watcher.addPaths(batch)
        if len(found) == BATCH:
            QTimer.singleShot(0, self, lambda: self._add(wanted, watched, generation))

    def _on_change(self, path: str) -> None:
        self._pending.add(path)
        self._timer.start()  # restarts: one report for a burst of events

    def _flush(self) -> None:
        # A file an editor replaced (write to a temporary file, rename over) is dropped by the
        # watcher; a half-written file is simply re-read on its next change. Re-add both.
        self._refresh()
        paths, self._pending = sorted(self._pending), set()
        if paths:
            self.changed.emit(paths)
