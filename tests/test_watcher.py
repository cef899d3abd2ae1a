"""The library watcher on its own: a burst of changes is reported once, and files an editor
replaces stay watched. A short reload delay keeps each test quick; no test sleeps."""

from __future__ import annotations

import os

import pytest
from conftest import write_library

from viewer.ui.watcher import LibraryWatcher


@pytest.fixture
def watcher(qtbot, tmp_path):
    root = write_library(tmp_path / "lib", {"a.md": "# A\n", "b.md": "# B\n"})
    watcher = LibraryWatcher(debounce_ms=20)
    watcher.watch(root)
    qtbot.waitUntil(lambda: str(root / "a.md") in watcher.watched())
    yield watcher, root
    watcher.deleteLater()


def test_a_burst_of_changes_is_reported_once(qtbot, watcher):
    watcher, root = watcher
    reports: list[list[str]] = []
    watcher.changed.connect(reports.append)
    with qtbot.waitSignal(watcher.changed):
        (root / "a.md").write_text("# A, edited\n")
        (root / "b.md").write_text("# B, edited\n")
    # One report, once the files were quiet, holding every path that changed.
    assert len(reports) == 1
    assert {str(root / "a.md"), str(root / "b.md")} <= set(reports[0])
    assert reports[0] == sorted(reports[0])


def test_a_file_an_editor_replaced_is_watched_again(qtbot, watcher):
    watcher, root = watcher
    path = root / "a.md"
    for round_ in range(2):
        temp = root / f".a.md.tmp{round_}"
        temp.write_text(f"# A, saved {round_}\n")
        with qtbot.waitSignal(watcher.changed) as blocker:
            os.replace(temp, path)
        assert str(path) in blocker.args[0] or str(root) in blocker.args[0]
        qtbot.waitUntil(lambda: str(path) in watcher.watched())


def test_a_new_folder_and_its_files_are_watched(qtbot, watcher):
    watcher, root = watcher
    with qtbot.waitSignal(watcher.changed) as blocker:
        (root / "more").mkdir()
    assert str(root) in blocker.args[0]
    qtbot.waitUntil(lambda: str(root / "more") in watcher.watched())
    with qtbot.waitSignal(watcher.changed) as blocker:
        (root / "more" / "c.md").write_text("# C\n")
    assert str(root / "more") in blocker.args[0]
    qtbot.waitUntil(lambda: str(root / "more" / "c.md") in watcher.watched())
