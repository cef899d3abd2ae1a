"""The print document and its pages, the page setup, and the print commands in the window."""

from __future__ import annotations

import pytest
from conftest import SVG, picture_fragments, show_window, write_library
from PySide6.QtCore import QLocale, QSizeF, Qt, QTimer
from PySide6.QtGui import QPageLayout, QPageSize, QTextTable
from PySide6.QtWidgets import QApplication, QDialog

from viewer.library.folder import Library
from viewer.paper import pagination, printing
from viewer.paper.document import is_svg_name
from viewer.settings import Settings
from viewer.ui import print_dialog

BODY = QSizeF(650, 900)  # an A4-ish text area in 96-dpi units
ROWS = "".join(f"| row {i} | {'value ' * (3 + i % 5)}|\n" for i in range(60))


@pytest.fixture
def library(tmp_path, qapp) -> Library:
    root = write_library(
        tmp_path / "lib",
        {
            "library.toml": 'title = "Print Test Library"\nimages = "images"\n',
            "basics/intro.md": (
                "---\nid: intro\ntitle: Introduction\norder: 1\n---\n# Introduction\n\n"
                + "Some text before the diagram, enough to push it down the page. " * 60
                + "\n\n## The diagram\n\n![A vector "
                "diagram](../images/wide.svg)\n\n```python\nprint('hello')\n```\n"
            ),
            "basics/long.md": "---\nid: long\norder: 2\n---\n"
            "# A Long Table\n\n| Name | Value |\n| --- | --- |\n" + ROWS,
            "more/third.md": "# Third\n\nThird topic.\n",
            "images/wide.svg": SVG.replace('width="400" height="120"', 'width="1600" height="480"'),
        },
    )
    return Library(root)


def sheet_document(library: Library, topic_id: str):
    job = printing.build_print_job(library, [library.topic(topic_id)], date="today")
    return printing.build_print_document(library, job.sheets[0].html, BODY, job.sheets[0].topic)


def svg_objects(doc) -> list:
    return [f for f in picture_fragments(doc) if is_svg_name(f.charFormat().toImageFormat().name())]


def test_sheet_starts_with_title_block_and_keeps_one_title(library):
    job = printing.build_print_job(library, [library.topic("intro")], date="today")
    html = job.sheets[0].html
    assert html.startswith(
        '<p class="sheet-crumbs">BASICS</p><h1 class="sheet-title">Introduction</h1>'
    )
    assert html.count("<h1") == 1  # the topic's own "# Introduction" is not printed twice


def test_diagram_is_a_vector_object_scaled_to_the_text_width(library):
    doc = sheet_document(library, "intro")
    objects = svg_objects(doc)
    assert len(objects) == 1
    handler = doc.image_handler
    size = handler.intrinsicSize(doc, objects[0].position(), objects[0].charFormat())
    assert 0 < size.width() <= BODY.width()
    assert size.height() == pytest.approx(size.width() * 480 / 1600, rel=0.01)


def test_every_block_is_laid_out(library):
    # Qt's incremental layout can leave blocks with no lines after format changes.
    doc = sheet_document(library, "long")
    block = doc.begin()
    while block.isValid():
        assert block.layout().lineCount() > 0 or not block.text(), block.text()
        block = block.next()


def test_tables_fill_the_width_and_have_a_header_row(library):
    doc = sheet_document(library, "long")
    tables = [
        f
        for f in pagination.frames(doc.rootFrame())
        if isinstance(f, QTextTable) and f.columns() > 1
    ]
    assert tables
    for table in tables:
        assert table.format().width().rawValue() == 100
        assert table.format().headerRowCount() == 1


def test_pages_never_cut_a_line_a_row_or_the_diagram(library):
    for topic_id in ("intro", "long"):
        doc = sheet_document(library, topic_id)
        pages = pagination.paginate(doc, BODY.height())
        spans, _headed, _bottom = pagination.collect_spans(doc, BODY.height())
        cuts = [page[-1].bottom for page in pages[:-1]]
        for cut in cuts:
            for span in spans:
                if span.level <= pagination.ROW:
                    assert not (span.top < cut - 0.01 and span.bottom > cut + 0.01), (
                        topic_id,
                        cut,
                        span,
                    )
        for page in pages:
            assert sum(s.bottom - s.top for s in page) <= BODY.height() + 0.5


def test_long_table_repeats_its_header_on_each_new_page(library):
    doc = sheet_document(library, "long")
    pages = pagination.paginate(doc, BODY.height())
    assert len(pages) >= 3
    assert len(pages[0]) == 1
    header = pages[1][0]
    for page in pages[1:]:
        assert (
            len(page) == 2
            and page[0] == header
            and page[1].dest
            == pytest.approx(header.bottom - header.top + pagination.CONTINUED_HEIGHT)
        )


def test_heading_is_not_left_alone_at_the_foot_of_a_page(library):
    doc = sheet_document(library, "intro")
    pages = pagination.paginate(doc, BODY.height())
    block = doc.begin()
    while block.isValid() and block.text() != "The diagram":
        block = block.next()
    top = pagination.line_spans(doc.documentLayout(), block)[0][0]
    page = next(i for i, p in enumerate(pages) if p[-1].top <= top < p[-1].bottom)
    diagram = pagination.line_spans(doc.documentLayout(), block.next())[0]
    assert pages[page][-1].top <= diagram[0] and diagram[1] <= pages[page][-1].bottom


def test_contents_carry_the_page_numbers(library):
    job = printing.build_print_job(library, library.topics, date="today")
    assert job.cover
    _laid_out, result = printing.lay_out_job(job, BODY)
    html = printing.contents_html(job, result.first_pages)
    assert result.first_pages[0] == result.contents_pages == 1
    for sheet, first in zip(job.sheets, result.first_pages):
        href = f'<a class="toc" href="cloudref:{sheet.key}">'
        assert f"{href}{sheet.title}</a>" in html
        assert f'<td class="toc-page" align="right" width="8%">{href}{first + 1}</a>' in html


def test_page_size_follows_the_locale_and_is_remembered(qapp):
    try:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        assert printing.default_page_size().id() == QPageSize.PageSizeId.Letter
        QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
        assert printing.page_layout(Settings()).pageSize().id() == QPageSize.PageSizeId.A4
    finally:
        QLocale.setDefault(QLocale.system())
    settings = Settings()
    chosen = QPageLayout(
        QPageSize(QPageSize.PageSizeId.A5),
        QPageLayout.Orientation.Landscape,
        printing.QMarginsF(10, 11, 12, 13),
        QPageLayout.Unit.Millimeter,
    )
    printing.remember_page_layout(settings, chosen)
    again = printing.page_layout(settings)
    assert again.pageSize().id() == QPageSize.PageSizeId.A5
    assert again.orientation() == QPageLayout.Orientation.Landscape
    margins = again.margins(QPageLayout.Unit.Millimeter)
    assert (margins.left(), margins.top(), margins.right(), margins.bottom()) == (10, 11, 12, 13)


def test_custom_page_size_round_trips():
    size = printing.page_size_from_key("100x150mm")
    assert size is not None and printing.page_size_key(size) in ("100x150mm", size.key())
    assert printing.page_size_from_key("not a size") is None


# -- in the window -------------------------------------------------------------------------
@pytest.fixture
def window(qtbot, library):
    return show_window(qtbot, library.root)


def close_modal_later(seen: list, key=Qt.Key.Key_Escape, delay: int = 200) -> None:
    """Press a key in the modal dialog once it shows, without blocking the test."""
    from pytestqt.qtbot import QtBot

    def press() -> None:
        widget = QApplication.activeModalWidget()
        if widget is None:
            QTimer.singleShot(50, press)
            return
        seen.append(widget)
        QtBot.keyClick(widget, key)

    QTimer.singleShot(delay, press)


def test_ctrl_p_opens_the_print_preview_and_escape_closes_it(window, qtbot):
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    seen: list = []
    close_modal_later(seen)
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(seen) == 1 and isinstance(seen[0], QPrintPreviewDialog)
    assert "Introduction" in seen[0].windowTitle()
    assert window.settings.get("print/pageSize") in ("A4", "Letter")  # the page setup is remembered


def test_print_topics_picker_ticks_the_tree_selection(window, qtbot):
    library = window.library
    index = window.tree_model.index_of(library.topic("long"))
    window.tree.selectionModel().select(index, window.tree.selectionModel().SelectionFlag.Select)
    seen: list = []
    close_modal_later(seen)
    window.actions_by_name["print_topics"].trigger()  # the picker opens; Escape closes it
    [picker] = seen
    assert isinstance(picker, print_dialog.TopicPicker)
    assert [t.id for t in picker.topics()] == ["intro", "long"]
    picker.root.setCheckState(0, Qt.CheckState.Checked)  # the whole library
    assert [t.id for t in picker.topics()] == [t.id for t in library.topics]
    picker.root.setCheckState(0, Qt.CheckState.Unchecked)
    ok = picker.buttons.button(picker.buttons.StandardButton.Ok)
    assert not ok.isEnabled()
    more = picker.root.child(1)  # the "More" category: ticking it ticks its topics
    more.setCheckState(0, Qt.CheckState.Checked)
    assert [t.id for t in picker.topics()] == ["third"] and ok.isEnabled()


def test_print_topics_cancelled_prints_nothing(window, qtbot, monkeypatch):
    previews = []
    monkeypatch.setattr(print_dialog, "preview_job", lambda *a: previews.append(a) or True)
    seen: list = []
    close_modal_later(seen)
    window.actions_by_name["print_topics"].trigger()
    assert seen and isinstance(seen[0], QDialog) and previews == []


def test_export_pdf_writes_the_current_topic(window, qtbot, tmp_path, monkeypatch):
    from pypdf import PdfReader

    out = tmp_path / "current.pdf"
    monkeypatch.setattr(
        print_dialog.QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), "PDF files (*.pdf)")
    )
    window.actions_by_name["export_pdf"].trigger()
    reader = PdfReader(str(out))
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == ["Introduction"]
    assert "Saved" in window.statusBar().currentMessage()


def test_export_error_is_shown_in_a_dialog(window, qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(
        print_dialog.QFileDialog,
        "getSaveFileName",
        lambda *a, **k: (str(tmp_path / "missing" / "x.pdf"), ""),
    )
    warnings = []
    monkeypatch.setattr(print_dialog.QMessageBox, "warning", lambda *a: warnings.append(a[2]))
    assert not window.actions_by_name["export_pdf"].trigger()
    assert warnings and "folder not found" in warnings[0]


def test_a_diagram_shrinks_to_stay_on_the_page_rather_than_leave_a_gap(tmp_path, qapp):
    tall = SVG.replace('width="400" height="120"', 'width="600" height="400"')
    root = write_library(
        tmp_path / "lib",
        {
            "a/fit.md": "# Fit\n\n"
            + "Words of text that fill the page. " * 60
            + "\n\n## Diagram\n\n![A tall diagram](../images/tall.svg)\n\nAfter it.\n",
            "images/tall.svg": tall,
        },
    )
    library = Library(root)
    job = printing.build_print_job(library, library.topics, date="today")
    doc = printing.build_print_document(library, job.sheets[0].html, BODY, job.sheets[0].topic)
    ((position, top, bottom),) = pagination.pictures(doc)
    plain = pagination.paginate(doc, BODY.height())
    assert plain[0][-1].bottom <= top  # as laid out, the diagram would open page 2
    full = bottom - top
    pages = pagination.paginate_sheet(doc, BODY.height())
    ((_position, top, bottom),) = pagination.pictures(doc)
    assert pages[0][-1].bottom >= bottom  # now it ends page 1
    assert 0.7 * full - 1 <= bottom - top < full
