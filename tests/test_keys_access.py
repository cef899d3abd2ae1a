"""Keys a reader uses without a mouse (issue 20): page steps that overlap, Tab after find, the
context-menu keys, the shortcuts sheet's filter. Every step here is a key event."""

from __future__ import annotations

import pytest
from conftest import show_window, write_library
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QMenu

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def window(qtbot, sample_library):
    return show_window(qtbot, sample_library, active=True)


def press(qtbot, k, mods=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), k, mods)


def _line_at(page, y: int) -> str:
    """The text of the block drawn at height `y` of the page's viewport."""
    return page.cursorForPosition(QPoint(40, y)).block().text()


@pytest.mark.parametrize("step", [Qt.Key.Key_PageDown, Qt.Key.Key_Space])
def test_a_page_step_keeps_the_last_lines_in_sight(window, qtbot, step):
    page = window.page
    window.open_topic("other")  # 60 paragraphs: many screens
    page.setFocus()
    qtbot.waitUntil(lambda: page.verticalScrollBar().maximum() > page.viewport().height())
    line = page.line_height()
    bottom = page.viewport().height() - line // 2
    last_fully_seen = page.cursorForPosition(QPoint(40, bottom - line)).position()
    press(qtbot, step)
    assert page.verticalScrollBar().value() > 0
    cursor = page.textCursor()
    cursor.setPosition(last_fully_seen)
    rect = page.cursorRect(cursor)
    assert 0 <= rect.top() and rect.bottom() <= page.viewport().height(), (
        "the line read last went out of sight"
    )
    # ...and the step is still most of a screen, not a line.
    assert page.verticalScrollBar().value() >= page.viewport().height() - 3 * line
    press(qtbot, Qt.Key.Key_PageUp)
    assert page.verticalScrollBar().value() == 0


def test_tab_after_find_goes_to_the_first_link_after_the_match(qtbot, tmp_path):
    body = "\n\n".join(
        [
            "# Links",
            "[first](https://example.com/first) at the top.",
            *(f"Paragraph {n} with no links." for n in range(40)),
            "The needle is here.",
            "[after](https://example.com/after) follows it.",
            "[later](https://example.com/later) comes last.",
        ]
    )
    root = write_library(tmp_path / "lib", {"a/links.md": body})
    win = show_window(qtbot, root, active=True)
    win.page.setFocus()
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(win.find_bar.field, "needle")
    assert win.find_bar.count.text() == "1 of 1"
    press(qtbot, Qt.Key.Key_Escape)
    assert win.page.hasFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert win.page.hasFocus()
    assert win.page.textCursor().selectedText() == "after"
    # Tab straight from the find field lands there too.
    press(qtbot, Qt.Key.Key_Home)
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(win.find_bar.field, "needle")  # replaces the selected link's text
    assert win.find_bar.count.text() == "1 of 1"
    press(qtbot, Qt.Key.Key_Tab)
    assert win.page.hasFocus()
    assert win.page.textCursor().selectedText() == "after"


# A popup menu asks the platform to raise it and grab the keyboard; offscreen Qt cannot, says
# so, and the menu works all the same.
POPUP = pytest.mark.qt_log_ignore("This plugin does not support (raise|grabbing)")


def _small(win) -> None:
    """Well inside the offscreen screen (800 px), so Qt need not move a menu to fit it."""
    win.resize(560, 420)
    win.move(0, 0)


def _menu_shown(qtbot) -> QMenu:
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    return QApplication.activePopupWidget()


def _close_menu(qtbot, menu: QMenu) -> None:
    qtbot.keyClick(menu, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)


@POPUP
@pytest.mark.parametrize("keys", [(Qt.Key.Key_Menu, None), (Qt.Key.Key_F10, SHIFT)])
def test_menu_key_opens_the_tree_menu_at_the_current_topic(window, qtbot, keys):
    _small(window)
    tree = window.tree
    tree.setFocus()
    index = window.tree_model.index_of(window.library.topic("other"))
    tree.setCurrentIndex(index)
    press(qtbot, keys[0], keys[1] or Qt.KeyboardModifier.NoModifier)
    menu = _menu_shown(qtbot)
    item = tree.visualRect(index)
    top_left = tree.viewport().mapFromGlobal(menu.pos())
    assert item.top() <= top_left.y() <= item.bottom() + 1
    assert item.left() <= top_left.x() <= item.right()
    assert "Bookmark This Topic" in [a.text().replace("&", "") for a in menu.actions()]
    _close_menu(qtbot, menu)


@POPUP
def test_menu_key_on_the_page_opens_at_the_find_match(window, qtbot):
    _small(window)
    page = window.page
    page.setFocus()
    press(qtbot, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.find_bar.field, "emphasis")
    press(qtbot, Qt.Key.Key_Escape)
    seen = {}

    def look():  # the page's menu runs its own event loop (exec) until closed
        menu = QApplication.activePopupWidget()
        try:
            seen["at"] = page.viewport().mapFromGlobal(menu.pos())
            seen["texts"] = [a.text().replace("&", "").split("\t")[0] for a in menu.actions()]
        finally:
            menu.close()

    from PySide6.QtCore import QTimer

    QTimer.singleShot(100, look)
    press(qtbot, Qt.Key.Key_Menu)
    match = page.cursorRect(page.textCursor())
    assert abs(seen["at"].y() - match.bottom()) <= 2
    assert seen["at"].x() > 30  # not the pane's corner
    assert "Copy" in seen["texts"]


@POPUP
def test_menu_key_on_the_comparison_opens_at_the_current_cell(qtbot, tmp_path):
    from test_comparison import pets_library

    win = show_window(qtbot, pets_library(tmp_path), active=True)
    _small(win)
    press(qtbot, Qt.Key.Key_2, CTRL)
    table = win.compare_view.table
    assert QApplication.focusWidget() is table
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Menu)
    menu = _menu_shown(qtbot)
    cell = table.visualRect(table.currentIndex())
    assert cell.contains(table.viewport().mapFromGlobal(menu.pos()))
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert "Copy Selected Cells as Markdown" in texts and "Open Dog" in texts
    _close_menu(qtbot, menu)


def test_shortcuts_sheet_filters_as_you_type(window, qtbot):
    from PySide6.QtCore import QTimer

    seen = {}

    def look():
        dialog = QApplication.activeModalWidget()
        try:
            seen["focus"] = dialog.focusWidget() is dialog.filter
            seen["groups"] = dialog.visible_rows()
            qtbot.keyClicks(dialog.filter, "zoom")
            seen["zoom"] = dialog.visible_rows()
            qtbot.keyClick(dialog.filter, Qt.Key.Key_Escape)  # clears the filter
            seen["cleared"] = dialog.visible_rows()
            qtbot.keyClick(dialog.table, "f")  # typing in the list filters too
            seen["typed"] = dialog.filter.text()
            qtbot.keyClick(dialog.filter, Qt.Key.Key_Escape)
            qtbot.keyClick(dialog.filter, Qt.Key.Key_Escape)  # closes
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(100, look)
    window.page.setFocus()
    press(qtbot, Qt.Key.Key_F1)
    assert seen["focus"] and seen["typed"] == "f"
    everything = seen["groups"]
    commands = [command for _group, command, _keys in everything]
    assert len(commands) == len(set(commands)), "one row per action"
    zoom_in = next(keys for _g, command, keys in everything if command == "Zoom In")
    assert "Ctrl++" in zoom_in and "Ctrl+=" in zoom_in  # all of its keys, on its one row
    assert {group for group, _c, _k in everything} >= {"File", "Go", "View", "Page"}
    assert [command for _g, command, _k in seen["zoom"]] == ["Zoom In", "Zoom Out"]
    assert seen["cleared"] == everything


def test_no_browser_says_so_and_offers_the_link_to_copy(window, qtbot, monkeypatch):
    from PySide6.QtGui import QDesktopServices, QGuiApplication
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: False)
    window.page.setFocus()
    for _ in range(6):  # Tab to the web link, as a reader would
        press(qtbot, Qt.Key.Key_Tab)
        if window.page.textCursor().selectedText() == "the web":
            break
    assert window.page.textCursor().selectedText() == "the web"
    press(qtbot, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QMessageBox))
    box = QApplication.activeModalWidget()
    assert "No web browser could be started" in box.text()
    assert "Opened in your browser" not in window.statusBar().currentMessage()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is box.defaultButton())
    press(qtbot, Qt.Key.Key_Return)  # Copy Link has the focus
    assert QGuiApplication.clipboard().text() == "https://example.com/docs"
    assert window.statusBar().currentMessage() == "Link copied: https://example.com/docs"
    assert not box.isVisible()
