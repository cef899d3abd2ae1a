"""Paper is always light: the window's theme never reaches a printed or exported page.

The PDF the window writes is rendered to pixels by PDFium (pypdfium2, a test dependency that
ships its own library: no system tools needed), so the test sees what a reader sees.
"""

from __future__ import annotations

from pathlib import Path

import pypdfium2
import pytest
from conftest import CONTENT, show_window
from PySide6.QtGui import QColor, QImage

from viewer.ui import print_dialog


def export_from_window(qtbot, monkeypatch, tmp_path: Path, theme: str) -> Path:
    """File → Export PDF… from the real window on the AWS Lambda topic, in `theme`."""
    target = tmp_path / f"lambda-{theme}.pdf"
    monkeypatch.setattr(
        print_dialog.QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *args, **kwargs: (str(target), "PDF files (*.pdf)")),
    )
    win = show_window(qtbot, CONTENT, "lambda")
    win.actions_by_name[f"theme_{theme}"].trigger()
    assert win.actions_by_name["export_pdf"].isEnabled()
    win.actions_by_name["export_pdf"].trigger()
    assert target.is_file()
    win.actions_by_name["theme_system"].trigger()
    return target


def page_image(path: Path, index: int = 0) -> QImage:
    """Page `index` of the PDF as pixels, at 100 dpi."""
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        bitmap = pdf[index].render(scale=100 / 72, rev_byteorder=True)
        image = QImage(
            bytes(bitmap.buffer),
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGB888
            if bitmap.n_channels == 3
            else QImage.Format.Format_RGBA8888,
        )
        return image.convertToFormat(QImage.Format.Format_RGB32)
    finally:
        pdf.close()


def ink(image: QImage) -> dict[str, int]:
    """How many pixels are dark ink (text), mid grey, or near white, on the page's body."""
    counts = {"dark": 0, "mid": 0, "light": 0}
    top = image.height() // 8  # below the running header and the title block
    for y in range(top, image.height() - image.height() // 12, 2):
        for x in range(0, image.width(), 2):
            lightness = QColor(image.pixel(x, y)).lightness()
            counts["dark" if lightness < 90 else "light" if lightness > 235 else "mid"] += 1
    return counts


def test_window_pdf_in_the_dark_theme_prints_the_light_themes_colours(qtbot, monkeypatch, tmp_path):
    light = page_image(export_from_window(qtbot, monkeypatch, tmp_path, "light"))
    dark = page_image(export_from_window(qtbot, monkeypatch, tmp_path, "dark"))
    light_ink, dark_ink = ink(light), ink(dark)
    # The light sheet has real body text: many dark pixels on a white page.
    assert light_ink["dark"] > 2000, light_ink
    assert light_ink["light"] > 10 * light_ink["dark"], light_ink
    # The dark theme's sheet has the same ink, pixel for pixel.
    assert dark_ink == pytest.approx(light_ink, rel=0.01), (dark_ink, light_ink)
    assert dark.size() == light.size()
    differing = sum(
        1
        for y in range(0, light.height(), 3)
        for x in range(0, light.width(), 3)
        if light.pixel(x, y) != dark.pixel(x, y)
    )
    assert differing == 0
