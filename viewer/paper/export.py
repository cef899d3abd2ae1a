"""PDF export: `cloudref --export-pdf`, and the safe write every PDF export goes through.

The PDF is painted by `viewer.paper.printing` (the same pages as the print preview) into a
temporary file beside the target, given an outline with one entry per sheet (Qt's PDF
writer makes none) with pypdf, then renamed over the target: an export that fails leaves
the old file as it was and no half-written one behind.

Qt is imported lazily, and only QtGui: the command needs no widgets and no display.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from viewer.library.folder import Library


class ExportError(Exception):
    """The PDF could not be written; the message says why, in one line."""


@dataclass
class ExportResult:
    path: Path
    pages: int
    outline: list[tuple[str, int]]  # the top level: (title, 0-based page)


@dataclass
class OutlineEntry:
    """A PDF bookmark: a title, where it jumps (page, points from the paper's top), children."""

    title: str
    page: int
    top_pt: float | None = None
    children: list[OutlineEntry] = field(default_factory=list)


def ensure_gui_application():
    """The running QGuiApplication, or a new one; offscreen where there is no display."""
    if (
        not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
        and sys.platform not in ("win32", "darwin")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    if app is None:
        app = QGuiApplication([sys.argv[0] if sys.argv else "cloudref"])
    return app


def outline_entries(job, first_pages: list[int], contents_pages: int) -> list[tuple[str, int]]:
    entries = [("Contents", 0)] if contents_pages else []
    entries += [(sheet.title, page) for sheet, page in zip(job.sheets, first_pages)]
    return entries


def outline_tree(job, result) -> list[OutlineEntry]:
    """Contents, then each sheet with its sections (level 2) and their subsections (level 3)."""
    entries = [OutlineEntry("Contents", 0)] if result.contents_pages else []
    for sheet, marks in zip(job.sheets, result.marks):
        top = OutlineEntry(sheet.title, marks.start.page)
        section: OutlineEntry | None = None
        for heading in marks.headings:
            entry = OutlineEntry(
                heading.title, heading.mark.page, result.points_from_top(heading.mark.y)
            )
            if heading.level == 2 or section is None:
                top.children.append(entry)
                section = entry
            else:
                section.children.append(entry)
        entries.append(top)
    return entries


def link_targets(job, result) -> dict[str, tuple[int, float | None]]:
    """Every internal link target of the job (`ID`, `ID#anchor`) -> (page, points from top)."""
    targets: dict[str, tuple[int, float | None]] = {}
    for sheet, marks in zip(job.sheets, result.marks):
        targets[sheet.key] = (marks.start.page, None)
        for anchor, mark in marks.anchors.items():
            targets[f"{sheet.key}#{anchor}"] = (mark.page, result.points_from_top(mark.y))
    return targets


def export_pdf(job, path: str | os.PathLike, settings=None) -> ExportResult:
    """Write `job` (a `printing.PrintJob`) to the PDF `path`, atomically. Raises ExportError."""
    from viewer.paper.printing import PrintError, build_printer, paint_job

    target = Path(path).expanduser()
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name ending in .pdf")
    folder = target.parent
    if not folder.is_dir():
        raise ExportError(f"folder not found: {folder}")
    try:
        handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise ExportError(f"cannot write to {folder}: {exc.strerror or exc}") from None
    os.close(handle)
    temp = Path(temp_name)
    try:
        writer = build_printer(
            settings, pdf_path=str(temp), title=job.title, landscape=job.landscape
        )
        try:
            result = paint_job(writer, job)
        finally:
            del writer  # the file is complete and closed once the writer is gone
        entries = outline_entries(job, result.first_pages, result.contents_pages)
        _finish_pdf(temp, job.title, outline_tree(job, result), link_targets(job, result))
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # mkstemp makes it private; a PDF is an ordinary file
        os.replace(temp, target)
    except PrintError as exc:
        temp.unlink(missing_ok=True)
        raise ExportError(str(exc)) from None
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return ExportResult(target, result.pages, entries)


def _finish_pdf(
    path: Path,
    title: str,
    outline: list[OutlineEntry],
    targets: dict[str, tuple[int, float | None]] | None = None,
) -> None:
    """Add the outline (bookmarks), turn links between sheets into jumps to their pages, and
    make sure the title and creator are set."""
    from pypdf import PdfReader, PdfWriter

    from viewer import APP_NAME, __version__

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    writer = PdfWriter(clone_from=reader)
    _add_outline(writer, outline, None)
    _link_sheets(writer, targets or {})
    metadata = {
        key: value for key, value in (reader.metadata or {}).items() if isinstance(value, str)
    }
    metadata.update({"/Title": title, "/Creator": f"{APP_NAME} {__version__}"})
    writer.add_metadata(metadata)
    if outline:
        writer.page_mode = "/UseOutlines"  # viewers open with the bookmarks showing
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())


def _add_outline(writer, entries: list[OutlineEntry], parent) -> None:
    from pypdf.generic import Fit

    pages = len(writer.pages)
    for entry in entries:
        if not 0 <= entry.page < pages:
            continue
        fit = Fit.fit() if entry.top_pt is None else Fit.xyz(top=_pdf_y(writer, entry))
        item = writer.add_outline_item(
            title=entry.title, page_number=entry.page, parent=parent, fit=fit
        )
        _add_outline(writer, entry.children, item)


def _pdf_y(writer, entry) -> float:
    """Points from the paper's top as PDF user space (from the bottom), a little above."""
    height = float(writer.pages[entry.page].mediabox.height)
    return round(min(height, height - entry.top_pt + 6), 2)


def _link_sheets(writer, targets: dict[str, tuple[int, float | None]]) -> None:
    """Qt writes a link to another sheet as a URI annotation (`cloudref:ID#anchor`): make it
    a jump to the page where the target starts, or drop it if that topic is not in the PDF."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NullObject

    from viewer.paper.marks import SHEET_LINK

    for page in writer.pages:
        annots = page.get("/Annots")
        if annots is None:
            continue
        kept = ArrayObject()
        for ref in annots.get_object():
            annot = ref.get_object()
            action = annot.get("/A")
            uri = str(action.get_object().get("/URI", "")) if action is not None else ""
            if not uri.startswith(SHEET_LINK):
                kept.append(ref)
                continue
            key = uri[len(SHEET_LINK) :]
            target = targets.get(key) or targets.get(key.split("#")[0])
            if target is None:
                continue  # a topic not in this PDF: the words stay, the link goes
            number, top_pt = target
            height = float(writer.pages[number].mediabox.height)
            top = FloatObject(height if top_pt is None else min(height, height - top_pt + 6))
            del annot[NameObject("/A")]
            annot[NameObject("/Dest")] = ArrayObject(
                [
                    writer.pages[number].indirect_reference,
                    NameObject("/XYZ"),
                    NullObject(),
                    top,
                    NullObject(),
                ]
            )
            kept.append(ref)
        page[NameObject("/Annots")] = kept


def run_export(library: Library, args) -> int:
    """`cloudref --export-pdf OUT [TOPIC …] [--all] [--compare SUBJECT … [--recall]]`."""
    from viewer.errors import UsageError

    if args.compare is None and not args.all and not args.topics:
        raise UsageError("--export-pdf needs topic ids, --all, or --compare SUBJECT …")
    topics = []
    if args.compare is None:
        if args.all:
            topics = list(library.topics)
            if not topics:
                raise UsageError(f"the library has no topics: {library.root}")
        else:
            for topic_id in args.topics:
                topic = library.topic(topic_id)
                if topic is None:
                    raise UsageError(f"unknown topic id: {topic_id!r} (cloudref --list shows them)")
                topics.append(topic)
    ensure_gui_application()
    from viewer.paper.printing import PrintError, build_comparison_job, build_print_job
    from viewer.settings import Settings

    failures: list = []
    try:
        if args.compare is not None:
            job = build_comparison_job(
                library, args.compare, differences_only=args.differences, recall=args.recall
            )
        else:
            # Partial success is success: every topic that can be printed is, the others are
            # named on a last page and here, and the exit status says not all went in.
            job = build_print_job(library, topics, failures=failures)
        export_pdf(job, args.export_pdf, Settings())
    except (PrintError, ExportError) as exc:
        raise UsageError(str(exc)) from None
    for _topic, reason in failures:
        print(f"cloudref: error: not exported: {reason}", file=sys.stderr)
    if failures:
        print(
            f"cloudref: wrote {args.export_pdf} without {len(failures)} topic(s) "
            "(named on its last page)",
            file=sys.stderr,
        )
        return 1
    return 0
