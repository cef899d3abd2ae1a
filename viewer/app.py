"""The composition root: parse the command line, then run a command or build the window."""

from __future__ import annotations

import gc
import os
import sys
import time

PROCESS_START = time.perf_counter()

from viewer.errors import UsageError, unknown_topic  # noqa: E402 (after the clock starts)


def _fail(message: str) -> int:
    print(f"cloudref: error: {message}", file=sys.stderr)
    return 2


def build_window(argv: list[str] | None = None, *, defer: bool = False):
    """The main window for these arguments, shown-ready but without running the event loop.

    `defer` leaves what the first screen does not show for after its first paint
    (`MainWindow`); without it the window is complete when returned.
    """
    from viewer import cli

    args = cli.build_parser().parse_args(argv if argv is not None else [])
    cli.take_path_argument(args)
    window = _window_for(args, defer=defer)
    return window


def _window_for(args, *, defer: bool, library=None):
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from viewer import APP_ID, APP_NAME, startup
    from viewer.resources import data_file
    from viewer.settings import Settings
    from viewer.ui.main_window import MainWindow

    startup.mark("imports")
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "cloudref"])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Cloudref")
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(data_file("cloudref.svg"))))
    startup.mark("application")
    if library is None:
        library = open_start_library(args, remembered=defer)
    startup.mark("library open")
    topic = start_topic(library, args)
    window = MainWindow(library, Settings(), start_topic=topic, defer=defer)
    startup.mark("window built")
    return window


def start_topic(library, args) -> str | None:
    from viewer import cli

    return args.topics[0] if args.topics else cli.file_topic(library, args)


def open_start_library(args, *, remembered: bool):
    """The library the window opens, with its start topic checked: both before any Qt."""
    from viewer import cli

    library = cli.open_library(args, remembered=remembered)
    topic = start_topic(library, args)
    if library.provisional:
        from viewer.session.session import start_is_read
        from viewer.settings import Settings

        if not start_is_read(library, Settings(), topic):
            library = cli.open_library(args)  # the topic to start on lies past what was read
            topic = start_topic(library, args)
    if topic is not None and library.topic(topic) is None:
        raise unknown_topic(topic)
    return library


def _hand_off(args) -> int | None:
    """A window already showing this library takes the launch's topic or file and comes to
    the front: the launch's exit status then; None when there is no such window (or it does
    not answer in time), and this launch starts its own."""
    from viewer import cli
    from viewer.instance.client import hand_off_to_first
    from viewer.instance.protocol import OPENED, USAGE, Request

    root = cli.library_root(args).resolve()
    topic = args.topics[0] if args.topics else None
    # A file may belong to a library opened higher up: those windows are asked too, nearest
    # first (each is one look for a socket file when no window is open).
    roots = [root, *root.parents] if args.open_file else [root]
    reply = hand_off_to_first(roots, Request(str(root), topic, args.open_file))
    if reply.status == OPENED:
        return 0
    if reply.status == USAGE:
        return _fail(reply.message)
    return None


def _serve(window) -> None:
    """Answer second launches for the window's library (after the first paint: QtNetwork is
    not needed before)."""
    from viewer.ui.handoff import HandoffReceiver

    HandoffReceiver(window)


def main(argv: list[str] | None = None) -> int:
    # A window's start allocates much and frees little: the cyclic collector waits for the
    # first paint (a command runs with it). ARCHITECTURE.md, "Start-up tricks", says what
    # this buys.
    gc.disable()
    try:
        window = _launch(sys.argv[1:] if argv is None else argv)
    except BaseException:
        gc.enable()
        raise
    if isinstance(window, int):  # a command ran, or the launch opens no window
        gc.enable()
        return window
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from viewer import startup

    window.first_painted.connect(gc.enable)
    QTimer.singleShot(3000, gc.enable)  # a window that is never painted (started minimised)
    window.show()
    startup.mark("shown")
    return QApplication.instance().exec()


def _render_first_page(args):
    """On a library's first start (no snapshot of it yet), its start page rendered in a child
    process (`viewer.pages.first_page`); None otherwise."""
    from viewer import cli
    from viewer.library.folder import LibrarySnapshot

    try:
        if LibrarySnapshot(cli.library_root(args).resolve()).path.exists():
            return None  # seen before: its pages are in the page cache
    except OSError:
        return None
    from viewer.pages import first_page

    def open_start():
        library = cli.open_library(args, remembered=True)
        topic_id = start_topic(library, args)
        return library, library.topic(topic_id) if topic_id else library.first_topic

    return first_page.start(open_start)


def _launch(argv: list[str]):
    """Parse `argv` and run its command (the exit status), or make the window it asks for."""
    from viewer import child_env, cli

    child_env.restore_if_frozen()  # what we start (the browser) gets the user's environment
    if sys.stdout is None:  # the windowed Windows build has no console (cloudref-cli.exe has)
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives as long as we do)
    args = cli.build_parser().parse_args(argv)
    cli.take_path_argument(args)
    try:
        cli.check_usage(args)
        gc.enable()
        status = cli.run_command(args)
        gc.disable()
    except UsageError as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        return 0
    if status is not None:
        return status
    return _start_window(args)


def _start_window(args):
    """The window for `args`, ready to show; or the exit status when this launch opens none
    (another window took it, or the library or the display cannot be opened)."""
    # A measured start (--startup-report) is always a start of its own.
    if not (args.new_window or args.startup_report):
        status = _hand_off(args)
        if status is not None:
            return status
    first_page = _render_first_page(args)  # in a child process, while this one loads Qt
    try:
        library = open_start_library(args, remembered=True)
        from viewer.display import display_problem

        problem = display_problem()  # before Qt, which aborts the process without a display
        if problem:
            raise UsageError(problem)
    except UsageError as exc:
        if first_page is not None:
            first_page.forget()
        return _fail(str(exc))
    window = _window_for(args, defer=True, library=library)
    window.session.renderer.first_page = first_page  # taken when the first page is needed
    if args.startup_report:  # first: it times the first paint, not what waits for it
        from viewer.startup import report_when_painted

        report_when_painted(window, PROCESS_START)
    else:  # second launches for this library come to this window from now on
        window.first_painted.connect(lambda: _serve(window))
    return window


if __name__ == "__main__":
    sys.exit(main())
