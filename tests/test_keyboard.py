"""Keyboard-only use of the window: every check here is driven by key events."""

from __future__ import annotations

import pytest
from conftest import show_window
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from viewer.app import build_window
from viewer.ui.dialogs import shortcut_rows

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def window(qtbot, sample_library):
    return show_window(qtbot, sample_library, active=True)


def key(qtbot, win, k, mods=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget() or win, k, mods)


def test_f6_cycles_the_panes_and_focus_is_marked(window, qtbot):
    window.tree.setFocus()
    names = []
    for _ in range(4):
        key(qtbot, window, Qt.Key.Key_F6)
        names.append(QApplication.focusWidget().objectName())
    assert names[0] == "pageView"
    assert "topicTree" in names
    key(qtbot, window, Qt.Key.Key_F6, SHIFT)
    assert QApplication.focusWidget().objectName() == names[-2]


def test_page_keys_scroll_the_page_not_the_tree(window, qtbot):
    window.page.setFocus()
    bar = window.page.verticalScrollBar()
    key(qtbot, window, Qt.Key.Key_Space)
    assert bar.value() == window.page.page_step() < bar.pageStep()  # two lines overlap
    key(qtbot, window, Qt.Key.Key_Space, SHIFT)
    assert bar.value() == 0
    key(qtbot, window, Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    key(qtbot, window, Qt.Key.Key_Home)
    assert bar.value() == 0
    assert window.current.id == "intro"


def test_back_and_forward_restore_the_scroll_position(window, qtbot):
    window.page.setFocus()
    key(qtbot, window, Qt.Key.Key_PageDown)
    key(qtbot, window, Qt.Key.Key_PageDown)
    scrolled = window.page.verticalScrollBar().value()
    assert scrolled > 0
    key(qtbot, window, Qt.Key.Key_Home)
    key(qtbot, window, Qt.Key.Key_Tab)  # first link: the other page, at #second-part
    key(qtbot, window, Qt.Key.Key_Return)
    assert window.current.id == "other"
    window.page.verticalScrollBar().setValue(0)
    key(qtbot, window, Qt.Key.Key_PageDown)
    other_scroll = window.page.verticalScrollBar().value()
    key(qtbot, window, Qt.Key.Key_Left, ALT)
    assert window.current.id == "intro"
    assert window.page.verticalScrollBar().value() == 0  # where we were when we followed the link
    key(qtbot, window, Qt.Key.Key_Right, ALT)
    assert window.current.id == "other"
    assert window.page.verticalScrollBar().value() == other_scroll


def test_previous_and_next_topic_in_tree_order(window, qtbot):
    window.page.setFocus()
    key(qtbot, window, Qt.Key.Key_PageDown, CTRL)
    assert window.current.id == "other"
    key(qtbot, window, Qt.Key.Key_PageDown, CTRL)
    assert window.current.id == "third"
    assert window.tree.currentIndex().data() == "Third"
    key(qtbot, window, Qt.Key.Key_PageUp, CTRL)
    assert window.current.id == "other"


def test_find_in_page_counts_and_moves(window, qtbot):
    window.page.setFocus()
    key(qtbot, window, Qt.Key.Key_F, CTRL)
    assert window.find_bar.isVisible()
    qtbot.keyClicks(window.find_bar.field, "filler")
    assert window.find_bar.count.text() == "1 of 40"
    key(qtbot, window, Qt.Key.Key_Return)
    assert window.find_bar.count.text() == "2 of 40"
    key(qtbot, window, Qt.Key.Key_F3)
    assert window.find_bar.count.text() == "3 of 40"
    key(qtbot, window, Qt.Key.Key_Return, SHIFT)
    key(qtbot, window, Qt.Key.Key_F3, SHIFT)
    assert window.find_bar.count.text() == "1 of 40"
    assert len(window.page.extraSelections()) == 40
    key(qtbot, window, Qt.Key.Key_Escape)
    assert not window.find_bar.isVisible()
    assert window.page.hasFocus()
    assert window.page.extraSelections() == []


def test_zoom_keys_and_tree_toggle(window, qtbot):
    window.page.setFocus()
    key(qtbot, window, Qt.Key.Key_Equal, CTRL)
    key(qtbot, window, Qt.Key.Key_Equal, CTRL)
    assert window.page.zoom_steps == 2
    key(qtbot, window, Qt.Key.Key_Minus, CTRL)
    assert window.page.zoom_steps == 1
    key(qtbot, window, Qt.Key.Key_0, CTRL)
    assert window.page.zoom_steps == 0
    key(qtbot, window, Qt.Key.Key_B, CTRL)
    assert not window.tree.isVisible()
    key(qtbot, window, Qt.Key.Key_B, CTRL)
    assert window.tree.isVisible()


def test_bookmark_and_reopen_from_the_list(window, qtbot, sample_library):
    window.page.setFocus()
    key(qtbot, window, Qt.Key.Key_PageDown, CTRL)  # "other"
    key(qtbot, window, Qt.Key.Key_D, CTRL)
    assert [a.text() for a in window.bookmarks_menu.actions()][-1] == "Other Page"
    window.close()

    again = build_window(["--content", str(sample_library), "third"])
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    again.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is again)
    again.page.setFocus()

    def choose():
        dialog = QApplication.activeModalWidget()
        assert dialog.objectName() == "bookmarksDialog"
        qtbot.keyClick(dialog.list, Qt.Key.Key_Return)

    QTimer.singleShot(100, choose)
    key(qtbot, again, Qt.Key.Key_B, CTRL | SHIFT)
    assert again.current.id == "other"
    assert again.actions_by_name["toggle_bookmark"].isChecked()


def test_shortcuts_sheet_lists_every_shortcut(window, qtbot):
    seen = {}

    def look():
        dialog = QApplication.activeModalWidget()
        seen["rows"] = dialog.visible_rows()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)

    QTimer.singleShot(100, look)
    window.page.setFocus()
    key(qtbot, window, Qt.Key.Key_F1)
    commands = {row[1] for row in seen["rows"]}
    for action in window.actions_by_name.values():
        if action.shortcuts():
            assert action.text().replace("&", "").rstrip("…") in commands
    assert len(shortcut_rows(window.actions_by_name)) >= 25


def test_no_two_actions_share_a_shortcut(window):
    """Window-wide keys are unique; a pane's keys are unique in the pane and never a
    window-wide key (two panes may both use Space: only one has the focus)."""
    from viewer.ui.actions import PANE_SPECS

    panes = {spec.name: spec.pane for spec in PANE_SPECS}
    owners: dict[tuple[str, str], str] = {}
    for name, action in window.actions_by_name.items():
        for sequence in action.shortcuts():
            text = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            for scope in {"", panes.get(name, "")}:
                assert (text, scope) not in owners, (
                    f"{text} is used by {owners.get((text, scope))} and {name}"
                )
            owners[(text, panes.get(name, ""))] = name
    window_keys = {text for text, scope in owners if not scope}
    assert not {text for text, scope in owners if scope} & window_keys


def test_question_mark_opens_the_sheet_outside_text_fields(window, qtbot):
    opened = []

    def close():
        dialog = QApplication.activeModalWidget()
        opened.append(dialog.objectName())
        dialog.reject()

    QTimer.singleShot(100, close)
    window.page.setFocus()
    qtbot.keyClick(window.page, "?")
    assert opened == ["shortcutsDialog"]


def test_tree_left_right_collapse_expand_and_type_ahead(window, qtbot):
    window.tree.setFocus()
    key(qtbot, window, Qt.Key.Key_Home)  # the first category
    category = window.tree.currentIndex()
    assert category.data() == "The Basics" and window.tree.isExpanded(category)
    key(qtbot, window, Qt.Key.Key_Left)
    assert not window.tree.isExpanded(category)
    key(qtbot, window, Qt.Key.Key_Right)
    assert window.tree.isExpanded(category)
    qtbot.keyClicks(window.tree, "Th")  # type-ahead: "Third"
    assert window.tree.currentIndex().data() == "Third"
    assert window.current.id == "third"
