"""What the Markdown processors know about the page being rendered.

Shared by the renderer, which fills it in before each conversion, and the processors of the
Markdown extension, which read it; a module of its own so that neither imports the other.
"""

from __future__ import annotations

from viewer.library.folder import Library, Topic


class RenderContext:
    """What the processors need to know about the page being rendered."""

    library: Library | None = None
    topic: Topic | None = None
    external_links: bool = False  # print: show the URL after an external link
    deadline = None  # the conversion's time budget (viewer.pages.budget.Deadline), while one runs
    gate = None  # viewer.pages.turns.TurnGate: where a worker's conversion steps aside

    def __init__(self) -> None:
        # Every image reference of the page and what it resolved to: (src, kind, path or "",
        # stamp). A cached page is valid while each still resolves the same, and each stamped
        # file (an SVG, whose size is on the page) is unchanged (viewer.pages.page_cache).
        self.images: list[tuple[str, str, str, str]] = []
        # Include directives that brought nothing in: (directive as written, why).
        self.include_problems: list[tuple[str, str]] = []
        # Pictures the gate refused (`viewer.pages.pictures`): (src, reason), for the problems.
        self.refused: list[tuple[str, str]] = []
