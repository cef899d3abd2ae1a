"""The size an SVG file asks to be drawn at, read without Qt.

Rendering writes it on the page's `<img>` (width and height). Qt then lays the page out without
loading the picture, and the page view parses the SVG only when it first draws it: a diagram
below the first screen costs the first paint nothing. Only the plain forms are read (width and
height in px or without a unit, or else the viewBox), which give what QSvgRenderer.defaultSize()
gives; for anything else this says None and the page view asks QSvgRenderer.
"""

from __future__ import annotations

import os
import re

HEAD_BYTES = 8192  # the root element's start tag is near the top of any sane SVG
_SVG_START_TAG = re.compile(rb"<svg\b([^>]*)>")
_COMMENT = re.compile(rb"<!--.*?-->", re.DOTALL)
_ATTRIBUTE = re.compile(rb"""([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_PLAIN_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(?:px)?\s*")
_NUMBER = re.compile(r"[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?")


def svg_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) in px that the SVG in `data` asks for, or None if not plainly stated.
    Whole pixels as Qt gives them: width and height cut to an integer, a viewBox rounded."""
    tag = _SVG_START_TAG.search(_COMMENT.sub(b"", data[:HEAD_BYTES]))
    if tag is None:
        return None
    attributes: dict[str, str] = {}
    for name, double, single in _ATTRIBUTE.findall(tag.group(1)):
        attributes[name.decode("ascii", "replace")] = (double or single).decode("utf-8", "replace")
    if "width" in attributes or "height" in attributes:
        width, height = (
            _plain_length(attributes.get("width")),
            _plain_length(attributes.get("height")),
        )
        if width is None or height is None or width < 1 or height < 1:
            return None
        return int(width), int(height)
    numbers = _NUMBER.findall(attributes.get("viewBox", ""))
    if len(numbers) != 4:
        return None
    width, height = int(float(numbers[2]) + 0.5), int(float(numbers[3]) + 0.5)
    return (width, height) if width > 0 and height > 0 else None


def svg_file_size(path: str | os.PathLike) -> tuple[int, int] | None:
    try:
        with open(path, "rb") as handle:
            return svg_size(handle.read(HEAD_BYTES))
    except OSError:
        return None


def _plain_length(value: str | None) -> float | None:
    if value is None:
        return None
    match = _PLAIN_LENGTH.fullmatch(value)
    if match is None:
        return None
    length = float(match.group(1))
    return length if length > 0 else None
