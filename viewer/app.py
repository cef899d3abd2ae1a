"""The composition root: parse the command line, then run a command or build the window."""

from __future__ import annotations

import gc
import os
import sys
import time

PROCESS_START = time.perf_counter()

from viewer.errors import UsageError  # noqa: E402 (after the clock starts)


def _fail(message: str) -> int:
    print(f"cloudref: error: {message}", file=sys.stderr)
    return 2


def build_window(argv: list[str] | None = None, *, defer: bool = False):
    """The main window for these arguments, shown-ready but without running the event loop.

    `defer` leaves what the first screen does not show for after its first paint
    (`MainWindow`); without it the window is complete when returned.
    """
    from viewer import cli

    window = _window_for(
        cli.build_parser().parse_args(argv if argv is not None else []), defer=defer
    )
    if defer:
        window.first_painted.connect(_set_app_icon)
    else:
        _set_app_icon()
    return window


def _window_for(args, *, defer: bool):
    # The window's plain-Python modules before PySide6: once PySide6 is in, it reads the
    # source of every module an import statement names for the first time (its __feature__
    # hook, ~0.1 ms a module); the import statements of modules loaded before it run unwatched.
    # isort: off
    from viewer import APP_ID, APP_NAME, cli, startup
    from viewer.pages import links, page_cache, theme  # noqa: F401
    from viewer.session import bookmarks, history  # noqa: F401
    from viewer.settings import Settings  # the first to import PySide6, after its own plain imports
    from PySide6.QtWidgets import QApplication
    from viewer.ui.main_window import MainWindow
    # isort: on

    startup.mark("imports")
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "cloudref"])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("Cloudref")
    app.setDesktopFileName(APP_ID)
    startup.mark("application")
    library = cli.open_library(args, remembered=defer)
    startup.mark("library open")
    topic = args.topics[0] if args.topics else None
    if topic is not None and library.topic(topic) is None:
        raise UsageError(f"unknown topic id: {topic!r} (cloudref --list shows them)")
    window = MainWindow(library, Settings(), start_topic=topic, defer=defer)
    startup.mark("window built")
    return window


def _set_app_icon() -> None:
    """Deferred, after the first paint: QIcon's enums cost that paint about a millisecond."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from viewer.resources import data_file

    QApplication.instance().setWindowIcon(QIcon(str(data_file("cloudref.svg"))))


def main(argv: list[str] | None = None) -> int:
    # Start-up allocates a great deal and frees almost nothing (PySide6's import, ours, the
    # window): the cyclic garbage collector would walk the growing heap some seventy times
    # before the first paint (~4 ms). It is off until then, or until a command starts.
    gc.disable()
    from viewer import cli, startup

    argv = sys.argv[1:] if argv is None else argv
    if sys.stdout is None:  # the windowed Windows build has no console (cloudref-cli.exe has)
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives as long as we do)
    parser = cli.build_parser()
    args = parser.parse_args(argv)
    gc.enable()  # for a command; run_command returns None at once if the window is wanted
    try:
        status = cli.run_command(args)
    except UsageError as exc:
        return _fail(str(exc))
    except BrokenPipeError:
        return 0
    if status is not None:
        return status
    gc.disable()
    try:
        window = _window_for(args, defer=True)
    except UsageError as exc:
        gc.enable()
        return _fail(str(exc))
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    if args.startup_report:  # first: it times the first paint, not what waits for it
        from viewer.startup import report_when_painted

        report_when_painted(window, PROCESS_START)
    window.first_painted.connect(gc.enable)
    window.first_painted.connect(_set_app_icon)
    QTimer.singleShot(3000, gc.enable)  # a window that is never painted (started minimised)
    window.show()
    startup.mark("shown")
    return QApplication.instance().exec()


if __name__ == "__main__":
    sys.exit(main())
