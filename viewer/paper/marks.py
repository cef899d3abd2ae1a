"""Where things land on paper: each sheet's headings and anchors, by page and height.

A sheet is laid out as one long page and cut into slices (`printing.paginate`); this module
maps a height in that long layout to the page it is printed on, so the PDF can get an
outline of topics and sections and internal links that jump to the right place. QtGui only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SHEET_LINK = "cloudref:"  # hrefs to another sheet: "cloudref:ID" or "cloudref:ID#anchor"


@dataclass
class Mark:
    """A place on paper: a 0-based page of the job and a height from the text area's top,
    in layout units (96 dpi)."""

    page: int
    y: float


@dataclass
class Heading:
    level: int  # 2 for a section, 3 for a subsection (the sheet title is not one)
    title: str
    mark: Mark
    anchor: str = ""


@dataclass
class SheetMarks:
    """One sheet's headings (in order) and named anchors, on the job's pages."""

    start: Mark
    headings: list[Heading] = field(default_factory=list)
    anchors: dict[str, Mark] = field(default_factory=dict)


def locate(pages, y: float, offset: int = 0) -> Mark:
    """The page (plus `offset`) and height on it where height `y` of the long layout prints.

    `pages` is `paginate`'s result: each page a list of slices; a repeated table header comes
    first on its page, the page's own slice last.
    """
    for number, slices in enumerate(pages):
        piece = slices[-1]
        if piece.top - 0.5 <= y < piece.bottom:
            return Mark(offset + number, piece.dest + max(0.0, y - piece.top))
    last = pages[-1][-1]
    return Mark(offset + len(pages) - 1, last.dest + max(0.0, min(y, last.bottom) - last.top))


@dataclass(frozen=True)
class DocHeading:
    """A heading block of a laid-out document, as the renderer made it (`<hN>` with an
    `<a name>` inside): the one list of sections that the window's outline, section
    bookmarks, "print this section" and the PDF outline all read."""

    level: int  # 1 for the page title, 2 for a section, 3 for a subsection, …
    title: str
    anchor: str  # the renderer's anchor name ("" if it made none)
    position: int  # the block's position in the document


def heading_of(block) -> tuple[int, str] | None:
    """(level, title) of a heading block, or None for any other block (or an empty heading)."""
    level = block.blockFormat().headingLevel()
    if level <= 0:
        return None
    title = " ".join(block.text().split())
    return (level, title) if title else None


def document_headings(doc, max_level: int = 6, start: int = 0) -> list[DocHeading]:
    """Every heading of `doc` up to `max_level`, in order (from the block at `start` on)."""
    found: list[DocHeading] = []
    block = doc.findBlock(start) if start else doc.begin()
    while block.isValid():
        heading = heading_of(block)
        if heading is not None and heading[0] <= max_level:
            names = _anchor_names(block)
            found.append(
                DocHeading(heading[0], heading[1], names[0] if names else "", block.position())
            )
        block = block.next()
    return found


def sheet_marks(doc, pages, offset: int) -> SheetMarks:
    """The headings of levels 2 and 3 and every anchor name of a laid-out sheet `doc`."""
    layout = doc.documentLayout()
    marks = SheetMarks(Mark(offset, 0.0))
    block = doc.begin()
    while block.isValid():
        top = layout.blockBoundingRect(block).top()
        names = _anchor_names(block)
        if names:
            mark = locate(pages, top, offset)
            for name in names:
                marks.anchors.setdefault(name, mark)
        heading = heading_of(block)
        if heading is not None and heading[0] in (2, 3):
            level, title = heading
            marks.headings.append(
                Heading(level, title, locate(pages, top, offset), names[0] if names else "")
            )
        block = block.next()
    return marks


def _anchor_names(block) -> list[str]:
    names: list[str] = []
    iterator = block.begin()
    while not iterator.atEnd():
        fmt = iterator.fragment().charFormat()
        if fmt.isAnchor():
            names += [name for name in fmt.anchorNames() if name]
        iterator += 1
    return names
