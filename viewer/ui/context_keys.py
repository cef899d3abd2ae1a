"""The context-menu keys (Menu, Shift+F10) open the menu where the keyboard is.

Qt places a menu opened by the Menu key at the focus widget's input cursor, which an item view
and a read-only page do not have: the menu came up at the pane's top-left corner, and Shift+F10
did nothing at all on X11. Here both keys open it at the current item (item views) or at the
caret or focused link (the page, `PageView.keyboard_menu_point`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView


def is_menu_key(event) -> bool:
    """The Menu key on its own, or Shift+F10."""
    mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    if event.key() == Qt.Key.Key_Menu:
        return mods == Qt.KeyboardModifier.NoModifier
    return event.key() == Qt.Key.Key_F10 and mods == Qt.KeyboardModifier.ShiftModifier


def item_point(view: QAbstractItemView) -> QPoint:
    """On `view`'s viewport: inside the current item, near its start, or the view's corner."""
    rect = view.visualRect(view.currentIndex())
    if rect.isValid() and view.viewport().rect().intersects(rect):
        return QPoint(rect.left() + min(24, rect.width() // 2), rect.center().y())
    return QPoint(8, 8)


class ItemViewMenuKeys(QObject):
    """Installed on an item view with a custom context menu: the menu keys (and Qt's own
    keyboard context-menu event) ask for the menu at the current item."""

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt override)
        kind = event.type()
        if kind == QEvent.Type.KeyPress and is_menu_key(event):
            watched.customContextMenuRequested.emit(item_point(watched))
            return True
        if kind == QEvent.Type.ContextMenu and event.reason() == event.Reason.Keyboard:
            watched.customContextMenuRequested.emit(item_point(watched))
            return True
        return False


def install(view: QAbstractItemView, handler) -> None:
    """Give `view` a context menu made by `handler(position on the viewport)`, for the mouse
    and for the menu keys alike."""
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(handler)
    keys = ItemViewMenuKeys(view)
    view.installEventFilter(keys)
