"""The rendered page: a QTextBrowser that shows HTML it is given and reports link clicks.

It decides nothing about where a link goes (the window's navigator does) and renders
nothing itself (viewer.pages.render does).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QTextBrowser, QToolTip

from viewer import startup
from viewer.library.folder import Library, Topic
from viewer.paper.document import PageDocument
from viewer.ui.lazy_qt import Qt

BASE_POINT_SIZE = 11.0
MAX_TEXT_WIDTH_EM = 46  # about 80–90 characters a line: a readable measure
PAGE_PADDING = 20  # px between the text and the column's edges, and above and below the page
MIN_SIDE = 24  # px from the text to the widget's side, however narrow the window
MIN_ZOOM, MAX_ZOOM = -5, 20
OVERLAP_LINES = 2  # a page step keeps this many lines of the last screen in sight


# Mouse events on the page widget itself (its side margins), and the handler each goes to.
_MOUSE_HANDLERS = {
    QEvent.Type.MouseButtonPress: "mousePressEvent",
    QEvent.Type.MouseButtonRelease: "mouseReleaseEvent",
    QEvent.Type.MouseButtonDblClick: "mouseDoubleClickEvent",
    QEvent.Type.MouseMove: "mouseMoveEvent",
}


class PageView(QTextBrowser):
    link_activated = Signal(object)  # the QUrl of a link the reader followed
    back_requested = Signal()
    forward_requested = Signal()
    painted = Signal()  # after each paint of the page (the window waits for the first)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("pageView")
        self.setAccessibleName("Topic page")
        self.setAccessibleDescription(
            "The rendered topic. Tab moves between links, Enter follows one."
        )
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        # A scroll bar that came and went with each page would resize the viewport twice per
        # topic switch, and each resize lays the whole page out again. Set by name, as an int
        # (Qt::ScrollBarAlwaysOn): the `Qt` namespace would cost the first paint (lazy_qt).
        self.setProperty("verticalScrollBarPolicy", 2)
        self.page_document = PageDocument(parent=self)
        self.page_document.setDocumentMargin(PAGE_PADDING)  # kept by setHtml, unlike frame margins
        self.setDocument(self.page_document)
        self.zoom_steps = 0
        self.context_actions: list = []  # added below the standard entries of the context menu
        self.context_position: int | None = None  # where that menu was opened, while it shows
        self._apply_font()
        self.anchorClicked.connect(self.link_activated.emit)
        self.setFrameShape(QTextBrowser.Shape.NoFrame)

    # -- content -------------------------------------------------------------------------
    def show_html(
        self,
        html: str,
        stylesheet: str,
        library: Library | None,
        topic: Topic | None,
        theme: str = "light",
    ) -> None:
        """Show `html` styled by `stylesheet`; `theme` tells the diagrams which colours to use."""
        doc = self.page_document
        doc.set_context(library, topic)
        doc.setProperty("pageTheme", theme)
        doc.setDefaultStyleSheet(stylesheet)
        # Through the view's setHtml: it takes the caret to the top with the page, where setting
        # it afterwards would lay out the page once more.
        doc.set_page_html(html, self.setHtml)
        startup.mark("first page rendered")  # only the first mark of a name counts

    def scroll_to(self, anchor: str = "", scroll: int | None = None) -> None:
        if scroll is not None:
            self.verticalScrollBar().setValue(scroll)
        elif anchor:
            self.scrollToAnchor(anchor)
        else:
            self.verticalScrollBar().setValue(0)

    def scroll_position(self) -> int:
        return self.verticalScrollBar().value()

    # -- zoom and measure ----------------------------------------------------------------
    def set_zoom(self, steps: int) -> None:
        self.zoom_steps = max(MIN_ZOOM, min(MAX_ZOOM, steps))
        self._apply_font()

    def zoom_scale(self) -> float:
        """How much larger than at 100 % everything on the page is drawn."""
        return (BASE_POINT_SIZE + self.zoom_steps) / BASE_POINT_SIZE

    def _apply_font(self) -> None:
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSizeF(BASE_POINT_SIZE + self.zoom_steps)
        font.setStyleHint(QFont.StyleHint.SansSerif)
        self.page_document.setDefaultFont(font)
        self.page_document.setProperty("diagramScale", self.zoom_scale())
        self._apply_margins()
        self.page_document.markContentsDirty(0, self.page_document.characterCount())

    def _apply_margins(self) -> None:
        """Centre a column of readable width: long lines tire the eye.

        The column is the viewport, narrowed by viewport margins (the page view paints them in
        the page's colour): they outlast setHtml, so a new page is laid out once, at the
        column's width. Margins of the document's root frame would be reset by each setHtml,
        and setting them again would lay the whole page out a second time, for every topic."""
        metrics_em = self.page_document.defaultFont().pointSizeF() * self.logicalDpiX() / 72.0
        max_width = MAX_TEXT_WIDTH_EM * metrics_em
        current = self.viewportMargins()
        # Not viewport().width(): the first call of viewport() makes PySide6 look for the
        # widget's Python type among every QWidget subclass, before the first paint.
        available = self.maximumViewportSize().width() + current.left() + current.right()
        side = max(0, round(max(MIN_SIDE, (available - max_width) / 2) - PAGE_PADDING))
        if side != current.left() or side != current.right():
            self.setViewportMargins(side, 0, side, 0)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._apply_margins()

    def paintEvent(self, event) -> None:  # Qt override
        super().paintEvent(event)  # QAbstractScrollArea sends the viewport's paints here
        self.painted.emit()

    # -- keys and mouse ------------------------------------------------------------------
    def line_height(self) -> int:
        """The height of a line of body text, as the page lays it out (line-height 135 %)."""
        from PySide6.QtGui import QFontMetricsF

        return round(QFontMetricsF(self.page_document.defaultFont()).lineSpacing() * 1.35)

    def page_step(self) -> int:
        """A screen less two lines: the line being read stays in sight after the step."""
        bar = self.verticalScrollBar()
        return max(self.line_height(), bar.pageStep() - OVERLAP_LINES * self.line_height())

    def keyPressEvent(self, event) -> None:  # noqa: N802
        from viewer.ui.context_keys import is_menu_key

        bar = self.verticalScrollBar()
        key, mods = event.key(), event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        shift = mods == Qt.KeyboardModifier.ShiftModifier
        if (key == Qt.Key.Key_Space and (shift or not mods)) or (
            key in (Qt.Key.Key_PageDown, Qt.Key.Key_PageUp) and not mods
        ):
            back = key == Qt.Key.Key_PageUp or (key == Qt.Key.Key_Space and shift)
            bar.setValue(bar.value() + (-1 if back else 1) * self.page_step())
            return
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End) and not mods:
            # Read-only browsers move an invisible caret on Home/End; the page is what should move.
            bar.setValue(bar.minimum() if key == Qt.Key.Key_Home else bar.maximum())
            return
        if is_menu_key(event):
            self.open_keyboard_menu()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event) -> None:  # noqa: N802
        """The standard menu (copy, select all, …), then the window's page commands; while it
        shows, `context_position` says where in the document it was opened."""
        menu = self.createStandardContextMenu(event.pos())
        if self.context_actions:
            menu.addSeparator()
            menu.addActions(self.context_actions)
        self.context_position = self.cursorForPosition(event.pos()).position()
        try:
            menu.exec(event.globalPos())
        finally:
            self.context_position = None
            menu.deleteLater()

    def keyboard_menu_point(self):
        """Where a menu opened from the keyboard belongs, on the viewport: under the focused
        link or the caret (a find match) when it is on screen, else near the top of the page."""
        from PySide6.QtCore import QPoint

        rect = self.cursorRect()
        if self.textCursor().hasSelection():
            end = self.textCursor()
            end.setPosition(end.selectionEnd())
            rect = self.cursorRect(end)
        if self.viewport().rect().contains(rect.center()):
            return QPoint(rect.left(), rect.bottom())
        return QPoint(PAGE_PADDING, PAGE_PADDING)

    def open_keyboard_menu(self) -> None:
        from PySide6.QtGui import QContextMenuEvent

        point = self.keyboard_menu_point()
        self.contextMenuEvent(
            QContextMenuEvent(
                QContextMenuEvent.Reason.Keyboard, point, self.viewport().mapToGlobal(point)
            )
        )

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.BackButton:
            self.back_requested.emit()
            return
        if event.button() == Qt.MouseButton.ForwardButton:
            self.forward_requested.emit()
            return
        super().mousePressEvent(event)

    def event(self, event: QEvent) -> bool:
        kind = event.type()
        # The column's side margins are this widget's own area, not its viewport's, and a scroll
        # area leaves mouse events there unhandled. Handled here, at the viewport's positions,
        # they do what they did when the margins were part of the page: the wheel scrolls, a
        # click or a drag starts a selection at the nearest text, the context menu opens.
        if kind == QEvent.Type.Wheel:
            self.wheelEvent(event)
            return True
        handler = _MOUSE_HANDLERS.get(kind)
        if handler is not None:
            from PySide6.QtCore import QPointF
            from PySide6.QtGui import QMouseEvent

            local = QPointF(self._on_viewport(event.position().toPoint()))
            getattr(self, handler)(
                QMouseEvent(
                    kind,
                    local,
                    event.globalPosition(),
                    event.button(),
                    event.buttons(),
                    event.modifiers(),
                )
            )
            return True
        if kind == QEvent.Type.ContextMenu:
            from PySide6.QtGui import QContextMenuEvent

            if event.reason() == QContextMenuEvent.Reason.Keyboard:
                self.open_keyboard_menu()  # Qt's own would open at the widget's corner
                return True

            self.contextMenuEvent(
                QContextMenuEvent(
                    event.reason(),
                    self._on_viewport(event.pos()),
                    event.globalPos(),
                    event.modifiers(),
                )
            )
            return True
        if kind == QEvent.Type.ToolTip:
            cursor = self.cursorForPosition(self._on_viewport(event.pos()))
            fmt = cursor.charFormat()  # the character before the position
            if not fmt.isImageFormat():
                cursor.movePosition(cursor.MoveOperation.NextCharacter)
                fmt = cursor.charFormat()
            if fmt.isImageFormat() and fmt.toolTip():  # a picture's title (its alt text)
                QToolTip.showText(event.globalPos(), fmt.toolTip(), self)
                return True
        return super().event(event)

    def _on_viewport(self, position):
        """`position` on this widget, in the viewport's coordinates (after the first paint: see
        `_apply_margins` on calling viewport())."""
        return self.viewport().mapFrom(self, position)
