"""Command-line options, and the commands that run without a window.

Nothing here imports Qt widgets: `--list`, `--search`, `--compare` and `--check` start fast
and work on machines with no display.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from viewer import APP_NAME, __version__
from viewer.errors import UsageError
from viewer.library.folder import Library, LibraryError
from viewer.resources import bundled_library


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="cloudref",
        description=f"{APP_NAME}: a desktop reference viewer for libraries of Markdown topics.",
    )
    parser.add_argument(
        "topics",
        nargs="*",
        metavar="TOPIC",
        help="topic id to open (to export with --export-pdf; topic or table ids: --export-anki);"
        " or a folder to open as the library, or a Markdown file to open in its folder",
    )
    parser.add_argument(
        "--content", metavar="DIR", help="open this library folder instead of the bundled notes"
    )
    parser.add_argument(
        "--list",
        action="store_true",
        help="print id<TAB>title<TAB>category for every topic and exit",
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument(
        "--check",
        nargs="?",
        const="",
        metavar="DIR",
        help="check a library (default: the one opened) and exit",
    )
    parser.add_argument(
        "--search",
        metavar="QUERY",
        help="print ranked results as id<TAB>title<TAB>snippet and exit",
    )
    parser.add_argument(
        "--compare",
        nargs="*",
        metavar="SUBJECT",
        help="list comparison subjects, or print a comparison table",
    )
    parser.add_argument(
        "--differences", action="store_true", help="with --compare: only rows whose values differ"
    )
    parser.add_argument(
        "--export-pdf", metavar="OUT.pdf", help="write topics (or a comparison) to a PDF and exit"
    )
    parser.add_argument(
        "--recall",
        action="store_true",
        help="with --export-pdf --compare: a self-test sheet (blank cells), the answers last",
    )
    parser.add_argument(
        "--export-anki",
        metavar="OUT.apkg",
        help="write the flashcards of these topics or tables (default: all) as an Anki deck",
    )
    parser.add_argument("--all", action="store_true", help="with --export-pdf: the whole library")
    parser.add_argument(
        "--new-window",
        action="store_true",
        help="open a window of its own even if one already shows this library (by default the"
        " topic or file goes to that window, which comes to the front)",
    )
    parser.add_argument(
        "--startup-report",
        action="store_true",
        help="print start-up timings once the first page is painted, and quit",
    )
    return parser


def take_path_argument(args: argparse.Namespace) -> None:
    """`cloudref PATH` (as a file manager's "Open with" starts it): a folder opens as the
    library; a Markdown file opens its folder as the library, at that file
    (`args.open_file`). A topic id stays a topic id: only an existing folder, or an existing
    file named `.md`, is taken as a path."""
    args.open_file = None
    if args.content or len(args.topics) != 1:
        return
    path = Path(args.topics[0]).expanduser()
    if path.is_dir():
        args.content, args.topics = str(path), []
    elif path.is_file() and path.suffix.lower() in (".md", ".markdown"):
        args.content, args.topics = str(path.parent), []
        args.open_file = str(path.resolve())


def file_topic(library: Library, args: argparse.Namespace) -> str | None:
    """The id of the topic `args.open_file` names, if the library shows it as a topic."""
    if not getattr(args, "open_file", None):
        return None
    topic = library.topic_for_file(Path(args.open_file))
    return topic.id if topic is not None else None


def check_usage(args: argparse.Namespace) -> None:
    """Raise UsageError for options that would do nothing as given, as argparse does for its own
    errors: the user learns at once, instead of wondering why an option had no effect."""
    commands = [
        name
        for name, given in (
            ("--version", args.version),
            ("--check", args.check is not None),
            ("--list", args.list),
            ("--search", args.search is not None),
            ("--export-anki", bool(getattr(args, "export_anki", None))),
            ("--export-pdf", bool(args.export_pdf)),
            ("--compare", args.compare is not None and not args.export_pdf),
        )
        if given
    ]
    if len(commands) > 1:
        raise UsageError(f"{' and '.join(commands)} cannot be used together; choose one")
    if args.differences and args.compare is None:
        raise UsageError("--differences only applies with --compare")
    if args.all and not args.export_pdf:
        raise UsageError("--all only applies with --export-pdf")
    if args.check is not None and args.check and args.content:
        raise UsageError("give the folder once: --check DIR, or --content DIR --check")
    if args.startup_report and commands:
        raise UsageError(f"--startup-report times the window's start; {commands[0]} opens none")
    if not args.topics:
        return
    if args.export_pdf and args.all:
        raise UsageError("--all exports every topic; leave out the topic ids")
    if args.export_pdf and args.compare is not None:
        raise UsageError("--export-pdf --compare exports comparisons; leave out the topic ids")
    if commands and not (args.export_pdf or getattr(args, "export_anki", None)):
        raise UsageError(f"{commands[0]} takes no topic ids: {' '.join(args.topics)}")
    if not commands and len(args.topics) > 1:
        raise UsageError(
            f"the window opens one topic; {len(args.topics)} were given: {' '.join(args.topics)}"
        )


def library_root(args: argparse.Namespace) -> Path:
    return Path(args.content).expanduser() if args.content else bundled_library()


def open_library(args: argparse.Namespace, *, remembered: bool = False) -> Library:
    """The library the arguments name; `remembered`: as its last scan left it, if still valid
    (the window's start-up, which scans again after its first paint)."""
    try:
        return Library(library_root(args), remembered=remembered)
    except LibraryError as exc:
        raise UsageError(str(exc)) from None


_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def one_field(text: str) -> str:
    """`text` as one tab-separated field on one line: tabs, line breaks and other control
    characters (a terminal's escape sequences among them) written as backslash escapes."""
    if text.isprintable():
        return text
    return "".join(
        _ESCAPES.get(char)
        or (
            char
            if char.isprintable() or char == " "
            else f"\\x{ord(char):02x}"
            if ord(char) < 0x100
            else f"\\u{ord(char):04x}"
        )
        for char in text
    )


def command_list(library: Library) -> int:
    out = sys.stdout
    for topic in library.topics:
        category = " › ".join(topic.breadcrumb)
        out.write(f"{one_field(topic.id)}\t{one_field(topic.title)}\t{one_field(category)}\n")
    return 0


def run_command(args: argparse.Namespace) -> int | None:
    """Run a non-GUI command and return its exit status, or None to start the window."""
    if args.version:
        print(f"{APP_NAME} {__version__}")
        return 0
    if args.check is not None:
        from viewer.commands.check import run_check

        return run_check(Path(args.check) if args.check else library_root(args))
    if args.list:
        return command_list(open_library(args))
    if args.search is not None:
        from viewer.search.index import run_search

        return run_search(open_library(args), args.search)
    if args.export_anki:
        from viewer.study.anki import run_export_anki

        return run_export_anki(open_library(args), args.export_anki, args.topics)
    if args.recall and not (args.export_pdf and args.compare is not None):
        raise UsageError("--recall works with --export-pdf OUT.pdf --compare [SUBJECT …]")
    if args.export_pdf:
        from viewer.paper.export import run_export

        return run_export(open_library(args), args)
    if args.compare is not None:
        from viewer.compare.tables import run_compare

        return run_compare(open_library(args), args.compare, differences_only=args.differences)
    return None  # the window: app.build_window opens the library and checks the topic id
