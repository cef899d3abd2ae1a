"""Topic sheets on paper: the print job, the print document, the printer, and the painter.

Preview, print and PDF export share every step (as ReText's `textDocument` and
`standardPrinter` do), so what the preview shows is what the PDF holds:

- `build_print_job` renders the chosen topics (or a comparison) once, in the light theme,
  with external URLs written out; it raises `PrintError` for a topic that cannot be rendered.
- `build_print_document` makes one sheet's `PageDocument` laid out at a page's text size:
  SVG diagrams stay vector objects, tables fit the width and repeat their header row, and
  headings, diagrams, short tables and code blocks are kept off page breaks.
- `build_printer` makes the QPrinter (preview, print) or QPdfWriter (PDF) from the
  remembered page setup; `paint_job` lays the job out and paints it page by page, drawing
  the running header and footer itself (Qt's own `QTextDocument.print` has neither).

Layout happens in 96-dpi units on a fixed paint device, whatever the screen, and the painter
scales to the printer: the sheets come out the same on every machine. No widgets here, so
`cloudref --export-pdf` runs with a QGuiApplication only.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from string import Template

from PySide6.QtCore import QLocale, QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QImage,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
    QTextLength,
    QTextOption,
    QTextTable,
)

from viewer import APP_NAME, __version__
from viewer.library.folder import Library, Topic
from viewer.pages.render import Renderer
from viewer.pages.theme import page_stylesheet, palette
from viewer.paper.document import ImageHandler, PageDocument
from viewer.paper.marks import SHEET_LINK, SheetMarks, sheet_marks
from viewer.paper.pagination import Slice, frames, paginate, paginate_sheet
from viewer.resources import read_text

LAYOUT_DPI = 96  # the units sheets are laid out in; the painter scales them to the device
BODY_POINT_SIZE = 10.5
HEADER_POINT_SIZE = 7.5
HEADER_BAND_MM = 9.0  # running header: text, a gap, a hairline, then the body
FOOTER_BAND_MM = 9.0
CREATOR = f"{APP_NAME} {__version__}"
BLANK_SUFFIX = ":blank"  # the key of a comparison's self-test sheet: "compare:ID:blank"


class PrintError(Exception):
    """A job that cannot be printed; the message names the topic or the problem."""


# -- the job: what to print ----------------------------------------------------------------
@dataclass
class Sheet:
    """One topic (or comparison) ready for paper: its HTML starts with the title block."""

    key: str  # topic id, or "compare:<table id>"
    title: str
    crumbs: list[str]
    summary: str
    html: str
    topic: Topic | None = None


@dataclass
class PrintJob:
    library: Library
    title: str  # the document title: PDF metadata, print queue
    sheets: list[Sheet]
    date: str = ""
    cover: bool = False  # a cover page with the contents, for packs of several sheets
    landscape: bool | None = None  # None: the remembered orientation

    @property
    def library_title(self) -> str:
        return self.library.title


@dataclass
class PaintResult:
    pages: int
    first_pages: list[int] = field(default_factory=list)  # 0-based, one per sheet
    contents_pages: int = 0
    marks: list[SheetMarks] = field(default_factory=list)  # one per sheet: headings, anchors
    body_top_pt: float = 0.0  # from the paper's top edge to the text area, in points

    def points_from_top(self, y: float) -> float:
        """A height on a page's text area (layout units) in points from the paper's top."""
        return self.body_top_pt + y * 72 / LAYOUT_DPI


def today_text(day: dt.date | None = None) -> str:
    day = day or dt.date.today()
    return f"{day.day} {day:%B %Y}"


def build_print_job(
    library: Library,
    topics: list[Topic],
    *,
    renderer: Renderer | None = None,
    date: str | None = None,
    cover: bool | None = None,
    section: str = "",
    failures: list[tuple[Topic, str]] | None = None,
) -> PrintJob:
    """The topics, in tree order, rendered for paper. Raises PrintError if one cannot be,
    unless `failures` is given: then each topic that cannot be is left out and added there
    with the reason, and a last sheet names them (PrintError only if none can be).

    `section` (the anchor of one of its headings, with a single topic) prints that section
    alone: its heading, its text and its subsections, on a sheet titled with the heading.
    """
    if not topics:
        raise PrintError("no topics to print")
    if section and len(topics) != 1:
        raise PrintError("a section is printed from one topic")
    order = {id(t): i for i, t in enumerate(library.topics)}
    topics = sorted(dict.fromkeys(topics), key=lambda t: order.get(id(t), len(order)))
    renderer = renderer or Renderer()
    comparisons = _load_comparisons(library)
    sheets = []
    for topic in topics:
        appendix = "" if section else _topic_comparisons_html(comparisons, topic.id)
        try:
            page = renderer.render_topic(library, topic, appendix_html=appendix, for_print=True)
            failed = [p for p in page.problems if p.level == "error"]
            if failed:
                raise PrintError(
                    f"topic {topic.id!r} cannot be printed: {failed[0].format(library.root)}"
                )
        except Exception as exc:  # noqa: BLE001 - any failure becomes a message naming the topic
            reason = (
                str(exc)
                if isinstance(exc, PrintError)
                else f"topic {topic.id!r} cannot be rendered: {type(exc).__name__}: {exc}"
            )
            if failures is None:
                raise PrintError(reason) from exc
            failures.append((topic, reason))
            continue
        if section:
            heading, body = section_html(page.html, section)
            if not heading:
                raise PrintError(f"topic {topic.id!r} has no section {section!r}")
            crumbs = [*topic.breadcrumb, topic.title]
            sheets.append(
                Sheet(topic.id, heading, crumbs, "", _sheet_html(heading, crumbs, "", body), topic)
            )
            return PrintJob(
                library,
                f"{topic.title} › {heading} — {library.title}",
                sheets,
                date if date is not None else today_text(),
                bool(cover),
            )
        sheets.append(
            Sheet(
                topic.id,
                topic.title,
                topic.breadcrumb,
                topic.summary,
                _sheet_html(topic.title, topic.breadcrumb, topic.summary, page.html, topic.id),
                topic,
            )
        )
    if failures:
        if not sheets:
            raise PrintError(f"no topic can be printed: {failures[0][1]}")
        sheets.append(_failures_sheet(failures))
    if len(topics) == 1:
        title = f"{topics[0].title} — {library.title}"
    elif len(topics) == len(library.topics):
        title = library.title
    else:
        title = f"{library.title}: {len(topics)} topics"
    many = len(sheets) > 1 if cover is None else cover
    return PrintJob(library, title, sheets, date if date is not None else today_text(), many)


def _failures_sheet(failures: list[tuple[Topic, str]]) -> Sheet:
    """The last sheet of a pack some topics could not join: which, and why."""
    items = "".join(
        f"<li><b>{html.escape(topic.title)}</b> ({html.escape(topic.id)}): "
        f"{html.escape(reason)}</li>"
        for topic, reason in failures
    )
    title = "Topics not included"
    summary = f"{len(failures)} topic(s) could not be printed"
    body = f"<p>These topics are not in this document:</p><ul>{items}</ul>"
    return Sheet("not-included", title, [], summary, _sheet_html(title, [], summary, body))


def build_comparison_job(
    library: Library,
    subject_ids: list[str],
    *,
    differences_only: bool = False,
    date: str | None = None,
    recall: bool = False,
) -> PrintJob:
    """A comparison table as a sheet (every table, one a sheet, when no subject is named).

    Landscape when it has four or more columns of values: a portrait page makes them narrow.
    `recall`: a self-test — each table first with its cells blank, then the answers (the
    tables as usual) on the last pages.
    """
    from viewer.compare.tables import (
        SubjectError,
        comparison_html,
        load_comparisons,
        resolve_subjects,
    )

    data = load_comparisons(library)
    if subject_ids:
        try:
            chosen = [resolve_subjects(data, subject_ids)]
        except SubjectError as exc:
            raise PrintError(str(exc)) from None
    else:
        chosen = [(cset, [s.id for s in cset.subjects]) for cset in data.sets]
        if not chosen:
            raise PrintError("this library has no comparison tables")
    sheets = []
    answers = []
    widest = 0
    for cset, ids in chosen:
        body = comparison_html(
            cset, ids, differences_only=differences_only, for_print=True, heading=False
        )
        title = comparison_title(cset, ids, differences_only)
        if recall:
            blank = comparison_html(
                cset,
                ids,
                differences_only=differences_only,
                for_print=True,
                heading=False,
                blank=True,
            )
            blank += (
                '<p class="compare-legend">Write each value in; the answers are at the end.</p>'
            )
            sheets.append(_comparison_sheet(cset, f"Self-test: {title}", blank, BLANK_SUFFIX))
            answers.append(_comparison_sheet(cset, f"Answers: {title}", body))
        else:
            sheets.append(_comparison_sheet(cset, title, body))
        widest = max(widest, len(cset.pick(ids)))
    sheets += answers
    title = (
        f"{sheets[0].title} — {library.title}"
        if len(chosen) == 1
        else f"{library.title}: comparisons"
    )
    return PrintJob(
        library,
        title,
        sheets,
        date if date is not None else today_text(),
        len(chosen) > 1,  # a cover for several tables, not for one table's self-test
        landscape=True if widest >= 4 else None,
    )


def _comparison_sheet(cset, title: str, body: str, suffix: str = "") -> Sheet:
    key = f"compare:{cset.id}{suffix}"
    crumbs = ["Comparisons"]
    return Sheet(
        key,
        title,
        crumbs,
        cset.description,
        _sheet_html(title, crumbs, cset.description, body, key),
    )


_HEADING_OPEN = re.compile(r"<h([1-6])\b[^>]*>")


def section_html(page_html: str, anchor: str) -> tuple[str, str]:
    """(heading text, body) of the section whose heading carries `anchor`: what follows the
    heading up to the next heading of the same or a higher level. ("", "") if there is none.

    The body leaves its own heading out (the sheet's title block shows it); links within the
    section stay, links to the rest of the page become plain text on paper.
    """
    start = re.search(rf'<h([1-6])\b[^>]*\bid="{re.escape(html.escape(anchor))}"[^>]*>', page_html)
    if start is None:
        return "", ""
    level = int(start.group(1))
    close = page_html.find(f"</h{level}>", start.end())
    if close < 0:
        return "", ""
    heading = " ".join(
        html.unescape(re.sub(r"<[^>]+>", "", page_html[start.end() : close])).split()
    )
    body_start = close + len(f"</h{level}>")
    end = len(page_html)
    for match in _HEADING_OPEN.finditer(page_html, body_start):
        if int(match.group(1)) <= level:
            end = match.start()
            break
    return heading, page_html[body_start:end]


def comparison_title(cset, subject_ids: list[str], differences_only: bool = False) -> str:
    """The table's own title when every subject is in it, else exactly the chosen ones."""
    chosen = cset.pick(subject_ids)
    if len(chosen) == len(cset.subjects) or not chosen:
        title = cset.title
    else:
        title = " vs ".join(subject.label for subject in chosen)
    return f"{title}: differences" if differences_only else title


def _load_comparisons(library: Library):
    try:
        from viewer.compare.tables import load_comparisons

        return load_comparisons(library)
    except Exception:  # noqa: BLE001 - a topic prints without its comparison rows rather than not at all
        return None


def _topic_comparisons_html(data, topic_id: str) -> str:
    if data is None:
        return ""
    from viewer.compare.tables import comparison_html, rows_for_topic

    parts = []
    for found in rows_for_topic(data, topic_id):
        # The topic's own column first, beside every subject it is compared with.
        ids = [s.id for s in found.subjects]
        ids += [s.id for s in found.cset.subjects if s.id not in ids]
        parts.append(f'<h2 class="compare-heading">Compared: {html.escape(found.cset.title)}</h2>')
        parts.append(comparison_html(found.cset, ids, for_print=True, heading=False))
    return "".join(parts)


_FIRST_H1 = re.compile(r"<h1\b[^>]*>.*?</h1>\s*", re.DOTALL)
_BLOCK_START = re.compile(r"<(p|h[2-6]|ul|ol|dl|pre|div|blockquote)\b")
_SAME_PAGE_HREF = re.compile(r'<a href="#(?!fn)')
_OTHER_HREF = re.compile(r'<a href="(?!https?:|mailto:|cloudref:)[^"]*"')
_SHEET_HREF = re.compile(r'<a href="cloudref:')
_URL_NOTE = re.compile(r'<span class="url"> \((.*?)\)</span></a>', re.DOTALL)


def _sheet_html(title: str, crumbs: list[str], summary: str, body: str, key: str = "") -> str:
    """The title block, then the body without its own first `# Title` (the block says it).

    Links to topics keep their `cloudref:` target, which the PDF turns into a jump to the
    page (or drops, for a topic not in it); a web link's URL goes to a numbered note at the
    end of the sheet instead of the middle of the sentence.
    """
    match = _FIRST_H1.search(body)
    if match and not _BLOCK_START.search(body, 0, match.start()):
        body = body[: match.start()] + body[match.end() :]
    if key:
        body = _SAME_PAGE_HREF.sub(f'<a href="cloudref:{html.escape(key)}#', body)
    body = _OTHER_HREF.sub('<a class="xref"', body)  # footnote marks, blocked links: text
    body = _SHEET_HREF.sub('<a class="xref" href="cloudref:', body)
    body, notes = _url_notes(body)
    block = []
    if crumbs:
        block.append(f'<p class="sheet-crumbs">{html.escape(" › ".join(crumbs).upper())}</p>')
    block.append(f'<h1 class="sheet-title">{html.escape(title)}</h1>')
    if summary:
        block.append(f'<p class="sheet-summary">{html.escape(summary)}</p>')
    block.append("<hr/>")
    return "".join(block) + body + notes


def _url_notes(body: str) -> tuple[str, str]:
    """Each web link's written-out URL as a note number; the notes as a list to end on."""
    numbers: dict[str, int] = {}

    def mark(match: re.Match) -> str:
        url = html.unescape(match.group(1))
        number = numbers.setdefault(url, len(numbers) + 1)
        return f'</a><sup class="note-ref">{number}</sup>'

    body = _URL_NOTE.sub(mark, body)
    if not numbers:
        return body, ""
    rows = "".join(
        f'<tr><td class="note-number" width="4%">{number}</td>'
        f'<td class="note-url"><a href="{html.escape(url)}">{html.escape(url)}</a></td></tr>'
        for url, number in numbers.items()
    )
    return body, (
        '<p class="notes-title">Links</p>'
        '<table class="notes" width="100%" cellspacing="0" cellpadding="1" border="0">'
        f"{rows}</table>"
    )


def contents_html(job: PrintJob, first_pages: list[int] | None) -> str:
    """The cover: library title, date, and the contents with 1-based page numbers."""
    rows = []
    category = None
    for index, sheet in enumerate(job.sheets):
        crumbs = " › ".join(sheet.crumbs)
        if crumbs != category:
            category = crumbs
            if crumbs:
                rows.append(
                    f'<tr><td colspan="2" class="toc-category">{html.escape(crumbs)}</td></tr>'
                )
        page = str(first_pages[index] + 1) if first_pages else "000"
        summary = (
            f'<br/><span class="toc-summary">{html.escape(sheet.summary)}</span>'
            if sheet.summary
            else ""
        )
        href = f"{SHEET_LINK}{html.escape(sheet.key)}"
        rows.append(
            f'<tr><td class="toc-topic"><a class="toc" href="{href}">{html.escape(sheet.title)}</a>'
            f'{summary}</td><td class="toc-page" align="right" width="8%">'
            f'<a class="toc" href="{href}">{page}</a></td></tr>'
        )
    comparisons = job.sheets[0].key.startswith("compare:")
    self_test = job.sheets[0].key.endswith(BLANK_SUFFIX)
    tables = len(job.sheets) // 2 if self_test else len(job.sheets)  # blank, then answered
    count = f"{tables} comparisons" if comparisons else f"{len(job.sheets)} topic sheets"
    kicker = "COMPARISONS" if comparisons else "TOPIC SHEETS"
    return (
        f'<p class="cover-kicker">{"SELF-TEST" if self_test else kicker}</p>'
        f'<h1 class="cover-title">{html.escape(job.library_title)}</h1>'
        f'<p class="cover-meta">{count} · {html.escape(job.date)}</p><hr/>'
        '<h2 class="contents">Contents</h2>'
        '<table class="toc" width="100%" cellspacing="0" cellpadding="4" border="0">'
        + "".join(rows)
        + "</table>"
    )


# -- the print document ----------------------------------------------------------------------
def print_stylesheet() -> str:
    """The light page stylesheet with the print additions: paper is always light."""
    return (
        page_stylesheet("light")
        + "\n"
        + Template(read_text("print.css")).safe_substitute(palette("light"))
    )


def print_font() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
    font.setStyleHint(QFont.StyleHint.SansSerif)
    font.setPointSizeF(BODY_POINT_SIZE)
    return font


class PrintImageHandler(ImageHandler):
    """The sheet's pictures, also kept no taller than a page (they never split), and shrunk
    where pagination chose to (`PrintDocument.shrink`)."""

    def intrinsicSize(self, doc, pos, fmt):  # noqa: N802 - Qt override
        size = super().intrinsicSize(doc, pos, fmt) * getattr(doc, "shrink", {}).get(pos, 1.0)
        limit = float(doc.property("maxObjectHeight") or 0)
        if limit > 0 and size.height() > limit:
            size *= limit / size.height()
        return size


class PrintDocument(PageDocument):
    handler_class = PrintImageHandler

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.shrink: dict[int, float] = {}  # picture position -> scale chosen by pagination


_LAYOUT_DEVICE: QImage | None = None


def _layout_device() -> QImage:
    """A 96-dpi device to lay sheets out on, so no screen's DPI changes the pages."""
    global _LAYOUT_DEVICE
    if _LAYOUT_DEVICE is None:
        image = QImage(4, 4, QImage.Format.Format_RGB32)
        dots_per_metre = round(LAYOUT_DPI / 0.0254)
        image.setDotsPerMeterX(dots_per_metre)
        image.setDotsPerMeterY(dots_per_metre)
        _LAYOUT_DEVICE = image
    return _LAYOUT_DEVICE


def build_print_document(
    library: Library | None, sheet_html: str, page_size: QSizeF, topic: Topic | None = None
) -> PageDocument:
    """One sheet laid out at the text width of `page_size` (96-dpi units), not yet paginated."""
    doc = PrintDocument(library, topic)
    doc.documentLayout().setPaintDevice(_layout_device())
    doc.setProperty("maxObjectHeight", page_size.height() * 0.9)
    doc.setDocumentMargin(0)
    doc.setDefaultFont(print_font())
    option = QTextOption(doc.defaultTextOption())
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)  # no text past the margin
    doc.setDefaultTextOption(option)
    doc.setDefaultStyleSheet(print_stylesheet())
    doc.setTextWidth(page_size.width())
    doc.set_page_html(sheet_html)
    _fit_to_paper(doc)
    # Lay the whole sheet out again: after format changes Qt's incremental layout can leave
    # blocks between two changed tables with no lines at all (they would not be drawn).
    doc.markContentsDirty(0, doc.characterCount())
    doc.size()
    return doc


def _fit_to_paper(doc: QTextDocument) -> None:
    """Tables as wide as the text; code lines wrap instead of running off the page."""
    for frame in frames(doc.rootFrame()):
        if isinstance(frame, QTextTable) and frame.columns() > 1:
            fmt = frame.format()
            fmt.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
            if fmt.headerRowCount() == 0 and frame.rows() > 2 and _is_header_row(frame):
                fmt.setHeaderRowCount(1)
            frame.setFormat(fmt)
    block = doc.begin()
    cursor = QTextCursor(doc)
    while block.isValid():
        fmt = block.blockFormat()
        changed = False
        if fmt.nonBreakableLines():
            fmt.setNonBreakableLines(False)
            changed = True
        if (
            "\ufffc" in block.text()
            and fmt.lineHeightType() == QTextBlockFormat.LineHeightTypes.ProportionalHeight.value
        ):
            # `line-height: 130%` would add 30 % of a diagram's height below it.
            fmt.setLineHeight(100, QTextBlockFormat.LineHeightTypes.SingleHeight.value)
            changed = True
        if changed:
            cursor.setPosition(block.position())
            cursor.setBlockFormat(fmt)
        block = block.next()


def _is_header_row(table: QTextTable) -> bool:
    """Whether row 0 is all bold cells (a header written with <th>, not inside <thead>)."""
    for column in range(table.columns()):
        block = table.cellAt(0, column).firstCursorPosition().block()
        if not block.isValid() or block.charFormat().fontWeight() < QFont.Weight.DemiBold:
            return False
    return True


# -- the printer ---------------------------------------------------------------------------
def default_page_size() -> QPageSize:
    """Letter where the locale measures in US units, A4 elsewhere."""
    if QLocale().measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem:
        return QPageSize(QPageSize.PageSizeId.Letter)
    return QPageSize(QPageSize.PageSizeId.A4)


def page_size_from_key(key: str) -> QPageSize | None:
    """A QPageSize from a stored key: a standard size's key ("A4"), or "WxH mm"."""
    key = (key or "").strip()
    if not key:
        return None
    match = re.fullmatch(r"([\d.]+)x([\d.]+) ?mm", key)
    if match:
        size = QSizeF(float(match.group(1)), float(match.group(2)))
        return QPageSize(size, QPageSize.Unit.Millimeter, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    for size_id in QPageSize.PageSizeId:
        if size_id != QPageSize.PageSizeId.Custom and QPageSize.key(size_id) == key:
            return QPageSize(size_id)
    return None


def page_size_key(size: QPageSize) -> str:
    if size.id() != QPageSize.PageSizeId.Custom:
        return size.key()
    mm = size.size(QPageSize.Unit.Millimeter)
    return f"{mm.width():g}x{mm.height():g}mm"


def page_layout(settings=None, landscape: bool | None = None) -> QPageLayout:
    """The remembered page setup (defaults: the locale's size, portrait, 18/16 mm margins)."""
    from viewer.settings import DEFAULTS

    get = (
        settings.get
        if settings is not None
        else (lambda key, default=None: DEFAULTS.get(key, default))
    )
    size = page_size_from_key(get("print/pageSize")) or default_page_size()
    if landscape is None:
        landscape = bool(get("print/landscape"))
    margins = get("print/marginsMm")
    try:
        left, top, right, bottom = (min(60.0, max(0.0, float(m))) for m in margins)
    except (TypeError, ValueError):
        left, top, right, bottom = DEFAULTS["print/marginsMm"]
    orientation = (
        QPageLayout.Orientation.Landscape if landscape else QPageLayout.Orientation.Portrait
    )
    return QPageLayout(
        size, orientation, QMarginsF(left, top, right, bottom), QPageLayout.Unit.Millimeter
    )


def remember_page_layout(settings, layout: QPageLayout) -> None:
    margins = layout.margins(QPageLayout.Unit.Millimeter)
    settings.set("print/pageSize", page_size_key(layout.pageSize()))
    settings.set("print/landscape", layout.orientation() == QPageLayout.Orientation.Landscape)
    settings.set(
        "print/marginsMm",
        [round(m, 1) for m in (margins.left(), margins.top(), margins.right(), margins.bottom())],
    )


def build_printer(
    settings=None, *, pdf_path: str | None = None, title: str = "", landscape: bool | None = None
):
    """The paint device for a job: a QPdfWriter writing `pdf_path`, else a QPrinter.

    Both get the remembered page setup, the document title and the creator.
    """
    layout = page_layout(settings, landscape)
    if pdf_path is not None:
        writer = QPdfWriter(pdf_path)
        writer.setResolution(1200)
        writer.setPageLayout(layout)
        writer.setTitle(title)
        writer.setCreator(CREATOR)
        return writer
    from PySide6.QtPrintSupport import QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if not printer.setPageLayout(layout):
        printer.setPageSize(layout.pageSize())
        printer.setPageOrientation(layout.orientation())
    printer.setDocName(title)
    printer.setCreator(CREATOR)
    return printer


# -- painting ------------------------------------------------------------------------------
@dataclass
class _Geometry:
    scale: float  # device pixels per layout unit
    width: float  # device pixels of the paint rect (text area plus header and footer bands)
    height: float
    header: float  # device pixels
    footer: float

    @property
    def body(self) -> QSizeF:
        return QSizeF(
            self.width / self.scale, (self.height - self.header - self.footer) / self.scale
        )


def _geometry(device: QPagedPaintDevice) -> _Geometry:
    layout = device.pageLayout()
    dpi = device.logicalDpiY()
    rect = layout.paintRectPixels(dpi)
    mm = dpi / 25.4
    return _Geometry(
        dpi / LAYOUT_DPI, rect.width(), rect.height(), HEADER_BAND_MM * mm, FOOTER_BAND_MM * mm
    )


def lay_out_job(
    job: PrintJob, body: QSizeF
) -> tuple[list[tuple[PageDocument, list[list[Slice]]]], PaintResult]:
    """Every sheet laid out and cut into pages; with a cover, the contents come first.

    Two passes for the contents: laid out with placeholder numbers to learn how many pages
    they take, then written again with each sheet's first page.
    """
    sheets = []
    for sheet in job.sheets:
        doc = build_print_document(job.library, sheet.html, body, sheet.topic)
        sheets.append((doc, paginate_sheet(doc, body.height())))
    counts = [len(pages) for _doc, pages in sheets]
    laid_out = []
    contents_pages = 0
    if job.cover:
        doc = build_print_document(None, contents_html(job, None), body)
        pages = paginate(doc, body.height())
        for _ in range(3):
            contents_pages = len(pages)
            doc = build_print_document(
                None, contents_html(job, _first_pages(contents_pages, counts)), body
            )
            pages = paginate(doc, body.height())
            if len(pages) == contents_pages:
                break
        contents_pages = len(pages)
        laid_out.append((doc, pages))
    laid_out += sheets
    firsts = _first_pages(contents_pages, counts)
    marks = [sheet_marks(doc, pages, first) for (doc, pages), first in zip(sheets, firsts)]
    result = PaintResult(contents_pages + sum(counts), firsts, contents_pages, marks)
    return laid_out, result


def _first_pages(offset: int, counts: list[int]) -> list[int]:
    firsts, page = [], offset
    for count in counts:
        firsts.append(page)
        page += count
    return firsts


def paint_job(device: QPagedPaintDevice, job: PrintJob) -> PaintResult:
    """Lay the job out for this device's pages and paint every page. Raises PrintError."""
    geometry = _geometry(device)
    if geometry.body.width() < 100 or geometry.body.height() < 100:
        raise PrintError("the page margins leave no room for the text")
    laid_out, result = lay_out_job(job, geometry.body)
    paint_rect = device.pageLayout().paintRect(QPageLayout.Unit.Point)
    result.body_top_pt = paint_rect.top() + HEADER_BAND_MM * 72 / 25.4
    headers = [f"{job.library_title} · Contents"] if job.cover else []
    headers += [
        f"{job.library_title} · " + " › ".join([*sheet.crumbs, sheet.title]) for sheet in job.sheets
    ]
    pages = [
        (doc, slices, header)
        for (doc, doc_pages), header in zip(laid_out, headers)
        for slices in doc_pages
    ]
    painter = QPainter()
    if not painter.begin(device):
        raise PrintError("cannot start printing (the output cannot be opened)")
    try:
        for number, (doc, slices, header) in enumerate(pages):
            if number and not device.newPage():
                raise PrintError("cannot start a new page (is the disk full?)")
            _paint_page(
                painter,
                geometry,
                doc,
                slices,
                header,
                f"page {number + 1} of {len(pages)}",
                job.date,
            )
    finally:
        painter.end()
    return result


def _paint_page(
    painter: QPainter,
    g: _Geometry,
    doc: QTextDocument,
    slices: list[Slice],
    header: str,
    number: str,
    date: str,
) -> None:
    colours = palette("light")
    font = QFont(print_font())
    font.setPointSizeF(HEADER_POINT_SIZE)
    painter.save()
    painter.setFont(font)
    metrics = QFontMetricsF(font, painter.device())
    pen = QPen(QColor(colours["border"]))
    pen.setWidthF(0.5 * g.scale * LAYOUT_DPI / 72)  # a half-point hairline
    gap = 2.2 * g.scale * LAYOUT_DPI / 25.4 / 1.0  # ~2 mm between text and rule
    text_pen = QPen(QColor(colours["muted"]))
    # Header: text above a hairline.
    painter.setPen(text_pen)
    head_rect = QRectF(0, 0, g.width, g.header - gap - gap / 2)
    painter.drawText(
        head_rect,
        int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom),
        metrics.elidedText(header, Qt.TextElideMode.ElideMiddle, g.width),
    )
    painter.setPen(pen)
    painter.drawLine(QPointF(0, g.header - gap), QPointF(g.width, g.header - gap))
    # Footer: a hairline above the date and the page number.
    top = g.height - g.footer + gap
    painter.drawLine(QPointF(0, top), QPointF(g.width, top))
    painter.setPen(text_pen)
    foot_rect = QRectF(0, top + gap / 2, g.width, g.footer - gap - gap / 2)
    painter.drawText(foot_rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop), date)
    painter.drawText(
        foot_rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop), number
    )
    painter.restore()
    # The body: this page's slices of the laid-out document (a repeated table header first,
    # under a line that says the table goes on from the page before).
    body = g.body
    if len(slices) > 1 and slices[0].dest > 0:
        painter.save()
        painter.setFont(font)
        painter.setPen(text_pen)
        painter.drawText(
            QRectF(0, g.header, g.width, slices[0].dest * g.scale),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            "Table continued from the previous page",
        )
        painter.restore()
    bleed = 6 * LAYOUT_DPI / 25.4  # table borders may stand a hair outside the text width
    for piece in slices:
        painter.save()
        painter.translate(0, g.header)
        painter.scale(g.scale, g.scale)
        painter.translate(0, piece.dest - piece.top)
        clip = QRectF(-bleed, piece.top, body.width() + 2 * bleed, piece.bottom - piece.top)
        draw_on_paper(painter, doc, clip)
        painter.restore()


def paper_palette() -> QPalette:
    """The light theme's colours for everything a sheet's stylesheet leaves to the palette
    (body text above all): paper is light whatever the window's theme is."""
    colours = palette("light")
    pal = QPalette()
    for role, name in (
        (QPalette.ColorRole.Text, "text"),
        (QPalette.ColorRole.WindowText, "text"),
        (QPalette.ColorRole.Base, "background"),
        (QPalette.ColorRole.Window, "background"),
        (QPalette.ColorRole.Link, "link"),
        (QPalette.ColorRole.LinkVisited, "link"),
        (QPalette.ColorRole.PlaceholderText, "muted"),
    ):
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            pal.setColor(group, role, QColor(colours[name]))
    return pal


def draw_on_paper(painter: QPainter, doc: QTextDocument, clip: QRectF) -> None:
    """Draw the part `clip` of `doc` with the paper palette.

    Not `QTextDocument.drawContents`: it paints with a default QPalette, which is the
    application's, so in the dark theme every paragraph without a CSS colour came out
    near-white on white paper.
    """
    context = QAbstractTextDocumentLayout.PaintContext()
    context.palette = paper_palette()
    context.clip = clip
    painter.save()
    painter.setClipRect(clip)
    doc.documentLayout().draw(painter, context)
    painter.restore()
