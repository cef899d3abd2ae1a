"""A hostile library, generated here: every way issue 15 found to read outside a library,
freeze or abort the app ends in a clear message, and a file outside is never opened.

Correctness only: how long a hostile topic takes to open lives in bench/run.py.
"""

from __future__ import annotations

import base64
import os
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from conftest import ROOT, write_library
from pypdf import PdfReader

SENTINEL_COLOUR = (255, 0, 255)  # magenta: nothing in the library is this colour
SENTINEL_SIZE = (300, 100)


def png_bytes(width: int, height: int, rgb=(0, 128, 0)) -> bytes:
    """A real PNG, written without Qt (so making it opens nothing)."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def svg(body: str, size=(300, 100)) -> str:
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="{size[0]}" height="{size[1]}">{body}</svg>'
    )


def b64(text: str | bytes) -> str:
    return base64.b64encode(text.encode() if isinstance(text, str) else text).decode()


@pytest.fixture
def hostile(tmp_path) -> dict:
    """The hostile library, and the sentinel picture beside it that nothing may open."""
    sentinel = tmp_path / "outside" / "photo.png"
    sentinel.parent.mkdir()
    sentinel.write_bytes(png_bytes(*SENTINEL_SIZE, SENTINEL_COLOUR))
    points_out = svg(
        f'<image x="0" y="0" width="300" height="100" xlink:href="{sentinel}"/>'
        f'<image x="0" y="0" width="300" height="100" href="file://{sentinel}"/>'
    )
    nested = svg(
        '<rect x="0" y="0" width="20" height="20" fill="#00ff00"/>'
        '<image x="0" y="0" width="300" height="100" '
        f'xlink:href="data:image/svg+xml;base64,{b64(points_out)}"/>'
        # deeper still: a data: SVG holding a data: SVG holding the outside file
        '<image x="0" y="0" width="300" height="100" xlink:href="data:image/svg+xml;base64,'
        + b64(
            svg(
                '<image width="300" height="100" '
                f'href="data:image/svg+xml;base64,{b64(points_out)}"/>'
            )
        )
        + '"/><rect x="0" y="0" width="1" height="1" style="fill: url('
        + str(sentinel)
        + ')"/>'
    )
    entity = (
        '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        + svg("<text>&b;</text>")
    )
    xinclude = svg(
        f'<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="{sentinel}" parse="text"/>'
        '<style>@import url("/etc/passwd"); rect { fill: url(http://example.com/x) }</style>'
        '<rect width="10" height="10"/>'
    )
    deep_list = "".join("  " * level + "- item\n" for level in range(1400))
    table = "| a | b |\n|---|---|\n" + "".join(f"| {n} | {n * 2} |\n" for n in range(10_000))
    root = write_library(
        tmp_path / "lib",
        {
            "a-fine.md": "# Fine\n\nA topic that works.\n\nWrite to <someone@example.com>.\n",
            "nested.md": "# Nested\n\n![Nested](images/nested.svg)\n",
            "disguised.md": "# Disguised\n\nText first.\n\n![Not a PNG](images/fake.png)\n",
            "entity.md": "# Entity\n\n![Entities](images/entity.svg)\n",
            "xinclude.md": "# XInclude\n\n![Include](images/xinclude.svg)\n",
            "bigpixels.md": "# Big\n\n![Huge](images/huge.png)\n",
            "bigsvg.md": "# Big SVG\n\n![Huge](images/big.svg)\n",
            "linkopen.md": "# Link open\n\n" + "[a](b " * 30_000 + "\n",
            "brackets.md": "# Brackets\n\n" + "[" * 6000 + "\n\nAfter the brackets.\n",
            "deep.md": "# Deep\n\n" + deep_list,
            "bang.md": "# Bang\n\n" + "![" * 20_000 + "\n",
            "table.md": "# Table\n\n" + table,
            "control.md": "---\ntitle: Red\x1b[31m\ttab\r\nnext\n---\nText.\n",
            "images/nested.svg": nested,
            "images/fake.png": points_out,
            "images/entity.svg": entity,
            "images/xinclude.svg": xinclude,
            "images/huge.png": png_bytes(1, 1)[:16]
            + struct.pack(">II", 100_000, 100_000)
            + png_bytes(1, 1)[24:],
        },
    )
    with open(root / "images" / "big.svg", "wb") as handle:  # 50 MB, sparse: quick to make
        handle.write(svg("").encode())
        handle.truncate(50 * 1024 * 1024)
    os.utime(sentinel, (0, time.time()))  # an old access time: any read of it moves it
    return {"root": root, "sentinel": sentinel}


def sentinel_untouched(sentinel: Path) -> bool:
    return sentinel.stat().st_atime == 0


def test_the_access_time_probe_can_see_a_read(tmp_path):
    """The file system here records reads (relatime): the sentinel checks below can fail."""
    probe = tmp_path / "probe.png"
    probe.write_bytes(png_bytes(2, 2))
    os.utime(probe, (0, time.time()))
    probe.read_bytes()
    assert probe.stat().st_atime != 0


# -- the gate, without Qt ------------------------------------------------------------------
def test_gate_refuses_disguised_entity_huge_and_strips_every_way_out(hostile):
    from viewer.pages import pictures

    images = hostile["root"] / "images"
    assert pictures.load_file(images / "fake.png").reason == "content is SVG, not PNG"
    assert "DTD" in pictures.load_file(images / "entity.svg").reason
    assert "larger than" in pictures.load_file(images / "big.svg").reason
    assert "million" in pictures.load_file(images / "huge.png").reason
    clean = pictures.load_file(images / "nested.svg")
    assert clean.kind == "svg"
    everything = clean.data
    for encoded in __import__("re").findall(rb"base64,([A-Za-z0-9+/=]+)", clean.data):
        everything += base64.b64decode(encoded)  # the nested documents, as sanitised
    assert str(hostile["sentinel"]).encode() not in everything
    assert b"outside" not in everything and b"file:" not in everything
    include = pictures.load_file(images / "xinclude.svg").data
    assert b"XInclude" not in include and b"passwd" not in include
    assert b"example.com" not in include and b"@import" not in include
    assert sentinel_untouched(hostile["sentinel"])


def test_css_escapes_cannot_smuggle_a_url():
    from viewer.pages.pictures import clean_css

    assert clean_css("fill: u\\72l(/etc/x.png)") == "fill: none"
    assert clean_css("fill:url(#grad)") == "fill:url(#grad)"
    assert "@import" not in clean_css("@IMPORT 'x.css';")
    assert clean_css("url(" * 1000) == "none"  # unclosed: dropped, in one pass


# -- screen, print, PDF, check -------------------------------------------------------------
def test_window_draws_nothing_of_the_outside_file(open_window, hostile):
    from PySide6.QtCore import QUrl
    from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument

    from viewer.paper import document as document_module

    win = open_window(hostile["root"], "nested")
    document_module.SVG_CACHE.clear()
    renderer = document_module.SVG_CACHE.get(str(hostile["root"] / "images" / "nested.svg"))
    assert renderer is not None
    image = QImage(300, 100, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    colours = {
        image.pixelColor(x, y).getRgb()[:3] for x in range(0, 300, 3) for y in range(0, 100, 3)
    }
    assert (0, 255, 0) in colours  # the SVG's own rectangle is drawn
    assert SENTINEL_COLOUR not in colours
    # The disguised PNG is refused: a placeholder, and the page says which file and why.
    win.open_topic("disguised")
    picture = win.page.page_document.loadResource(
        QTextDocument.ResourceType.ImageResource, QUrl("images/fake.png")
    )
    assert picture.size().toTuple() == (48, 32)  # the placeholder
    assert "content is SVG, not PNG" in win.page.toPlainText()
    assert "images/fake.png" in win.page.toPlainText()
    assert sentinel_untouched(hostile["sentinel"])


def test_pdf_holds_nothing_of_the_outside_file(hostile, tmp_path, qapp):
    out = tmp_path / "nested.pdf"
    done = run_main(
        "--content", str(hostile["root"]), "--export-pdf", str(out), "nested", "disguised"
    )
    assert done.returncode == 0, done.stderr
    pictures = pdf_pictures(PdfReader(out))
    assert pictures  # the nested SVG documents are drawn (as pictures: Qt rasterises them)
    for picture in pictures:
        colours = {
            picture.pixelColor(x, y).getRgb()[:3]
            for x in range(0, picture.width(), 2)
            for y in range(0, picture.height(), 2)
        }
        assert not any(_near(colour, SENTINEL_COLOUR) for colour in colours)
    assert sentinel_untouched(hostile["sentinel"])


def _near(colour, target, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, target))


def pdf_pictures(pdf: PdfReader) -> list:
    """Every image in the PDF, decoded by Qt (JPEG) or from its raw RGB samples."""
    from PySide6.QtGui import QImage

    found = []
    for page in pdf.pages:
        resources = page.get("/Resources") or {}
        for ref in (resources.get("/XObject") or {}).values():
            stream = ref.get_object()
            if stream.get("/Subtype") != "/Image":
                continue
            data = stream.get_data()
            if stream.get("/Filter") == "/DCTDecode":
                image = QImage.fromData(data)
            else:
                width, height = int(stream["/Width"]), int(stream["/Height"])
                image = QImage(data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
            assert not image.isNull()
            found.append(image)
    return found


def run_main(*args: str, env: dict | None = None, timeout: float = 120):
    base = dict(os.environ, QT_QPA_PLATFORM="offscreen") if env is None else env
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_check_reports_each_case_on_its_line_and_finishes(hostile):
    done = run_main("--check", str(hostile["root"]))
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()

    def said(prefix: str, words: str) -> bool:
        return any(line.startswith(prefix) and words in line for line in lines)

    assert said("disguised.md:5: error: picture 'images/fake.png'", "content is SVG, not PNG")
    assert said("entity.md:3: error: picture 'images/entity.svg'", "DTD")
    assert said("bigsvg.md:3: error: picture 'images/big.svg'", "larger than 4 MB")
    assert said("bigpixels.md:3: error: picture 'images/huge.png'", "million")
    assert said("linkopen.md:3: error: too costly to show:", "180,000 characters long")
    assert said("deep.md:", "nested too deeply")
    assert said("bang.md:3: error: too costly to show:", "40,000 characters long")
    assert not any("someone@example.com" in line or "a-fine.md" in line for line in lines)
    assert not any("brackets.md" in line or "table.md" in line for line in lines)
    assert sentinel_untouched(hostile["sentinel"])


def test_hostile_topics_show_an_error_page_and_the_rest_stays_usable(open_window, hostile, qtbot):
    win = open_window(hostile["root"], "linkopen")
    text = win.page.toPlainText()
    assert "This topic cannot be shown" in text and "180,000 characters long" in text
    assert str(hostile["root"] / "linkopen.md") in text
    for topic_id, words in (
        ("deep", "nested too deeply"),
        ("bang", "40,000 characters long"),
    ):
        assert win.open_topic(topic_id)
        assert words in win.page.toPlainText()
    assert win.open_topic("brackets")
    win.loader.finish_now()
    assert "After the brackets." in win.page.toPlainText()
    assert win.open_topic("table")
    win.loader.finish_now()
    assert "9999" in win.page.toPlainText()
    assert win.open_topic("a-fine") and "A topic that works." in win.page.toPlainText()


def test_search_index_says_what_it_left_out(hostile):
    from viewer.library.folder import Library
    from viewer.search.index import SearchIndex

    index = SearchIndex(Library(hostile["root"]), in_memory=True)
    stats = index.update()
    assert any(note.startswith("bang.md: lines longer than") for note in stats.truncated)
    assert [r.topic_id for r in index.search("After brackets")][:1] == ["brackets"]
    index.close()


def test_export_all_is_partial_success(hostile, tmp_path):
    (hostile["root"] / "table.md").unlink()  # 350 pages of table: slow, and no failure
    out = tmp_path / "all.pdf"
    done = run_main("--content", str(hostile["root"]), "--export-pdf", str(out), "--all")
    assert done.returncode == 1
    for failed in ("linkopen", "deep", "bang"):
        assert f"not exported: topic '{failed}' cannot be printed" in done.stderr
    pdf = PdfReader(out)
    last = " ".join(pdf.pages[-1].extract_text().split())
    assert "Topics not included" in last and "linkopen" in last and "180,000" in last
    titles = [item.title for item in pdf.outline]
    assert "Fine" in titles and "Brackets" in titles and "Link open" not in titles


# -- the command line before any window ---------------------------------------------------
def test_no_display_is_one_line_and_exit_2_before_qt():
    done = run_main("lambda", env={})
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "no display found" in done.stderr
    assert "--export-pdf" in done.stderr and "--list" in done.stderr
    unknown = run_main("nosuchtopic", env={})
    assert unknown.returncode == 2 and "unknown topic id: 'nosuchtopic'" in unknown.stderr


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--differences"], "--differences only applies with --compare"),
        (["--all"], "--all only applies with --export-pdf"),
        (["lambda", "fargate"], "the window opens one topic; 2 were given"),
        (["--list", "lambda"], "--list takes no topic ids"),
        (["--list", "--search", "x"], "cannot be used together"),
        (["--export-pdf", "x.pdf", "--all", "lambda"], "leave out the topic ids"),
    ],
)
def test_options_that_would_do_nothing_are_usage_errors(args, reason):
    done = run_main(*args, env={})
    assert done.returncode == 2
    assert reason in done.stderr and done.stderr.count("\n") == 1


def test_list_keeps_each_topic_on_one_line(hostile):
    done = run_main("--content", str(hostile["root"]), "--list", env={})
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    (control,) = [line for line in lines if line.startswith("control\t")]
    assert control.split("\t")[1].startswith("Red\\x1b[31m")  # the escape, written out
    assert "\x1b" not in done.stdout
    assert all(line.count("\t") == 2 for line in lines)


def test_check_of_a_folder_with_no_topics_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    done = run_main("--check", str(tmp_path / "empty"), env={})
    assert done.returncode == 1
    assert "no topics here" in done.stdout


# -- windows and settings: messages say what happened ----------------------------------------
@pytest.fixture
def two_topics(tmp_path) -> Path:
    return write_library(
        tmp_path / "two",
        {"a.md": "# Alpha\n\nA.\n", "b.md": "# Beta\n\nB.\n", "c.md": "# Gamma\n\nC.\n"},
    )


def test_two_windows_keep_each_others_bookmarks(open_window, two_topics):
    first = open_window(two_topics, "a")
    second = open_window(two_topics, "b")
    first.actions_by_name["toggle_bookmark"].trigger()
    second.actions_by_name[
        "toggle_bookmark"
    ].trigger()  # written over what the first saved, not over what it read at start
    first.open_topic("c")
    first.actions_by_name["toggle_bookmark"].trigger()
    assert [b.key for b in first.session.bookmarks] == ["a", "b", "c"]
    from viewer.session.session import library_key
    from viewer.settings import Settings

    key = f"{library_key(first.library.root)}/bookmarks"
    assert Settings().get_json(key, []) == ["a", "b", "c"]
    second.open_topic("a")
    second.actions_by_name["toggle_bookmark"].trigger()  # removes a, keeps c
    assert Settings().get_json(key, []) == ["b", "c"]


def test_bookmark_that_cannot_be_saved_says_so(open_window, two_topics, isolated_settings):
    config = isolated_settings / ".config"
    config.mkdir(parents=True)
    (config / "Cloudref").write_text("a file where the settings folder should be")
    win = open_window(two_topics, "a")
    win.actions_by_name["toggle_bookmark"].trigger()
    message = win.statusBar().currentMessage()
    assert message.startswith("Bookmarked until you quit") and "Settings" in message


def test_library_folder_gone_is_not_reloaded(open_window, two_topics):
    import shutil

    win = open_window(two_topics, "a")
    shutil.rmtree(two_topics)
    win.library_commands.files_changed([str(two_topics / "a.md")])
    message = win.statusBar().currentMessage()
    assert message.startswith("The library folder is gone") and "Reloaded" not in message


def test_one_field_escapes_every_control_character():
    from viewer.cli import one_field

    assert one_field("a\tb\nc\r\x1b[0m\x7f é") == "a\\tb\\nc\\r\\x1b[0m\\x7f é"
    assert one_field("plain title") == "plain title"
