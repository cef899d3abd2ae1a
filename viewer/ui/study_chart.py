"""A small bar chart of a deck's coming reviews: today, then each of the next 14 days.

Drawn with QPainter in the palette's colours, so it follows the light and dark themes and
needs no plotting package.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget


class ForecastChart(QWidget):
    """Bars for `today` and `forecast` (one count per day), the day's count above each bar."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("studyChart")
        self.setAccessibleName("Reviews due in the next 14 days")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.counts: list[int] = []

    def set_counts(self, today: int, forecast: list[int]) -> None:
        self.counts = [today, *forecast]
        self.setToolTip(
            "Due today: {}; next 14 days: {}".format(today, ", ".join(map(str, forecast)))
        )
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        return QSize(360, 6 * self.fontMetrics().height())

    def paintEvent(self, _event) -> None:  # noqa: N802 - Qt override
        if not self.counts:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_height = self.fontMetrics().height()
        area = QRectF(self.rect()).adjusted(4, text_height + 2, -4, -text_height - 4)
        slot = area.width() / len(self.counts)
        top = max(self.counts) or 1
        for day, count in enumerate(self.counts):
            height = area.height() * count / top
            bar = QRectF(
                area.left() + day * slot + slot * 0.15, area.bottom() - height, slot * 0.7, height
            )
            role = QPalette.ColorRole.Highlight if day == 0 else QPalette.ColorRole.Mid
            painter.fillRect(bar, palette.color(role))
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            if count:
                label = QRectF(
                    bar.left() - 4, bar.top() - text_height, bar.width() + 8, text_height
                )
                painter.drawText(label, Qt.AlignmentFlag.AlignCenter, str(count))
            name = "today" if day == 0 else f"+{day}"
            if day == 0 or day % 7 == 0:
                below = QRectF(
                    area.left() + day * slot - 10, area.bottom() + 2, slot + 20, text_height
                )
                painter.drawText(below, Qt.AlignmentFlag.AlignCenter, name)
        painter.end()
