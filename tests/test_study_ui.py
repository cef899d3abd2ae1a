"""The Study tab and recall in the comparison table, driven by keys only."""

from __future__ import annotations

import threading

import pytest
from conftest import show_window, write_library
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_study import TABLE, TOPIC

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def root(tmp_path):
    return write_library(
        tmp_path / "lib",
        {
            "serverless/lambda.md": TOPIC,
            "serverless/other.md": "# Other\n\nNo cards here.\n",
            "comparisons/pets.toml": TABLE,
        },
    )


def press(qtbot, key, mods=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), key, mods)


def open_study(qtbot, win):
    """Ctrl+3, then the first card, once the cards are read (on a worker thread)."""
    press(qtbot, Qt.Key.Key_3, CTRL)
    qtbot.waitUntil(lambda: win.tabs.currentWidget() is win.study._view is not None)
    view = win.study.view
    assert QApplication.focusWidget() is view
    return view


def due_in_status(win) -> int:
    return int(win.study.due_label.text().split()[0])


def test_open_reveal_grade_and_the_next_card_comes(qtbot, root):
    win = show_window(qtbot, root, active=True)
    view = open_study(qtbot, win)
    assert due_in_status(win) == 5
    first = view.card
    shown = view.text.toPlainText()
    assert first.question.split("\n")[0] in shown and first.answer not in shown
    assert "AWS Lambda › Limits" in shown  # the topic and section it comes from
    press(qtbot, Qt.Key.Key_3)  # a grade before the answer is shown does nothing
    assert view.card is first
    press(qtbot, Qt.Key.Key_Space)
    assert first.answer.split("\n")[0] in view.text.toPlainText()
    assert "From:" in view.text.toPlainText()
    press(qtbot, Qt.Key.Key_3)
    assert view.card is not None and view.card is not first
    assert first.question.split("\n")[0] not in view.text.toPlainText().split("\n")[1]
    assert due_in_status(win) == 4
    assert "4 due card(s) left" in view.counter.text()


@pytest.fixture
def release(monkeypatch) -> threading.Event:
    """The worker thread that reads the cards waits until this is set (the GUI thread never
    would): the window as it is while a big library's cards are being read."""
    from viewer.study import cards

    event = threading.Event()
    real = cards.library_cards

    def slow(*args, **kwargs):
        if threading.current_thread() is not threading.main_thread():
            event.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(cards, "library_cards", slow)
    return event


def test_ctrl_3_before_the_cards_are_read_says_so_then_shows_the_first_card(qtbot, root, release):
    win = show_window(qtbot, root, active=True)
    win.page.setFocus()
    press(qtbot, Qt.Key.Key_3, CTRL)
    waiting = win.tabs.currentWidget()
    assert waiting is win.study.placeholder and QApplication.focusWidget() is waiting
    assert waiting.text() == "Reading the flashcards…"
    press(qtbot, Qt.Key.Key_Space)  # keys meanwhile go nowhere harmful
    release.set()
    qtbot.waitUntil(lambda: win.tabs.currentWidget() is win.study._view is not None)
    view = win.study._view
    assert QApplication.focusWidget() is view
    assert view.card is not None and view.card.question.split("\n")[0] in view.text.toPlainText()
    assert due_in_status(win) == 5


def test_going_elsewhere_while_the_cards_are_read_is_not_undone(qtbot, root, release):
    win = show_window(qtbot, root, active=True)
    win.page.setFocus()
    press(qtbot, Qt.Key.Key_3, CTRL)
    press(qtbot, Qt.Key.Key_1, CTRL)  # back to the page before the cards are in
    release.set()
    qtbot.waitUntil(lambda: win.study.ready)
    assert due_in_status(win) == 5
    assert win.tabs.currentWidget() is win.page_container


def test_the_schedule_survives_a_restart(qtbot, root):
    win = show_window(qtbot, root, active=True)
    view = open_study(qtbot, win)
    graded = []
    for _ in range(2):
        graded.append(view.card.id)
        press(qtbot, Qt.Key.Key_Space)
        press(qtbot, Qt.Key.Key_4)
    win.close()
    again = show_window(qtbot, root, active=True)
    view = open_study(qtbot, again)
    assert due_in_status(again) == 3
    assert view.card.id not in graded


def test_practise_this_topic_and_open_the_source(qtbot, root):
    win = show_window(qtbot, root, active=True)
    win.open_topic("lambda")
    win.page.setFocus()
    press(qtbot, Qt.Key.Key_3, CTRL | SHIFT)
    qtbot.waitUntil(lambda: win.study._view is not None and win.study._view.practising)
    view = win.study.view
    assert win.tabs.currentWidget() is view
    assert view.chosen_deck() == "topic:lambda"
    assert view.card.deck == "topic:lambda"
    press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_O)
    assert win.tabs.currentWidget() is win.page_container
    assert win.current.id == "lambda"
    win.open_topic("other")
    win.page.setFocus()
    press(qtbot, Qt.Key.Key_3, CTRL | SHIFT)
    assert "has no flashcards" in win.statusBar().currentMessage()


def test_study_is_in_the_f6_cycle(qtbot, root):
    win = show_window(qtbot, root, active=True)
    open_study(qtbot, win)
    press(qtbot, Qt.Key.Key_1, CTRL)
    win.tree.setFocus()
    names = []
    for _ in range(5):
        press(qtbot, Qt.Key.Key_F6)
        names.append(QApplication.focusWidget().objectName())
    assert "studyView" in names, names
    assert names[names.index("studyView") + 1] == "searchBox"


def test_recall_in_the_comparison_table_blanks_reveals_and_grades(qtbot, root):
    win = show_window(qtbot, root, active=True)
    win.page.setFocus()
    press(qtbot, Qt.Key.Key_R, CTRL | SHIFT)
    view = win.compare_view
    table = view.table
    assert win.tabs.currentWidget() is view and QApplication.focusWidget() is table
    model = table.model()
    shown = [model.index(r, c).data() for r in range(model.rowCount()) for c in range(2)]
    assert shown == ["?", "?"]
    assert "Usually" not in view.detail.text()
    first = table.currentIndex()
    press(qtbot, Qt.Key.Key_3)  # no grade for a cell still blank
    assert win.study.deck.progress().reviews == 0
    press(qtbot, Qt.Key.Key_Space)
    assert first.data() == "4" and model.index(0, 1).data() == "?"
    press(qtbot, Qt.Key.Key_3)
    assert win.study.deck.progress().reviews == 1
    assert table.currentIndex().column() == 1  # on to the next blank cell
    assert due_in_status(win) == 4
    press(qtbot, Qt.Key.Key_Return)
    assert model.index(0, 1).data() == "4"
    press(qtbot, Qt.Key.Key_R, CTRL | SHIFT)  # off again: every value back
    assert not model.recall and model.index(0, 0).data() == "4"


def test_the_shortcuts_sheet_lists_the_review_keys(qtbot, root):
    from PySide6.QtCore import QTimer

    win = show_window(qtbot, root, active=True)
    seen = {}

    def look():
        dialog = QApplication.activeModalWidget()
        seen["rows"] = dialog.visible_rows()
        dialog.reject()

    QTimer.singleShot(100, look)
    win.page.setFocus()
    press(qtbot, Qt.Key.Key_F1)
    rows = seen["rows"]
    assert ("Study", "Show the Answer", "Space, Return, Enter") in rows
    assert ("Study", "Grade the Card Again", "1") in rows
    assert ("Study", "Grade the Card Easy", "4") in rows
    assert ("Study", "Open the Card's Topic", "O") in rows
    assert ("Comparison recall", "Reveal the Cell", "Space, Return, Enter") in rows
    assert ("Comparison recall", "Grade the Cell Good", "3") in rows


def test_review_keys_belong_to_their_pane(qtbot, root):
    win = show_window(qtbot, root, active=True)
    view = open_study(qtbot, win)
    first = view.card
    win.page.setFocus()
    press(qtbot, Qt.Key.Key_Space)  # on the page: scrolls it, shows no answer
    assert not view.revealed
    press(qtbot, Qt.Key.Key_3, CTRL)
    press(qtbot, Qt.Key.Key_Space)
    assert view.revealed
    view.chooser.setFocus()
    press(qtbot, Qt.Key.Key_1)  # typed in the deck chooser: not a grade
    assert view.card is first and win.study.deck.progress().reviews == 0
    view.setFocus()
    press(qtbot, Qt.Key.Key_1, Qt.KeyboardModifier.KeypadModifier)  # the keypad's 1 grades too
    assert view.card is not first and win.study.deck.progress().reviews == 1


def test_enter_on_a_revealed_cell_still_opens_its_topic(qtbot, root):
    win = show_window(qtbot, root, active=True)
    win.page.setFocus()
    press(qtbot, Qt.Key.Key_R, CTRL | SHIFT)
    table = win.compare_view.table
    assert table.currentIndex().column() == 0  # the cat, whose topic is lambda
    press(qtbot, Qt.Key.Key_Return)  # reveals
    assert table.currentIndex().data() == "4"
    press(qtbot, Qt.Key.Key_Return)  # revealed: opens the subject's topic, as off recall
    assert win.tabs.currentWidget() is win.page_container and win.current.id == "lambda"


def test_a_library_without_flashcards_shows_no_due_count(qtbot, tmp_path):
    plain = write_library(tmp_path / "plain", {"notes/a.md": "# A\n\nNo cards here.\n"})
    win = show_window(qtbot, plain, active=True)
    press(qtbot, Qt.Key.Key_3, CTRL)
    qtbot.waitUntil(lambda: win.study.ready)
    assert win.study.due_label.isHidden()
    with_cards = show_window(qtbot, write_library(tmp_path / "lib", {"t.md": TOPIC}), active=True)
    press(qtbot, Qt.Key.Key_3, CTRL)
    qtbot.waitUntil(lambda: with_cards.study.ready)
    assert not with_cards.study.due_label.isHidden() and due_in_status(with_cards) > 0
