"""Topics near the one on show are prepared while it is read, and what is prepared is current."""

from __future__ import annotations

import os

from conftest import SVG, show_window, write_library
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from viewer.library.folder import Library
from viewer.pages.render import Renderer
from viewer.ui.prefetch import neighbourhood, svg_pictures

CTRL = Qt.KeyboardModifier.ControlModifier


def linked_library(tmp_path):
    return write_library(
        tmp_path / "lib",
        {
            "a.md": "# Alpha\n\nSee [Delta](d.md), [Echo](e.md#part) and [the web](https://example.com).\n",
            "b.md": "# Bravo\n\nBravo body.\n\n![A diagram](images/d.svg)\n",
            "c.md": "# Charlie\n\nCharlie body.\n",
            "d.md": "# Delta\n",
            "e.md": "# Echo\n\n## Part\n",
            "images/d.svg": SVG,
        },
    )


def test_the_neighbourhood_is_next_and_previous_then_the_topics_the_page_links_to(tmp_path):
    library = Library(linked_library(tmp_path))
    a, b = library.topic("a"), library.topic("b")
    html = Renderer().render_topic(library, a).html
    adjacent, linked = neighbourhood(library, a, html)
    assert [t.id for t in adjacent] == ["b"]  # the first topic has no previous one
    assert [t.id for t in linked] == ["d", "e"]  # the web link and anchors are no topics
    adjacent, _ = neighbourhood(library, library.topic("c"))
    assert [t.id for t in adjacent] == ["d", "b"]
    pictures = svg_pictures(library, b, Renderer().render_topic(library, b).html)
    assert pictures == [(str(library.root / "images" / "d.svg"), 400.0, 120.0)]


def wait_until_prepared(qtbot, win):
    qtbot.waitUntil(lambda: win.prefetcher is not None and win.prefetcher.idle, timeout=20000)


def step(qtbot, win, key=Qt.Key.Key_PageDown):
    qtbot.keyClick(QApplication.focusWidget() or win, key, CTRL)


def test_the_next_topic_is_prepared_while_the_reader_reads_and_shows_as_rendered(qtbot, tmp_path):
    root = linked_library(tmp_path)
    win = show_window(qtbot, root, active=True)
    renderer, library = win.session.renderer, win.library
    wait_until_prepared(qtbot, win)
    for topic_id in ("b", "d", "e"):  # the next one, and those the page links to
        assert renderer.is_prepared(library, library.topic(topic_id))
    assert not renderer.is_prepared(library, library.topic("c"))  # two steps away
    win.page.setFocus()
    step(qtbot, win)
    assert win.current.id == "b" and "Bravo body." in win.page.toPlainText()
    wait_until_prepared(qtbot, win)
    assert renderer.is_prepared(library, library.topic("c"))
    step(qtbot, win)
    assert win.current.id == "c" and "Charlie body." in win.page.toPlainText()


def test_a_prepared_topic_edited_since_shows_its_new_text(qtbot, tmp_path):
    root = linked_library(tmp_path)
    win = show_window(qtbot, root, active=True)
    wait_until_prepared(qtbot, win)
    assert win.session.renderer.is_prepared(win.library, win.library.topic("b"))
    path = root / "b.md"
    path.write_text("# Bravo\n\nRewritten body.\n", encoding="utf-8")
    stamp = path.stat().st_mtime_ns + 2_000_000_000
    os.utime(path, ns=(stamp, stamp))
    assert not win.session.renderer.is_prepared(win.library, win.library.topic("b"))
    win.page.setFocus()
    step(qtbot, win)
    assert win.current.id == "b"
    text = win.page.toPlainText()
    assert "Rewritten body." in text and "Bravo body." not in text


def test_a_prepared_diagram_looks_as_its_vectors_drawn(qtbot, tmp_path):
    from viewer.paper.document import SVG_CACHE

    root = linked_library(tmp_path)
    win = show_window(qtbot, root, "b", active=True)  # b's page holds the diagram
    viewport = win.page.viewport()
    SVG_CACHE.clear()
    vectors = viewport.grab().toImage()  # nothing prepared yet: drawn from the SVG itself
    wait_until_prepared(qtbot, win)  # the page on show: its diagram drawn at the shown size
    viewport.repaint()
    copied = viewport.grab().toImage()
    assert copied.size() == vectors.size()
    differing = sum(
        copied.pixel(x, y) != vectors.pixel(x, y)
        for y in range(0, copied.height(), 2)
        for x in range(0, copied.width(), 2)
    )
    dark = sum(  # the diagram's frame and text are there at all
        QColor(copied.pixel(x, y)).lightness() < 128
        for y in range(0, copied.height(), 2)
        for x in range(0, copied.width(), 2)
    )
    assert dark > 50
    assert differing <= 0.01 * (copied.width() * copied.height() / 4)
