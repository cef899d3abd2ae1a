"""Find in page: incremental, every match highlighted, "3 of 12", Enter/F3 to move."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QTextEdit, QToolButton, QWidget

from viewer.pages.theme import palette

MAX_MATCHES = 5000  # beyond this, counting would stall typing on huge pages


class FindField(QLineEdit):
    step_requested = Signal(int)
    close_requested = Signal()
    tab_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            back = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self.step_requested.emit(-1 if back else 1)
            return
        if event.key() == Qt.Key.Key_Escape:
            self.close_requested.emit()
            return
        super().keyPressEvent(event)

    def focusNextPrevChild(self, forward: bool) -> bool:  # noqa: N802 (Qt override: Tab)
        """Tab goes into the page at the match (`FindBar.tab_into_page`), not along the
        window's focus chain, which would start the page's links from its top."""
        if forward:
            self.tab_requested.emit()
            return True
        return super().focusNextPrevChild(forward)


class FindBar(QWidget):
    """Sits under the page; owns its matches and the page's find highlights."""

    closed = Signal()

    def __init__(self, page: QTextEdit, parent=None):
        super().__init__(parent)
        self.setObjectName("findBar")
        self.page = page
        self.matches: list[QTextCursor] = []
        self.current = -1
        self.origin = 0  # where incremental search starts: the page top when the bar opened
        self.field = FindField()
        self.field.setObjectName("findField")
        self.field.setPlaceholderText("Find in page")
        self.field.setAccessibleName("Find in page")
        self.field.setAccessibleDescription(
            "Type to find in the page. Enter: next match, Shift+Enter: previous, Esc: close."
        )
        self.field.setClearButtonEnabled(True)
        self.count = QLabel()
        self.count.setObjectName("findCount")
        self.count.setMinimumWidth(90)
        self.count.setAccessibleName("Matches")
        previous, following, close = QToolButton(), QToolButton(), QToolButton()
        previous.setText("▲")
        previous.setToolTip("Previous match (Shift+Enter, Shift+F3)")
        following.setText("▼")
        following.setToolTip("Next match (Enter, F3)")
        close.setText("✕")
        close.setToolTip("Close (Esc)")
        close.setObjectName("findClose")
        # The buttons' glyphs mean nothing read aloud: each gets a name.
        for button, name in (
            (previous, "Previous match"),
            (following, "Next match"),
            (close, "Close find bar"),
        ):
            button.setAccessibleName(name)
            button.setAccessibleDescription(button.toolTip())
        for button in (previous, following, close):
            button.setAutoRaise(True)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # keys do it: Enter, Shift+Enter, Esc
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.field, 1)
        layout.addWidget(self.count)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self.field.textChanged.connect(self.search)
        self.field.step_requested.connect(self.step)
        self.field.close_requested.connect(self.close_bar)
        self.field.tab_requested.connect(self.tab_into_page)
        previous.clicked.connect(lambda: self.step(-1))
        following.clicked.connect(lambda: self.step(1))
        close.clicked.connect(self.close_bar)
        self.hide()

    def open_bar(self) -> None:
        if not self.isVisible():
            self.origin = self.page.cursorForPosition(
                self.page.viewport().rect().topLeft()
            ).position()
        self.show()
        selected = self.page.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.field.setText(selected)
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.selectAll()
        self.search(self.field.text())

    def close_bar(self) -> None:
        self.hide()
        self.page.setExtraSelections([])
        self.page.setFocus(Qt.FocusReason.OtherFocusReason)
        self.closed.emit()

    def tab_into_page(self) -> None:
        """Tab from the field: into the page, at the first link after the current match (the
        page's caret is on it), as if the reader had been reading there."""
        self.page.setFocus(Qt.FocusReason.OtherFocusReason)
        self.page.focusNextPrevChild(True)

    def refresh(self) -> None:
        """The page changed under us (another topic): find again if the bar is open."""
        if self.isVisible():
            self.origin = 0
            self.search(self.field.text())

    def search(self, text: str) -> None:
        self.matches = []
        self.current = -1
        doc: QTextDocument = self.page.document()
        if text:
            cursor = QTextCursor(doc)
            while len(self.matches) < MAX_MATCHES:
                cursor = doc.find(text, cursor)
                if cursor.isNull():
                    break
                self.matches.append(QTextCursor(cursor))
        if self.matches:
            self.current = next(
                (i for i, c in enumerate(self.matches) if c.selectionStart() >= self.origin), 0
            )
        self._show()

    def step(self, direction: int) -> None:
        if not self.isVisible():
            self.open_bar()
            return
        if not self.matches:
            return
        self.current = (self.current + direction) % len(self.matches)
        self.origin = self.matches[self.current].selectionStart()
        self._show()

    def _show(self) -> None:
        colours = palette(
            "dark" if self.page.palette().base().color().lightness() < 128 else "light"
        )
        every = QTextCharFormat()
        every.setBackground(QColor(colours["highlight"]))
        every.setForeground(QColor(colours["text"]))  # a link's colour would not read on it
        selections = []
        for index, cursor in enumerate(self.matches):
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            if index == self.current:
                current = QTextCharFormat()
                current.setBackground(self.page.palette().highlight())
                current.setForeground(self.page.palette().highlightedText())
                selection.format = current
            else:
                selection.format = every
            selections.append(selection)
        self.page.setExtraSelections(selections)
        if self.current >= 0:
            self.page.setTextCursor(QTextCursor(self.matches[self.current]))
            self.page.ensureCursorVisible()
            self.count.setText(f"{self.current + 1} of {len(self.matches)}")
        else:
            self.count.setText("No matches" if self.field.text() else "")
        self.field.setProperty("noMatch", bool(self.field.text()) and not self.matches)
