"""File → Open Recent: the libraries opened lately, by keyboard, kept in the settings."""

from __future__ import annotations

import shutil

import pytest
from conftest import write_library
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu

from viewer.session.recent import LIMIT, RecentLibraries
from viewer.settings import Settings

# Menus opened by keys pop up; the offscreen platform cannot grab the keyboard for them (the
# keys reach them all the same).
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")


@pytest.fixture
def libraries(tmp_path):
    """Three small libraries, each with one topic named after it."""
    return [
        write_library(tmp_path / name, {f"{name}.md": f"# Book {name}\n\nIn {name}.\n"})
        for name in ("alpha", "beta", "gamma")
    ]


def test_most_recent_first_once_each_and_at_most_eight(tmp_path):
    recent = RecentLibraries(Settings())
    folders = [tmp_path / f"lib{i}" for i in range(LIMIT + 2)]
    for folder in folders:
        recent.add(folder)
    recent.add(folders[3])
    paths = recent.paths()
    assert paths[0] == folders[3].resolve()
    assert len(paths) == LIMIT and len(set(paths)) == LIMIT
    assert folders[0].resolve() not in paths  # the oldest dropped off
    recent.remove(folders[3].resolve())
    assert folders[3].resolve() not in RecentLibraries(Settings()).paths()  # stored
    recent.clear()
    assert recent.paths() == []


def test_a_damaged_list_reads_as_empty():
    settings = Settings()
    settings.set("recent/libraries", "{not json")
    assert RecentLibraries(settings).paths() == []
    settings.set_json("recent/libraries", ["/a", 5, "", "/a", "/b"])
    assert [str(p) for p in RecentLibraries(settings).paths()] == ["/a", "/b"]


def popup_menu(qtbot) -> QMenu:
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    return QApplication.activePopupWidget()


def open_recent_by_keys(qtbot, window) -> QMenu:
    """Alt+F, then R: File → Open Recent, as a reader without a mouse opens it."""
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    file_menu = popup_menu(qtbot)
    assert file_menu.title() == "&File"
    qtbot.keyClick(file_menu, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not file_menu)
    recent = popup_menu(qtbot)
    assert recent.objectName() == "recentMenu"
    return recent


def entry_texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def test_open_recent_by_keys_opens_an_earlier_library(open_window, qtbot, libraries):
    alpha, beta, gamma = libraries
    window = open_window(alpha, active=True)
    qtbot.waitUntil(lambda: RecentLibraries(window.settings).paths() == [alpha])  # on screen
    assert window.load_library(beta) and window.load_library(gamma)
    recent = open_recent_by_keys(qtbot, window)
    texts = entry_texts(recent)
    assert texts[:3] == [f"&{n}  {path}" for n, path in enumerate((gamma, beta, alpha), 1)]
    assert texts[-1] == "&Clear Menu"
    assert [a.isChecked() for a in recent.actions()[:3]] == [True, False, False]  # on show
    qtbot.keyClick(recent, Qt.Key.Key_3)
    qtbot.waitUntil(lambda: window.library.root == alpha)
    assert "In alpha." in window.page.toPlainText()
    assert RecentLibraries(window.settings).paths() == [alpha, gamma, beta]


def test_a_library_that_is_gone_is_shown_disabled_and_dropped_when_chosen(
    open_window, qtbot, libraries
):
    alpha, beta, gamma = libraries
    window = open_window(alpha, active=True)
    assert window.load_library(beta) and window.load_library(gamma)
    shutil.rmtree(beta)
    recent = open_recent_by_keys(qtbot, window)
    gone = recent.actions()[1]
    assert gone.text() == f"&2  {beta}  (not found)" and not gone.isEnabled()
    qtbot.keyClick(recent, Qt.Key.Key_Escape)
    window.recent.open(beta)  # gone between showing the menu and choosing
    assert window.library.root == gamma
    assert "removed from Open Recent" in window.statusBar().currentMessage()
    assert beta not in RecentLibraries(window.settings).paths()


def test_clear_menu_by_keys(open_window, qtbot, libraries):
    alpha, beta, _gamma = libraries
    window = open_window(alpha, active=True)
    assert window.load_library(beta)
    recent = open_recent_by_keys(qtbot, window)
    qtbot.keyClick(recent, Qt.Key.Key_C)  # &Clear Menu
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is None)
    assert RecentLibraries(window.settings).paths() == []
    recent = open_recent_by_keys(qtbot, window)
    assert entry_texts(recent) == ["No Recent Libraries", "&Clear Menu"]
    assert not any(a.isEnabled() for a in recent.actions() if not a.isSeparator())
    qtbot.keyClick(recent, Qt.Key.Key_Escape)
