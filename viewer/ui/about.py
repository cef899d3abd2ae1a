"""The About box's text: version, Qt and Python versions, licence."""

from __future__ import annotations

import platform

import PySide6
from PySide6.QtCore import qVersion

from viewer import APP_NAME, __version__


def about_text() -> str:
    return (
        f"<h3>{APP_NAME} {__version__}</h3>"
        "<p>A fast, keyboard-driven, printable reference viewer for libraries of Markdown "
        "notes.</p>"
        f"<p>Qt {qVersion()} · PySide6 {PySide6.__version__} · Python "
        f"{platform.python_version()}</p>"
        "<p>Licensed under the MIT licence. Bundled notes: AWS Containers &amp; Serverless.</p>"
    )
