"""Help → About: version, Qt, PySide6 and Python versions, licence, and the third-party notices."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from viewer import APP_NAME, __version__


def about_text() -> str:
    return (
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>A fast, keyboard-driven, printable reference viewer for libraries of Markdown "
        "notes.</p>"
        f"<p>Qt {qVersion()} · PySide6 {PySide6.__version__} · Python "
        f"{platform.python_version()}</p>"
        "<p>Licensed under the MIT licence. Bundled notes: AWS Containers &amp; Serverless.</p>"
        "<p>Qt and Qt for Python are used under the LGPLv3; Python under the PSF licence. "
        "<b>Third-party notices</b> shows every component's licence and how to replace the "
        "Qt libraries.</p>"
    )


def bundled_notices() -> Path | None:
    """THIRD-PARTY-NOTICES as the desktop build ships it (beside the program's files)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        from viewer.notices import NOTICES_NAME

        path = Path(frozen) / NOTICES_NAME
        return path if path.is_file() else None
    return None


def notices_text() -> str:
    """The bundled notices in the desktop build; from source, built from installed metadata."""
    path = bundled_notices()
    if path is not None:
        return path.read_text(encoding="utf-8")
    from viewer.notices import installed_notices_text

    return installed_notices_text()


class NoticesDialog(QDialog):
    """The third-party notices as plain text, read-only; Ctrl+A and Ctrl+C copy it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticesDialog")
        self.setWindowTitle(f"{APP_NAME}: third-party notices")
        self.text = QPlainTextEdit(self)
        self.text.setObjectName("noticesText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setPlainText(notices_text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        self.resize(760, 560)


def about_box(parent: QWidget | None = None) -> QMessageBox:
    """The About box, with a Third-party notices button (`noticesButton`) beside OK."""
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(f"About {APP_NAME}")
    box.setText(about_text())
    if parent is not None and not parent.windowIcon().isNull():
        box.setIconPixmap(parent.windowIcon().pixmap(64, 64))
    notices = box.addButton("Third-party &notices…", QMessageBox.ButtonRole.ActionRole)
    notices.setObjectName("noticesButton")
    box.addButton(QMessageBox.StandardButton.Ok)
    return box


def show_about(parent: QWidget | None = None) -> None:
    """The About box; its notices button closes it and opens the notices."""
    box = about_box(parent)
    box.exec()
    if box.clickedButton() is box.findChild(QPushButton, "noticesButton"):
        NoticesDialog(parent).exec()
