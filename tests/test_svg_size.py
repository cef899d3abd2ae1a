"""The size an SVG asks for, read without Qt, and what the page does with it."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import ROOT

from viewer.library.folder import Library
from viewer.pages.svg_size import svg_size

SVG_NS = 'xmlns="http://www.w3.org/2000/svg"'
CASES = {
    f'<svg {SVG_NS} width="720" height="470" viewBox="0 0 720 470"/>': (720, 470),
    f"<?xml version='1.0'?>\n<!-- <svg width='1' height='1'> -->\n"
    f"<svg {SVG_NS} width='300px' height='120.5px'/>": (
        300,
        120,
    ),
    f'<svg {SVG_NS} viewBox="0 0 640 360"/>': (640, 360),
    f'<svg {SVG_NS} viewBox="10,20,64.5,36.4"/>': (65, 36),
    f'<svg {SVG_NS} width="10cm" height="5cm"/>': None,  # a unit Qt converts: ask Qt
    f'<svg {SVG_NS} width="100%" height="100%" viewBox="0 0 4 3"/>': None,
    f'<svg {SVG_NS} width="200"/>': None,
    f"<svg {SVG_NS}/>": None,
    f'<svg {SVG_NS} width="0" height="10"/>': None,
    "<html>not an svg</html>": None,
    "": None,
}


@pytest.mark.parametrize(("text", "expected"), list(CASES.items()))
def test_plainly_stated_sizes_are_read_and_the_rest_left_to_qt(text, expected):
    assert svg_size(text.encode()) == expected


def test_every_size_it_reads_is_the_one_qt_reads(qapp):
    from PySide6.QtCore import QByteArray
    from PySide6.QtSvg import QSvgRenderer

    files = sorted((ROOT / "images").glob("*.svg"))
    assert files
    for text in [*(path.read_text() for path in files), *(t for t, size in CASES.items() if size)]:
        size = QSvgRenderer(QByteArray(text.encode())).defaultSize()
        assert svg_size(text.encode()) == (size.width(), size.height())


def test_rendering_puts_the_size_on_the_img_and_a_changed_svg_renders_again(sample_library):
    from viewer.pages.page_cache import CachedRenderer

    library = Library(sample_library)
    html = CachedRenderer().render_topic(library, library.topic("intro")).html
    assert diagram_tag(html) == {"src": "../images/diagram.svg", "width": "400", "height": "120"}
    # Same topic file, same image path, but the picture's size changed: the page is made again.
    diagram = Path(sample_library) / "images" / "diagram.svg"
    diagram.write_text(
        diagram.read_text().replace('width="400" height="120"', 'width="500" height="150"')
    )
    status = diagram.stat()
    os.utime(diagram, ns=(status.st_atime_ns, status.st_mtime_ns + 2_000_000_000))
    library = Library(sample_library)
    html = CachedRenderer().render_topic(library, library.topic("intro")).html
    assert diagram_tag(html) == {"src": "../images/diagram.svg", "width": "500", "height": "150"}


def diagram_tag(html: str) -> dict[str, str]:
    tag = re.search(r'<img [^>]*src="[^"]*diagram\.svg"[^>]*>', html).group(0)
    return {name: value for name, value in re.findall(r'(src|width|height)="([^"]*)"', tag)}
