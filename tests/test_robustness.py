"""Bad input in the window: each class shows a message naming the problem, and the app goes on.

Also the rules for untrusted libraries (nothing outside the library is read, nothing from the
network, no dangerous link followed), settings that cannot be read or written, and live reload.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import SVG, write_library
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QImage, QTextDocument

from viewer.library.folder import MAX_TOPIC_BYTES
from viewer.pages.render import Renderer
from viewer.paper import document as document_module

PNG_SIZE = (7, 5)


def png(path: Path) -> Path:
    image = QImage(*PNG_SIZE, QImage.Format.Format_RGB32)
    image.fill(0x336699)
    path.parent.mkdir(parents=True, exist_ok=True)
    assert image.save(str(path))
    return path


@pytest.fixture
def bad_library(tmp_path) -> Path:
    png(tmp_path / "secret.png")  # beside the library: pages must never load it
    root = write_library(
        tmp_path / "lib",
        {
            "a-good.md": "# Good\n\nAll fine here.\n\n![A picture](images/ok.png)\n",
            "binary.md": b"\x00\x01\x02PK\x03\x04" * 50,
            "latin1.md": b"# Latin-1\n\nCaf\xe9 cr\xe8me\n",
            "half.md": "---\nid: half\ntitle: Half written\n",
            "images.md": (
                "# Images\n\n![The missing "
                "diagram](images/nothere.svg)\n\n![Secret](../secret.png)\n\n"
                "![Remote cat](https://example.com/cat.png)\n\n"
                '<script>document.write("ran")</script>\n<img src="/etc/hostname" alt="hostname">\n'
            ),
            "dup1.md": "---\nid: same\n---\n# First same\n",
            "dup2.md": "---\nid: same\n---\n# Second same\n",
        },
    )
    png(root / "images" / "ok.png")
    (root / "images" / "escape.png").symlink_to(tmp_path / "secret.png")
    return root


def text(win) -> str:
    return win.page.toPlainText()


def still_works(win) -> None:
    assert win.open_topic("a-good")
    assert "All fine here." in text(win)


# -- bad topics ----------------------------------------------------------------------------
def test_binary_topic_shows_error_page(open_window, bad_library):
    win = open_window(bad_library, "a-good")
    win.open_topic("binary")
    page = text(win)
    assert "This topic cannot be shown." in page
    assert str(bad_library / "binary.md") in page
    assert "line 1: error: binary file, not UTF-8 Markdown text" in page
    assert "binary.md:1: error: binary file" in win.statusBar().currentMessage()
    still_works(win)


def test_invalid_utf8_is_shown_with_replacement_and_reported(open_window, bad_library):
    win = open_window(bad_library, "a-good")
    win.open_topic("latin1")
    page = text(win)
    assert "Caf\ufffd cr\ufffdme" in page
    assert "latin1.md:3: warning: invalid UTF-8 (byte 0xe9)" in page
    assert "latin1.md:3: warning: invalid UTF-8" in win.statusBar().currentMessage()
    still_works(win)


def test_unclosed_front_matter_opens_with_a_warning(open_window, bad_library):
    win = open_window(bad_library, "half")
    assert "half.md:1: warning: front matter opened with '---' is never closed" in text(win)
    assert "title: Half written" in text(win)  # shown as text, as documented
    still_works(win)


def test_unreadable_topic_shows_error_page(open_window, bad_library, monkeypatch):
    win = open_window(bad_library)
    real = Path.read_bytes

    def read_bytes(self):
        if self.name == "half.md":
            raise PermissionError(13, "Permission denied")
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    win.open_topic("half")
    assert "This topic cannot be shown." in text(win)
    assert "line 1: error: cannot read: Permission denied" in text(win)
    still_works(win)


def test_renderer_failure_shows_error_page(open_window, bad_library, monkeypatch):
    win = open_window(bad_library)

    def boom(self, text, *args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Renderer, "render_text", boom)
    win.open_topic("half")
    assert "This topic cannot be shown." in text(win)
    assert "cannot render: RuntimeError: boom" in text(win)
    monkeypatch.undo()
    still_works(win)


def test_duplicate_ids_both_open(open_window, bad_library):
    win = open_window(bad_library, "same")
    assert "First same" in text(win)
    assert win.open_topic("dup2")
    assert "Second same" in text(win)


def test_huge_topic_opens_quickly_cut_with_a_notice(open_window, tmp_path):
    paragraph = "Words of a very long pasted log line, with *emphasis* and `code` in it.\n\n"
    root = write_library(
        tmp_path / "lib",
        {
            "a-good.md": "# Good\n\nAll fine here.\n",
            "huge.md": "# Huge\n\n" + paragraph * (10_000_000 // len(paragraph)),
        },
    )
    win = open_window(root)
    win.open_topic("huge")
    assert "huge.md:1: warning: topic is 10.0 MB, over the 1 MB limit for one page" in text(win)
    win.loader.finish_now()  # the rest of the first 1 MB follows piece by piece; take it all now
    page = text(win)
    assert "The rest of this file (9.0 MB) is not shown" in page
    assert len(page) < MAX_TOPIC_BYTES * 1.1
    still_works(win)


def test_missing_image_placeholder_with_alt_text(open_window, bad_library):
    win = open_window(bad_library, "images")
    page = text(win)
    assert "The missing diagram\nImage not found: images/nothere.svg" in page
    assert "Secret\nImage outside the library not loaded: ../secret.png" in page
    assert "Remote cat\nRemote image not loaded: https://example.com/cat.png" in page
    assert "ran" not in page  # scripts are never run
    still_works(win)


# -- untrusted libraries: nothing from outside, nothing from the network ----------------------
@pytest.fixture
def opened_images(monkeypatch) -> list[str]:
    """Every file the page document reads as a picture: through the picture gate, which
    hands Qt the bytes it checked (never a path)."""
    from viewer.pages import pictures

    opened: list[str] = []
    real = pictures.load_file

    def spy(path):
        opened.append(str(path))
        return real(path)

    monkeypatch.setattr(pictures, "load_file", spy)
    return opened


def test_document_loads_only_library_images(open_window, bad_library, opened_images):
    win = open_window(bad_library, "images")
    doc = win.page.page_document
    kind = QTextDocument.ResourceType.ImageResource
    inside = doc.loadResource(kind, QUrl("images/ok.png"))
    assert (inside.width(), inside.height()) == PNG_SIZE
    outside = [
        "../secret.png",
        "images/escape.png",
        "/etc/hostname",
        str(bad_library.parent / "secret.png"),
        "file:///etc/hostname",
        "https://example.com/cat.png",
        "http://127.0.0.1:9/x.png",
        "//example.com/x.png",
        "data:image/png;base64,AAAA",
        "../../../../etc/passwd",
        "qrc:/x.png",
    ]
    for src in outside:
        image = doc.loadResource(kind, QUrl(src))
        assert (image.width(), image.height()) != PNG_SIZE, src
    assert opened_images == [str((bad_library / "images" / "ok.png").resolve())]
    # Stylesheets and other resources are never loaded by the page.
    assert (
        doc.loadResource(QTextDocument.ResourceType.StyleSheetResource, QUrl("/etc/passwd")) is None
    )


def test_raw_html_image_outside_is_not_opened_when_rendered(
    open_window, bad_library, opened_images
):
    win = open_window(bad_library)
    opened_images.clear()
    win.open_topic("images")
    win.page.page_document.size()  # lay out: images are requested now
    root = str(bad_library.resolve())
    assert all(path.startswith(root) for path in opened_images), opened_images


def test_links_never_followed_and_web_links_go_to_the_browser(
    open_window, bad_library, monkeypatch
):
    win = open_window(bad_library, "a-good")
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    for href in (
        "javascript:alert(1)",
        "file:///etc/passwd",
        "ftp://example.com/x",
        "smb://host/share",
        "../../etc/passwd",
        "vbscript:x",
    ):
        win.page.link_activated.emit(QUrl(href))
        assert win.current.id == "a-good"
        assert "Link not followed" in win.statusBar().currentMessage(), href
    assert opened == []
    win.page.link_activated.emit(QUrl("https://example.com/docs"))
    assert [url.toString() for url in opened] == ["https://example.com/docs"]


# -- settings and read-only libraries -------------------------------------------------------
def settings_file(home: Path) -> Path:
    return home / ".config" / "Cloudref" / "cloudref.ini"


def test_corrupt_settings_use_defaults_with_a_message(open_window, bad_library, isolated_settings):
    path = settings_file(isolated_settings)
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\x00\xff[page]\nzoom=lots\n\x89PNG\r\n\x1a\n" + os.urandom(200))
    win = open_window(bad_library)
    assert "Settings file is damaged" in win.statusBar().currentMessage()
    assert win.page.zoom_steps == 0
    still_works(win)
    win.close()  # saving over the damaged file works
    assert b"\x00" not in path.read_bytes()


def test_unwritable_settings_keep_the_app_working(open_window, bad_library, isolated_settings):
    config = isolated_settings / ".config"
    config.mkdir(parents=True)
    (config / "Cloudref").write_text("a file where the settings folder should be")
    win = open_window(bad_library)
    still_works(win)
    win.save_state()
    assert win.statusBar().currentMessage().startswith("Settings cannot be saved")


def test_settings_are_replaced_atomically(open_window, bad_library, isolated_settings):
    win = open_window(bad_library)
    win.save_state()
    path = settings_file(isolated_settings)
    before = path.stat().st_ino
    win.set_zoom(3)
    win.save_state()
    # QSettings writes a temporary file and renames it over the old one (QSaveFile): a crash
    # mid-write leaves the old file whole. A new inode shows the rename happened.
    assert path.stat().st_ino != before
    assert not [
        p.name
        for p in path.parent.iterdir()
        if p.name != path.name and not p.name.endswith(".lock")
    ]


def test_read_only_library_works_and_is_never_written(open_window, bad_library):
    def snapshot() -> dict[str, tuple[int, float]]:
        return {
            str(p): (p.stat().st_size, p.stat().st_mtime)
            for p in bad_library.rglob("*")
            if not p.is_symlink()
        }

    paths = sorted(bad_library.rglob("*"), reverse=True)
    before = snapshot()
    for path in [*paths, bad_library]:
        if not path.is_symlink():
            path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        win = open_window(bad_library, "images")
        still_works(win)
        win.close()
        assert snapshot() == before
    finally:
        for path in [bad_library, *paths]:
            if not path.is_symlink():
                path.chmod(0o755 if path.is_dir() else 0o644)


# -- live reload ----------------------------------------------------------------------------
@pytest.fixture
def live_library(tmp_path) -> Path:
    """A library, and a short reload delay so that each change shows without waiting long."""
    from viewer.settings import Settings

    settings = Settings()
    settings.set("reload/delayMs", 20)
    assert settings.sync() == ""
    return write_library(
        tmp_path / "live",
        {
            "a.md": "# Alpha\n\n" + "Alpha paragraph.\n\n" * 150 + "The end of alpha.\n",
            "b.md": "# Beta\n\nBeta text.\n",
            "images/d.svg": SVG,
        },
    )


def tree_titles(win) -> list[str]:
    model = win.tree_model
    titles = []

    def walk(parent):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            titles.append(index.data())
            walk(index)

    from PySide6.QtCore import QModelIndex

    walk(QModelIndex())
    return titles


def test_saved_change_reloads_the_page_keeping_the_scroll(open_window, live_library, qtbot):
    win = open_window(live_library, "a")
    bar = win.page.verticalScrollBar()
    assert bar.maximum() > 500
    bar.setValue(400)
    path = live_library / "a.md"
    path.write_text(path.read_text().replace("The end of alpha.", "Edited on disk."))
    qtbot.waitUntil(lambda: "Edited on disk." in text(win))
    assert win.current.id == "a"
    assert bar.value() == 400
    assert win.statusBar().currentMessage() == "Reloaded: a.md changed on disk"


def test_editor_style_replace_and_half_written_file(open_window, live_library, qtbot):
    win = open_window(live_library, "b")
    path = live_library / "b.md"
    # Editors write a temporary file and rename it over the old one: the watcher loses the
    # path and must pick it up again.
    for round_ in range(2):
        temp = live_library / f".b.md.tmp{round_}"
        temp.write_text(f"# Beta\n\nSaved {round_}.\n")
        os.replace(temp, path)
        qtbot.waitUntil(lambda: f"Saved {round_}." in text(win))
    # Caught half-written: shown as it is, then re-read when the write completes.
    path.write_bytes(b"---\nid: b\ntitle: Be")
    qtbot.waitUntil(lambda: "never closed" in text(win))
    path.write_text("---\nid: b\ntitle: Beta\n---\n# Beta\n\nComplete now.\n")
    qtbot.waitUntil(lambda: "Complete now." in text(win) and "never closed" not in text(win))


def test_new_and_removed_files_update_the_tree(open_window, live_library, qtbot):
    win = open_window(live_library, "a")
    (live_library / "c.md").write_text("# Gamma\n")
    qtbot.waitUntil(lambda: "Gamma" in tree_titles(win))
    (live_library / "more").mkdir()
    (live_library / "more" / "d.md").write_text("# Delta\n")
    qtbot.waitUntil(lambda: "Delta" in tree_titles(win))
    (live_library / "more" / "e.md").write_text("# Epsilon\n")  # a file in a new folder is seen too
    qtbot.waitUntil(lambda: "Epsilon" in tree_titles(win))
    (live_library / "b.md").unlink()
    qtbot.waitUntil(lambda: "Beta" not in tree_titles(win))
    assert win.current.id == "a" and "Alpha paragraph." in text(win)
    (live_library / "a.md").unlink()  # the open topic disappears: the first one left is shown
    qtbot.waitUntil(lambda: win.current is not None and win.current.id == "c")


def test_svg_cannot_pull_in_files_from_outside(open_window, tmp_path, qtbot):
    red = QImage(10, 10, QImage.Format.Format_RGB32)
    red.fill(0xFF0000)
    red.save(str(tmp_path / "private.png"))
    links = [
        str(tmp_path / "private.png"),
        "../../private.png",
        f"file://{tmp_path / 'private.png'}",
    ]
    # Unpatched, QtSvg draws each of these from disk (only `xlink:href` is read for images).
    images = "".join(
        f'<image x="0" y="0" width="10" height="10" xlink:href="{href}"/>' for href in links
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="10" height="10">{images}<rect x="0" y="0" width="2" height="2" '
        'fill="#00ff00"/></svg>'
    )
    root = write_library(
        tmp_path / "lib",
        {
            "a-good.md": "# Good\n\nAll fine here.\n\n![Diagram](images/d.svg)\n",
            "images/d.svg": svg,
        },
    )
    win = open_window(root)
    document_module.SVG_CACHE.clear()
    image = win.page.page_document.loadResource(
        QTextDocument.ResourceType.ImageResource, QUrl("images/d.svg")
    )
    assert image.width() == 10
    assert image.pixelColor(1, 1).green() == 255  # the SVG itself is drawn
    assert image.pixelColor(5, 5).alpha() == 0  # the linked file is not
    renderer = document_module.SVG_CACHE.get(str(root / "images" / "d.svg"))
    assert renderer is not None and renderer.isValid()
    still_works(win)
