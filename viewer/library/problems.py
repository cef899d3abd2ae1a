"""A problem found in a library, located like a compiler error: file, line, level, message.

The small value types on the start-up path are NamedTuples, not dataclasses: defining a
dataclass compiles its methods from source, a NamedTuple does far less.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class Problem(NamedTuple):
    path: Path
    line: int
    level: str  # "error" or "warning"
    message: str

    def format(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None:
            try:
                shown = self.path.relative_to(root)
            except ValueError:
                pass
        return f"{shown}:{self.line}: {self.level}: {self.message}"
