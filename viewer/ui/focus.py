"""F6 / Shift+F6: move focus between the window's panes, in a fixed order.

Panes are found by object name, so a pane that a feature adds later joins the cycle by being
named here, and a hidden one (the tree after Ctrl+B) is skipped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget

PANE_ORDER = ("topicTree", "pageView", "outlineList", "compareTable", "studyView", "searchBox")


def _reveal(widget: QWidget) -> None:
    """Bring a pane that lives in a background tab to the front.

    A tab's page is a child of the QTabWidget's inner stack, not of the QTabWidget itself."""
    child = widget
    while child is not None:
        parent = child.parentWidget()
        tabs = parent.parentWidget() if parent is not None else None
        if isinstance(tabs, QTabWidget) and (index := tabs.indexOf(child)) >= 0:
            tabs.setCurrentIndex(index)
        child = parent


def panes(window: QWidget) -> list[QWidget]:
    found = []
    for name in PANE_ORDER:
        widget = window.findChild(QWidget, name)
        if widget is not None and widget.isEnabled() and _shown_or_tabbed(widget, window):
            found.append(widget)
    return found


def _shown_or_tabbed(widget: QWidget, window: QWidget) -> bool:
    """Visible, or only hidden because its tab is in the background."""
    node = widget
    while node is not None and node is not window:
        parent = node.parentWidget()
        if not node.isVisibleTo(window) and not (
            parent is not None and parent.objectName() == "qt_tabwidget_stackedwidget"
        ):
            return False
        node = parent
    return True


def cycle(window: QWidget, step: int) -> QWidget | None:
    order = panes(window)
    if not order:
        return None
    focused = window.focusWidget()
    current = next(
        (i for i, w in enumerate(order) if focused is w or (focused and w.isAncestorOf(focused))),
        -1,
    )
    target = order[(current + step) % len(order)] if current >= 0 else order[0]
    _reveal(target)
    target.setFocus(Qt.FocusReason.TabFocusReason)
    return target
