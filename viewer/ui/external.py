"""Opening a web link in the system browser, and saying so only when it happened.

`QDesktopServices.openUrl` returns False when no browser could be started (no desktop
handler, a broken xdg-open). Then the reader is told, and offered the link to copy: a small
window-modal box whose Copy Link button has the focus, so Enter copies and Esc closes.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget


def open_in_browser(parent: QWidget, url: str, status) -> bool:
    """Open `url` in the system browser; `status(text)` says what happened. True if opened."""
    if QDesktopServices.openUrl(QUrl(url)):
        status(f"Opened in your browser: {url}")
        return True
    status(f"No browser could be started for {url}")
    box = QMessageBox(parent)
    box.setObjectName("noBrowserBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("No browser")
    box.setText("No web browser could be started to open this link.")
    box.setInformativeText(f"{url}\n\nCopy the link to open it yourself.")
    box.setAccessibleName("No browser could be started")
    box.setAccessibleDescription(
        f"The link {url} was not opened. Copy Link puts it on the clipboard."
    )
    copy = box.addButton("&Copy Link", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Close)
    box.setDefaultButton(copy)

    def copied() -> None:
        QGuiApplication.clipboard().setText(url)
        status(f"Link copied: {url}")

    copy.clicked.connect(copied)
    box.open()  # window-modal, not a nested event loop
    return False
