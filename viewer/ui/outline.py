"""The outline: the current topic's sections as a list under the topic tree, by keyboard.

The list (`outlineList`, in the F6 cycle) marks the section at the top of the page as the
reader scrolls. Typing filters it (the letters go to the filter field above it, as a
"go to symbol" box does), Up/Down choose, Enter jumps to the section and hands focus to the
page, Esc clears the filter and then returns to the page. The sections come from
`sections.PageSections`; this module only shows them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from viewer.paper.marks import DocHeading
from viewer.ui.sections import PageSections

HEADING_ROLE = Qt.ItemDataRole.UserRole + 1
INDENT = "\u2003"  # an em space per level below a section


def matches(title: str, text: str) -> bool:
    """Whether every word typed occurs in `title` (case-insensitive)."""
    folded = title.casefold()
    return all(word in folded for word in text.casefold().split())


class _FilterField(QLineEdit):
    """Up/Down/Enter/Esc act on the list below, as in the search field."""

    move_requested = Signal(int)
    accept_requested = Signal()
    cancel_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            self.move_requested.emit(1 if key == Qt.Key.Key_Down else -1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_requested.emit()
        elif key == Qt.Key.Key_Escape:
            self.cancel_requested.emit()
        else:
            super().keyPressEvent(event)


class _OutlineList(QListWidget):
    """Printable keys go to the filter (type-ahead filters), Enter jumps, Esc goes back."""

    typed = Signal(QKeyEvent)
    accept_requested = Signal()
    cancel_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key, text = event.key(), event.text()
        plain = not event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        )
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.accept_requested.emit()
        elif key == Qt.Key.Key_Escape:
            self.cancel_requested.emit()
        elif plain and (key == Qt.Key.Key_Backspace or (text and text.isprintable())):
            self.typed.emit(event)
        else:
            super().keyPressEvent(event)


class OutlinePane(QWidget):
    """A filter field above the list of the page's sections."""

    jump_requested = Signal(object)  # the DocHeading chosen
    dismissed = Signal()  # Esc with nothing to clear: the window gives the page focus

    def __init__(self, sections: PageSections, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("outlinePane")
        self.sections = sections
        title = QLabel("Sections")
        title.setObjectName("outlineTitle")
        self.field = _FilterField()
        self.field.setObjectName("outlineFilter")
        self.field.setPlaceholderText("Filter sections (Ctrl+Shift+O)")
        self.field.setAccessibleName("Filter sections")
        self.field.setAccessibleDescription("Shows only the headings of this topic that match")
        self.field.setClearButtonEnabled(True)
        self.list = _OutlineList()
        self.list.setObjectName("outlineList")
        self.list.setAccessibleName("Sections of this topic")
        self.list.setAccessibleDescription(
            "The topic's headings; the one you are reading is marked. Type to filter, "
            "Enter jumps to it."
        )
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        title.setBuddy(self.list)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(title)
        layout.addWidget(self.field)
        layout.addWidget(self.list, 1)

        self.field.textChanged.connect(self._apply_filter)
        self.field.move_requested.connect(self.move_current)
        self.field.accept_requested.connect(self.jump_to_current)
        self.field.cancel_requested.connect(self.cancel)
        self.list.typed.connect(self._type_into_field)
        self.list.accept_requested.connect(self.jump_to_current)
        self.list.cancel_requested.connect(self.cancel)
        self.list.itemActivated.connect(lambda _item: self.jump_to_current())
        sections.headings_changed.connect(self.refresh)
        sections.current_changed.connect(self._mark_current)
        self.refresh()

    # -- contents ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the page's headings again (another topic, or more of a long one)."""
        self.list.clear()
        headings = self.sections.headings
        top = min((h.level for h in headings), default=1)
        for heading in headings:
            item = QListWidgetItem(INDENT * max(0, heading.level - top - 1) + heading.title)
            item.setData(HEADING_ROLE, heading)
            item.setToolTip(heading.title)
            self.list.addItem(item)
        self._apply_filter(self.field.text())
        self.sections.update_current()
        self._mark_current(self.sections.current)

    def _apply_filter(self, text: str) -> None:
        first_shown = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            shown = matches(item.data(HEADING_ROLE).title, text)
            item.setHidden(not shown)
            if shown and first_shown is None:
                first_shown = item
        current = self.list.currentItem()
        if text and (current is None or current.isHidden()):
            self.list.setCurrentItem(first_shown)

    def _mark_current(self, heading: DocHeading | None) -> None:
        """Bold the section the reader is in; follow it unless the reader is choosing."""
        chosen = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            here = heading is not None and item.data(HEADING_ROLE) == heading
            font = item.font()
            if font.bold() != here:
                font.setBold(here)
                item.setFont(font)
            if here:
                chosen = item
        choosing = self.list.hasFocus() or self.field.hasFocus()
        if chosen is not None and not choosing and not chosen.isHidden():
            self.list.setCurrentItem(chosen)
            self.list.scrollToItem(chosen)

    # -- keys ------------------------------------------------------------------------------
    def activate(self) -> None:
        """Ctrl+Shift+O: the filter field, focused and emptied, the current section chosen."""
        self.field.clear()
        self._mark_current(self.sections.current)
        self.field.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def current_heading(self) -> DocHeading | None:
        item = self.list.currentItem()
        return item.data(HEADING_ROLE) if item is not None and not item.isHidden() else None

    def has_focus(self) -> bool:
        return self.list.hasFocus() or self.field.hasFocus()

    def move_current(self, step: int) -> None:
        rows = [r for r in range(self.list.count()) if not self.list.item(r).isHidden()]
        if not rows:
            return
        row = self.list.currentRow()
        place = rows.index(row) if row in rows else (-1 if step > 0 else len(rows))
        self.list.setCurrentRow(rows[max(0, min(len(rows) - 1, place + step))])

    def jump_to_current(self) -> None:
        heading = self.current_heading()
        if heading is not None:
            self.jump_requested.emit(heading)
            # The whole outline again, with the section jumped to marked: where you are now.
            self.field.clear()
            self._mark_current(self.sections.current)

    def cancel(self) -> None:
        if self.field.text():
            self.field.clear()
            self._mark_current(self.sections.current)
        else:
            self.dismissed.emit()

    def _type_into_field(self, event: QKeyEvent) -> None:
        """Type-ahead in the list: the key edits the filter; focus stays in the list."""
        if event.key() == Qt.Key.Key_Backspace:
            self.field.backspace()
        else:
            self.field.insert(event.text())
