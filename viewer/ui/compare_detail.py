"""The Comparison tab's detail line: what the current cell holds beyond its text.

Below the grid, one label says the current cell's subject and attribute, its note, its source
(a link, https only, opened in the system browser) and when it was checked; in recall, how to
reveal and grade a blank cell; with fewer than two subjects ticked, what to do.
"""

from __future__ import annotations

import html
from urllib.parse import urlsplit

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QLabel, QSizePolicy

from viewer.ui.compare_model import CELL_ROLE, CompareModel
from viewer.ui.compare_table import HINT


class CellDetail(QLabel):
    """The detail line; `show_cell` fills it for the grid's current cell."""

    status_message = Signal(str)  # a source that is not opened, and why

    def __init__(self) -> None:
        super().__init__()
        self.setAccessibleName("Cell details")
        self.setAccessibleDescription("The current cell's note, source and check date")
        self.setObjectName("compareDetail")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setOpenExternalLinks(False)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.setMinimumHeight(int(self.fontMetrics().height() * 2.6))
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.linkActivated.connect(self._open_source)

    def show_cell(self, model: CompareModel, index: QModelIndex, ticked: int, chosen: bool) -> None:
        """The line for `index` of `model`; `ticked`: how many subjects are ticked, `chosen`:
        whether a table is chosen."""
        if model.is_hidden(index):
            subject = model.subjects[index.column()]
            attribute = model.attributes()[index.row()]
            self._set(
                f"<b>{html.escape(subject.label)} · {html.escape(attribute.label)}</b> — "
                "recall it, then Space or Enter shows it; 1 Again · 2 Hard · 3 Good · 4 Easy"
            )
            return
        if ticked < 2 and chosen:
            self._set(f"<i>Tick at least two subjects to compare them.</i> {html.escape(HINT)}")
            return
        if not index.isValid():
            self._set(html.escape(HINT))
            return
        subject = model.subjects[index.column()]
        attribute = model.attributes()[index.row()]
        cell = index.data(CELL_ROLE)
        head = f"<b>{html.escape(subject.label)} · {html.escape(attribute.label)}</b>"
        if cell is None:
            self._set(f"{head} — no value in the comparison file.")
            return
        parts = [head]
        if cell.note:
            parts.append(html.escape(cell.note))
        extra = []
        if cell.source:
            host = urlsplit(cell.source).netloc or cell.source
            url = html.escape(cell.source, quote=True)
            link = self.palette().color(QPalette.ColorRole.Link).name()
            extra.append(f'Source: <a href="{url}" style="color: {link}">{html.escape(host)}</a>')
        if cell.checked:
            extra.append(f"checked {html.escape(cell.checked)}")
        if extra:
            parts.append(" · ".join(extra))
        if len(parts) == 1:
            parts.append(html.escape(cell.plain))
        self._set(" — ".join(parts), link=bool(cell.source))
        self.setToolTip(cell.source)

    def _set(self, text: str, link: bool = False) -> None:
        # A Tab stop only while there is a link to follow, so Tab is not wasted on plain text.
        flags = (
            Qt.TextInteractionFlag.TextBrowserInteraction
            if link
            else Qt.TextInteractionFlag.TextSelectableByMouse
        )
        self.setTextInteractionFlags(flags)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus if link else Qt.FocusPolicy.NoFocus)
        self.setText(text)

    def _open_source(self, url: str) -> None:
        if urlsplit(url).scheme.lower() != "https":
            self.status_message.emit(f"Not opened (only https:// sources are): {url}")
            return
        from viewer.ui.external import open_in_browser

        open_in_browser(self, url, self.status_message.emit)  # never inside the app
