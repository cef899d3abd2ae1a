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
from dataclasses import dataclass
from pathlib import Path

from viewer.library.folder import Library


class ExportError(Exception):
    """The PDF could not be written; the message says why, in one line."""


@dataclass
class ExportResult:
    path: Path
    pages: int
    outline: list[tuple[str, int]]  # (title, 0-based page)


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
        _finish_pdf(temp, job.title, entries)
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


def _finish_pdf(path: Path, title: str, entries: list[tuple[str, int]]) -> None:
    """Add the outline (bookmarks) and make sure the title and creator are set."""
    from pypdf import PdfReader, PdfWriter

    from viewer import APP_NAME, __version__

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    writer = PdfWriter(clone_from=reader)
    pages = len(writer.pages)
    for name, page in entries:
        if 0 <= page < pages:
            writer.add_outline_item(title=name, page_number=page)
    metadata = {
        key: value for key, value in (reader.metadata or {}).items() if isinstance(value, str)
    }
    metadata.update({"/Title": title, "/Creator": f"{APP_NAME} {__version__}"})
    writer.add_metadata(metadata)
    if entries:
        writer.page_mode = "/UseOutlines"  # viewers open with the bookmarks showing
    buffer = io.BytesIO()
    writer.write(buffer)
    path.write_bytes(buffer.getvalue())


def run_export(library: Library, args) -> int:
    """`cloudref --export-pdf OUT [TOPIC …] [--all] [--compare SUBJECT …]`."""
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

    try:
        if args.compare is not None:
            job = build_comparison_job(library, args.compare, differences_only=args.differences)
        else:
            job = build_print_job(library, topics)
        export_pdf(job, args.export_pdf, Settings())
    except (PrintError, ExportError) as exc:
        raise UsageError(str(exc)) from None
    return 0
