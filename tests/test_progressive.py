"""Long topics are shown piece by piece; anchors, find and search still see the whole page."""

from __future__ import annotations

import pytest
from conftest import write_library
from PySide6.QtCore import QUrl

from viewer.app import build_window


@pytest.fixture
def big_window(qtbot, tmp_path):
    section = (
        "## Section {n}\n\nParagraph {n} with a [link](small.md) and **bold** text. "
        + "Words " * 60
        + "\n\n"
    )
    body = (
        "# Big Topic\n\n"
        + "".join(section.format(n=n) for n in range(400))
        + "## The End\n\nlast words here\n"
    )
    root = write_library(tmp_path / "lib", {"big.md": body, "small.md": "# Small\n\nsmall page\n"})
    win = build_window(["--content", str(root), "small"])
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_big_topic_shows_its_start_first_and_the_rest_in_idle_time(big_window, qtbot):
    big_window.open_topic("big")
    text = big_window.page.toPlainText()
    assert text.startswith("Big Topic") and "last words here" not in text
    assert big_window.loader.busy
    qtbot.waitUntil(lambda: not big_window.loader.busy, timeout=10000)
    text = big_window.page.toPlainText()
    assert "Section 399" in text and text.rstrip().endswith("last words here")
    assert text.count("Paragraph ") == 400


def test_anchor_in_a_later_piece_loads_the_rest_and_scrolls(big_window):
    big_window.page.link_activated.emit(QUrl("cloudref:big#the-end"))
    assert not big_window.loader.busy
    bar = big_window.page.verticalScrollBar()
    assert bar.value() > 0.9 * bar.maximum()


def test_switching_away_mid_load_stops_the_loader(big_window, qtbot):
    big_window.open_topic("big")
    big_window.open_topic("small")
    assert not big_window.loader.busy
    qtbot.wait(50)
    assert big_window.page.toPlainText().strip().endswith("small page")


def test_the_outline_grows_with_the_pieces_and_ends_with_every_section(big_window, qtbot):
    big_window.open_topic("big")
    outline = big_window.sections.outline.list
    first = [outline.item(row).text().strip() for row in range(outline.count())]
    assert "The End" not in first
    qtbot.waitUntil(lambda: not big_window.loader.busy, timeout=10000)
    rows = [outline.item(row).text().strip() for row in range(outline.count())]
    assert rows == ["Big Topic", *(f"Section {n}" for n in range(400)), "The End"]
    big_window.open_topic("small")
    rows = [outline.item(row).text().strip() for row in range(outline.count())]
    assert rows == ["Small"]
