"""The Comparison tab driven by keyboard, and its model on its own."""

from __future__ import annotations

import pytest
from conftest import show_window
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QApplication, QCheckBox
from test_comparison import BAD, BROKEN, pets_library

from viewer.compare.tables import load_comparisons
from viewer.library.folder import Library
from viewer.ui.compare_model import DIFFERS_ROLE, HAS_NOTE_ROLE, CompareModel

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
WHOLE_CAT_DOG_FISH = (
    "|  | Cat | Dog | Fish |\n"
    "| --- | --- | --- | --- |\n"
    "| Legs | 4 | 4 | 0 |\n"
    "| Sound | Meow | **Woof** | None |\n"
    "| Fur \\| hair | Yes | Yes | No \\| never |\n"
)


def open_window(qtbot, root):
    return show_window(qtbot, root, active=True)


@pytest.fixture
def window(qtbot, tmp_path):
    return open_window(qtbot, pets_library(tmp_path))


def press(qtbot, k, mods=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), k, mods)


def open_compare(qtbot, win):
    press(qtbot, Qt.Key.Key_2, CTRL)
    view = win.compare_view
    assert win.tabs.currentWidget() is view
    assert QApplication.focusWidget() is view.table
    return view


def tab_to(qtbot, widget, limit=20):
    """Press Tab until `widget` has focus, as a keyboard user would."""
    for _ in range(limit):
        if QApplication.focusWidget() is widget:
            return
        press(qtbot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is widget


def headers(view) -> list[str]:
    model = view.table.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]


def test_model_columns_rows_and_differences(qtmodeltester, tmp_path):
    data = load_comparisons(Library(pets_library(tmp_path)))
    model = CompareModel()
    pets = data.sets[0]
    model.show(pets, ["fish", "cat"])  # shown in the table's own order
    qtmodeltester.check(model)
    assert [s.id for s in model.subjects] == ["cat", "fish"]
    assert (model.rowCount(), model.columnCount()) == (3, 2)
    assert model.index(1, 0).data() == "Meow"
    assert model.index(0, 1).data(HAS_NOTE_ROLE) and "Fins instead." in model.index(0, 1).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert "Checked 2026-01-02" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    model.show(pets, ["cat", "dog"])
    assert [model.index(r, 0).data(DIFFERS_ROLE) for r in range(3)] == [False, True, False]
    assert model.headerData(1, Qt.Orientation.Vertical).startswith("≠")
    model.show(pets, ["cat", "dog"], differences_only=True)
    qtmodeltester.check(model)
    assert model.rowCount() == 1 and model.index(0, 1).data() == "Woof"
    model.show(None, [])
    assert (model.rowCount(), model.columnCount()) == (0, 0)


def test_first_start_shows_the_first_table_with_every_subject(window, qtbot):
    view = open_compare(qtbot, window)
    assert view.set_combo.currentText() == "Cats vs dogs vs fish"
    assert headers(view) == ["Cat", "Dog", "Fish"]
    assert view.table.model().rowCount() == 3
    assert (
        not view.table.verticalHeader().isHidden() and not view.table.horizontalHeader().isHidden()
    )
    assert view.table.wordWrap()


def test_keyboard_ticks_differences_arrows_enter_and_copy(window, qtbot):
    view = open_compare(qtbot, window)
    model = view.table.model()
    press(qtbot, Qt.Key.Key_C, CTRL)  # nothing selected: the whole table
    clip = QGuiApplication.clipboard().mimeData()
    assert clip.text() == WHOLE_CAT_DOG_FISH
    assert bytes(clip.data("text/markdown")).decode() == WHOLE_CAT_DOG_FISH
    assert (
        bytes(clip.data("text/tab-separated-values")).decode().splitlines()[2]
        == "Sound\tMeow\tWoof\tNone"
    )

    fish = view.findChild(QCheckBox, "compareSubject-fish")
    tab_to(qtbot, fish)
    press(qtbot, Qt.Key.Key_Space)
    assert headers(view) == ["Cat", "Dog"]

    press(qtbot, Qt.Key.Key_D, CTRL | SHIFT)  # differences only
    assert view.differences_action.isChecked() and model.rowCount() == 1
    press(qtbot, Qt.Key.Key_D, CTRL | SHIFT)
    assert model.rowCount() == 3

    tab_to(qtbot, view.table)
    press(qtbot, Qt.Key.Key_Home, CTRL)
    assert (view.table.currentIndex().row(), view.table.currentIndex().column()) == (0, 0)
    press(qtbot, Qt.Key.Key_Down)
    press(qtbot, Qt.Key.Key_Right)
    assert (view.table.currentIndex().row(), view.table.currentIndex().column()) == (1, 1)
    assert "Dog · Sound" in view.detail.text()
    press(qtbot, Qt.Key.Key_Up, SHIFT)  # select Dog's legs and sound
    press(qtbot, Qt.Key.Key_C, CTRL)
    assert (
        QGuiApplication.clipboard().text()
        == "|  | Dog |\n| --- | --- |\n| Legs | 4 |\n| Sound | **Woof** |\n"
    )

    press(qtbot, Qt.Key.Key_Return)
    assert window.current.id == "dog"
    assert window.tabs.currentWidget() is window.page_container


def test_detail_line_shows_note_and_source_opens_in_the_browser(window, qtbot, monkeypatch):
    view = open_compare(qtbot, window)
    press(qtbot, Qt.Key.Key_End, CTRL)  # last row, last column
    press(qtbot, Qt.Key.Key_Home)
    press(qtbot, Qt.Key.Key_Home, CTRL)
    for _ in range(2):
        press(qtbot, Qt.Key.Key_Right)
    assert view.table.currentIndex().column() == 2 and view.table.currentIndex().row() == 0
    text = view.detail.text()
    assert (
        "Fins instead." in text
        and 'href="https://example.com/fish"' in text
        and "checked 2026-01-02" in text
    )
    opened = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True
    )
    view.detail.linkActivated.emit("https://example.com/fish")
    view.detail.linkActivated.emit("file:///etc/passwd")
    assert opened == ["https://example.com/fish"]
    assert window.tabs.currentWidget() is view


def test_choice_is_remembered(qtbot, tmp_path):
    root = pets_library(tmp_path)
    first = open_window(qtbot, root)
    view = open_compare(qtbot, first)
    tab_to(qtbot, view.findChild(QCheckBox, "compareSubject-cat"))
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_D, CTRL | SHIFT)
    assert view.differences_action.isChecked()
    first.close()
    second = open_window(qtbot, root)
    view = second.compare_view
    assert headers(view) == ["Dog", "Fish"] and view.differences_action.isChecked()


def test_compare_with_from_a_topic_and_the_topic_page(window, qtbot):
    window.open_topic("dog")
    page = window.page.toPlainText()
    assert "Compared: Cats vs dogs vs fish" in page and "Woof" in page and "Meow" not in page
    window.compare_view.set_combo.setCurrentIndex(1)  # another table was last shown
    window.page.setFocus()
    press(qtbot, Qt.Key.Key_C, CTRL | SHIFT)
    view = window.compare_view
    assert window.tabs.currentWidget() is view
    assert view.set_combo.currentText() == "Cats vs dogs vs fish"
    assert "Dog" in headers(view) and headers(view)[view.table.currentIndex().column()] == "Dog"
    window.tabs.setCurrentWidget(window.page_container)
    window.page.link_activated.emit(QUrl("cloudref-compare:dog"))
    assert window.tabs.currentWidget() is view


def test_bad_data_shows_what_it_can_and_reports_lines(qtbot, tmp_path):
    root = pets_library(tmp_path, {"comparisons/bad.toml": BAD, "comparisons/broken.toml": BROKEN})
    win = open_window(qtbot, root)
    message = win.statusBar().currentMessage()
    assert "bad.toml:23" in message and "more" in message
    view = open_compare(qtbot, win)
    assert view.problems_label.isVisible() and "broken.toml:13" in view.problems_label.text()
    bad = view.set_combo.findText("Bad")
    view.set_combo.setCurrentIndex(bad)
    assert headers(view) == ["A", "B"] and view.table.model().rowCount() == 2
    assert view.table.model().index(1, 1).data() == "— missing"
    broken = view.set_combo.findText("Broken")
    view.set_combo.setCurrentIndex(broken)
    assert view.table.model().index(0, 1).data() == "fine"


def test_library_without_comparisons_says_so(qtbot, tmp_path, sample_library):
    win = open_window(qtbot, sample_library)
    press(qtbot, Qt.Key.Key_2, CTRL)
    view = win.compare_view
    assert win.tabs.currentWidget() is view
    assert view.empty.isVisible() and "no comparison tables" in view.empty.text()
    press(qtbot, Qt.Key.Key_C, CTRL | SHIFT)
    assert "not in any comparison" in win.statusBar().currentMessage()


def test_recall_hides_which_rows_differ(tmp_path):
    data = load_comparisons(Library(pets_library(tmp_path)))
    model = CompareModel()
    model.show(data.sets[0], ["cat", "dog"])
    assert model.headerData(1, Qt.Orientation.Vertical).startswith("≠")
    model.set_recall(True)
    assert model.headerData(1, Qt.Orientation.Vertical).strip() == "Sound"
    assert not model.headerData(1, Qt.Orientation.Vertical, DIFFERS_ROLE)
    model.set_recall(False)
    assert model.headerData(1, Qt.Orientation.Vertical).startswith("≠")
