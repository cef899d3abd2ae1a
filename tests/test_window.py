"""The main window, driven as a user drives it: keys and clicks, checking what is shown."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import ROOT, picture_fragments, show_window, write_library
from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QTextDocument, QTextFormat

from viewer.app import build_window
from viewer.paper.document import ImageHandler, is_svg_name


@pytest.fixture
def window(qtbot, sample_library):
    return show_window(qtbot, sample_library)


def page_text(win) -> str:
    return win.page.toPlainText()


def test_opens_at_first_topic_with_title(window):
    assert window.windowTitle() == "Introduction — Cloudref"
    assert "Some emphasis and code." in page_text(window)
    assert window.tree.currentIndex().data() == "Introduction"
    menus = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menus[:3] == ["File", "Go", "View"] and "Help" in menus


def test_page_is_a_centred_column_that_the_wheel_and_back_button_work_beside(window, qtbot):
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    window.resize(1500, 800)
    qtbot.waitUntil(lambda: window.page.viewportMargins().left() > 40)
    margins = window.page.viewportMargins()
    assert margins.left() == margins.right()  # the text column sits in the middle
    beside = QPoint(margins.left() // 2, 200)  # left of the column, on the page widget itself
    bar = window.page.verticalScrollBar()
    assert bar.value() == 0
    wheel = QWheelEvent(
        QPointF(beside),
        QPointF(window.page.mapToGlobal(beside)),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(window.page, wheel)
    assert bar.value() > 0
    window.open_topic("other")
    qtbot.mouseClick(window.page, Qt.MouseButton.BackButton, pos=beside)
    assert window.current.id == "intro"
    # A drag from beside the column selects from the start of the line, as on the page itself.
    bar.setValue(0)
    heading = window.page.cursorRect(window.page.document().find("Introduction")).center()
    start = QPoint(margins.left() // 2, heading.y() + window.page.viewportMargins().top())
    qtbot.mousePress(window.page, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(window.page, QPoint(margins.left() + heading.x() + 40, start.y()))
    qtbot.mouseRelease(
        window.page,
        Qt.MouseButton.LeftButton,
        pos=QPoint(margins.left() + heading.x() + 40, start.y()),
    )
    assert window.page.textCursor().selectedText().startswith("Intro")


def test_tree_selection_by_keyboard_shows_topic(window, qtbot):
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_Down)
    assert window.windowTitle() == "Other Page — Cloudref"
    assert "First part." in page_text(window)
    qtbot.keyClick(window.tree, Qt.Key.Key_Return)
    assert window.page.hasFocus()


def test_internal_link_with_anchor_opens_topic_and_scrolls(window):
    window.page.link_activated.emit(QUrl("cloudref:other#second-part"))
    assert window.current.id == "other"
    assert window.page.verticalScrollBar().value() > 0


def test_same_page_anchor_scrolls(window):
    window.page.link_activated.emit(QUrl("#details"))
    assert window.current.id == "intro"
    assert window.page.verticalScrollBar().value() > 0


def test_tab_and_enter_follow_the_first_link(window, qtbot):
    window.page.setFocus()
    qtbot.keyClick(window.page, Qt.Key.Key_Tab)
    qtbot.keyClick(window.page, Qt.Key.Key_Return)
    assert window.current.id == "other"


def test_https_link_goes_to_the_system_browser(window, monkeypatch):
    opened = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True
    )
    window.page.link_activated.emit(QUrl("https://example.com/docs"))
    assert opened == ["https://example.com/docs"]
    assert window.current.id == "intro"


def test_javascript_link_is_not_followed_and_status_says_why(window, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.page.link_activated.emit(QUrl("javascript:alert(1)"))
    assert opened == [] and window.current.id == "intro"
    assert "not followed" in window.statusBar().currentMessage()


def test_missing_image_shows_alt_text(window):
    text = page_text(window)
    assert "A missing picture" in text
    assert "Image not found" in text


def test_svg_is_drawn_as_a_vector_object(window):
    doc = window.page.document()
    svg = [
        f.charFormat()
        for f in picture_fragments(doc)
        if is_svg_name(f.charFormat().toImageFormat().name())
    ]
    assert len(svg) == 1
    assert svg[0].toolTip() == "A vector diagram"
    # Drawn by the page's own handler, with QSvgRenderer at the size it is given: a vector, in
    # a PDF too (test_export), never Qt's 96-dpi raster.
    handler = doc.documentLayout().handlerForObject(QTextFormat.ObjectTypes.ImageObject.value)
    assert isinstance(handler, ImageHandler)
    size = handler.intrinsicSize(doc, 0, svg[0])
    assert (round(size.width()), round(size.height())) == (
        400,
        120,
    )  # the SVG's own size, at zoom 0


def test_a_raster_picture_is_drawn_by_qts_own_handler(qtbot, tmp_path):
    from PySide6.QtGui import QImage

    root = write_library(
        tmp_path / "lib", {"raster.md": "# Raster\n\n![A blue box](images/box.png)\n\nAfter it.\n"}
    )
    (root / "images").mkdir()
    picture = QImage(120, 80, QImage.Format.Format_RGB32)
    picture.fill(0xFF3366CC)
    assert picture.save(str(root / "images" / "box.png"))
    win = show_window(qtbot, root)
    doc = win.page.document()
    handler = doc.documentLayout().handlerForObject(QTextFormat.ObjectTypes.ImageObject.value)
    [image] = [f.charFormat() for f in picture_fragments(doc)]
    assert image.toImageFormat().name() == "images/box.png"
    size = handler.intrinsicSize(doc, 0, image)
    assert (round(size.width()), round(size.height())) == (120, 80)
    shot = win.page.grab().toImage()
    assert any(
        shot.pixel(x, y) == 0xFF3366CC
        for x in range(0, shot.width(), 4)
        for y in range(0, min(shot.height(), 400), 4)
    )


def test_plain_markdown_folder_opens(qtbot, tmp_path):
    root = write_library(
        tmp_path / "plain", {"notes/alpha.md": "# Alpha\n\nhello", "beta.md": "just text"}
    )
    win = build_window(["--content", str(root)])
    qtbot.addWidget(win)
    assert win.windowTitle() == "Beta — Cloudref"
    assert win.tree_model.rowCount() == 2


def test_reopens_at_last_topic_and_zoom(qtbot, sample_library):
    first = build_window(["--content", str(sample_library)])
    qtbot.addWidget(first)
    first.open_topic("third")
    first.set_zoom(3)
    first.close()
    second = build_window(["--content", str(sample_library)])
    qtbot.addWidget(second)
    assert second.current.id == "third"
    assert second.page.zoom_steps == 3


def test_corrupt_settings_file_starts_with_defaults(qtbot, sample_library, isolated_settings):
    from pathlib import Path

    from viewer.settings import Settings

    path = Path(Settings().file_name())
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(b"\x00\xff[[[garbage\nzoom=\x00\n[page]\nzoom=notanumber\n")
    win = build_window(["--content", str(sample_library)])
    qtbot.addWidget(win)
    assert win.current.id == "intro"
    assert win.page.zoom_steps == 0


def test_topic_argument_opens_that_topic(qtbot, sample_library):
    win = build_window(["--content", str(sample_library), "other"])
    qtbot.addWidget(win)
    assert win.windowTitle() == "Other Page — Cloudref"


def run_cli(*args, **kwargs):
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
        **kwargs,
    )


def test_cli_list_version_and_errors(sample_library):
    listed = run_cli("--content", str(sample_library), "--list")
    assert listed.returncode == 0
    assert listed.stdout.splitlines() == [
        "intro\tIntroduction\tThe Basics",
        "other\tOther Page\tThe Basics",
        "third\tThird\tMore",
    ]
    version = run_cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("Cloudref ")
    missing = run_cli("--content", str(sample_library / "nope"), "--list")
    assert missing.returncode == 2
    assert missing.stderr.count("\n") == 1 and "library folder not found" in missing.stderr
    unknown = run_cli("--content", str(sample_library), "no-such-topic")
    assert unknown.returncode == 2 and "unknown topic id" in unknown.stderr
    assert "Traceback" not in unknown.stderr + missing.stderr


def test_theme_menu_switches_page_and_widgets_to_dark_and_back(window, qtbot):
    light_base = window.page.palette().base().color().lightness()
    window.menus["View/Theme"].actions()[2].trigger()  # Dark
    assert window.settings.get("view/theme") == "dark"
    assert window.page.palette().base().color().lightness() < 100 < light_base
    assert "#17304a" in window.page.document().defaultStyleSheet()  # dark note colour
    window.menus["View/Theme"].actions()[1].trigger()  # Light
    assert window.page.palette().base().color().lightness() > 200
    window.menus["View/Theme"].actions()[0].trigger()  # back to following the system
    assert window.settings.get("view/theme") == "system"


def test_system_theme_follows_a_dark_platform_palette_at_start_then_the_hint(qapp, monkeypatch):
    """Before the first paint the palette says whether the system is dark (no `Qt` lookup);
    Qt's colour-scheme hint decides afterwards, where the platform gives one."""
    from PySide6.QtGui import QColor, QPalette

    from viewer.ui import themes

    themes.forget_system_scheme()
    before = qapp.palette()
    dark = QPalette(before)
    dark.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#eeeeee"))
    qapp.setPalette(dark)
    try:
        assert themes.effective("system") == "dark" and themes.effective("light") == "light"
        themes.forget_system_scheme()
        qapp.setPalette(before)
        assert themes.effective("system") == "light"
        hint = qapp.styleHints().colorScheme()
        assert themes.refresh_system_scheme() is (
            hint == Qt.ColorScheme.Dark
        )  # offscreen: Unknown, no change
    finally:
        qapp.setPalette(before)


def test_opening_on_a_broken_topic_names_its_problem_in_the_status_bar(qtbot, tmp_path):
    root = write_library(
        tmp_path / "lib",
        {"a.md": b"# Broken\n\nbad \xff byte\n", "b.md": "# B\n\n[x](nowhere.md)\n"},
    )
    win = build_window(["--content", str(root), "a"])
    qtbot.addWidget(win)
    assert "a.md:3: warning: invalid UTF-8" in win.statusBar().currentMessage()


def test_reload_keeps_collapsed_categories_collapsed(window, qtbot):
    more = window.tree_model.index(1, 0)  # not the open topic's category: that one stays shown
    window.tree.collapse(more)
    window.reload_library()
    assert not window.tree.isExpanded(window.tree_model.index(1, 0))
    assert window.tree.isExpanded(window.tree_model.index(0, 0))


def test_a_large_library_opens_only_the_shown_topics_folder_and_a_reload_keeps_folders(
    qtbot, tmp_path, monkeypatch
):
    from viewer.ui import topic_pane

    monkeypatch.setattr(topic_pane, "LARGE_LIBRARY_TOPICS", 3)  # so that four topics are "large"
    root = write_library(
        tmp_path / "lib",
        {
            "a/one.md": "# One\n",
            "a/two.md": "# Two\n",
            "b/three.md": "# Three\n",
            "c/four.md": "# Four\n",
        },
    )
    win = show_window(qtbot, root, "three")
    folders = dict(win.tree_model.categories())
    assert [win.tree.isExpanded(folders[name]) for name in ("a", "b", "c")] == [False, True, False]
    win.tree.expand(folders["c"])
    win.reload_library()
    folders = dict(win.tree_model.categories())
    assert [win.tree.isExpanded(folders[name]) for name in ("a", "b", "c")] == [False, True, True]
    assert win.current.id == "three"


def test_topic_tree_model_passes_the_model_tester(qtmodeltester, sample_library):
    from viewer.library.folder import Library
    from viewer.ui.topic_model import TopicTreeModel

    qtmodeltester.check(TopicTreeModel(Library(sample_library)))


def test_named_qt_numbers_are_qts():
    from viewer import qt_constants as n

    roles = (n.DISPLAY_ROLE, n.TOOLTIP_ROLE, n.FONT_ROLE, n.ACCESSIBLE_TEXT_ROLE, n.USER_ROLE)
    assert roles == (
        Qt.ItemDataRole.DisplayRole.value,
        Qt.ItemDataRole.ToolTipRole.value,
        Qt.ItemDataRole.FontRole.value,
        Qt.ItemDataRole.AccessibleTextRole.value,
        Qt.ItemDataRole.UserRole.value,
    )
    assert n.ALIGN_CENTER == Qt.AlignmentFlag.AlignCenter.value
    assert n.IMAGE_OBJECT == QTextFormat.ObjectTypes.ImageObject.value
    assert (n.IMAGE_WIDTH, n.IMAGE_HEIGHT) == (
        QTextFormat.Property.ImageWidth.value,
        QTextFormat.Property.ImageHeight.value,
    )
    assert n.IMAGE_RESOURCE == QTextDocument.ResourceType.ImageResource.value


def test_a_key_before_the_deferred_part_is_built_builds_it(qtbot, sample_library):
    from PySide6.QtWidgets import QWidget

    win = build_window(["--content", str(sample_library)], defer=True)
    qtbot.addWidget(win)
    assert win.findChild(QWidget, "findBar") is None
    win.actions_by_name["find"].trigger()
    assert win.findChild(QWidget, "findBar") is not None
    assert win.findChild(QWidget, "searchBox") is not None
    win.actions_by_name["search"].trigger()
    win.actions_by_name["find"].trigger()  # again: nothing more is built
    assert len(win.findChildren(QWidget, "findBar")) == 1
    assert len(win.findChildren(QWidget, "searchBox")) == 1
    assert win.left_layout.count() == 1


def test_closing_before_the_deferred_part_is_built_builds_nothing_and_keeps_the_place(
    qtbot, sample_library
):
    from PySide6.QtWidgets import QWidget

    win = build_window(["--content", str(sample_library), "other"], defer=True)
    qtbot.addWidget(win)
    win.show()  # opens the start topic; the rest waits for the first paint, which has not come
    assert win.current.id == "other"
    win.save_state()
    assert win.findChild(QWidget, "findBar") is None and win.built_sections is None
    again = build_window(["--content", str(sample_library)], defer=True)
    qtbot.addWidget(again)
    assert again.session.start_topic().id == "other"


def test_deferred_window_completes_after_its_first_paint(qtbot, sample_library):
    """`main` builds the search panel and the find bar after the first paint: the window then
    is the one `build_window` makes whole (tree inside the panel, field focused first)."""
    from PySide6.QtWidgets import QApplication, QWidget

    win = build_window(["--content", str(sample_library)], defer=True)
    qtbot.addWidget(win)
    assert win.findChild(QWidget, "findBar") is None
    assert win.findChild(QWidget, "searchBox") is None and win.left_panel.isAncestorOf(win.tree)
    assert win.findChild(QWidget, "outlineList") is None  # the outline comes with the rest
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: win.findChild(QWidget, "searchBox") is not None)
    panel = win.search_panel
    assert win.findChild(QWidget, "searchBox") is panel.box and panel.stack.isAncestorOf(win.tree)
    assert win.left_layout.count() == 1 and win.tree.isVisible()
    assert win.findChild(QWidget, "outlineList").isVisible()
    assert win.find_bar.parentWidget() is win.page_container and not win.find_bar.isVisible()
    assert win.tabs.tabBar().focusPolicy() == Qt.FocusPolicy.NoFocus
    assert win.page.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOn
    qtbot.waitUntil(lambda: QApplication.focusWidget() is panel.box)
    qtbot.keyClick(panel.box, Qt.Key.Key_Escape)
    qtbot.keyClick(win.page, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert win.find_bar.isVisible() and QApplication.focusWidget() is win.find_bar.field
