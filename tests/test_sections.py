"""Sections of a topic: the outline, section search hits, section bookmarks, the reading place
and "print this section". Window tests are driven by keys only and check what the reader sees:
the line at the top of the page, the outline's marked row, the menu, the PDF's text."""

from __future__ import annotations

import re

import pytest
from conftest import CONTENT, show_window, write_library
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication

from viewer.library.folder import Library
from viewer.pages.render import Renderer
from viewer.search.index import SearchIndex
from viewer.search.query import MARK_END, MARK_START
from viewer.search.text import markdown_sections

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
FILLER = "A plain sentence to fill the page, about nothing in particular.\n\n" * 25


@pytest.fixture
def guide_library(tmp_path):
    return write_library(
        tmp_path / "lib",
        {
            "library.toml": 'title = "Sections Test"\n',
            "a/guide.md": "---\nid: guide\ntitle: Guide\norder: 1\n---\n# Guide\n\nIntro text.\n\n"
            + FILLER
            + "## Cold starts\n\nA function that starts cold waits for its runtime.\n\n"
            + FILLER
            + "## Scaling\n\nScaling adds instances.\n\n"
            + FILLER
            + "### Bursts\n\nA burst of quokka requests.\n\n"
            + FILLER
            + "## Pricing\n\nPricing is per request.\n\n"
            + FILLER,
            "a/other.md": "---\nid: other\ntitle: Other\norder: 2\n---\n# Other\n\nElsewhere.\n",
        },
    )


@pytest.fixture
def window(qtbot, guide_library):
    return show_window(qtbot, guide_library, active=True)


def key(qtbot, k, mods=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(QApplication.focusWidget(), k, mods)


def type_text(qtbot, text):
    qtbot.keyClicks(QApplication.focusWidget(), text)


def top_line(win) -> str:
    """The text of the block the reader sees first at the top of the page."""
    page = win.page
    block = page.cursorForPosition(QPoint(40, 6)).block()
    return block.text()


def outline_rows(win) -> list[str]:
    outline = win.sections.outline.list
    return [
        outline.item(r).text().strip()
        for r in range(outline.count())
        if not outline.item(r).isHidden()
    ]


def marked_row(win) -> str:
    """The outline's row in bold: where the reader is."""
    outline = win.sections.outline.list
    bold = [outline.item(r) for r in range(outline.count()) if outline.item(r).font().bold()]
    return bold[0].text().strip() if len(bold) == 1 else f"{len(bold)} rows bold"


# -- the outline ---------------------------------------------------------------------------
def test_outline_filters_as_you_type_and_enter_jumps(window, qtbot):
    assert outline_rows(window) == ["Guide", "Cold starts", "Scaling", "Bursts", "Pricing"]
    window.page.setFocus()
    key(qtbot, Qt.Key.Key_O, CTRL | SHIFT)
    assert QApplication.focusWidget().objectName() == "outlineFilter"
    type_text(qtbot, "pric")
    assert outline_rows(window) == ["Pricing"]
    key(qtbot, Qt.Key.Key_Return)
    assert QApplication.focusWidget() is window.page
    assert top_line(window) == "Pricing"
    assert marked_row(window) == "Pricing"


def test_outline_marks_the_section_you_scroll_to_and_takes_type_ahead(window, qtbot):
    # Each state is waited for: under load a layout may land a turn of the event loop later.
    window.page.setFocus()
    qtbot.waitUntil(lambda: marked_row(window) == "Guide")
    key(qtbot, Qt.Key.Key_End)
    qtbot.waitUntil(lambda: marked_row(window) == "Pricing")
    key(qtbot, Qt.Key.Key_Home)
    qtbot.waitUntil(lambda: marked_row(window) == "Guide")
    key(qtbot, Qt.Key.Key_F6)  # page → outline
    assert QApplication.focusWidget().objectName() == "outlineList"
    type_text(qtbot, "sc")  # typed in the list: it filters
    qtbot.waitUntil(lambda: outline_rows(window) == ["Scaling"])
    key(qtbot, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: top_line(window) == "Scaling")
    key(qtbot, Qt.Key.Key_F6)
    key(qtbot, Qt.Key.Key_Escape)  # clears the filter, stays
    assert len(outline_rows(window)) == 5
    key(qtbot, Qt.Key.Key_Escape)  # then back to the page
    assert QApplication.focusWidget() is window.page
    key(qtbot, Qt.Key.Key_Left, ALT)  # the jump was a place in the history
    qtbot.waitUntil(lambda: top_line(window) == "Guide")


def test_outline_follows_the_topic_shown(window, qtbot):
    window.page.setFocus()
    key(qtbot, Qt.Key.Key_PageDown, CTRL)
    assert window.current.id == "other"
    assert outline_rows(window) == ["Other"]


# -- search --------------------------------------------------------------------------------
def test_a_search_hit_names_its_section_opens_at_it_and_marks_every_word(window, qtbot):
    panel = window.search_panel
    qtbot.waitUntil(panel.is_ready)
    window.page.setFocus()
    key(qtbot, Qt.Key.Key_K, CTRL)
    type_text(qtbot, "quokka requests")
    qtbot.waitUntil(lambda: bool(panel.model.results) and panel.model.results[0].kind == "text")
    hit = panel.model.results[0]
    assert hit.label == "Guide › Bursts"
    assert panel.model.data(panel.model.index(0, 0)) == "Guide › Bursts"
    key(qtbot, Qt.Key.Key_Return)
    assert window.current.id == "guide"
    assert top_line(window) == "Bursts"
    marked = {s.cursor.selectedText().casefold() for s in window.page.extraSelections()}
    assert {"quokka", "requests"} <= marked
    assert marked_row(window) == "Bursts"


def test_every_word_of_the_query_is_marked_in_the_snippet(guide_library):
    index = SearchIndex(Library(guide_library), in_memory=True)
    index.update()
    hit = index.full_text("cold start")[0]
    assert hit.section == "Cold starts" and hit.anchor == "cold-starts"
    marked = re.findall(f"{MARK_START}(.*?){MARK_END}", hit.snippet)
    assert {"cold", "starts"} <= {word.casefold() for word in marked}
    assert "Cold starts" not in hit.snippet.replace(MARK_START, "").replace(MARK_END, "")


def test_words_in_a_title_or_heading_rank_above_words_only_in_text(tmp_path):
    root = write_library(
        tmp_path / "lib",
        {
            "ecs.md": "# Amazon ECS\n\n## Capacity\n\n"
            + "ECS runs GPU tasks on EC2; Fargate has no GPU. Fargate GPU Fargate GPU.\n\n" * 3,
            "fargate.md": "# AWS Fargate\n\n## GPU support\n\nNone.\n\n## Sizes\n\nSmall.\n",
        },
    )
    index = SearchIndex(Library(root), in_memory=True)
    index.update()
    hits = index.full_text("fargate gpu")
    assert [(h.topic_id, h.section) for h in hits] == [
        ("fargate", "GPU support"),
        ("ecs", "Capacity"),
    ]


def test_fargate_gpu_finds_fargate_first_in_the_bundled_library():
    index = SearchIndex(Library(CONTENT), in_memory=True)
    index.update()
    assert index.full_text("fargate gpu")[0].topic_id == "fargate"


def test_sections_of_markdown_skip_code_and_read_setext_headings():
    sections = markdown_sections(
        "# Title\n\nIntro.\n\n```\n# not a heading\n```\n\nSetext one\n----------\n\nText.\n\n"
        "## Same\n\nA.\n\n## Same\n\nB.\n"
    )
    assert [(s.level, s.heading, s.anchor) for s in sections] == [
        (1, "Title", "title"),
        (2, "Setext one", "setext-one"),
        (2, "Same", "same"),
        (2, "Same", "same_1"),
    ]
    assert "# not a heading" in sections[0].body


def test_the_index_anchors_are_the_renderers_anchors():
    """One source of truth: a hit's anchor is the id the rendered page gives the heading."""
    library = Library(CONTENT)
    renderer = Renderer()
    for topic in library.topics:
        page = renderer.render_topic(library, topic)
        rendered = re.findall(
            r'<h[2-6] id="([^"]+)"', page.html.split('class="compare-heading"')[0]
        )
        body = topic.path.read_text(encoding="utf-8").split("\n---\n", 1)[-1]
        indexed = [s.anchor for s in markdown_sections(body) if s.level >= 2]
        assert indexed == rendered[: len(indexed)], topic.id


# -- bookmarks -----------------------------------------------------------------------------
def test_a_section_bookmark_is_in_the_menu_with_a_key(window, qtbot):
    window.page.setFocus()
    key(qtbot, Qt.Key.Key_O, CTRL | SHIFT)
    type_text(qtbot, "scal")
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_D, CTRL | ALT)  # bookmark this section
    key(qtbot, Qt.Key.Key_Home)
    key(qtbot, Qt.Key.Key_D, CTRL)  # and the topic
    entries = [a for a in window.bookmarks_menu.actions() if a.objectName().startswith("bookmark:")]
    assert [a.text() for a in entries] == ["Guide › Scaling", "Guide"]
    assert entries[0].shortcut() == QKeySequence("Alt+1")
    key(qtbot, Qt.Key.Key_PageDown, CTRL)  # another topic
    assert window.current.id == "other"
    key(qtbot, Qt.Key.Key_1, ALT)
    assert window.current.id == "guide" and top_line(window) == "Scaling"
    assert window.actions_by_name["bookmark_section"].isChecked()


def test_topic_bookmarks_saved_before_sections_existed_still_load(qtbot, guide_library):
    from viewer.session.session import library_key
    from viewer.settings import Settings

    settings = Settings()
    settings.set_json(f"{library_key(Library(guide_library).root)}/bookmarks", ["other"])
    settings.sync()
    win = show_window(qtbot, guide_library, active=True)
    entries = [a for a in win.bookmarks_menu.actions() if a.objectName().startswith("bookmark:")]
    assert [a.text() for a in entries] == ["Other"]
    key(qtbot, Qt.Key.Key_1, ALT)
    assert win.current.id == "other"


# -- the reading place ---------------------------------------------------------------------
def test_the_topic_and_reading_place_come_back_after_a_restart(qtbot, guide_library):
    first = show_window(qtbot, guide_library, active=True)
    first.page.setFocus()
    key(qtbot, Qt.Key.Key_O, CTRL | SHIFT)
    type_text(qtbot, "burst")
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_Down)  # a little further on
    key(qtbot, Qt.Key.Key_Down)
    line = top_line(first)
    first.close()

    again = show_window(qtbot, guide_library, active=True)
    assert again.current.id == "guide"
    assert top_line(again) == line
    assert marked_row(again) == "Bursts"


# -- printing a section --------------------------------------------------------------------
def pdf_text(path) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_print_this_section_prints_only_that_section(tmp_path, guide_library):
    from viewer.paper import printing
    from viewer.paper.export import export_pdf

    library = Library(guide_library)
    job = printing.build_print_job(library, [library.topic("guide")], section="scaling")
    out = tmp_path / "section.pdf"
    export_pdf(job, out)
    text = " ".join(pdf_text(out).split())
    assert "Scaling adds instances." in text and "A burst of quokka requests." in text
    assert "Pricing is per request." not in text and "starts cold" not in text
    assert "Intro text." not in text
    with pytest.raises(printing.PrintError):
        printing.build_print_job(library, [library.topic("guide")], section="no-such")


def test_print_section_from_the_outline_prints_the_chosen_section(window, qtbot, monkeypatch):
    from viewer.ui import print_dialog

    printed = []
    monkeypatch.setattr(print_dialog, "preview_job", lambda _parent, job, _s: printed.append(job))
    window.page.setFocus()
    key(qtbot, Qt.Key.Key_F6)  # into the outline
    type_text(qtbot, "pric")
    key(qtbot, Qt.Key.Key_P, CTRL | ALT)
    assert [sheet.title for sheet in printed[-1].sheets] == ["Pricing"]
    window.page.setFocus()
    key(qtbot, Qt.Key.Key_Home)
    key(qtbot, Qt.Key.Key_O, CTRL | SHIFT)
    type_text(qtbot, "cold")
    key(qtbot, Qt.Key.Key_Return)
    key(qtbot, Qt.Key.Key_P, CTRL | ALT)  # from the page: the section at its top
    assert [sheet.title for sheet in printed[-1].sheets] == ["Cold starts"]
