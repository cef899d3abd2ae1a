"""Cutting a laid-out sheet into pages, as a typesetter would.

Qt's own pagination (QTextDocument.setPageSize) keeps lines whole but splits table rows
between pages and keeps nothing together. So a sheet is laid out as one long page and cut
into pages here: each cut goes as low as it can without passing through a span that must
stay whole. On top of that (`paginate_sheet`): a diagram that does not fit the rest of a
page shrinks (down to 70 %) before it moves, whole-block keeps give way before a page is
left more than half empty, and a sheet does not end with a page of a line or two.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QTextBlock, QTextDocument, QTextFrame, QTextTable

# Keep-together limits, as fractions of the page's text height: anything taller may break.
KEEP_BOX = 0.6  # code blocks and admonitions (one-cell tables)
KEEP_TABLE = 0.4  # data tables; longer ones split between rows and repeat their header
KEEP_LINES = 6  # paragraphs this short are kept whole when that leaves the page full enough
MIN_FILL = 0.5  # a whole-block keep gives way rather than leave a page emptier than this
SHRINK_LIMIT = 0.7  # a diagram shrinks down to this before it moves to the next page
LAST_PAGE_LINES = 5  # a sheet's last page takes at least this many lines from the one before

# Spans come in levels, dropped one by one: whole blocks (KEEP) first if the page would be
# more than half empty, then, only if a page would be empty, a heading with what follows it
# and a paragraph's first and last two lines (WITH_NEXT), table rows, and lines (diagrams are
# lines).
MUST, ROW, WITH_NEXT, KEEP = 0, 1, 2, 3
CONTINUED_HEIGHT = 16.0  # the "continued" line above a table's repeated header row


@dataclass
class Span:
    """An extent of the laid-out sheet that a page cut should not pass through, at `level`."""

    top: float
    bottom: float
    level: int


@dataclass
class HeaderTable:
    """A table whose header row is repeated at the top of each page it continues on."""

    top: float
    header_bottom: float
    bottom: float


@dataclass
class Slice:
    """Part of a laid-out sheet, drawn at `dest` (from the top of the page's text area)."""

    top: float
    bottom: float
    dest: float


def frames(frame: QTextFrame):
    """Every frame inside `frame`, depth first: tables, and the tables inside their cells."""
    for child in frame.childFrames():
        yield child
        yield from frames(child)


def line_spans(layout, block: QTextBlock) -> list[tuple[float, float]]:
    """(top, bottom) of each laid-out line of `block`, in document coordinates."""
    text_layout = block.layout()
    if text_layout is None or text_layout.lineCount() == 0:
        return []
    # The rect's top is where the block starts; line positions are relative to it.
    origin = layout.blockBoundingRect(block).top()
    spans = []
    for index in range(text_layout.lineCount()):
        line = text_layout.lineAt(index)
        spans.append((origin + line.y(), origin + line.y() + line.height()))
    return spans


def _table_rows(layout, table: QTextTable) -> list[tuple[float, float]]:
    """Each row's extent, borders and padding included; rows meet half-way between texts."""
    texts = []
    for row in range(table.rows()):
        top, bottom = float("inf"), float("-inf")
        for column in range(table.columns()):
            cell = table.cellAt(row, column)
            first, last = cell.firstCursorPosition().block(), cell.lastCursorPosition().block()
            lines = line_spans(layout, first)
            if lines:
                top = min(top, lines[0][0])
            block = first
            while block.isValid():
                lines = line_spans(layout, block)
                if lines:
                    bottom = max(bottom, lines[-1][1])
                if block == last:
                    break
                block = block.next()
        texts.append((top, bottom))
    fmt = table.format()
    outer = fmt.cellPadding() + fmt.border() + fmt.cellSpacing() + 2  # and a hair for antialiasing
    rows = []
    for row, (top, bottom) in enumerate(texts):
        upper = top - outer if row == 0 else (texts[row - 1][1] + top) / 2
        lower = bottom + outer if row == len(texts) - 1 else (bottom + texts[row + 1][0]) / 2
        rows.append((upper, lower))
    return rows


def collect_spans(
    doc: QTextDocument, page_height: float
) -> tuple[list[Span], list[HeaderTable], float]:
    """What `paginate` cuts around: the spans (sorted by top), the tables whose header repeats
    on later pages, and the bottom of the content."""
    layout = doc.documentLayout()
    spans: list[Span] = []
    headed: list[HeaderTable] = []
    content_bottom = 0.0
    block = doc.begin()
    while block.isValid():
        lines = line_spans(layout, block)
        spans += [Span(top, bottom, MUST) for top, bottom in lines]
        if lines:
            content_bottom = max(content_bottom, lines[-1][1])
            count = len(lines)
            heading = block.blockFormat().headingLevel() > 0
            if heading or block.text().rstrip().endswith(":"):
                # A heading, or a sentence introducing what follows: not alone at a page's foot.
                following = block.next()
                while following.isValid() and not line_spans(layout, following):
                    following = following.next()
                if following.isValid():
                    spans.append(
                        Span(
                            lines[0 if heading else -1][0],
                            line_spans(layout, following)[0][1],
                            WITH_NEXT,
                        )
                    )
            if 1 < count <= KEEP_LINES and not heading:
                spans.append(Span(lines[0][0], lines[-1][1], KEEP))
            elif count > KEEP_LINES:
                spans.append(Span(lines[0][0], lines[1][1], WITH_NEXT))  # no lone first line
                spans.append(Span(lines[-2][0], lines[-1][1], WITH_NEXT))  # no lone last line
        block = block.next()
    for frame in frames(doc.rootFrame()):
        if not isinstance(frame, QTextTable):
            continue
        rows = _table_rows(layout, frame)
        if not rows:
            continue
        top, bottom = rows[0][0], rows[-1][1]
        content_bottom = max(content_bottom, bottom)
        if frame.rows() == 1 and frame.columns() == 1:  # a code block or an admonition
            if bottom - top <= page_height * KEEP_BOX:
                spans.append(Span(top, bottom, KEEP))
            continue
        spans += [Span(upper, lower, ROW) for upper, lower in rows]
        if bottom - top <= page_height * KEEP_TABLE:
            spans.append(Span(top, bottom, KEEP))
        header_rows = frame.format().headerRowCount()
        if 0 < header_rows < len(rows):
            spans.append(Span(top, rows[header_rows][1], ROW))  # the header with a row under it
            if frame.parentFrame() is doc.rootFrame():
                headed.append(HeaderTable(top, rows[header_rows - 1][1], bottom))
    spans.sort(key=lambda span: span.top)
    return spans, headed, content_bottom


def paginate(
    doc: QTextDocument, page_height: float, shorter: dict[int, float] | None = None
) -> list[list[Slice]]:
    """The sheet's pages, each a list of slices of the laid-out document; `shorter` gives
    some pages (by index) less room than the page has."""
    spans, headed, content_bottom = collect_spans(doc, page_height)
    pages: list[list[Slice]] = []
    start = 0.0
    while start < content_bottom - 0.5 and len(pages) < 10_000:
        slices = []
        room = page_height
        repeat = next(
            (
                t
                for t in headed
                if t.header_bottom <= start + 0.5 and start < t.bottom - 0.5 and start > t.top + 0.5
            ),
            None,
        )
        if repeat is not None:
            # A line saying the table continues, then its header row again.
            slices.append(Slice(repeat.top, repeat.header_bottom, CONTINUED_HEIGHT))
            room -= repeat.header_bottom - repeat.top + CONTINUED_HEIGHT
        limit = start + room
        if shorter and len(pages) in shorter:
            limit = min(limit, start + shorter[len(pages)])
        cut = _cut(spans, start, limit)
        slices.append(Slice(start, cut, page_height - room))
        pages.append(slices)
        start = cut
    return pages or [[Slice(0.0, page_height, 0.0)]]


def _cut(spans: list[Span], start: float, limit: float) -> float:
    """The lowest y at most `limit` that passes through no span starting below `start`:
    keeping whole blocks only while the page stays at least half full."""
    for level in (KEEP, WITH_NEXT, ROW, MUST):
        cut = limit
        moved = True
        while moved:
            moved = False
            for span in spans:
                if span.top >= cut:
                    break
                if span.level <= level and span.top > start + 0.5 and span.bottom > cut + 0.01:
                    cut = span.top
                    moved = True
        if cut > start + 0.5 and (level != KEEP or cut - start >= MIN_FILL * (limit - start)):
            return cut
    return limit  # a single line taller than the page: cut through it


# -- the sheet's rules: shrink a diagram before it moves, no lonely last page ---------------
def paginate_sheet(doc: QTextDocument, page_height: float) -> list[list[Slice]]:
    """`paginate`, then the typesetter's rules that need a second look at the pages.

    A diagram that opens a page (after at most a heading) while the page before has room
    for 70 % of it or more is shrunk to fit there (`doc.shrink`, read by the print image
    handler) and the sheet cut again. Then, if the last page holds fewer than five lines,
    the page before gives it some, as long as it stays at least half full.
    """
    pages = paginate(doc, page_height)
    shrink = getattr(doc, "shrink", None)
    for _ in range(12):  # each round settles one diagram; a sheet has a handful at most
        if shrink is None:
            break
        found = _diagram_to_shrink(doc, pages, page_height)
        if found is None:
            break
        position, factor = found
        shrink[position] = shrink.get(position, 1.0) * factor
        doc.markContentsDirty(0, doc.characterCount())
        doc.size()
        pages = paginate(doc, page_height)
    return _fill_last_page(doc, pages, page_height)


def _used(slices: list[Slice]) -> float:
    last = slices[-1]
    return last.dest + last.bottom - last.top


def pictures(doc: QTextDocument) -> list[tuple[int, float, float]]:
    """Each picture of the laid-out document: (position, top, bottom) of its line."""
    layout = doc.documentLayout()
    found = []
    block = doc.begin()
    while block.isValid():
        text_layout = block.layout()
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().isImageFormat() and text_layout is not None:
                line = text_layout.lineForTextPosition(fragment.position() - block.position())
                if line.isValid():
                    origin = layout.blockBoundingRect(block).top()
                    top = origin + line.y()
                    found.append((fragment.position(), top, top + line.height()))
            iterator += 1
        block = block.next()
    return found


def _diagram_to_shrink(
    doc: QTextDocument, pages: list[list[Slice]], page_height: float
) -> tuple[int, float] | None:
    """A diagram that moved to the next page but fits the gap left behind at 70 % or more."""
    found = pictures(doc)
    for index in range(len(pages) - 1):
        cut = pages[index][-1].bottom
        gap = page_height - _used(pages[index])
        for position, top, bottom in found:
            lead = top - cut  # what goes before it on the next page: a heading, a line
            if lead < -0.5 or lead > page_height * 0.12:
                continue
            height = bottom - top
            factor = (gap - max(0.0, lead) - 4) / height if height > 0 else 0
            if SHRINK_LIMIT <= factor < 1:
                return position, factor
    return None


def _fill_last_page(
    doc: QTextDocument, pages: list[list[Slice]], page_height: float
) -> list[list[Slice]]:
    if len(pages) < 2:
        return pages
    lines = _lines_between(doc, pages[-1][-1].top, pages[-1][-1].bottom)
    if lines >= LAST_PAGE_LINES:
        return pages
    before = pages[-2]
    used = _used(before)
    line_height = (pages[-1][-1].bottom - pages[-1][-1].top) / max(1, lines)
    for extra in range(LAST_PAGE_LINES - lines, 0, -1):
        room = used - extra * line_height - before[-1].dest
        if before[-1].dest + room < MIN_FILL * page_height:
            continue
        candidate = paginate(doc, page_height, {len(pages) - 2: room})
        if len(candidate) == len(pages):
            return candidate
    return pages


def _lines_between(doc: QTextDocument, top: float, bottom: float) -> int:
    layout = doc.documentLayout()
    count = 0
    block = doc.begin()
    while block.isValid():
        for line_top, _line_bottom in line_spans(layout, block):
            if top - 0.5 <= line_top < bottom:
                count += 1
        block = block.next()
    return count
