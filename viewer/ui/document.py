"""The QTextDocument a page lives in, for the screen and for print alike.

It loads images only from inside the library (never from the network, never through
`../`), and draws SVG diagrams as vectors: Qt's own `<img>` path rasterises an SVG once at
96 dpi, which blurs on zoom and puts a bitmap into PDFs. Each SVG image is swapped for a
custom text object that paints with QSvgRenderer at whatever size and device it is drawn.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QByteArray, QObject, QRectF, QSize, QSizeF, QUrl
from PySide6.QtGui import (
    QColor,
    QImage,
    QPainter,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QPyTextObject,
)
from PySide6.QtSvg import QSvgRenderer

from .. import links
from ..library import Library, Topic

SVG_OBJECT_TYPE = QTextFormat.ObjectTypes.UserObject + 1
SVG_PATH_PROPERTY = QTextFormat.Property.UserProperty + 1
SVG_ALT_PROPERTY = QTextFormat.Property.UserProperty + 2
# The size the SVG asks for, when rendering wrote it on the <img> (viewer.svg_size): with it the
# page is laid out without parsing the SVG, which waits until the diagram is first drawn.
SVG_WIDTH_PROPERTY = QTextFormat.Property.UserProperty + 3
SVG_HEIGHT_PROPERTY = QTextFormat.Property.UserProperty + 4
SVG_CARD = QColor("#ffffff")
IMAGE_WIDTH = QTextFormat.Property.ImageWidth
IMAGE_HEIGHT = QTextFormat.Property.ImageHeight
OBJECT_CHARACTER = "\ufffc"  # what an image or other object is in a document's text


# QtSvg draws `<image href="/any/path.png">` and `href="../../x.png"` from disk: an SVG from a
# stranger's library could show any picture on the machine. Every reference that is not inside
# the file itself (`#id`, `data:`) becomes a blank pixel before Qt sees the SVG.
_BLANK_PNG = b"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAAC0lEQVR4nGNgAAIAAAUAAXpeqz8AAAAASUVORK5CYII="
_EXTERNAL_HREF = re.compile(rb"""(href\s*=\s*)(["'])(?!\s*(?:#|data:))[^"']*\2""", re.IGNORECASE)


def safe_svg_data(path: str) -> bytes:
    """The SVG file's bytes with every reference to another file removed."""
    try:
        data = Path(path).read_bytes()
    except OSError:
        return b""
    return _EXTERNAL_HREF.sub(rb'\1"' + _BLANK_PNG + b'"', data)


class SvgCache:
    """Parsed SVG renderers, shared by every document: a diagram is parsed once."""

    def __init__(self) -> None:
        self._renderers: dict[str, QSvgRenderer] = {}

    def get(self, path: str) -> QSvgRenderer | None:
        renderer = self._renderers.get(path)
        if renderer is None:
            renderer = QSvgRenderer(QByteArray(safe_svg_data(path)))
            self._renderers[path] = renderer
        return renderer if renderer.isValid() else None

    def clear(self) -> None:
        self._renderers.clear()


SVG_CACHE = SvgCache()


class SvgObjectHandler(QPyTextObject):
    """Lays out and paints SVG diagrams inside a QTextDocument, as vectors."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)

    def intrinsicSize(self, doc: QTextDocument, pos: int, fmt: QTextFormat) -> QSizeF:  # noqa: N802
        width, height = fmt.property(SVG_WIDTH_PROPERTY), fmt.property(SVG_HEIGHT_PROPERTY)
        if width and height:
            size = QSizeF(width, height)
        else:
            renderer = SVG_CACHE.get(fmt.property(SVG_PATH_PROPERTY))
            if renderer is None:
                return QSizeF(240, 60)
            size = QSizeF(renderer.defaultSize())
        scale = float(doc.property("diagramScale") or 1.0)
        size *= scale
        frame = doc.rootFrame().frameFormat()  # its margins are the document margin, or set
        margins = frame.leftMargin() + frame.rightMargin()
        available = doc.textWidth() - margins - 8 if doc.textWidth() > 0 else -1
        if available > 0 and size.width() > available:
            size *= available / size.width()
        return size

    def drawObject(self, painter: QPainter, rect: QRectF, doc: QTextDocument, pos: int, fmt: QTextFormat) -> None:  # noqa: N802
        renderer = SVG_CACHE.get(fmt.property(SVG_PATH_PROPERTY))
        if renderer is None:
            painter.save()
            painter.setPen(QPen(QColor("#888888")))
            painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            painter.drawText(rect, 0x84, f"Diagram cannot be drawn: {fmt.property(SVG_ALT_PROPERTY)}")
            painter.restore()
            return
        renderer.render(painter, rect)


class PageDocument(QTextDocument):
    """A topic page: resources come from the library only; SVG images become vector objects."""

    def __init__(self, library: Library | None = None, topic: Topic | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.library = library
        self.topic = topic
        self.svg_handler = SvgObjectHandler(self)
        self.documentLayout().registerHandler(SVG_OBJECT_TYPE, self.svg_handler)
        self.setProperty("diagramScale", 1.0)
        self._image_paths: dict[tuple, Path | None] = {}
        self._importing = False  # inside set_page_html: SVG <img>s are about to be swapped

    def set_context(self, library: Library | None, topic: Topic | None) -> None:
        self.library, self.topic = library, topic
        self._image_paths.clear()

    def set_page_html(self, html: str, load=None) -> None:
        """Show `html`, its SVG images as vector objects. `load(html)` puts it in: a view's
        setHtml, which also takes the view's caret to the top; the document's own by default."""
        self._image_paths.clear()  # files may have come or gone since the last page
        self._importing = True
        try:
            (load or self.setHtml)(html)
            self.swap_svg_images()
        finally:
            self._importing = False

    def image_path(self, src: str) -> Path | None:
        if self.library is None:
            return None
        key = (id(self.library), id(self.topic), src)
        if key not in self._image_paths:  # Qt asks again for each image on every layout
            found = links.resolve_image(self.library, self.topic, src)
            self._image_paths[key] = found.path if found.kind == "file" else None
        return self._image_paths[key]

    def swap_svg_images(self, from_position: int = 0) -> int:
        """Replace each `<img>` of an SVG file (after `from_position`) by a vector object."""
        positions = []
        cursor = QTextCursor(self)
        cursor.setPosition(from_position)
        while True:  # each image is one object character; find() walks to them in C++
            cursor = self.find(OBJECT_CHARACTER, cursor)
            if cursor.isNull():
                break
            fmt = cursor.charFormat()  # the found character's: the selection ends after it
            if fmt.isImageFormat():
                image = fmt.toImageFormat()
                name = image.name()
                if name.lower().split("?")[0].endswith(".svg"):
                    path = self.image_path(name)
                    if path is not None:
                        size = (image.width(), image.height()) if image.hasProperty(IMAGE_WIDTH) and image.hasProperty(IMAGE_HEIGHT) else None
                        positions.append((cursor.selectionStart(), str(path), image.toolTip() or "", size))
        if not positions:
            return 0
        cursor = QTextCursor(self)
        for position, path, alt, size in reversed(positions):
            cursor.setPosition(position)
            cursor.setPosition(position + 1, QTextCursor.MoveMode.KeepAnchor)
            fmt = QTextCharFormat()
            fmt.setObjectType(SVG_OBJECT_TYPE)
            fmt.setProperty(SVG_PATH_PROPERTY, path)
            fmt.setProperty(SVG_ALT_PROPERTY, alt)
            if size is not None and size[0] > 0 and size[1] > 0:
                fmt.setProperty(SVG_WIDTH_PROPERTY, float(size[0]))
                fmt.setProperty(SVG_HEIGHT_PROPERTY, float(size[1]))
            fmt.setToolTip(alt)
            cursor.insertText(OBJECT_CHARACTER, fmt)
            block_format = cursor.blockFormat()
            if block_format.lineHeightType() == QTextBlockFormat.LineHeightTypes.ProportionalHeight.value:
                # A paragraph's `line-height: 135%` would add a third of the diagram's height below it.
                block_format.setLineHeight(100, QTextBlockFormat.LineHeightTypes.SingleHeight.value)
                cursor.setBlockFormat(block_format)
        return len(positions)

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt override
        # Never defer to Qt's loader: it would read any local path and follow file: URLs.
        if kind != QTextDocument.ResourceType.ImageResource.value and kind != QTextDocument.ResourceType.ImageResource:
            return None
        path = self.image_path(url.toString())
        if path is None:
            return _placeholder_image()
        if path.suffix.lower() == ".svg":
            if self._importing and url.toString().lower().split("?")[0].endswith(".svg"):
                # swap_svg_images makes this <img> a vector object next: a raster is wasted.
                return _blank_image()
            return _svg_image(str(path))  # not QImage(path): Qt's SVG plugin reads linked files
        image = QImage(str(path))
        return image if not image.isNull() else _placeholder_image()


def _svg_image(path: str) -> QImage:
    renderer = SVG_CACHE.get(path)
    if renderer is None or renderer.defaultSize().isEmpty():
        return _placeholder_image()
    image = QImage(renderer.defaultSize().boundedTo(QSize(4096, 4096)), QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


_BLANK: QImage | None = None


def _blank_image() -> QImage:
    """One transparent pixel, a stand-in for an image about to be replaced. Set pixel by pixel:
    QImage.fill's overloads would look up `Qt` (see lazy_qt), and decoding a PNG would make Qt
    list its image plugins (~4 ms), both before the first paint."""
    global _BLANK
    if _BLANK is None:
        _BLANK = QImage(1, 1, QImage.Format.Format_ARGB32)
        _BLANK.setPixel(0, 0, 0)
    return _BLANK


_PLACEHOLDER: QImage | None = None


def _placeholder_image() -> QImage:
    global _PLACEHOLDER
    if _PLACEHOLDER is None:
        image = QImage(48, 32, QImage.Format.Format_ARGB32)
        image.fill(QColor(0, 0, 0, 0))
        painter = QPainter(image)
        painter.setPen(QPen(QColor("#888888")))
        painter.drawRect(0, 0, 47, 31)
        painter.drawLine(0, 0, 47, 31)
        painter.drawLine(0, 31, 47, 0)
        painter.end()
        _PLACEHOLDER = image
    return _PLACEHOLDER
