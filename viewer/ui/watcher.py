"""Live reload: notice when an author saves, adds or removes a file in the library.

A QFileSystemWatcher watches every folder (files appearing and disappearing) and every file
the viewer reads (topics, `library.toml`, comparison data, images). Changes are gathered for a short
debounce, since an editor's save is several events (write, rename, chmod), then reported once.
"""

from __future__ import annotations

import os
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
        self._generation = 0  # a new watch() drops batches of the one before

    def watch(self, *roots: Path) -> None:
        """Watch these folders (the library and its images folder) instead of any before."""
        self._timer.stop()
        self._pending.clear()
        for paths in (self._watcher.files(), self._watcher.directories()):
            if paths:
                self._watcher.removePaths(paths)
        self._roots = [Path(root) for root in dict.fromkeys(roots) if Path(root).is_dir()]
        self._generation += 1
        self._refresh()

    def watched(self) -> set[str]:
        return set(self._watcher.files()) | set(self._watcher.directories())

    def _wanted(self) -> list[str]:
        wanted: list[str] = []
        for root in self._roots:
            for folder, subfolders, files in os.walk(root):
                subfolders[:] = [name for name in subfolders if not name.startswith((".", "_"))]
                wanted.append(folder)
                wanted += [
                    os.path.join(folder, name)
                    for name in files
                    if name.lower().endswith(WATCHED_SUFFIXES)
                ]
                if len(wanted) >= MAX_WATCHED:
                    return wanted[:MAX_WATCHED]
        return wanted

    def _refresh(self) -> None:
        """Watch what is there now: new files and folders, and files an editor replaced."""
        watched = self.watched()
        missing = [path for path in dict.fromkeys(self._wanted()) if path not in watched]
        self._add(missing, self._generation)

    def _add(self, paths: list[str], generation: int) -> None:
        """Watch `paths`, a batch now and the rest in later turns, so the window answers keys."""
        if generation != self._generation:
            return
        if paths[:BATCH]:
            self._watcher.addPaths(paths[:BATCH])
        if paths[BATCH:]:
            QTimer.singleShot(0, self, lambda: self._add(paths[BATCH:], generation))

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
