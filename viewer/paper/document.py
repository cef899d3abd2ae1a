"""The QTextDocument a page lives in, for the screen and for print alike.

It loads images only from inside the library (never from the network, never through
`../`), and draws SVG diagrams as vectors: Qt's own `<img>` path rasterises an SVG once at
96 dpi, which blurs on zoom and puts a bitmap into PDFs. The document's handler for image
objects (`ImageHandler`) paints each SVG with QSvgRenderer, at whatever size and on whatever
device it is drawn, and leaves every other picture to Qt's own handler. The page is never
edited after Qt reads it in, so it is laid out once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSizeF
from PySide6.QtGui import QPyTextObject, QTextDocument

from viewer.library.folder import Library, Topic
from viewer.pages import links
from viewer.qt_constants import (
    ALIGN_CENTER,
    IMAGE_HEIGHT,
    IMAGE_OBJECT,
    IMAGE_RESOURCE,
    IMAGE_WIDTH,
)

if TYPE_CHECKING:
    from PySide6.QtCore import QRectF, QUrl
    from PySide6.QtGui import QImage, QPainter, QTextFormat
    from PySide6.QtSvg import QSvgRenderer

    from viewer.pages import pictures


def is_svg_name(name: str) -> bool:
    """An image reference to an SVG file (what the page's `<img src>` says)."""
    return name.lower().split("?")[0].endswith(".svg")


def safe_svg_data(path: str) -> bytes:
    """The SVG file's bytes as the picture gate rewrote them (nothing reaching outside the file),
    or b"" for a picture the gate refuses (`viewer.pages.pictures`; kept between runs by
    `viewer.pages.picture_cache`)."""
    from viewer.pages.picture_cache import safe_svg

    return safe_svg(path)


SCREEN_PICTURES = 24  # diagrams kept drawn at their on-screen size (a few pages' worth)
WIDGET_DEVICE = 1  # QInternal::Widget, a painter's devType() on screen


class SvgCache:
    """Parsed SVG renderers, shared by every document: a diagram is parsed once per theme
    (the dark theme's colours are swapped in on the safe bytes: viewer.pages.svg_theme).

    For the screen it also keeps diagrams drawn into images at the size and pixel ratio they
    are shown at (`picture`), made in idle time by the prefetcher (`viewer.ui.prefetch`) for
    the page on show and the pages near it: painting then copies pixels instead of drawing
    every vector again. A diagram not drawn yet (the first paint's) is drawn as vectors; print,
    preview and PDF always are, in the light theme (`ImageHandler.drawObject`).
    """

    def __init__(self) -> None:
        self._renderers: dict[tuple[str, str], QSvgRenderer] = {}
        self._pictures: dict[tuple, QImage] = {}  # least recently used first

    def get(self, path: str, theme: str = "light") -> QSvgRenderer | None:
        """The renderer of the SVG file at `path`, made safe, in `theme`'s colours (the dark
        theme's are swapped in on the safe bytes: viewer.pages.svg_theme)."""
        renderer = self._renderers.get((path, theme))
        if renderer is None:
            from PySide6.QtCore import QByteArray
            from PySide6.QtSvg import QSvgRenderer

            data = safe_svg_data(path)
            if theme != "light":
                from viewer.pages.svg_theme import recolour

                data = recolour(data, theme)
            renderer = QSvgRenderer(QByteArray(data)) if data else QSvgRenderer()
            self._renderers[(path, theme)] = renderer
        return renderer if renderer.isValid() else None

    def picture(
        self,
        path: str,
        width: float,
        height: float,
        ratio: float,
        *,
        theme: str = "light",
        make: bool = True,
    ) -> QImage | None:
        """The SVG at `path` drawn in `theme`'s colours into an image of `width` × `height`
        logical pixels at this device pixel `ratio`; None if it cannot be drawn, or
        (`make=False`) is not drawn yet."""
        key = (path, round(width), round(height), ratio, theme)
        image = self._pictures.pop(key, None)
        if image is None:
            if not make:
                return None
            renderer = self.get(path, theme)
            if renderer is None or key[1] <= 0 or key[2] <= 0:
                return None
            from PySide6.QtCore import QRectF
            from PySide6.QtGui import QColor, QImage, QPainter

            image = QImage(
                round(key[1] * ratio),
                round(key[2] * ratio),
                QImage.Format.Format_ARGB32_Premultiplied,
            )
            image.fill(QColor(0, 0, 0, 0))
            painter = QPainter(image)
            renderer.render(painter, QRectF(0, 0, image.width(), image.height()))
            painter.end()
            image.setDevicePixelRatio(ratio)
        self._pictures[key] = image
        while len(self._pictures) > SCREEN_PICTURES:
            self._pictures.pop(next(iter(self._pictures)))
        return image

    def reason(self, path: str) -> str:
        """Why the SVG at `path` is not drawn (the gate's reason), or "" if it is."""
        from viewer.pages import pictures  # here: the gate loads with the first picture

        picture = pictures.inspect_file(path)
        return picture.reason or ("" if self.get(path) is not None else "Qt cannot draw it")

    def clear(self) -> None:
        self._renderers.clear()
        self._pictures.clear()


SVG_CACHE = SvgCache()


def shown_size(doc: QTextDocument, width: float, height: float) -> tuple[float, float]:
    """The size a diagram of `width` × `height` (its own) is laid out at in `doc`: scaled with
    the page's zoom, narrowed to fit the text column."""
    scale = float(doc.property("diagramScale") or 1.0)
    width, height = width * scale, height * scale
    margins = 2 * doc.documentMargin()  # the root frame's: nothing here sets them otherwise
    available = doc.textWidth() - margins - 8 if doc.textWidth() > 0 else -1
    if available > 0 and width > available:
        width, height = available, height * available / width
    return width, height


class ImageHandler(QPyTextObject):
    """Lays out and paints a page's pictures: SVG files as vectors, any other picture by Qt's
    own image handler (`fallback`)."""

    def __init__(self, fallback, parent: QObject | None = None):
        super().__init__(parent)
        self.fallback = fallback

    def svg_path(self, doc: PageDocument, fmt: QTextFormat) -> str | None:
        """The library file of an SVG picture, or None for any other picture (only a
        PageDocument registers this handler)."""
        name = fmt.toImageFormat().name()
        if not is_svg_name(name):
            return None
        path = doc.image_path(name)
        return str(path) if path is not None else None

    def intrinsicSize(self, doc: QTextDocument, pos: int, fmt: QTextFormat) -> QSizeF:  # noqa: N802
        path = self.svg_path(doc, fmt)
        if path is None:
            return self.fallback.intrinsicSize(doc, pos, fmt)
        if fmt.hasProperty(IMAGE_WIDTH) and fmt.hasProperty(IMAGE_HEIGHT):
            # The size rendering wrote on the <img> (viewer.pages.svg_size): the SVG is parsed when
            # it is first drawn, not to lay the page out.
            size = QSizeF(fmt.doubleProperty(IMAGE_WIDTH), fmt.doubleProperty(IMAGE_HEIGHT))
        else:
            renderer = SVG_CACHE.get(path)
            if renderer is None:
                return QSizeF(240, 60)
            size = QSizeF(renderer.defaultSize())
        return QSizeF(*shown_size(doc, size.width(), size.height()))

    def drawObject(
        self, painter: QPainter, rect: QRectF, doc: QTextDocument, pos: int, fmt: QTextFormat
    ) -> None:  # noqa: N802
        path = self.svg_path(doc, fmt)
        if path is None:
            self.fallback.drawObject(painter, rect, doc, pos, fmt)
            return
        # Pages on screen say their theme; print documents never do, and stay light.
        theme = str(doc.property("pageTheme") or "light")
        device = painter.device()
        transform = painter.worldTransform()
        if (
            device is not None
            and device.devType() == WIDGET_DEVICE
            and not (transform.isScaling() or transform.isRotating())
        ):
            ratio = device.devicePixelRatioF()
            image = SVG_CACHE.picture(
                path, rect.width(), rect.height(), ratio, theme=theme, make=False
            )
            if image is not None:
                painter.drawImage(rect, image)
                return
        renderer = SVG_CACHE.get(path, theme)
        if renderer is None:
            from PySide6.QtGui import QColor, QPen

            painter.save()
            painter.setPen(QPen(QColor("#888888")))
            painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            painter.drawText(
                rect,
                ALIGN_CENTER | 0x1000,  # and Qt.TextFlag.TextWordWrap
                f"Diagram not shown: {SVG_CACHE.reason(path)}\n{fmt.toImageFormat().name()}",
            )
            painter.restore()
            return
        renderer.render(painter, rect)


def _forget_wrapper(wrapper) -> None:
    """Tell PySide that the C++ object behind `wrapper` is gone."""
    from shiboken6 import Shiboken

    try:
        Shiboken.invalidate(wrapper)
    except (RuntimeError, TypeError):  # already gone, or the interpreter is shutting down
        pass


class PageDocument(QTextDocument):
    """A topic page: resources come from the library only; SVG pictures are drawn as vectors."""

    handler_class = ImageHandler  # print documents use one that also fits diagrams to paper

    def __init__(
        self,
        library: Library | None = None,
        topic: Topic | None = None,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.library = library
        self.topic = topic
        layout = self.documentLayout()
        fallback = layout.handlerForObject(IMAGE_OBJECT)
        self.image_handler = self.handler_class(fallback, self)
        layout.registerHandler(IMAGE_OBJECT, self.image_handler)
        # Qt's own image handler is no QObject: nothing tells PySide when the layout deletes it,
        # and a later object at its address (a menu, say) would come back as this wrapper.
        self.destroyed.connect(lambda _document=None: _forget_wrapper(fallback))
        self.setProperty("diagramScale", 1.0)
        self._image_paths: dict[tuple, Path | None] = {}

    def set_context(self, library: Library | None, topic: Topic | None) -> None:
        self.library, self.topic = library, topic
        self._image_paths.clear()

    def set_page_html(self, html: str, load=None) -> None:
        """Show `html`. `load(html)` puts it in: a view's setHtml, which also takes the view's
        caret to the top; the document's own by default."""
        self._image_paths.clear()  # files may have come or gone since the last page
        (load or self.setHtml)(html)

    def image_path(self, src: str) -> Path | None:
        if self.library is None:
            return None
        key = (id(self.library), id(self.topic), src)
        if key not in self._image_paths:  # Qt asks again for each image on every layout
            found = links.resolve_image(self.library, self.topic, src)
            self._image_paths[key] = found.path if found.kind == "file" else None
        return self._image_paths[key]

    def loadResource(self, kind: int, url: QUrl):  # noqa: N802 - Qt override
        # Never defer to Qt's loader: it would read any local path and follow file: URLs.
        if getattr(kind, "value", kind) != IMAGE_RESOURCE:  # an int, or an enum member
            return None

        path = self.image_path(url.toString())
        if path is None:
            return _placeholder_image()
        if path.suffix.lower() == ".svg":  # not a picture (ImageHandler draws those): CSS, say
            return _svg_image(str(path))  # not QImage(path): Qt's SVG plugin reads linked files
        from viewer.pages import pictures  # here: the gate loads with the first picture

        return raster_image(pictures.load_file(path))


def raster_image(picture: pictures.Picture) -> QImage:
    """A raster picture that passed the gate, decoded from the bytes the gate checked (never
    from the path again) by a reader that has been told its size first; else the placeholder."""
    if picture.kind != "raster":
        return _placeholder_image()
    from PySide6.QtCore import QBuffer, QByteArray
    from PySide6.QtGui import QImageReader

    buffer = QBuffer()
    buffer.setData(QByteArray(picture.data))
    reader = QImageReader(buffer, picture.format.encode("ascii"))
    reader.setDecideFormatFromContent(False)
    size = reader.size()
    from viewer.pages.pictures import MAX_PIXELS

    if not size.isValid() or size.width() * size.height() > MAX_PIXELS:
        return _placeholder_image()
    image = reader.read()
    return image if not image.isNull() else _placeholder_image()


def _svg_image(path: str) -> QImage:
    from PySide6.QtCore import QSize
    from PySide6.QtGui import QColor, QImage, QPainter

    renderer = SVG_CACHE.get(path)
    if renderer is None or renderer.defaultSize().isEmpty():
        return _placeholder_image()
    image = QImage(renderer.defaultSize().boundedTo(QSize(4096, 4096)), QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    return image


_PLACEHOLDER: QImage | None = None


def _placeholder_image() -> QImage:
    global _PLACEHOLDER
    if _PLACEHOLDER is None:
        from PySide6.QtGui import QColor, QImage, QPainter, QPen

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
