"""The libraries opened lately, most recent first, kept in the settings.

Paths are stored resolved, so one folder reached two ways is one entry. A folder that is
gone stays listed (a disconnected drive may come back); the menu shows it disabled and the
reader may clear the list.
"""

from __future__ import annotations

from pathlib import Path

from viewer.settings import Settings

KEY = "recent/libraries"
LIMIT = 8


class RecentLibraries:
    """The recent-libraries list in `settings`, read afresh each time (another window may
    have added to it)."""

    def __init__(self, settings: Settings, limit: int = LIMIT):
        self._settings, self._limit = settings, limit

    def paths(self) -> list[Path]:
        stored = self._settings.get_json(KEY, [])
        seen, paths = set(), []
        for item in stored:
            if isinstance(item, str) and item and item not in seen:
                seen.add(item)
                paths.append(Path(item))
        return paths[: self._limit]

    def add(self, root: Path) -> None:
        """`root` becomes the most recent; the oldest beyond the limit drop off."""
        root = Path(root).resolve()
        self._store([root] + [path for path in self.paths() if path != root])

    def remove(self, root: Path) -> None:
        self._store([path for path in self.paths() if path != Path(root)])

    def clear(self) -> None:
        self._store([])

    def _store(self, paths: list[Path]) -> None:
        self._settings.set_json(KEY, [str(path) for path in paths[: self._limit]])
