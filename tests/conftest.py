"""Shared fixtures. Qt runs offscreen and settings go to a throw-away folder."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

# In CI the fuzz tests draw the same examples every run (a submission passes or fails on its
# code, not on the draw) and keep no example database; at a desk they explore afresh.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory, monkeypatch):
    """Every test gets empty settings, cache and data folders of its own."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    try:
        from PySide6.QtCore import QSettings

        QSettings.setPath(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / ".config")
        )
    except ImportError:
        pass
    yield home


def write_library(root: Path, files: dict[str, str | bytes]) -> Path:
    """A library in `root` made of `files` (relative path -> text or bytes)."""
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return root


SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120" viewBox="0 0 400 120">'
    '<rect x="1" y="1" width="398" height="118" fill="#ffffff" stroke="#333366"/>'
    '<text x="20" y="60" font-size="20">Vector diagram</text></svg>'
)


@pytest.fixture
def sample_library(tmp_path) -> Path:
    """A small library that uses every rendering feature."""
    return write_library(
        tmp_path / "lib",
        {
            "library.toml": (
                'title = "Sample Library"\n[[category]]\nfolder = "basics"\ntitle = "The Basics"\n'
            ),
            "basics/intro.md": (
                "---\nid: intro\ntitle: Introduction\naliases: start, welcome\norder: 1\n---\n"
                "# Introduction\n\nSome *emphasis* and `code`. See [the other "
                "page](other.md#second-part), "
                "[same page](#details), [the web](https://example.com/docs) and "
                "[bad](javascript:alert(1)).\n\n"
                "![A vector diagram](../images/diagram.svg)\n\n![A missing "
                "picture](images/nothere.png)\n\n"
                + "Filler paragraph to make the page scroll.\n\n" * 40
                + "## Details\n\nThe details section.\n"
            ),
            "basics/other.md": "# Other Page\n\nFirst part.\n\n"
            + "More text.\n\n" * 60
            + "## Second part\n\nSecond part text.\n",
            "more/third.md": "# Third\n\nThird topic.\n",
            "images/diagram.svg": SVG,
        },
    )


@pytest.fixture(autouse=True, scope="session")
def clear_clipboard_at_exit():
    """Qt's offscreen platform crashes at exit while it still holds clipboard data (measured:
    one setMimeData, then exit -> SIGSEGV; not so on xcb), so copy tests leave it empty."""
    yield
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:
        return
    app = QApplication.instance()
    if app is not None:
        app.clipboard().clear()


def picture_fragments(doc) -> list:
    """The document's pictures (image-format text fragments), in order."""
    found = []
    block = doc.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().isImageFormat():
                found.append(fragment)
            iterator += 1
        block = block.next()
    return found


def show_window(qtbot, root: Path, *args: str, active: bool = False):
    """The real main window on library `root` (extra command-line `args`), shown; with
    `active`, also the active window, so that window-wide shortcuts reach it."""
    from PySide6.QtWidgets import QApplication

    from viewer.app import build_window

    win = build_window(["--content", str(root), *args])
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    if active:
        win.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win)
    return win


@pytest.fixture
def open_window(qtbot):
    """`open_window(root, *args, active=False)`: see show_window."""
    return lambda root, *args, active=False: show_window(qtbot, root, *args, active=active)


@pytest.fixture(autouse=True)
def delete_windows_of_earlier_tests():
    """pytest-qt closes a test's widgets with deleteLater(), which only happens in an event loop
    the tests never run; left alive, old windows are restyled along with the next test's and
    can crash Qt. Deleting them before each test keeps every test on its own window."""
    try:
        from PySide6.QtCore import QCoreApplication, QEvent
    except ImportError:
        yield
        return
    if QCoreApplication.instance() is not None:
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    yield
