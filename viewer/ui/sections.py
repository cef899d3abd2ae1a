"""The sections of the page on show: its headings, where each one is, which one is at the top.

The headings are read from the page's laid-out document (`marks.document_headings`, the same
reader the PDF outline uses), so the outline, section bookmarks, the reading place and
"print this section" agree with what the renderer made. No widgets are built here.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from viewer.paper.marks import DocHeading, document_headings

TYPE_CHECKING = False
if TYPE_CHECKING:
    from viewer.ui.page_view import PageView

MAX_LEVEL = 4  # deeper headings are too fine-grained for an outline
TOP_SLACK = 4  # px: a heading this close below the view's top edge counts as at the top


class PageSections(QObject):
    """The headings of `page`'s document, read again whenever its contents change.

    `current_changed(heading)` says which section is at the top of the view as the reader
    scrolls (None above the first heading), once per change.
    """

    headings_changed = Signal()
    current_changed = Signal(object)  # DocHeading | None

    def __init__(self, page: PageView):
        super().__init__(page)
        self.page = page
        self._headings: list[DocHeading] | None = None
        self._current: DocHeading | None = None
        page.document().contentsChange.connect(self._contents_change)
        page.verticalScrollBar().valueChanged.connect(lambda _value: self.update_current())

    def _contents_change(self, position: int, _removed: int, _added: int) -> None:
        """Headings before the changed block stay; those from it on are read again. A long
        topic grows at its end one piece at a time, so only each new piece is read (reading the
        whole page again per piece would cost more with every piece)."""
        if self._headings is None:
            return  # not read yet: read on demand
        if position == 0:
            self._headings = None  # another page: read again on demand
            self.headings_changed.emit()
            return
        doc = self.page.document()
        start = doc.findBlock(position).position()
        kept = [h for h in self._headings if h.position < start]
        headings = kept + document_headings(doc, MAX_LEVEL, start=start)
        if headings != self._headings:
            self._headings = headings
            self.headings_changed.emit()

    @property
    def headings(self) -> list[DocHeading]:
        if self._headings is None:
            self._headings = document_headings(self.page.document(), MAX_LEVEL)
        return self._headings

    # -- where things are ------------------------------------------------------------------
    def top_of(self, heading: DocHeading) -> int:
        """The heading's top in the page's scroll coordinates."""
        doc = self.page.document()
        block = doc.findBlock(heading.position)
        return int(doc.documentLayout().blockBoundingRect(block).top())

    def at_top(self) -> DocHeading | None:
        """The section the view starts in: the last heading at or above its top edge (the
        first heading while the view is above it: the page's padding, a problem banner)."""
        view_top = self.page.verticalScrollBar().value() + TOP_SLACK
        headings = self.headings
        found = headings[0] if headings else None
        doc = self.page.document()
        layout = doc.documentLayout()
        for heading in headings[1:]:
            rect = layout.blockBoundingRect(doc.findBlock(heading.position))
            # Qt lays a long page out top down in idle time: a block it has not reached yet
            # has an empty rectangle, and lies below whatever the view shows.
            if rect.isNull() or rect.top() > view_top:
                break
            found = heading
        return found

    def containing(self, position: int) -> DocHeading | None:
        """The section that holds document position `position`."""
        found = None
        for heading in self.headings:
            if heading.position > position:
                break
            found = heading
        return found

    def by_anchor(self, anchor: str) -> DocHeading | None:
        return next((h for h in self.headings if anchor and h.anchor == anchor), None)

    def by_title(self, title: str) -> DocHeading | None:
        wanted = " ".join(title.split()).casefold()
        return next((h for h in self.headings if h.title.casefold() == wanted), None)

    # -- moving ----------------------------------------------------------------------------
    def scroll_to(self, heading: DocHeading, offset: int = 0) -> None:
        """Put the heading (plus `offset` px below it) at the top of the view."""
        self.page.verticalScrollBar().setValue(self.top_of(heading) + offset)
        self.update_current()

    def update_current(self) -> None:
        current = self.at_top()
        if current != self._current:
            self._current = current
            self.current_changed.emit(current)

    @property
    def current(self) -> DocHeading | None:
        return self._current
